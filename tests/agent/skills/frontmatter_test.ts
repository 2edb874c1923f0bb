import assert from "node:assert/strict";
import {
  frontmatterBool,
  FrontmatterError,
  parseFrontmatter,
  skillMetadata,
} from "../../../src/agent/skills/frontmatter.ts";

Deno.test("front matter: plain and quoted scalars, comments, no block at all", () => {
  const fm = parseFrontmatter(
    "---\nname: image-lab\ndescription: \"Generate: images & <stuff>\"\n# a comment\nhomepage: 'https://x.test'\nuser-invocable: false # trailing\n---\nbody\n",
  );
  assert.deepEqual(fm, {
    name: "image-lab",
    description: "Generate: images & <stuff>",
    homepage: "https://x.test",
    "user-invocable": "false",
  });
  assert.deepEqual(parseFrontmatter("# Just markdown\n"), {});
  assert.equal(frontmatterBool(fm["user-invocable"], true), false);
  assert.equal(frontmatterBool(undefined, true), true);
});

Deno.test("front matter: an unterminated block is the reference's error", () => {
  assert.throws(
    () => parseFrontmatter("---\nname: x\n"),
    (e) => e instanceof FrontmatterError && /UNTERMINATED/.test(e.message),
  );
});

Deno.test("front matter: only a line of exactly --- (trailing blanks allowed) closes the block", () => {
  assert.deepEqual(parseFrontmatter("---\nname: x\n----\ndescription: d\n---\nbody"), { name: "x", description: "d" });
  assert.deepEqual(parseFrontmatter("---\nname: x\n--- not a delimiter\n---   \nbody"), { name: "x" });
  assert.deepEqual(parseFrontmatter("---  \nname: y\n---"), { name: "y" });
  assert.deepEqual(parseFrontmatter("---\n---\nbody"), {});
  assert.throws(() => parseFrontmatter("---\nname: x\n----\n"), FrontmatterError);
  // A lone `---` opens nothing (the reference wants a line break after the opening delimiter).
  assert.deepEqual(parseFrontmatter("---"), {});
});

Deno.test("front matter: metadata as a multi-line JSON5 flow block (the docs' style)", () => {
  const fm = parseFrontmatter(`---
name: gemini
description: Use Gemini CLI.
metadata:
  {
    "openclaw":
      {
        "emoji": "♊️",
        "requires": { "bins": ["gemini"], "env": ["GEMINI_API_KEY"], "config": ["browser.enabled"] },
        "primaryEnv": "GEMINI_API_KEY",
        "os": ["linux", "darwin"],
        "install": [{ "id": "brew", "kind": "brew", "formula": "gemini-cli", "bins": ["gemini"], "label": "Install (brew)" }],
      },
  }
---
`);
  const meta = skillMetadata(fm);
  assert.deepEqual(meta?.requires, {
    bins: ["gemini"],
    anyBins: [],
    env: ["GEMINI_API_KEY"],
    config: ["browser.enabled"],
  });
  assert.equal(meta?.emoji, "♊️");
  assert.equal(meta?.primaryEnv, "GEMINI_API_KEY");
  assert.deepEqual(meta?.os, ["linux", "darwin"]);
  assert.equal(meta?.install?.[0]?.label, "Install (brew)");
});

Deno.test("front matter: metadata as a YAML block mapping, lists as `- item` and comma strings; legacy clawdbot", () => {
  const fm = parseFrontmatter(`---
name: y
description: d
metadata:
  openclaw:
    always: true
    skillKey: my-key
    requires:
      bins:
        - jq
        - curl
      anyBins: "rg, grep"
---
`);
  const meta = skillMetadata(fm);
  assert.equal(meta?.always, true);
  assert.equal(meta?.skillKey, "my-key");
  assert.deepEqual(meta?.requires?.bins, ["jq", "curl"]);
  assert.deepEqual(meta?.requires?.anyBins, ["rg", "grep"]);
  const legacy = skillMetadata({ metadata: '{"clawdbot":{"requires":{"env":["K"]}}}' });
  assert.deepEqual(legacy?.requires?.env, ["K"]);
  assert.equal(skillMetadata({ metadata: '{"other":{}}' }), undefined);
  assert.equal(skillMetadata({ name: "x" }), undefined);
});
