// The pairing QR as the Control UI shows it, drawn as the reference draws it (the `qrcode` package
// it uses): a PNG data URL, scale 6, margin 4. The terminal form lives in text/qr_terminal.ts.

import { encodeBase64 } from "../../media/base64.ts";
import { loadQrCode } from "../../text/qr_terminal.ts";

/** The reference's data URL prefix. */
export const QR_DATA_URL_PREFIX = "data:image/png;base64,";

/** A QR as a PNG data URL. */
export async function qrPngDataUrl(text: string): Promise<string> {
  const png = await (await loadQrCode()).toBuffer(text, { margin: 4, scale: 6 });
  return `${QR_DATA_URL_PREFIX}${encodeBase64(png)}`;
}
