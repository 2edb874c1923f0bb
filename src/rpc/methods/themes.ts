// `themes.list`: the Control UI's theme picker. This gateway has no user profiles and no theme plugins,
// so the catalog is the reference's built-in themes (as its `themes.list` answered them, recorded
// against 2026.9.6: the UI renders these itself) and the selection is the gateway-wide default.
import type { MethodTable } from "../registry.ts";

type Theme = { id: string; name: string; description: string; source: "builtin"; modes: ["light", "dark"] };

const builtin = (id: string, name: string, description: string): Theme => ({
  id,
  name,
  description,
  source: "builtin",
  modes: ["light", "dark"],
});

/** The built-in catalog, in the reference's order; the first is the default. */
function builtinThemes(): Theme[] {
  return [
    builtin(
      "claw",
      "Claw",
      "Signature coral red and teal on charcoal or pale surfaces, with Instrument Sans throughout. A balanced everyday workspace.",
    ),
    builtin(
      "knot",
      "Knot",
      "Crimson accents on true black or clean white, with Geist typography. Sharp, minimal, and high contrast.",
    ),
    builtin(
      "dash",
      "Dash",
      "Toasted caramel on deep cocoa or warm cream, with DM Sans controls and Fraunces serif chat. Warm and bookish.",
    ),
    builtin(
      "absolutely",
      "Absolutely",
      "Terracotta clay on warm graphite or soft cream, with Space Grotesk controls and Lora serif chat. Quiet editorial character.",
    ),
    builtin(
      "tide",
      "Tide",
      "Steel cyan on cool slate or pale blue-gray, with IBM Plex Sans throughout. Calm, technical, and understated.",
    ),
    builtin(
      "beacon",
      "Beacon",
      "High-visibility amber on black or white, bold focus rings, and Atkinson Hyperlegible typography. Designed for maximum readability.",
    ),
    builtin(
      "phosphor",
      "Phosphor",
      "Luminous green on green-tinted black or pale green, with JetBrains Mono throughout. A classic green terminal atmosphere.",
    ),
    builtin(
      "crt",
      "CRT",
      "White phosphor and amber on tube black, with a light counterpart, JetBrains Mono, and nearly square corners. A retro computer console.",
    ),
    builtin(
      "manuscript",
      "Manuscript",
      "Lapis blue and gold on aged paper, with a dark reading-room variant and Lora serif throughout. A quiet illuminated manuscript.",
    ),
    builtin(
      "rose",
      "Rosé",
      "Dried rose and gold on deep plum-gray or soft rose-tinted cream, with DM Sans. Gentle, muted, and warm.",
    ),
    builtin(
      "miami",
      "Miami",
      "Hot magenta and cyan on violet-black or pale lavender, with Space Grotesk. Bright neon energy and a synthwave character.",
    ),
  ];
}

/** `themes.list`. */
export function themesMethods(): MethodTable {
  return {
    "themes.list": {
      scope: "operator.read",
      handler: () => {
        const themes = builtinThemes();
        // No user profile to keep a choice in: the gateway-wide default, in the system's light or dark mode.
        return { current: { id: "claw", mode: "system", scope: "gateway", overrides: {} }, theme: themes[0], themes };
      },
    },
  };
}
