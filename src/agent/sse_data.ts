/**
 * A server-sent-events reader that hands out each event's data, as `eventsource-parser` 3.1.1 (the
 * `ai` SDK's) does: lines end at CR, LF or CRLF (a CR at the end of the text waits for the next
 * piece), `data:` lines join with "\n", a blank line dispatches an event that had data, other
 * fields and comments are read and dropped, and a first piece starting with the UTF-8 BOM's three
 * characters loses them. An unfinished event at the end of the stream is dropped (the SDK's stream
 * has no flush either).
 */
export function sseDataReader(onData: (data: string) => void): (text: string) => void {
  let pending = "";
  let data = "";
  let dataLines = 0;
  let first = true;
  const line = (text: string, start: number, end: number) => {
    if (start === end) {
      if (dataLines > 0) onData(data);
      data = "";
      dataLines = 0;
      return;
    }
    let value: string;
    if (text.startsWith("data:", start)) {
      value = text.slice(text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end);
    } else if (end - start === 4 && text.startsWith("data", start)) value = "";
    else return;
    data = dataLines === 0 ? value : `${data}\n${value}`;
    dataLines++;
  };
  return (piece: string) => {
    if (first) {
      first = false;
      if (piece.startsWith("\u00ef\u00bb\u00bf")) piece = piece.slice(3);
    }
    // A piece with no line end waits behind an unfinished line, as the parser's buffer waits: its
    // lines (one may end at a held-back CR) are read only when a line end comes.
    if (pending !== "" && piece.indexOf("\n") === -1 && piece.indexOf("\r") === -1) {
      pending += piece;
      return;
    }
    const text = pending === "" ? piece : pending + piece;
    let at = 0;
    if (text.indexOf("\r") === -1) {
      for (let lf = text.indexOf("\n"); lf !== -1; lf = text.indexOf("\n", at)) {
        line(text, at, lf);
        at = lf + 1;
      }
    } else {
      while (at < text.length) {
        const lf = text.indexOf("\n", at);
        const cr = text.indexOf("\r", at);
        let end: number;
        if (cr !== -1 && (lf === -1 || cr < lf)) {
          if (lf === -1 && cr === text.length - 1) break;
          end = cr;
        } else if (lf !== -1) end = lf;
        else break;
        line(text, at, end);
        at = end + 1;
        if (text.charCodeAt(end) === 13 && text.charCodeAt(at) === 10) at++;
      }
    }
    pending = at === 0 ? text : text.slice(at);
  };
}
