// §1 Per-call CPU cost: the same InviteOperateVideo PUT sent four ways to an in-process stub
// `fetch` that answers at once, so only the client code is measured (no I/O).
import { createMeetingControlClient } from "@meeting-control/client";
import axios from "axios";
import createClient from "openapi-fetch";
import { log, scaled, sideBySide, summarize } from "./stats.mjs";

const BASE = "https://api.meeting.huaweicloud.com";
const PATH = "/v1/mmc/control/conferences/participants/video";
const conferenceID = "986947855";
const participantID = "4a5rg64ag5p8pvvnam1rr6m8lqra6a61";
const TOKEN = "stbaf8fa2ea8-example-token";

/** Calls per tinybench sample: the sample is their mean, so timer and loop overhead are amortised
 * and the garbage each call makes is paid for inside the measurement. */
const BATCH = 32;

/** @param {Request} _request */
const stub = async (_request) => new Response(null, { status: 200 });

/** @param {(request: Request) => Promise<Response>} fetch */
function variants(fetch) {
  const byHand = async () =>
    fetch(
      new Request(
        `${BASE}${PATH}?conferenceID=${encodeURIComponent(conferenceID)}&participantID=${encodeURIComponent(participantID)}`,
        {
          method: "PUT",
          headers: { "Content-Type": "application/json", "X-Conference-Authorization": TOKEN },
          body: JSON.stringify({ status: 0 }),
        },
      ),
    );

  // createClient<paths>, as a TypeScript caller would write it.
  const bare =
    /** @type {import("openapi-fetch").Client<import("@meeting-control/client").paths>} */ (
      createClient({ baseUrl: BASE, fetch })
    );
  const openapiFetch = () =>
    bare.PUT(PATH, {
      params: { query: { conferenceID, participantID } },
      headers: { "X-Conference-Authorization": TOKEN },
      body: { status: 0 },
      parseAs: "text",
    });

  const client = createMeetingControlClient({ token: TOKEN, fetch, maxRetries: 0 });
  const ours = () => client.inviteCamera({ conferenceID, participantID, action: "enable" });
  return { byHand, openapiFetch, ours };
}

/** @param {import("axios").AxiosAdapter} adapter */
function axiosVariant(adapter) {
  const instance = axios.create({ baseURL: BASE, adapter });
  return () =>
    instance.put(
      PATH,
      { status: 0 },
      {
        params: { conferenceID, participantID },
        headers: { "X-Conference-Authorization": TOKEN },
      },
    );
}

/** @type {import("axios").AxiosAdapter} */
const stubAdapter = async (config) => ({
  status: 200,
  statusText: "OK",
  data: "",
  headers: {},
  config,
  request: {},
});

/**
 * What each variant actually sends, captured once, so the comparison is of equal work.
 * @returns {Promise<Record<string, { method: string, url: string, body: string, contentType: string | null, authorization: string | null }>>}
 */
async function capture() {
  /** @type {any} */
  let seen;
  /** @param {Request} request */
  const recording = async (request) => {
    seen = {
      method: request.method,
      url: request.url,
      body: await request.text(),
      contentType: request.headers.get("content-type"),
      authorization: request.headers.get("x-conference-authorization"),
    };
    return new Response(null, { status: 200 });
  };
  const v = variants(recording);
  const out = /** @type {Record<string, any>} */ ({});
  for (const [name, call] of Object.entries(v)) {
    await call();
    out[name] = seen;
  }
  const instance = axios.create({ baseURL: BASE });
  await axiosVariant(async (config) => {
    const headers = /** @type {import("axios").AxiosHeaders} */ (config.headers);
    seen = {
      method: String(config.method).toUpperCase(),
      url: instance.getUri(config),
      body: String(config.data),
      contentType: headers.get("content-type")?.toString() ?? null,
      authorization: headers.get("x-conference-authorization")?.toString() ?? null,
    };
    return stubAdapter(config);
  })();
  out.axios = seen;
  return out;
}

export async function perCall() {
  const requests = await capture();
  const reference = JSON.stringify(requests.byHand);
  const sameRequest = Object.fromEntries(
    Object.entries(requests).map(([name, r]) => [name, JSON.stringify(r) === reference]),
  );
  for (const [name, same] of Object.entries(sameRequest)) {
    if (!same) log(`§1 warning: ${name} sends ${JSON.stringify(requests[name])}, not ${reference}`);
  }

  const { byHand, openapiFetch, ours } = variants(stub);
  const viaAxios = axiosVariant(stubAdapter);
  /** @param {() => Promise<unknown>} call */
  const batched = (call) => async () => {
    const start = performance.now();
    for (let i = 0; i < BATCH; i++) await call();
    const ms = performance.now() - start;
    return { overriddenDuration: ms / BATCH, overriddenIterationCost: ms };
  };
  const tasks = [
    { name: "byHand", fn: batched(byHand) },
    { name: "openapiFetch", fn: batched(openapiFetch) },
    { name: "ours", fn: batched(ours) },
    { name: "axios", fn: batched(viaAxios) },
  ];
  const rounds = 3;
  const samples = await sideBySide(tasks, {
    rounds,
    label: "§1 per-call",
    options: { time: 700, iterations: 64, warmupTime: 250, warmupIterations: 16 },
  });
  /** @param {string} name ns per call */
  const ns = (name) => scaled(summarize(samples.get(name) ?? []), 1e6, 0);
  return {
    method: `tinybench, ${rounds} rounds in rotating order, 700 ms per task per round after a 250 ms warm-up; each sample is the mean of ${BATCH} sequential awaited calls; figures in ns per call`,
    batch: BATCH,
    requests,
    sameRequest,
    nsPerCall: {
      byHand: ns("byHand"),
      openapiFetch: ns("openapiFetch"),
      ours: ns("ours"),
      axios: ns("axios"),
    },
  };
}
