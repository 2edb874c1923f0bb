// Whether a state database could hold the ownership claim row, read from the file's bytes without
// SQLite: `gateway run` asks this before it listens, and only a "maybe" pays for node:sqlite and a real
// read (state_fence_probe.ts). The answer "no" is given only when it is certain: the main file is the
// whole database (no WAL frames, no rollback journal), its `sqlite_schema` and the `config_machine_state`
// table parse as SQLite's file format describes them, and no leaf page of that table contains the key's
// bytes. Anything unexpected (a page type, a bound, a varint out of place) answers "maybe". Deleted rows
// can leave the key's bytes behind: that too is only a "maybe", never a wrong "no".

const MAGIC = new TextEncoder().encode("SQLite format 3\0");
const TABLE_INTERIOR = 5;
const TABLE_LEAF = 13;
/** No B-tree of a state database is deeper than this; a deeper walk means a malformed (or cyclic) file. */
const MAX_DEPTH = 20;
const KEY = new TextEncoder().encode("gateway.supervision");
const TABLE = "config_machine_state";
/** How many bytes one read brings in: 64 KB, a multiple of every SQLite page size. */
const RUN_BYTES = 65536;

/** The file's layout and a page reader. */
interface Pages {
  read(page: number): Uint8Array;
  usable: number;
  /** Pages already walked: a page met twice means a malformed (or cyclic) file. */
  seen: Set<number>;
}

/** Raised for anything outside the expected format: the caller answers "maybe". */
class Unexpected extends Error {
  override name = "Unexpected";
}

function u16(bytes: Uint8Array, at: number): number {
  if (at + 2 > bytes.length) throw new Unexpected("u16 out of bounds");
  return (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) throw new Unexpected("u32 out of bounds");
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

/** SQLite's varint at `at`: its value (exact below 2^53, enough for sizes and serial types) and length. */
function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new Unexpected("varint out of bounds");
    if (i === 8) return [value * 256 + byte, 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  throw new Unexpected("varint too long");
}

/** How many payload bytes a table leaf cell keeps on its page (the rest is on overflow pages). */
function localPayload(size: number, usable: number): number {
  const max = usable - 35;
  if (size <= max) return size;
  const min = Math.floor((usable - 12) * 32 / 255) - 23;
  const local = min + ((size - min) % (usable - 4));
  return local <= max ? local : min;
}

/**
 * Calls `leaf` with the leaf pages of the table B-tree rooted at `root` (and its header offset), in order,
 * until one returns true; true when one did.
 */
function walkTable(
  pages: Pages,
  root: number,
  leaf: (page: Uint8Array, header: number) => boolean,
  depth = 0,
): boolean {
  if (depth > MAX_DEPTH || root < 1 || pages.seen.has(root)) throw new Unexpected("page out of range");
  pages.seen.add(root);
  const page = pages.read(root);
  const header = root === 1 ? 100 : 0;
  const type = page[header];
  if (type === TABLE_LEAF) return leaf(page, header);
  if (type !== TABLE_INTERIOR) throw new Unexpected(`page type ${type}`);
  const cells = u16(page, header + 3);
  for (let i = 0; i < cells; i++) {
    if (walkTable(pages, u32(page, u16(page, header + 12 + 2 * i)), leaf, depth + 1)) return true;
  }
  return walkTable(pages, u32(page, header + 8), leaf, depth + 1);
}

/** Serial types 0-9 and the bytes their values take (10 and 11 are reserved). */
const SERIAL_WIDTHS = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0];
const TABLE_TYPE = new TextEncoder().encode("table");
const TABLE_NAME = new TextEncoder().encode(TABLE);

/** Whether `bytes[at, at + needle.length)` equals `needle`. */
function bytesAt(bytes: Uint8Array, at: number, needle: Uint8Array): boolean {
  if (at < 0 || at + needle.length > bytes.length) return false;
  for (let i = 0; i < needle.length; i++) if (bytes[at + i] !== needle[i]) return false;
  return true;
}

/**
 * The root page a `sqlite_schema` leaf cell names when it is the `config_machine_state` table (columns
 * type, name, tbl_name, rootpage; compared as bytes, nothing decoded); undefined for any other row.
 */
