// House lint rules (docs/architecture.md): which src/ folder may import which, private `_files`,
// the config as written stays in src/config/, console output only through cli/output.ts, and unit
// tests that start no process. Run by `deno lint` via deno.json "plugins".

/**
 * Row may import column: the dependency table of the architecture, as data.
 *
 * `state/` (files the gateway keeps in its state dir: the stored token, the pairing store) sits
 * just above `config/`: its files write through `config/write.ts`'s atomic writer and report a
 * damaged file as a `ConfigError`, so it may import `config/` as well as `log/`. Besides the
 * domain folders the house plan names, `server/` (start-up reads the token), `rpc/` and
 * `channels/` (pairing), `client/` (finds the token it connects with) and `cli/` (`setup`,
 * `doctor`, `pairing`) read state files, so they may import it too.
 *
 * `async/` holds the timing primitives every layer needs (`delay`, `within`): a leaf with no
 * internal imports, like `log/`, so any layer may import it and none keeps its own copy.
 *
 * `text/` holds pure string formatting more than one layer needs (edit distance for "did you
 * mean", relative times): a leaf like `async/`, so `cli/` and `agent/` share one copy.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  cli: ["server", "client", "service", "state", "config", "log", "async", "text", "version.ts"],
  client: ["state", "config", "log", "async", "text", "version.ts"],
  service: ["config", "log", "async", "text", "version.ts"],
  server: [
    "protocol",
    "http",
    "rpc",
    "auth",
    "agent",
    "automation",
    "sessions",
    "channels",
    "media",
    "state",
    "config",
    "log",
    "async",
    "text",
    "version.ts",
  ],
  protocol: ["rpc", "auth", "config", "log", "async", "text", "version.ts"],
  http: [
    "rpc",
    "auth",
    "agent",
    "automation",
    "sessions",
    "media",
    "config",
    "log",
    "async",
    "text",
    "ui",
    "version.ts",
  ],
  rpc: [
    "auth",
    "agent",
    "automation",
    "sessions",
    "channels",
    "media",
    "state",
    "config",
    "log",
    "async",
    "text",
    "version.ts",
  ],
  automation: ["agent", "sessions", "media", "state", "config", "log", "async", "text", "version.ts"],
  channels: ["agent", "sessions", "media", "state", "config", "log", "async", "text", "version.ts"],
  agent: ["sessions", "media", "state", "config", "log", "async", "text", "version.ts"],
  media: ["config", "log", "async", "text"],
  sessions: ["state", "config", "log", "async", "text"],
  auth: ["state", "config", "log", "async", "text"],
  state: ["config", "log", "async", "text"],
  config: ["log", "async", "text"],
  log: [],
  async: [],
  text: [],
  ui: [],
  "version.ts": [],
};

/** The layer of a path inside src/ (`src/config/load.ts` → `config`), or undefined outside src/. */
export function layerOf(path: string): string | undefined {
  const match = /(?:^|\/)src\/([^/]+)/.exec(path);
  return match?.[1];
}

/** Resolves a relative import against the importing file's path. */
export function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const parts = from.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** Why an import breaks the house rules, or undefined when it is fine. */
export function importViolation(from: string, specifier: string): string | undefined {
  const target = resolveImport(from, specifier);
  if (!target) return undefined;
  const fromLayer = layerOf(from);
  const toLayer = layerOf(target);
  const fileName = target.split("/").at(-1) ?? "";
  if (fileName.startsWith("_")) {
    const sameFolder = target.split("/").slice(0, -1).join("/") === from.split("/").slice(0, -1).join("/");
    if (!sameFolder) return `${fileName} is private to its folder; import it only from a sibling file`;
  }
  if (!fromLayer || !toLayer || fromLayer === toLayer) return undefined;
  if (toLayer === "cli") return "nothing imports cli/: it is the edge of the program";
  const allowed = LAYERS[fromLayer];
  if (allowed && !allowed.includes(toLayer)) {
    return `src/${fromLayer} may not import src/${toLayer} (allowed: ${allowed.join(", ") || "nothing internal"})`;
  }
  return undefined;
}

/**
 * Test helpers that start a process (the program, a browser, ngircd, a docs snippet, the reference
 * OpenClaw's CLI, gateway or TUI): integration tier only.
 */
export const PROCESS_STARTERS: readonly string[] = [
  "spawnOpenclaw",
  "runOpenclaw",
  "startGateway",
  "startChatGateway",
  "startIrcServer",
  "launchBrowser",
  "runDocsCheck",
  "spawnPeer",
  "runPeer",
  "startReferenceGateway",
  "runTuiSession",
];

/** Whether a file is a unit-tier test: a `*_test.ts` under tests/ but outside tests/integration/. */
export function isUnitTest(path: string): boolean {
  return /(?:^|\/)tests\/(?!integration\/).*_test\.ts$/.test(path);
}

const IN_PROCESS = "a unit test runs in process; a test that starts a process belongs in tests/integration/";

/**
 * The files outside src/config/ that may read the config as written (import `RawConfig`, a `Raw*`
 * type or a zod `*Schema`, or read inside `snapshot.config`), each with its reason. Every other
 * decision reads the resolved config (config/resolve.ts), so defaults are applied once.
 */
