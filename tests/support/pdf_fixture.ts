// A PDF made in the test, so no binary fixture is checked in.
import { deflateSync } from "node:zlib";

/** A one-page PDF whose page says `text` (Helvetica, no compression). */
export function pdfSaying(text: string): string {
  const stream = `BT /F1 18 Tf 20 100 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  return btoa(`${out}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
}

/**
 * A one-page PDF whose content stream, deflated to a few KB, is `megabytes` MB of line drawing:
 * PDFium spends minutes on its text and its rendering (a "PDF bomb").
 */
export function pdfBomb(megabytes: number): Uint8Array {
  const unit = new TextEncoder().encode("0 0 m 300 144 l S\n");
  const content = new Uint8Array(megabytes * 1024 * 1024);
  for (let at = 0; at + unit.length <= content.length; at += unit.length) content.set(unit, at);
  const stream = deflateSync(content, { level: 9 });
  const encoder = new TextEncoder();
  const objects: Uint8Array[] = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R >>",
  ].map((body) => encoder.encode(body));
  objects.push(
    concat([
      encoder.encode(`<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`),
      stream,
      encoder.encode("\nendstream"),
    ]),
  );
  const parts: Uint8Array[] = [encoder.encode("%PDF-1.4\n")];
  let length = parts[0]!.length;
  const offsets = objects.map((body, i) => {
    const at = length;
    const object = concat([encoder.encode(`${i + 1} 0 obj\n`), body, encoder.encode("\nendobj\n")]);
    parts.push(object);
    length += object.length;
    return at;
  });
  let tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) tail += `${String(offset).padStart(10, "0")} 00000 n \n`;
  parts.push(
    encoder.encode(`${tail}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`),
  );
  return concat(parts);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
