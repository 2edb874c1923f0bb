import assert from "node:assert/strict";
import {
  localPathOf,
  type OutboundMediaRules,
  resolveOutboundMedia,
  saveOutboundBuffer,
} from "../../src/agent/outbound_media.ts";
import { resolveWebFetch } from "../../src/config/resolve_web_fetch.ts";
import { MediaRefusedError } from "../../src/media/media_types.ts";
import { FileMediaStore } from "../../src/media/file_store.ts";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

async function setup(): Promise<{ dir: string; rules: OutboundMediaRules; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "outbound-media-" });
  await Deno.mkdir(`${dir}/workspace/out`, { recursive: true });
  await Deno.mkdir(`${dir}/media/inbound`, { recursive: true });
  await Deno.mkdir(`${dir}/elsewhere`, { recursive: true });
  const rules: OutboundMediaRules = {
    workspace: `${dir}/workspace`,
    roots: [`${dir}/media`],
    store: new FileMediaStore({ root: `${dir}/media`, maxBytes: () => 5 * 1024 * 1024, ttlMs: () => undefined }),
    ssrfPolicy: resolveWebFetch({}).ssrfPolicy,
    home: `${dir}/home`,
  };
  return { dir, rules, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => undefined, (e) => e);
  assert.ok(error instanceof MediaRefusedError, `expected a MediaRefusedError, got ${error}`);
  return error.message;
}

Deno.test("resolveOutboundMedia() sends a workspace file, by absolute or workspace-relative path", async () => {
  await using env = await setup();
  await Deno.writeFile(`${env.dir}/workspace/out/chart.png`, PNG);
  const absolute = await resolveOutboundMedia(`${env.dir}/workspace/out/chart.png`, env.rules);
  assert.equal(absolute.kind, "image");
  assert.equal(absolute.mimeType, "image/png");
  const relative = await resolveOutboundMedia("./out/chart.png", env.rules);
  // Sent from a copy in the store's outbound side, under the file's own name.
  assert.ok(relative.path.startsWith(`${env.dir}/media/outbound/`), relative.path);
  assert.equal(relative.fileName, "chart.png");
  assert.deepEqual(await Deno.readFile(relative.path), PNG);
  assert.equal((await resolveOutboundMedia(`file://${env.dir}/workspace/out/chart.png`, env.rules)).size, PNG.length);
});

Deno.test("resolveOutboundMedia() sends a file the media store kept", async () => {
  await using env = await setup();
  await Deno.writeFile(`${env.dir}/media/inbound/photo.png`, PNG);
  assert.equal((await resolveOutboundMedia(`${env.dir}/media/inbound/photo.png`, env.rules)).kind, "image");
});

Deno.test("resolveOutboundMedia() refuses a path outside the workspace and the media store", async () => {
  await using env = await setup();
  await Deno.writeFile(`${env.dir}/elsewhere/secret.png`, PNG);
  assert.equal(
    await refusal(resolveOutboundMedia(`${env.dir}/elsewhere/secret.png`, env.rules)),
    `Local media path is not under an allowed directory: ${env.dir}/elsewhere/secret.png`,
  );
  assert.match(
    await refusal(resolveOutboundMedia("../elsewhere/secret.png", env.rules)),
    /not under an allowed directory/,
  );
  assert.match(await refusal(resolveOutboundMedia("~/x.png", env.rules)), /not found/);
});

Deno.test("resolveOutboundMedia() follows a symlink before deciding: a link out of the workspace is refused", async () => {
  await using env = await setup();
  await Deno.writeFile(`${env.dir}/elsewhere/secret.png`, PNG);
  await Deno.symlink(`${env.dir}/elsewhere/secret.png`, `${env.dir}/workspace/innocent.png`);
  await Deno.symlink(`${env.dir}/elsewhere`, `${env.dir}/workspace/dir`);
  assert.match(await refusal(resolveOutboundMedia("innocent.png", env.rules)), /not under an allowed directory/);
  assert.match(await refusal(resolveOutboundMedia("dir/secret.png", env.rules)), /not under an allowed directory/);
});

