import assert from "node:assert/strict";
import { join } from "node:path";
import { FileMediaStore, formatMediaSize, OUTBOUND_TTL_MS } from "../../src/media/file_store.ts";
import { MediaRefusedError } from "../../src/media/media_types.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode("%PDF-1.7\n%%EOF\n");
const OGG = new Uint8Array([...new TextEncoder().encode("OggS"), 0, 2, ...new Array(30).fill(0)]);

async function withStore(
  run: (store: FileMediaStore, root: string) => Promise<void>,
  options: { maxBytes?: number; ttlMs?: number } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "media-store-" });
  try {
    const root = join(dir, "media");
    await run(
      new FileMediaStore({ root, maxBytes: () => options.maxBytes ?? 1024, ttlMs: () => options.ttlMs }),
      root,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("save: keeps the bytes under media/inbound, private (0600 in 0700), typed from the bytes", () =>
  withStore(async (store, root) => {
    const saved = await store.save(PNG, { direction: "inbound", mimeType: "application/octet-stream" });
    assert.equal(saved.kind, "image");
    assert.equal(saved.mimeType, "image/png");
    assert.equal(saved.size, PNG.byteLength);
    assert.match(saved.path, new RegExp(`^${root}/inbound/[0-9a-f-]{36}\\.png$`));
    assert.deepEqual(await Deno.readFile(saved.path), PNG);
    assert.equal((await Deno.stat(saved.path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(join(root, "inbound"))).mode! & 0o777, 0o700);
    // No temporary file is left beside it.
    assert.deepEqual((await Array.fromAsync(Deno.readDir(join(root, "inbound")))).length, 1);
  }));

Deno.test("save: the bytes win over the sender's claim; the claim counts only when the bytes say nothing", () =>
  withStore(async (store) => {
    const pdf = await store.save(PDF, { direction: "inbound", mimeType: "image/jpeg", fileName: "cat.jpg" });
    assert.equal(pdf.kind, "document");
    assert.equal(pdf.mimeType, "application/pdf");
    assert.match(pdf.path, /\/cat---[0-9a-f-]{36}\.pdf$/);
    const voice = await store.save(OGG, { direction: "inbound", mimeType: "audio/ogg", voice: true });
    assert.equal(voice.kind, "audio");
    assert.equal(voice.voice, true);
    const text = await store.save(new TextEncoder().encode("hello"), { direction: "outbound", fileName: "notes.md" });
    assert.equal(text.mimeType, "text/markdown");
    assert.equal(text.kind, "document");
    assert.match(text.path, /\/outbound\/notes---[0-9a-f-]{36}\.md$/);
  }));

Deno.test("save: a sender's name cannot escape the directory or carry unsafe characters", () =>
  withStore(async (store, root) => {
    for (const fileName of ["../../etc/passwd", "..", "/abs/x.png", "a\0b.png", "ü ber<>|?.png", "....png"]) {
      const saved = await store.save(PNG, { direction: "inbound", fileName });
      assert.equal(saved.path.startsWith(`${root}/inbound/`), true, fileName);
      const name = saved.path.slice(`${root}/inbound/`.length);
      assert.doesNotMatch(name, /[/\\\0<>|?]/, fileName);
      assert.equal(name.startsWith("."), false, fileName);
      assert.equal(saved.fileName, fileName);
    }
    const named = await store.save(PNG, { direction: "inbound", fileName: "ü ber<>|?.png" });
    assert.match(named.path, /\/ü_ber---[0-9a-f-]{36}\.png$/);
  }));

Deno.test("save: a file over the limit is refused naming the limit, the default or the caller's", () =>
  withStore(async (store, root) => {
    await assert.rejects(
      () => store.save(new Uint8Array(1025).fill(1), { direction: "inbound" }),
      (error) => error instanceof MediaRefusedError && error.message === "Media exceeds 1KB limit",
    );
    await assert.rejects(
      () => store.save(PNG, { direction: "inbound", maxBytes: 8 }),
      (error) => error instanceof MediaRefusedError && error.message === "Media exceeds 8B limit",
    );
    await assert.rejects(() => store.save(new Uint8Array(), { direction: "inbound" }), MediaRefusedError);
    // Nothing was written.
    await assert.rejects(() => Deno.stat(join(root, "inbound")), Deno.errors.NotFound);
    assert.equal(formatMediaSize(20 * 1024 * 1024), "20MB");
    assert.equal(formatMediaSize(1.5 * 1024 * 1024), "1.50MB");
  }, { maxBytes: 1024 }));

Deno.test("read: a kept file comes back with its checked type and the sender's name; links and dirs are refused", () =>
  withStore(async (store, root) => {
    const saved = await store.save(PNG, { direction: "outbound", fileName: "chart.png" });
    const back = await store.read(saved.path);
    assert.deepEqual(back.bytes, PNG);
    assert.equal(back.media.mimeType, "image/png");
    assert.equal(back.media.fileName, "chart.png");
    await assert.rejects(() => store.read(saved.path, 4), /Media exceeds 4B limit/);
    await assert.rejects(() => store.read("relative.png"), MediaRefusedError);
    await assert.rejects(() => store.read(join(root, "missing.png")), MediaRefusedError);
    await assert.rejects(() => store.read(join(root, "outbound")), MediaRefusedError);
    const link = join(root, "link.png");
    await Deno.symlink(saved.path, link);
    await assert.rejects(() => store.read(link), /symlink/);
    assert.equal(store.contains(saved.path), true);
    assert.equal(store.contains(join(root, "..", "x")), false);
  }));

async function aged(path: string, ageMs: number, now: number): Promise<void> {
  await Deno.utime(path, (now - ageMs) / 1000, (now - ageMs) / 1000);
}

Deno.test("prune: without attachments.ttlHours only staged outbound files older than a day go", () =>
  withStore(async (store) => {
    const now = Date.now();
    const oldIn = await store.save(PNG, { direction: "inbound" });
    const oldOut = await store.save(PNG, { direction: "outbound" });
    const newOut = await store.save(PNG, { direction: "outbound" });
    await aged(oldIn.path, 10 * OUTBOUND_TTL_MS, now);
    await aged(oldOut.path, OUTBOUND_TTL_MS + 60_000, now);
    assert.equal(await store.prune(now), 1);
    await Deno.stat(oldIn.path);
    await Deno.stat(newOut.path);
    await assert.rejects(() => Deno.stat(oldOut.path), Deno.errors.NotFound);
  }));

Deno.test("prune: with a retention every kept file older than it goes, empty subdirectories too", () =>
  withStore(async (store, root) => {
    const now = Date.now();
    const hour = 3_600_000;
    const oldIn = await store.save(PNG, { direction: "inbound" });
    const freshIn = await store.save(PNG, { direction: "inbound" });
    await Deno.mkdir(join(root, "inbound", "nested"), { recursive: true });
    await Deno.writeFile(join(root, "inbound", "nested", "x.bin"), PNG);
    await aged(join(root, "inbound", "nested", "x.bin"), 3 * hour, now);
    await aged(oldIn.path, 3 * hour, now);
    await aged(freshIn.path, hour, now);
    assert.equal(await store.prune(now), 2);
    await Deno.stat(freshIn.path);
    await assert.rejects(() => Deno.stat(oldIn.path), Deno.errors.NotFound);
    await assert.rejects(() => Deno.stat(join(root, "inbound", "nested")), Deno.errors.NotFound);
    // The store's own directories stay for the next file.
    await Deno.stat(join(root, "inbound"));
  }, { ttlMs: 2 * 3_600_000 }));

Deno.test("prune: a store never written to prunes nothing", () =>
  withStore(async (store) => {
    assert.equal(await store.prune(Date.now()), 0);
  }, { ttlMs: 1 }));
