import { sourcePageRequests } from "@meeting-control/testkit";
import { describe, expect, it } from "vitest";
import {
  deref,
  type Json,
  loadBundle,
  loadYamlBundle,
  operations,
  schemaValidator,
} from "./helpers.js";

const bundle = loadBundle();
const validate = schemaValidator(bundle);

const CONTROL_OPS = ["InviteOperateVideo", "InviteShare"];
const opById = (id: string) => {
  const found = operations(bundle).find((o) => o.op.operationId === id);
  if (!found) throw new Error(`no operation ${id}`);
  return found;
};

interface ExampleCase {
  where: string;
  schema: Json;
  value: unknown;
}

/** Every example the bundle carries, with the schema it must satisfy. */
function collectExamples(): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const fromMediaTypes = (where: string, content: Json) => {
    for (const [type, media] of Object.entries<Json>(content ?? {})) {
      if (media.example !== undefined) {
        cases.push({ where: `${where} ${type}`, schema: media.schema, value: media.example });
      }
      for (const [name, ex] of Object.entries<Json>(media.examples ?? {})) {
        cases.push({
          where: `${where} ${type} "${name}"`,
          schema: media.schema,
          value: deref(bundle, ex).value,
        });
      }
    }
  };
  const fromParameterLike = (where: string, p: Json) => {
    if (p.example !== undefined) cases.push({ where, schema: p.schema, value: p.example });
    for (const [name, ex] of Object.entries<Json>(p.examples ?? {})) {
      cases.push({ where: `${where} "${name}"`, schema: p.schema, value: deref(bundle, ex).value });
    }
  };
  const fromSchema = (where: string, schema: Json) => {
    if (!schema || typeof schema !== "object") return;
    if (schema.example !== undefined) cases.push({ where, schema, value: schema.example });
    for (const [name, sub] of Object.entries<Json>(schema.properties ?? {})) {
      fromSchema(`${where}.${name}`, sub);
    }
    if (schema.items) fromSchema(`${where}[]`, schema.items);
  };

  for (const { path, method, op } of operations(bundle)) {
    const at = `${method.toUpperCase()} ${path}`;
    for (const p of op.parameters ?? []) {
      const param = deref(bundle, p);
      fromParameterLike(`${at} parameter ${param.name}`, param);
    }
    if (op.requestBody) fromMediaTypes(`${at} request`, deref(bundle, op.requestBody).content);
    for (const [status, r] of Object.entries<Json>(op.responses)) {
      const response = deref(bundle, r);
      for (const [name, h] of Object.entries<Json>(response.headers ?? {})) {
        fromParameterLike(`${at} ${status} header ${name}`, deref(bundle, h));
      }
      fromMediaTypes(`${at} ${status}`, response.content);
    }
  }
  for (const [name, schema] of Object.entries<Json>(bundle.components.schemas)) {
    fromSchema(`schema ${name}`, schema);
  }
  return cases;
}

describe("the bundle", () => {
  it("is the same document in YAML and JSON", () => {
    expect(loadYamlBundle()).toEqual(bundle);
  });

  it("is OpenAPI 3.1.0 with exactly the three operations at their paths", () => {
    expect(bundle.openapi).toBe("3.1.0");
    const ops = operations(bundle).map(({ method, path, op }) => [op.operationId, method, path]);
    expect(ops.sort()).toEqual([
      ["CreateConfToken", "get", "/v1/mmc/control/conferences/token"],
      ["InviteOperateVideo", "put", "/v1/mmc/control/conferences/participants/video"],
      ["InviteShare", "put", "/v1/mmc/control/conferences/participants/share/invite"],
    ]);
  });

  it("names the schemas as the real service does", () => {
    expect(Object.keys(bundle.components.schemas)).toEqual(
      expect.arrayContaining([
        "RestVideoBody",
        "InviteShareDTO",
        "RestLoginResponse",
        "TokenInfo",
        "RestFailedRsp",
      ]),
    );
  });

  it("lists both regions' servers", () => {
    expect(bundle.servers.map((s: Json) => s.url)).toEqual([
      "https://api.meeting.huaweicloud.com",
      "https://api-intl.meeting.huaweicloud.com",
    ]);
    expect(bundle.servers.map((s: Json) => s.description).join(" ")).toMatch(
      /cn-north-4.*ap-southeast-1/,
    );
  });

  it("names each server's region in x-region, the one its description gives", () => {
    expect(bundle.servers.map((s: Json) => s["x-region"])).toEqual([
      "cn-north-4",
      "ap-southeast-1",
    ]);
    for (const server of bundle.servers) expect(server.description).toMatch(server["x-region"]);
  });

  it("explains the token flow in info.description", () => {
    const text: string = bundle.info.description;
    expect(text).toContain("CreateConfToken");
    expect(text).toContain("X-Conference-Authorization");
    expect(text).toMatch(/Basic /);
    expect(text).toMatch(/30 minutes/);
  });
});

