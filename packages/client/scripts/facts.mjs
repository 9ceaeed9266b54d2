// Reads the facts the code needs out of the bundled spec: regions (`servers` and `x-region`), ID
// lengths (`minLength`/`maxLength`), the 0/1 of each body (`x-enum-varnames`), and every error
// code of the examples with its summary and its `x-retryable` / `x-refresh-token` marks. Throws
// when the spec states a fact two ways, so a contradiction cannot reach the generated modules.

const fail = (message) => {
  throw new Error(`spec facts: ${message}`);
};

/** Follows local `$ref`s (`#/components/...`) to the node they name. */
const resolver = (root) => (node) => {
  let current = node;
  while (current?.$ref) {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((parent, key) => parent?.[key], root);
    if (current === undefined) fail(`unresolved $ref ${node.$ref}`);
  }
  return current;
};

/** Every operation of the spec, in the spec's order, as `{ operationId, operation }`. */
const operationsOf = (spec) =>
  Object.values(spec.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) =>
      operation?.operationId ? [{ operationId: operation.operationId, operation }] : [],
    ),
  );

/** Records `value` under `key`, or checks that it equals what is already there. */
const agree = (into, key, value, what) => {
  if (into[key] !== undefined && JSON.stringify(into[key]) !== JSON.stringify(value)) {
    fail(
      `${what} ${key} is ${JSON.stringify(into[key])} in one place, ${JSON.stringify(value)} in another`,
    );
  }
  into[key] = value;
};

function regions(spec) {
  const entries = (spec.servers ?? []).map((server) => [
    server["x-region"] ?? fail(`server ${server.url} has no x-region`),
    server.url,
  ]);
  if (!entries.length) fail("no servers");
  return { regions: Object.fromEntries(entries), defaultRegion: entries[0][0] };
}

function idLengths(spec, deref) {
  const lengths = {};
  for (const { operation } of operationsOf(spec)) {
    for (const parameter of (operation.parameters ?? []).map(deref)) {
      if (parameter.in !== "query" || parameter.schema?.minLength === undefined) continue;
      const { minLength: min, maxLength: max } = parameter.schema;
      agree(lengths, parameter.name, max === undefined ? { min } : { min, max }, "length of");
    }
  }
  return lengths;
}

function polarity(spec, deref) {
  const result = {};
  for (const { operationId, operation } of operationsOf(spec)) {
    const schema = deref(deref(operation.requestBody)?.content?.["application/json"]?.schema);
    const named = Object.entries(schema?.properties ?? {}).filter(([, p]) => p["x-enum-varnames"]);
    if (!named.length) continue;
    if (named.length > 1) fail(`${operationId}'s body has more than one x-enum-varnames`);
    const [[field, property]] = named;
    const names = property["x-enum-varnames"];
    if (names.length !== property.enum?.length) fail(`${operationId}.${field}: names ≠ enum`);
    const values = names.map((name, i) => [name, property.enum[i]]);
    result[operationId] = { field, ...Object.fromEntries(values) };
  }
  return result;
}

function errorCodes(spec, deref) {
  const codes = {};
  const refreshStatuses = new Set();
  for (const { operationId, operation } of operationsOf(spec)) {
    for (const [status, ref] of Object.entries(operation.responses ?? {})) {
      if (!/^[45]/.test(status)) continue;
      const response = deref(ref);
      if (response["x-refresh-token"]) refreshStatuses.add(Number(status));
      const examples = response.content?.["application/json"]?.examples ?? {};
      for (const [name, exampleRef] of Object.entries(examples)) {
        const example = deref(exampleRef);
        const { error_code: code, error_msg: message } = example.value ?? {};
        if (!code) fail(`example ${name} of ${operationId} ${status} has no error_code`);
        codes[code] ??= { statuses: [], operations: [] };
        const entry = codes[code];
        for (const [key, value] of Object.entries({
          message,
          summary: example.summary ?? fail(`example ${name} has no summary`),
          example: name,
          retryable: example["x-retryable"] === true,
          refreshToken: example["x-refresh-token"] === true,
        })) {
          agree(entry, key, value, `${code}'s`);
        }
        if (!entry.statuses.includes(Number(status))) entry.statuses.push(Number(status));
        if (!entry.operations.includes(operationId)) entry.operations.push(operationId);
      }
    }
  }
  const ordered = Object.entries(codes).map(([code, entry]) => {
    const { message, summary, statuses, operations, example, retryable, refreshToken } = entry;
    statuses.sort((a, b) => a - b);
    return [code, { message, summary, statuses, operations, example, retryable, refreshToken }];
  });
  return {
    codes: Object.fromEntries(ordered),
    refreshStatuses: [...refreshStatuses].sort((a, b) => a - b),
  };
}

/**
 * A token's lifetime in milliseconds: the `confTokenExpireTime` (seconds) of CreateConfToken's
 * 2xx examples, which must agree.
 */
function tokenLifetimeMs(spec, deref) {
  const lifetimes = {};
  for (const { operationId, operation } of operationsOf(spec)) {
    if (operationId !== "CreateConfToken") continue;
    for (const [status, ref] of Object.entries(operation.responses ?? {})) {
      if (!/^2/.test(status)) continue;
      const examples = deref(ref).content?.["application/json"]?.examples ?? {};
      for (const exampleRef of Object.values(examples)) {
        const seconds = deref(exampleRef).value?.data?.confTokenExpireTime;
        if (Number.isInteger(seconds)) agree(lifetimes, "lifetime", seconds, "the token's");
      }
    }
  }
  return (
    (lifetimes.lifetime ?? fail("no CreateConfToken example has a confTokenExpireTime")) * 1000
  );
}

/** Every fact of the spec the generated modules carry. */
export function specFacts(spec) {
  const deref = resolver(spec);
  const { codes, refreshStatuses } = errorCodes(spec, deref);
  const marked = (flag) => Object.keys(codes).filter((code) => codes[code][flag]);
  return {
    ...regions(spec),
    idLengths: idLengths(spec, deref),
    polarity: polarity(spec, deref),
    retryableCodes: marked("retryable"),
    refreshTokenCodes: marked("refreshToken"),
    refreshTokenStatuses: refreshStatuses,
    tokenLifetimeMs: tokenLifetimeMs(spec, deref),
    errorCodes: codes,
  };
}
