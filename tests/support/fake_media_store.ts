// A MediaStore for unit tests, until the media store exists: files kept under a temp dir, the type
// told from a few magic numbers (else the file's extension, else the claim), one size limit.
import { type MediaKind, MediaRefusedError, type MediaStore, type StoredMedia } from "../../src/media/media_types.ts";

const EXTENSIONS: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  ogg: "audio/ogg",
  mp3: "audio/mpeg",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  sh: "application/x-sh",
};

/** The type bytes say they are, when they say it. */
export function sniff(bytes: Uint8Array): string | undefined {
  const head = [...bytes.subarray(0, 4)];
  if (head.join() === "137,80,78,71") return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8) return "image/jpeg";
  if (head.join() === "79,103,103,83") return "audio/ogg";
  if (head.join() === "37,80,68,70") return "application/pdf";
  if (head.join() === "127,69,76,70") return "application/x-executable";
  return undefined;
}

function kindOf(type: string): MediaKind {
  const top = type.split("/")[0];
  return top === "image" || top === "audio" || top === "video" ? top : "document";
}

/** A fake store in `dir` with `limit` bytes per file. */
export function fakeMediaStore(dir: string, limit = 5 * 1024 * 1024): MediaStore & { saved: StoredMedia[] } {
  let n = 0;
  const saved: StoredMedia[] = [];
  function describe(path: string, bytes: Uint8Array, claim?: string, fileName?: string): StoredMedia {
    const ext = path.split(".").pop()?.toLowerCase() ?? "";
    const mimeType = sniff(bytes) ?? EXTENSIONS[ext] ?? claim ?? "application/octet-stream";
    return { kind: kindOf(mimeType), mimeType, path, size: bytes.length, fileName };
  }
  return {
    saved,
    async save(bytes, input) {
      const max = input.maxBytes ?? limit;
      if (bytes.length > max) throw new MediaRefusedError(`Media exceeds the ${max}-byte limit`);
      await Deno.mkdir(`${dir}/${input.direction}`, { recursive: true });
      const path = `${dir}/${input.direction}/file-${++n}${input.fileName ? `-${input.fileName}` : ""}`;
      await Deno.writeFile(path, bytes, { mode: 0o600 });
      const media = { ...describe(path, bytes, input.mimeType, input.fileName), voice: input.voice };
      saved.push(media);
      return media;
    },
    async read(path, maxBytes) {
      const bytes = await Deno.readFile(path);
      if (bytes.length > (maxBytes ?? limit)) throw new MediaRefusedError(`Media exceeds the ${maxBytes}-byte limit`);
      return { bytes, media: describe(path, bytes, undefined, path.split("/").pop()) };
    },
    prune: () => Promise.resolve(0),
  };
}
