import { startMockServer } from "@meeting-control/mock";
import type { TestProject } from "vitest/node";

// One mock for the contract and property tests (Prism is stateless: they cannot disturb each
// other), started on a free port before the test files run and stopped after, even on failure.
// The simulator tests start their own.
export default async function setup(project: TestProject) {
  const mock = await startMockServer({ port: 0 });
  project.provide("mockUrl", mock.url);
  return () => mock.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    mockUrl: string;
  }
}
