// Proxy mode's admin routes, beside the simulator's under ADMIN_PREFIX: the report.
import type { Route } from "../sim/admin.js";
import type { Report } from "./report.js";

export const PROXY_ROUTES: Route<Report>[] = [
  { method: "GET", path: /^\/violations$/, run: (report) => [200, report.report()] },
  {
    method: "DELETE",
    path: /^\/violations$/,
    run: (report) => {
      report.reset();
      return [200, report.report()];
    },
  },
];
