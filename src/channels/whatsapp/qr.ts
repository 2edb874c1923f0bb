// The pairing QR, drawn as the reference draws it (the `qrcode` package it uses): a PNG data URL
// for the Control UI (scale 6, margin 4) and compact half-block lines for a terminal.

import { encodeBase64 } from "../../media/base64.ts";

/** The part of `qrcode` this file uses. */
interface QrCodeModule {
  toBuffer(text: string, options: { margin: number; scale: number }): Promise<Uint8Array>;
  create(text: string): { modules: { size: number; data: ArrayLike<number | boolean> } };
}

function isQrCodeModule(value: unknown): value is QrCodeModule {
  return !!value && typeof value === "object" && typeof Reflect.get(value, "toBuffer") === "function" &&
    typeof Reflect.get(value, "create") === "function";
}

async function loadQrCode(): Promise<QrCodeModule> {
  const imported: unknown = await import("qrcode");
  const module = imported && typeof imported === "object" ? Reflect.get(imported, "default") ?? imported : imported;
  if (!isQrCodeModule(module)) throw new Error("the qrcode package did not load as expected");
  return module;
}

/** The reference's data URL prefix. */
export const QR_DATA_URL_PREFIX = "data:image/png;base64,";

/** A QR as a PNG data URL. */
export async function qrPngDataUrl(text: string): Promise<string> {
  const png = await (await loadQrCode()).toBuffer(text, { margin: 4, scale: 6 });
  return `${QR_DATA_URL_PREFIX}${encodeBase64(png)}`;
}

/** A QR as terminal lines: two modules per character (▀ ▄ █), black on white, one module of margin. */
export async function qrTerminal(text: string): Promise<string> {
  const { modules } = (await loadQrCode()).create(text);
  const on = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < modules.size && y < modules.size && !!modules.data[y * modules.size + x];
  const lines: string[] = [];
  for (let y = -1; y < modules.size + 1; y += 2) {
    let line = "\x1b[47m\x1b[30m";
    for (let x = -1; x < modules.size + 1; x++) {
      const top = on(x, y);
      const bottom = on(x, y + 1);
      line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
    }
    lines.push(`${line}\x1b[0m`);
  }
  return lines.join("\n");
}
