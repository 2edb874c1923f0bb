import assert from "node:assert/strict";
import { identityHasValues, mergeIdentityMarkdown, parseIdentityMarkdown } from "../../src/config/identity_markdown.ts";
import { PROFILE_TEMPLATES } from "../../src/state/workspace_templates.ts";

Deno.test("IDENTITY.md: `- **Label:** value` lines in any case; the template's prompts are no values", () => {
  assert.deepEqual(
    parseIdentityMarkdown(
      "# I\n\n- **Name:** Opsy\n- emoji: 🤖\n- **Theme:** _terse_\n- Creature: robot\nnot: a field\n",
    ),
    { name: "Opsy", emoji: "🤖", theme: "terse", creature: "robot" },
  );
  const template = parseIdentityMarkdown(PROFILE_TEMPLATES["IDENTITY.md"]!);
  assert.equal(identityHasValues(template), false, JSON.stringify(template));
  assert.deepEqual(
    parseIdentityMarkdown("- Name: (pick something you like)\n- Emoji: _(your signature — pick one that feels right)_"),
    {},
  );
});

Deno.test("a name is merged into IDENTITY.md as the reference merges it (recorded: `agents add` on a used workspace)", () => {
  assert.equal(
    mergeIdentityMarkdown("# Me\n\n- Emoji: 🦊\n", { name: "Fox Bot" }),
    "# Me\n\n- Emoji: 🦊\n- Name: Fox Bot\n",
  );
  assert.equal(
    mergeIdentityMarkdown("# Me\n- **Name:** Old\n- name: dup\n", { name: "New", theme: "calm" }),
    "# Me\n- Name: New\n- Theme: calm\n",
  );
  assert.equal(mergeIdentityMarkdown(undefined, { name: "A" }), "# IDENTITY.md - Agent Identity\n\n- Name: A\n");
});