describe("examples", () => {
  const cases = collectExamples();

  it("are many: parameters, bodies, every named error, and schema properties", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((c) => [c.where, c] as const))("%s validates against its schema", (_, c) => {
    expect(c.schema, "example without a schema").toBeDefined();
    expect(validate(c.schema, c.value)).toEqual([]);
  });

  it("the validator does reject what the spec forbids", () => {
    const body = { $ref: "#/components/schemas/RestVideoBody" };
    expect(validate(body, { status: 1 })).toEqual([]);
    for (const bad of [{ status: 2 }, { status: "1" }, { status: 1.5 }, {}, { status: 1, x: 1 }]) {
      expect(validate(body, bad), JSON.stringify(bad)).not.toEqual([]);
    }
    expect(
      validate({ $ref: "#/components/schemas/RestFailedRsp" }, { error_code: "MMC.1" }),
    ).not.toEqual([]);
  });

  const namedErrors = (id: string, status: string): string[] => {
    const response = deref(bundle, opById(id).op.responses[status]);
    const examples = Object.values<Json>(response.content["application/json"].examples);
    return examples.map((e) => deref(bundle, e).value.error_code);
  };

  it.each([
    [
      "InviteOperateVideo",
      "400",
      ["MMC.111072065", "MMC.111072050", "MMC.111072049", "USG.000000003"],
    ],
    ["InviteOperateVideo", "401", ["MMC.111070111", "USG.000000004"]],
    ["InviteOperateVideo", "403", ["MMC.111072117", "USG.000000004"]],
    ["InviteOperateVideo", "500", ["MMC.000000002"]],
    ["InviteShare", "400", ["MMC.111072065", "MMC.111072050", "MMC.111072049", "USG.000000003"]],
    ["InviteShare", "401", ["MMC.111070111", "USG.000000004"]],
    ["InviteShare", "403", ["USG.000000004"]],
    ["InviteShare", "500", ["MMC.000000002"]],
    ["CreateConfToken", "400", ["MMC.111072065", "USG.000000003"]],
    ["CreateConfToken", "500", ["MMC.000000002"]],
  ])("%s %s names the documented error codes", (id, status, codes) => {
    expect(namedErrors(id, status)).toEqual(expect.arrayContaining(codes));
  });

  it("the camera-only 403 code is not offered for screen sharing", () => {
    expect(namedErrors("InviteShare", "403")).not.toContain("MMC.111072117");
  });

  it.each(["InviteOperateVideo", "InviteShare", "CreateConfToken"])(
    "%s has a named success example",
    (id) => {
      const response = deref(bundle, opById(id).op.responses["200"]);
      expect(Object.keys(response.content["application/json"].examples).length).toBeGreaterThan(0);
    },
  );

  it("the token example keeps the misspelt gloablPublicIP and a 30-minute lifetime", () => {
    const response = deref(bundle, opById("CreateConfToken").op.responses["200"]);
    const [example] = Object.values<Json>(response.content["application/json"].examples);
    const value = deref(bundle, example).value;
    expect(value).toHaveProperty("gloablPublicIP");
    expect(value.data.confTokenExpireTime).toBe(1800);
  });
});

