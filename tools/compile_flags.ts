// The flags `deno task compile` bakes into the binary, read from deno.json so the bundle's training
// run, the tests and the benches cannot drift from them.

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** The permission, V8 and runtime flags of `deno task compile`, read from deno.json. */
export function compileRunFlags(): string[] {
  const denoJson = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  const compile: string = denoJson.tasks.compile;
  return compile.split(/\s+/).filter((part) =>
    part.startsWith("--allow-") || part === "-A" || part.startsWith("--v8-flags=") || part.startsWith("--unstable-")
  );
}