function rootOfCell(page: Uint8Array, cell: number, usable: number): number | undefined {
  const [size, sizeLength] = varint(page, cell);
  const [, rowidLength] = varint(page, cell + sizeLength);
  const start = cell + sizeLength + rowidLength;
  const end = Math.min(start + localPayload(size, usable), page.length);
  const [headerSize, headerLength] = varint(page, start);
  let typeAt = start + headerLength;
  let valueAt = start + headerSize;
  for (let column = 0; column < 4; column++) {
    if (typeAt >= start + headerSize) throw new Unexpected("short record");
    const [serial, length] = varint(page, typeAt);
    typeAt += length;
    const width = serial >= 12 ? (serial - 12) >> 1 : SERIAL_WIDTHS[serial] ?? -1;
    if (width < 0 || valueAt + width > end) throw new Unexpected("column off the page");
    const text = serial >= 13 && serial % 2 === 1;
    if (column === 0 && !(text && width === TABLE_TYPE.length && bytesAt(page, valueAt, TABLE_TYPE))) return undefined;
    if (column === 1 && !(text && width === TABLE_NAME.length && bytesAt(page, valueAt, TABLE_NAME))) return undefined;
    if (column === 3) {
      if (serial < 1 || serial > 4) throw new Unexpected("root page is not an integer");
      let root = 0;
      for (let i = 0; i < width; i++) root = root * 256 + page[valueAt + i]!;
      return root;
    }
    valueAt += width;
  }
  return undefined;
}

/** The root page of the `config_machine_state` table, from `sqlite_schema`; undefined when it has none. */
function tableRoot(pages: Pages): number | undefined {
  let root: number | undefined;
  walkTable(pages, 1, (page, header) => {
    const cells = u16(page, header + 3);
    for (let i = 0; i < cells && root === undefined; i++) {
      root = rootOfCell(page, u16(page, header + 8 + 2 * i), pages.usable);
    }
    return root !== undefined;
  });
  return root;
}

function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  for (let at = bytes.indexOf(needle[0]!); at !== -1; at = bytes.indexOf(needle[0]!, at + 1)) {
    if (bytesAt(bytes, at, needle)) return true;
  }
  return false;
}

/**
 * Whether a journal beside the file may hold pages newer than the main file. The directory is listed
 * rather than each sidecar stat'ed: a missing file's stat throws, and a first throw costs milliseconds.
 */
function journalPending(path: string): boolean {
  const slash = path.lastIndexOf("/");
  const dir = slash === -1 ? "." : path.slice(0, slash) || "/";
  const base = path.slice(slash + 1);
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name !== `${base}-wal` && entry.name !== `${base}-journal`) continue;
    if (Deno.statSync(`${dir}/${entry.name}`).size > 0) return true;
  }
  return false;
}

function openPages(file: Deno.FsFile): Pages {
  // Read in aligned 64 KB runs (every page size divides it): a schema over neighbouring pages costs one read,
  // and the first run holds the header. No stat: the page count is not needed, a short read says enough.
  const runs = new Map<number, Uint8Array>();
  const run = (index: number): Uint8Array => {
    let bytes = runs.get(index);
    if (!bytes) {
      bytes = new Uint8Array(RUN_BYTES);
      file.seekSync(index * RUN_BYTES, Deno.SeekMode.Start);
      let filled = 0;
      for (let read = file.readSync(bytes); read; read = file.readSync(bytes.subarray(filled))) filled += read;
      bytes = bytes.subarray(0, filled);
      runs.set(index, bytes);
    }
    return bytes;
  };
  const head = run(0);
  if (!bytesAt(head, 0, MAGIC)) throw new Unexpected("not an SQLite file");
  const sizeField = u16(head, 16);
  const size = sizeField === 1 ? 65536 : sizeField;
  if (size < 512 || (size & (size - 1)) !== 0) throw new Unexpected("page size");
  return {
    usable: size - head[20]!,
    seen: new Set(),
    read(page) {
      const offset = (page - 1) * size;
      const bytes = run(Math.floor(offset / RUN_BYTES));
      const at = offset % RUN_BYTES;
      if (at + size > bytes.length) throw new Unexpected("short page");
      return bytes.subarray(at, at + size);
    },
  };
}

/**
 * False only when the database file at `path` certainly holds no ownership claim row (see the top of this
 * file); true when it may, or when that cannot be told without SQLite.
 */
export function mayHoldOwnershipRow(path: string): boolean {
  let file: Deno.FsFile | undefined;
  try {
    if (journalPending(path)) return true;
    file = Deno.openSync(path, { read: true });
    const pages = openPages(file);
    const root = tableRoot(pages);
    if (root === undefined) return false;
    return walkTable(pages, root, (page) => contains(page, KEY));
  } catch {
    return true;
  } finally {
    file?.close();
  }
}