describe("the source pages' requests", () => {
  const requests = sourcePageRequests();

  it("are both in the fixture", () => {
    expect(requests.map((r) => `${r.method} ${r.path} ${r.body}`)).toEqual([
      'PUT /v1/mmc/control/conferences/participants/video {"status": 1}',
      'PUT /v1/mmc/control/conferences/participants/share/invite {"share": 1}',
    ]);
  });

  it.each(requests.map((r) => [r.path, r] as const))(
    "%s is valid against the spec",
    (_, request) => {
      const op = bundle.paths[request.path]?.[request.method.toLowerCase()];
      expect(op, "operation exists").toBeDefined();

      for (const p of op.parameters.map((ref: Json) => deref(bundle, ref))) {
        const raw =
          p.in === "query" ? request.query.get(p.name) : request.headers.get(p.name.toLowerCase());
        if (raw === null || raw === undefined) {
          expect(p.required, `${p.name} may be left out`).not.toBe(true);
          continue;
        }
        expect(validate(p.schema, raw), p.name).toEqual([]);
      }
      const [scheme] = Object.keys(op.security?.[0] ?? bundle.security[0]);
      const header = bundle.components.securitySchemes[scheme as string].name.toLowerCase();
      expect(request.headers.get(header)).toMatch(/^Basic [A-Za-z0-9+/=]+$/);

      const content = deref(bundle, op.requestBody).content;
      expect(Object.keys(content)).toContain(request.headers.get("content-type"));
      expect(validate(content["application/json"].schema, JSON.parse(request.body))).toEqual([]);
    },
  );
});

describe("operations", () => {
  it.each(operations(bundle).map((o) => [o.op.operationId, o] as const))(
    "%s declares X-Request-Id with an example on every response",
    (_, { op }) => {
      for (const [status, r] of Object.entries<Json>(op.responses)) {
        const header = deref(bundle, deref(bundle, r).headers?.["X-Request-Id"]);
        expect(header, `${status} declares X-Request-Id`).toBeDefined();
        expect(header.example ?? header.schema?.example, `${status} X-Request-Id example`).toMatch(
          /^[0-9a-f]{32}$/,
        );
      }
    },
  );

  it.each([
    ["InviteOperateVideo", ["200", "400", "401", "403", "500"]],
    ["InviteShare", ["200", "400", "401", "403", "500"]],
    ["CreateConfToken", ["200", "400", "500"]],
  ])("%s documents exactly its status codes, errors as RestFailedRsp", (id, codes) => {
    const { op } = opById(id);
    expect(Object.keys(op.responses).sort()).toEqual(codes);
    for (const code of codes.filter((c) => c !== "200")) {
      const media = deref(bundle, op.responses[code]).content["application/json"];
      expect(media.schema.$ref).toBe("#/components/schemas/RestFailedRsp");
    }
    expect(bundle.components.schemas.RestFailedRsp.required).toEqual(["error_code", "error_msg"]);
  });

  it.each(CONTROL_OPS)("%s requires the conference token and both IDs in the query", (id) => {
    const { op } = opById(id);
    const scheme = bundle.components.securitySchemes.ConferenceToken;
    expect(op.security ?? bundle.security).toEqual([{ ConferenceToken: [] }]);
    expect(scheme).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Conference-Authorization",
    });
    const params = op.parameters.map((p: Json) => deref(bundle, p));
    expect(params.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ["conferenceID", "query", true],
      ["participantID", "query", true],
    ]);
    expect(deref(bundle, op.requestBody).required).toBe(true);
  });

  it.each(CONTROL_OPS)("%s has no required body on 200", (id) => {
    const response = deref(bundle, opById(id).op.responses["200"]);
    const schema = deref(bundle, response.content["application/json"].schema);
    for (const body of [{}, { anything: [1, "two"] }]) expect(validate(schema, body)).toEqual([]);
    expect(schema.required).toBeUndefined();
  });

  it("CreateConfToken needs no token but takes the password, login type 1 and the optional headers", () => {
    const { op } = opById("CreateConfToken");
    expect(op.security).toEqual([]);
    const params = Object.fromEntries(
      op.parameters.map((p: Json) => deref(bundle, p)).map((p: Json) => [p.name, p]),
    );
    expect(Object.keys(params)).toEqual([
      "conferenceID",
      "X-Password",
      "X-Login-Type",
      "X-Conference-Authorization",
      "X-Nonce",
    ]);
    expect(params["X-Password"]).toMatchObject({
      in: "header",
      required: true,
      schema: { format: "password" },
    });
    expect(params["X-Login-Type"]).toMatchObject({
      in: "header",
      required: true,
      schema: { const: 1 },
    });
    expect(params["X-Conference-Authorization"].required).toBe(false);
    expect(params["X-Nonce"].required).toBe(false);
    expect(deref(bundle, op.responses["200"]).content["application/json"].schema.$ref).toBe(
      "#/components/schemas/RestLoginResponse",
    );
  });
});

