/** A value Headers normalises to empty: HTTP whitespace only (a bare CR or LF passes the parser's line split). */
const BLANK = /^[\t\n\r ]*$/;
/** HTTP whitespace at either end of a value, as Headers trims it. */
const HTTP_WS = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/**
 * The handler's `Request`: the same as `new Request(url, { ...init, headers: head.headers })`, but
 * the head's fields are appended as received: the constructor's conversion of a Headers init
 * (iterated, sorted, every field revalidated) cost 36 µs of a 50 µs Request, and about 0.5 s of
 * CPU for a 16 KB head of distinct names (each field compared with every other). A field whose
 * value Headers trims to nothing takes {@link combinedFields}: the constructor's way trims a
 * combined value (`a, ` → `a,`), appending would not (tests/server/http1_request_test.ts holds the
 * two equal).
 */
export function handlerRequest(
  url: URL,
  head: { headers: Headers; fields: readonly (readonly [string, string])[] },
  init: { method: string; body: ReadableStream<Uint8Array> | undefined; signal: AbortSignal },
): Request {
  const request = new Request(url, init);
  const blank = head.fields.some(([, value]) => BLANK.test(value));
  for (const [name, value] of blank ? combinedFields(head.fields) : head.fields) request.headers.append(name, value);
  return request;
}

/**
 * The fields as a Headers init hands them on, in one pass (not the constructor's quadratic way,
 * which a single blank value would otherwise bring back): each name's trimmed values joined with
 * `, `, Set-Cookie's kept apart, so appending a joined value trims it as the constructor does.
 */
function combinedFields(fields: readonly (readonly [string, string])[]): [string, string][] {
  const out: [string, string][] = [];
  const joined = new Map<string, string>();
  for (const [name, raw] of fields) {
    const key = name.toLowerCase();
    const value = raw.replace(HTTP_WS, "");
    if (key === "set-cookie") {
      out.push([key, value]);
      continue;
    }
    // As Deno's Headers joins: a value so far empty is replaced, not joined (`""`, `b` → `b`).
    const before = joined.get(key);
    joined.set(key, before ? `${before}, ${value}` : value);
  }
  for (const entry of joined) out.push(entry);
  return out;
}
