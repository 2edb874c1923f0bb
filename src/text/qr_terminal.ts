// QR codes drawn as the reference draws them with the `qrcode` package it uses: compact half-block
// lines for a terminal (the WhatsApp login and `openclaw qr`), and the module loader both need.

/** The part of `qrcode` this program uses. */
export interface QrCodeModule {
  toBuffer(text: string, options: { margin: number; scale: number }): Promise<Uint8Array>;
  create(text: string): { modules: { size: number; data: ArrayLike<number | boolean> } };
}

function isQrCodeModule(value: unknown): value is QrCodeModule {
  return !!value && typeof value === "object" && typeof Reflect.get(value, "toBuffer") === "function" &&
    typeof Reflect.get(value, "create") === "function";
}

/** Loads `qrcode` on first use (it is large, and most commands never draw a code). */
export async function loadQrCode(): Promise<QrCodeModule> {
  const imported: unknown = await import("qrcode");
  const module = imported && typeof imported === "object" ? Reflect.get(imported, "default") ?? imported : imported;
  if (!isQrCodeModule(module)) throw new Error("the qrcode package did not load as expected");
  return module;
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