export const RAW_CONFIG_READERS: Readonly<Record<string, string>> = {
  "src/rpc/methods/config.ts":
    "config.get/set/patch/schema serve the file as written (redacted) and publish its schema; its reload preview resolves",
  "src/cli/doctor_config_checks.ts":
    "doctor's checks of the file as written (gateway.mode missing, legacy gateway.token, model keys): each fix edits the file",
  "src/cli/commands/setup.ts":
    "setup edits the file as written: it adds gateway.mode and a token only where the file has none",
  "src/cli/commands/qr.ts":
    "qr decides its auth label on gateway.auth.mode as written (unset differs from token) and reads gateway.remote and plugins.entries.device-pair.config.publicUrl, as the reference's setup code does",
  "src/cli/commands/security_inputs.ts":
    "security audit checks the keys as written (the reference's checkIds name them: gateway.bind, hooks.token, channels.*.dmPolicy)",
};

function isRawConfigReader(from: string): boolean {
  return layerOf(from) === undefined || layerOf(from) === "config" ||
    Object.keys(RAW_CONFIG_READERS).some((path) => from.endsWith(path));
}

/** Why importing `names` from `specifier` lets the config as written leave src/config/, or undefined. */
export function rawConfigImportViolation(
  from: string,
  specifier: string,
  names: readonly string[],
): string | undefined {
  const target = resolveImport(from, specifier);
  if (!target || !/(?:^|\/)src\/config\/schema(?:_[a-z_]+)?\.ts$/.test(target) || isRawConfigReader(from)) {
    return undefined;
  }
  const raw = names.filter((name) => /^Raw/.test(name) || /Schema$/.test(name));
  if (raw.length === 0) return undefined;
  return `${
    raw.join(", ")
  }: the config as written stays in src/config/; read the resolved config (config/resolve.ts), or list this file with its reason in RAW_CONFIG_READERS`;
}

/** The names an import or re-export takes from its module. */
function importedNames(node: Deno.lint.ImportDeclaration | Deno.lint.ExportNamedDeclaration): string[] {
  return node.specifiers.map((specifier) => {
    const name = specifier.type === "ImportSpecifier"
      ? specifier.imported
      : specifier.type === "ExportSpecifier"
      ? specifier.local
      : undefined;
    return name?.type === "Identifier" ? name.name : name?.type === "Literal" ? String(name.value) : "*";
  });
}

/** The name `x.config` is read from: `snapshot` in `snapshot.config`, `raw` in `this.#raw.config`. */
function holderName(node: Deno.lint.Node): string {
  if (node.type === "Identifier") return node.name;
  if (node.type === "MemberExpression" && !node.computed) {
    const property = node.property;
    if (property.type === "Identifier" || property.type === "PrivateIdentifier") return property.name;
  }
  return "";
}

const plugin: Deno.lint.Plugin = {
  name: "house",
  rules: {
    "layer-imports": {
      create(context) {
        const check = (node: Deno.lint.Node, source: Deno.lint.Node | null | undefined) => {
          if (!source || source.type !== "Literal" || typeof source.value !== "string") return;
          const problem = importViolation(context.filename, source.value);
          if (problem) context.report({ node, message: problem });
        };
        return {
          ImportDeclaration(node) {
            check(node, node.source);
          },
          ImportExpression(node) {
            check(node, node.source);
          },
          ExportNamedDeclaration(node) {
            check(node, node.source);
          },
          ExportAllDeclaration(node) {
            check(node, node.source);
          },
        };
      },
    },
    "unit-tests-in-process": {
      create(context) {
        if (!isUnitTest(context.filename)) return {};
        return {
          ImportSpecifier(node) {
            const name = node.imported.type === "Identifier" ? node.imported.name : node.imported.value;
            if (PROCESS_STARTERS.includes(name)) context.report({ node, message: `${name}: ${IN_PROCESS}` });
          },
          MemberExpression(node) {
            const { object, property } = node;
            if (object.type === "Identifier" && object.name === "Deno" && property.type === "Identifier") {
              if (property.name === "Command") context.report({ node, message: `Deno.Command: ${IN_PROCESS}` });
            }
          },
        };
      },
    },
    "raw-config-stays-in-config": {
      create(context) {
        const checkImport = (node: Deno.lint.ImportDeclaration | Deno.lint.ExportNamedDeclaration) => {
          const source = node.source;
          if (!source || typeof source.value !== "string") return;
          const problem = rawConfigImportViolation(context.filename, source.value, importedNames(node));
          if (problem) context.report({ node, message: problem });
        };
        return {
          ImportDeclaration: checkImport,
          ExportNamedDeclaration: checkImport,
          // `snapshot.config.<key>`: a decision read from the file as written.
          MemberExpression(node) {
            const inner = node.object;
            if (
              inner.type !== "MemberExpression" || inner.computed || inner.property.type !== "Identifier" ||
              inner.property.name !== "config" || !/^(?:raw|\w*snapshot)$/i.test(holderName(inner.object)) ||
              isRawConfigReader(context.filename)
            ) return;
            context.report({
              node,
              message:
                "reads the config as written; read the resolved config (config/resolve.ts), or list this file with its reason in RAW_CONFIG_READERS",
            });
          },
        };
      },
    },
    "console-only-in-output": {
      create(context) {
        const allowed = !/(?:^|\/)src\//.test(context.filename) || context.filename.endsWith("src/cli/output.ts");
        return {
          MemberExpression(node) {
            if (allowed) return;
            if (node.object.type === "Identifier" && node.object.name === "console") {
              context.report({ node, message: "print through src/cli/output.ts or log through src/log/logger.ts" });
            }
          },
        };
      },
    },
  },
};

export default plugin;
