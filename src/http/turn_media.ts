// What a chat API request's media parts add to its run, resolved after the body is validated and
// the caller routed (URL sources are fetched then): images for the model, file text for its prompt.
import type { PromptMessage } from "../agent/provider.ts";
import type { HttpMediaLimits } from "../config/resolve_http_media.ts";
import { apiError } from "./http_error.ts";
import type { RunImage } from "./media_image.ts";
import type { SerialSlot } from "./serial_slot.ts";

/** The media of the active turn, ready for the run. */
export interface TurnMedia {
  images: RunImage[];
  /** `<file>` blocks of the files' text, given to the model with the system prompt (as the reference does). */
  fileContext?: string | undefined;
}

/** What the route shares between its requests' media: the queue PDFs are read in, one at a time. */
export interface MediaSlots {
  pdf: SerialSlot;
}

/** Resolves a request's media parts under the limits in force; a refusal is thrown as the 400 to answer with. */
export type MediaResolver = (limits: HttpMediaLimits, signal: AbortSignal, slots: MediaSlots) => Promise<TurnMedia>;

/** The run's `context` and `images` with a request's media parts (the caller skips this for a text-only request). */
export async function withTurnMedia(
  resolve: MediaResolver,
  limits: (() => HttpMediaLimits) | undefined,
  context: PromptMessage[],
  signal: AbortSignal,
  slots: MediaSlots,
): Promise<{ context: PromptMessage[]; images?: RunImage[] }> {
  if (!limits) throw apiError(400, "Media content parts are not accepted by this gateway.");
  const media = await resolve(limits(), signal, slots);
  return {
    context: media.fileContext ? [...context, { role: "system", text: media.fileContext }] : context,
    ...(media.images.length > 0 ? { images: media.images } : {}),
  };
}
