// How WhatsApp allowlist entries name senders (kept apart from the account, so the catalog can
// read it without loading the channel).

/** An allowlist entry as a sender id: `whatsapp:` dropped, a phone number as E.164 (`+15551234567`), `*` kept. */
export function normalizeWhatsAppAllowEntry(entry: string): string {
  const stripped = entry.trim().replace(/^(whatsapp|wa):/i, "").trim();
  if (stripped === "*" || stripped.includes("@")) return stripped;
  const digits = stripped.replace(/\D/g, "");
  return digits ? `+${digits}` : stripped;
}
