import { z } from "zod";

/** A credential given by reference instead of inline: `{source: "env" | "file", id}`. */
export const SecretRefSchema = z.strictObject({
  source: z.enum(["env", "file", "exec", "store"]),
  provider: z.string().optional(),
  id: z.string().min(1),
});

/** What marks a schema node as a credential (zod metadata; it also shows in `config.schema`). */
export const SENSITIVE = { sensitive: true } as const;

/**
 * A credential field: a literal string or a {@link SecretRefSchema}. Marked {@link SENSITIVE}: every
 * redaction (config.get, config write replies, logs, doctor) finds secrets by this mark.
 */
export const SecretInputSchema = z.union([z.string(), SecretRefSchema]).meta(SENSITIVE);