Deno.test("resolveOutboundMedia() refuses types the reference does not send from the host, and missing files", async () => {
  await using env = await setup();
  await Deno.writeFile(`${env.dir}/workspace/tool`, new Uint8Array([127, 69, 76, 70, 2, 1]));
  assert.match(
    await refusal(resolveOutboundMedia("tool", env.rules)),
    /only allow buffer-verified images/,
  );
  await Deno.writeTextFile(`${env.dir}/workspace/notes.txt`, "plain words\n");
  assert.equal((await resolveOutboundMedia("notes.txt", env.rules)).mimeType, "text/plain");
  await Deno.writeFile(`${env.dir}/workspace/fake.txt`, new Uint8Array([0, 1, 2, 3, 0, 0]));
  assert.match(await refusal(resolveOutboundMedia("fake.txt", env.rules)), /only allow/);
  assert.equal(
    await refusal(resolveOutboundMedia("missing.png", env.rules)),
    `Local media file not found: ${env.dir}/workspace/missing.png`,
  );
  assert.match(await refusal(resolveOutboundMedia("ftp://example.com/a.png", env.rules)), /Unsupported media/);
});

Deno.test("resolveOutboundMedia() fetches a URL through the SSRF guard: loopback refused unless the policy allows it", async () => {
  await using env = await setup();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(PNG, { headers: { "content-type": "image/png" } }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/pics/cat.png`;
  assert.match(await refusal(resolveOutboundMedia(url, env.rules)), /Blocked hostname or private/);
  const allowed = { ...env.rules, ssrfPolicy: { ...env.rules.ssrfPolicy, allowedHostnames: ["127.0.0.1"] } };
  const media = await resolveOutboundMedia(url, allowed);
  assert.equal(media.kind, "image");
  assert.equal(media.fileName, "cat.png");
  assert.ok(media.path.startsWith(`${env.dir}/media/outbound/`));
  assert.match(await refusal(resolveOutboundMedia(url, { ...allowed, maxBytes: 4 })), /exceeds/);
});

Deno.test("resolveOutboundMedia() fetches a URL whose name is not valid percent-encoding, under its name as written", async () => {
  await using env = await setup();
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(PNG, { headers: { "content-type": "image/png" } }),
  );
  const allowed = { ...env.rules, ssrfPolicy: { ...env.rules.ssrfPolicy, allowedHostnames: ["127.0.0.1"] } };
  const media = await resolveOutboundMedia(`http://127.0.0.1:${server.addr.port}/a%E0%A4%A.png`, allowed);
  assert.equal(media.kind, "image");
  assert.equal(media.fileName, "a%E0%A4%A.png");
});

Deno.test("resolveOutboundMedia() refuses a remote file whose body is cut off, as a failed fetch", async () => {
  await using env = await setup();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    const head = "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 1000\r\n\r\n";
    await conn.write(new Uint8Array([...new TextEncoder().encode(head), ...PNG]));
    conn.close();
  })();
  try {
    const allowed = { ...env.rules, ssrfPolicy: { ...env.rules.ssrfPolicy, allowedHostnames: ["127.0.0.1"] } };
    const url = `http://127.0.0.1:${listener.addr.port}/cut.png`;
    assert.match(
      await refusal(resolveOutboundMedia(url, allowed)),
      /^Failed to fetch media from http:\/\/127\.0\.0\.1/,
    );
  } finally {
    await serving;
    listener.close();
  }
});

Deno.test("saveOutboundBuffer() keeps base64 and data: URL bytes in the outbound store", async () => {
  await using env = await setup();
  const base64 = btoa(String.fromCharCode(...PNG));
  assert.equal((await saveOutboundBuffer(base64, { fileName: "a.png" }, env.rules)).kind, "image");
  assert.equal((await saveOutboundBuffer(`data:image/png;base64,${base64}`, {}, env.rules)).mimeType, "image/png");
  assert.match(await refusal(saveOutboundBuffer("%%%", {}, env.rules)), /base64/);
});

Deno.test("localPathOf() reads file URLs, home paths and workspace-relative paths", () => {
  const rules = { workspace: "/w/", home: "/home/u" };
  assert.equal(localPathOf("file:///a/b%20c.png", rules), "/a/b c.png");
  assert.equal(localPathOf("~/x.png", rules), "/home/u/x.png");
  assert.equal(localPathOf("./out/x.png", rules), "/w/out/x.png");
});
