export default { name: "house", rules: {} } satisfies Deno.lint.Plugin;
