/**
 * The environment for an `npm` a test starts as a user would (installing a tarball, fetching a
 * Node): this process's environment, so proxies and CA settings (NODE_EXTRA_CA_CERTS,
 * HTTPS_PROXY, ...) still apply, minus what `pnpm run` adds for its own script. Those variables
 * point npm at the workspace (npm_config_local_prefix, npm_package_*), at pnpm's config file
 * (npm_config_globalconfig) or at settings npm does not know; npm's own registry, cache, TLS and
 * proxy settings stay.
 */
const KEEP =
  /^npm_config_(cache|userconfig|cafile|ca|cert|key|strict_ssl|registry|@[^:]+:registry|.*proxy|local_address|fetch_.*|prefer_offline|offline)$/i;

export function npmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(
      Object.entries(env).filter(([key]) => !/^p?npm_/i.test(key) || KEEP.test(key)),
    ),
    npm_config_yes: "true",
    npm_config_update_notifier: "false",
    npm_config_fund: "false",
    npm_config_audit: "false",
  };
}
