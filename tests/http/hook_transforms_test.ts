import assert from "node:assert/strict";
import { join } from "node:path";
import { transformLoader } from "../../src/http/hook_transforms.ts";

const ctx = { payload: { v: 2 }, headers: {}, url: new URL("http://h/hooks/t"), path: "t" };

Deno.test("hook transforms: default, then transform, or the named export; a module without one is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "a.mjs"), "export default ({ payload }) => ({ text: 'a' + payload.v });");
    await Deno.writeTextFile(
      join(dir, "b.mjs"),
      "export function transform() { return null; }\nexport const named = () => 'n';",
    );
    await Deno.writeTextFile(join(dir, "c.mjs"), "export const value = 1;");
    const load = transformLoader(1);
    assert.deepEqual(await (await load({ modulePath: join(dir, "a.mjs") }))(ctx), { text: "a2" });
    assert.equal(await (await load({ modulePath: join(dir, "b.mjs") }))(ctx), null);
    assert.equal(await (await load({ modulePath: join(dir, "b.mjs"), exportName: "named" }))(ctx), "n");
    await assert.rejects(load({ modulePath: join(dir, "c.mjs") }), /hook transform module must export a function/);
    await assert.rejects(load({ modulePath: join(dir, "b.mjs"), exportName: "missing" }), /must export a function/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook transforms: loaded once per config generation; a new generation reads the edited file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "t.mjs");
    await Deno.writeTextFile(file, "export default () => 'one';");
    const first = transformLoader(101);
    assert.equal(await (await first({ modulePath: file }))(ctx), "one");
    await Deno.writeTextFile(file, "export default () => 'two';");
    assert.equal(await (await first({ modulePath: file }))(ctx), "one", "cached until the hooks config changes");
    assert.equal(await (await transformLoader(102)({ modulePath: file }))(ctx), "two");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hook transforms: where file modules cannot be imported (the compiled binary), the module loads from its text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "t.mjs");
    await Deno.writeTextFile(file, "export default () => 'from text ✓';");
    const seen: string[] = [];
    const load = transformLoader(1, (url) => {
      seen.push(url.slice(0, 5));
      return url.startsWith("file:") ? Promise.reject(new Error("Module not found")) : import(url);
    });
    assert.equal(await (await load({ modulePath: file }))(ctx), "from text ✓");
    assert.deepEqual(seen, ["file:", "data:"]);
    await assert.rejects(load({ modulePath: join(dir, "absent.mjs") }), /Module not found/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