describe("the 0/1 polarity", () => {
  const field = (schema: string, name: string) =>
    bundle.components.schemas[schema].properties[name];

  it.each([
    ["RestVideoBody", "status"],
    ["InviteShareDTO", "share"],
  ])("%s.%s is a required int32 limited to 0 and 1, with nothing else allowed", (schema, name) => {
    const s = bundle.components.schemas[schema];
    expect(s.required).toEqual([name]);
    expect(s.additionalProperties).toBe(false);
    expect(field(schema, name)).toMatchObject({ type: "integer", format: "int32", enum: [0, 1] });
  });

  it("names the client's action for each value, in the words of the descriptions", () => {
    expect(field("RestVideoBody", "status")["x-enum-varnames"]).toEqual(["enable", "disable"]);
    expect(field("InviteShareDTO", "share")["x-enum-varnames"]).toEqual(["cancel", "invite"]);
  });

  it("is described in words, and opposite between the two operations", () => {
    const camera: string = field("RestVideoBody", "status").description;
    const share: string = field("InviteShareDTO", "share").description;
    expect(camera).toMatch(/`0` asks the participant to turn the camera \*\*on\*\*/);
    expect(camera).toMatch(/`1` asks the participant to turn\s+the camera \*\*off\*\*/);
    expect(share).toMatch(/`1` \*\*invites\*\* the participant to share/);
    expect(share).toMatch(/`0` \*\*cancels\*\* the invitation/);
  });
});

describe("the client's marks on the errors", () => {
  const examples = bundle.components.examples;
  const marked = (mark: string) =>
    Object.values<Json>(examples).flatMap((e) => (e[mark] ? [e.value.error_code] : []));

  it("x-retryable: only RESPONSE_TIME_OUT, which asks for a retry", () => {
    expect(marked("x-retryable")).toEqual(["MMC.111072049"]);
  });

  it("x-refresh-token: CONF_NOT_FOUND_OR_AUTH_FAILED and the 401 response", () => {
    expect(marked("x-refresh-token")).toEqual(["MMC.111072065"]);
    const responses = Object.entries<Json>(bundle.components.responses);
    expect(responses.filter(([, r]) => r["x-refresh-token"]).map(([name]) => name)).toEqual([
      "Unauthorized",
    ]);
  });

  it("x-body-optional: the control operations' 200, whose body the service does not document", () => {
    const marked = Object.entries<Json>(bundle.paths).flatMap(([path, item]) =>
      Object.values<Json>(item).flatMap((op) =>
        Object.entries<Json>(op.responses)
          .filter(([, r]) => deref(bundle, r)["x-body-optional"])
          .map(([status]) => `${op.operationId} ${status} ${path}`),
      ),
    );
    expect(marked).toEqual([
      "InviteOperateVideo 200 /v1/mmc/control/conferences/participants/video",
      "InviteShare 200 /v1/mmc/control/conferences/participants/share/invite",
    ]);
    // Any JSON: `{}`, a list, a string, a number, `null`.
    const { schema } = bundle.components.responses.ControlSuccess.content["application/json"];
    for (const value of [{}, { ok: true }, [], "success", 0, null])
      expect(validate(schema, value)).toEqual([]);
  });

  it("every error example has a one-line summary that is not its code", () => {
    for (const example of Object.values<Json>(examples)) {
      if (!example.value?.error_code) continue;
      expect(example.summary).toMatch(/^[A-Z][^\n.]+[A-Za-z]$/);
      expect(example.summary).not.toContain(example.value.error_code);
    }
  });
});
