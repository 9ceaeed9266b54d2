import { describe, expectTypeOf, it } from "vitest";
import {
  ApiError,
  ClientRequestError,
  type ConfToken,
  type ControlResult,
  type components,
  createMeetingControlClient,
  InvalidInputError,
  MeetingControlError,
  type paths,
  RedirectError,
  ServerResponseError,
} from "../src/index.js";
import type { ControlBody, Put } from "../src/operations.js";

const client = createMeetingControlClient({ token: "stbaf8fa2ea8" });
const ids = { conferenceID: "986947855", participantID: "4a5rg64ag5p8pvvnam1rr6m8lqra6a61" };

describe("the public types", () => {
  it("accept the documented calls and results", () => {
    expectTypeOf(client.inviteCamera({ ...ids, action: "enable" })).toEqualTypeOf<
      Promise<ControlResult>
    >();
    expectTypeOf(client.inviteScreenShare({ ...ids, action: "cancel" })).toEqualTypeOf<
      Promise<ControlResult>
    >();
    expectTypeOf(client.createConfToken({ conferenceID: "986947855" })).toEqualTypeOf<
      Promise<ConfToken>
    >();
    expectTypeOf<ConfToken["expiresAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<ConfToken["token"]>().toEqualTypeOf<string>();
    expectTypeOf<ConfToken["gloablPublicIP"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ControlResult["requestId"]>().toEqualTypeOf<string | undefined>();
  });

  it("reject a wrong action, a missing ID, and a missing credential", () => {
    // @ts-expect-error "on" is not a camera action
    client.inviteCamera({ ...ids, action: "on" });
    // @ts-expect-error share actions are not camera actions
    client.inviteCamera({ ...ids, action: "invite" });
    // @ts-expect-error camera actions are not share actions
    client.inviteScreenShare({ ...ids, action: "enable" });
    // @ts-expect-error the wire value is not the action
    client.inviteScreenShare({ ...ids, action: 1 });
    // @ts-expect-error participantID is required
    client.inviteCamera({ conferenceID: "986947855", action: "enable" });
    // @ts-expect-error conferenceID is required
    client.createConfToken({});
    // @ts-expect-error a token or a host password is required
    createMeetingControlClient({ baseUrl: "https://api.meeting.huaweicloud.com" });
    // @ts-expect-error only the two regions exist
    createMeetingControlClient({ token: "t", region: "eu-west-0" });
  });

  it("narrow errors by class", () => {
    const error: unknown = undefined;
    if (error instanceof ClientRequestError) {
      expectTypeOf(error.status).toEqualTypeOf<number>();
      expectTypeOf(error.code).toEqualTypeOf<string | undefined>();
      expectTypeOf(error.operation).toEqualTypeOf<
        "InviteOperateVideo" | "InviteShare" | "CreateConfToken"
      >();
      expectTypeOf(error).toMatchTypeOf<ApiError>();
    }
    if (error instanceof InvalidInputError) {
      expectTypeOf(error.field).toEqualTypeOf<string>();
    }
    if (error instanceof MeetingControlError) {
      expectTypeOf(error.requestId).toEqualTypeOf<string | undefined>();
      // @ts-expect-error status exists only on API errors
      error.status;
    }
  });

  it("type client.raw by the spec's paths", () => {
    expectTypeOf(client.raw.PUT)
      .parameter(0)
      .toEqualTypeOf<
        | "/v1/mmc/control/conferences/participants/video"
        | "/v1/mmc/control/conferences/participants/share/invite"
      >();
    client.raw.PUT("/v1/mmc/control/conferences/participants/video", {
      params: { query: ids },
      body: { status: 1 },
    });
    client.raw.PUT("/v1/mmc/control/conferences/participants/video", {
      params: { query: ids },
      // @ts-expect-error status is 0 or 1
      body: { status: 2 },
    });
    expectTypeOf<keyof paths>().toEqualTypeOf<
      | "/v1/mmc/control/conferences/participants/video"
      | "/v1/mmc/control/conferences/participants/share/invite"
      | "/v1/mmc/control/conferences/token"
    >();
  });
});

describe("the operations' bodies", () => {
  const VIDEO = "/v1/mmc/control/conferences/participants/video";
  const SHARE = "/v1/mmc/control/conferences/participants/share/invite";

  it("are the spec's bodies of each operation's path", () => {
    expectTypeOf<ControlBody<typeof VIDEO>>().toEqualTypeOf<
      components["schemas"]["RestVideoBody"]
    >();
    expectTypeOf<ControlBody<typeof SHARE>>().toEqualTypeOf<
      components["schemas"]["InviteShareDTO"]
    >();
  });

  it("cannot be swapped: { status } goes only to the camera path, { share } only to the share path", () => {
    // The type of the function both operations send through (operations.ts).
    const put = (() => Promise.resolve({ requestId: undefined })) as Put;
    put("InviteOperateVideo", VIDEO, { status: 0 }, ids);
    put("InviteShare", SHARE, { share: 1 }, ids);
    // @ts-expect-error the camera path takes { status }, not { share }
    put("InviteOperateVideo", VIDEO, { share: 1 }, ids);
    // @ts-expect-error the share path takes { share }, not { status }
    put("InviteShare", SHARE, { status: 0 }, ids);
    // @ts-expect-error the wire value is 0 or 1
    put("InviteShare", SHARE, { share: 2 }, ids);
  });
});

describe("the error constructors", () => {
  const headers = { "x-request-id": "f78b007ec2dabf1498620131c7bc19e0" };

  it("need what each class declares", () => {
    expectTypeOf(
      new ApiError("x", { operation: "InviteShare", status: 403, headers }).headers,
    ).toEqualTypeOf<Readonly<Record<string, string>>>();
    new RedirectError("x", { operation: "InviteShare", status: 302 });
    new InvalidInputError("x", { field: "action" });
    // @ts-expect-error an API error has a status, an operation and headers
    new ApiError("x");
    // @ts-expect-error the status is required
    new ClientRequestError("x", { operation: "InviteShare", headers });
    // @ts-expect-error the headers are required
    new ServerResponseError("x", { operation: "InviteShare", status: 500 });
    // @ts-expect-error the operation is one of the three
    new ApiError("x", { operation: "Other", status: 500, headers });
    // @ts-expect-error a redirect has a status
    new RedirectError("x", { operation: "InviteShare" });
    // @ts-expect-error an input error names its field
    new InvalidInputError("x");
  });
});
