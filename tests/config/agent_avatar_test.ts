import assert from "node:assert/strict";
import { avatarIssue } from "../../src/config/agent_avatar.ts";

const paths = { stateDir: "/h/.openclaw", home: "/h" };
const withAvatar = (avatar: string) => ({ agents: { entries: { main: { identity: { avatar } } } } });

Deno.test("identity.avatar: workspace paths, http(s) URLs and data URIs pass; the reference's refusals otherwise", () => {
  for (const ok of ["avatars/a.png", "https://x/a.png", "data:image/png;base64,AA", "/h/.openclaw/workspace/a.png"]) {
    assert.equal(avatarIssue(withAvatar(ok), paths), undefined, ok);
  }
  assert.equal(
    avatarIssue(withAvatar("../x.png"), paths),
    "agents.entries.main.identity.avatar: identity.avatar must stay within the agent workspace.",
  );
  for (const bad of ["ftp://x/y.png", "~/a.png"]) {
    assert.equal(
      avatarIssue(withAvatar(bad), paths),
      "agents.entries.main.identity.avatar: identity.avatar must be a workspace-relative path, http(s) URL, or data URI.",
    );
  }
});
