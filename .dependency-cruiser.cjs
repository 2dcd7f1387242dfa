/**
 * The layers, as rules that fail `npm test` (see docs/architecture.md).
 *
 * The pure core (rules, engine, and the bundle parser: all of src/bundle but load.ts, which reads a
 * bundle from disk) judges facts it is given: it touches no file system, process, network, queue,
 * cache or GitHub client, directly or through anything it imports. Only src/github (and the gatherers,
 * wherever they live) build or import a GitHub client, so the CLI and the app reach GitHub through one
 * gateway. Tests and scripts are outside these rules: they may read files and run processes.
 */

/** Modules of the pure core; test files beside them are not part of it. */
const CORE = "^src/(rules|engine|bundle)/";
const NOT_CORE = ["^src/bundle/load\\.ts$", "\\.test\\.ts$"];

/** Node's modules that reach outside the process: files, processes, sockets, threads. */
const IO_CORE_MODULES =
  "^(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|dns/promises|tls|worker_threads|cluster|readline|inspector|async_hooks)$";

/** Packages that talk to GitHub, a queue or a cache, or run the web server. */
const IO_PACKAGES = "(^|/)node_modules/(@octokit/[^/]+|probot|bullmq|ioredis|smee-client)/";

/** The layers above the core: gathering (local git included), publishing, state, scheduling, metrics, entry points. */
const EDGE_MODULES =
  "^src/(github|gather|app|publish|queue|state|sweep|cli|metrics)/|^src/(index|main)\\.ts$|^src/bundle/load\\.ts$";

/** Where a GitHub client may be imported: the gateway and the gatherers. */
const GATEWAY = "^src/(github|gather)/";

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle ties layers together: move the shared part down (into src/util).",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "core-imports-no-io",
      severity: "error",
      comment:
        "Rules, the engine and the bundle parser are pure: no file system, process or network. Take the data as an argument and read it at the edge.",
      from: { path: CORE, pathNot: NOT_CORE },
      to: { dependencyTypes: ["core"], path: IO_CORE_MODULES },
    },
    {
      name: "core-imports-no-edge",
      severity: "error",
      comment:
        "Rules, the engine and the bundle parser depend on nothing above them: no GitHub client, queue, cache, app, publisher, CLI or local git reader.",
      from: { path: CORE, pathNot: NOT_CORE },
      to: { path: [IO_PACKAGES, EDGE_MODULES] },
    },
    {
      name: "core-reaches-no-io",
      severity: "error",
      comment:
        "Nothing the core imports may itself do I/O (a helper in src/facts or src/util that runs git would make the core impure).",
      from: { path: CORE, pathNot: NOT_CORE },
      to: { reachable: true, path: [IO_CORE_MODULES, IO_PACKAGES, EDGE_MODULES] },
    },
    {
      name: "one-github-gateway",
      severity: "error",
      comment:
        "Only src/github (and the gatherers) import Octokit: the CLI and the app reach GitHub through that one gateway, so rate limits, retries and request counting hold for every request.",
      from: { path: "^src/", pathNot: GATEWAY },
      to: { path: "(^|/)node_modules/@octokit/" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import the checker cannot resolve would slip past every rule above.",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".js"],
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
