// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the test)
// against our gateway, on its Agents page (`/settings/agents/<id>/<panel>`): the Files panel lists the
// agent's workspace files from our `agents.files.list`, opening one shows its content from
// `agents.files.get`, and an edit saved in the page lands on disk through `agents.files.set` with the
// `expectedHash` the page read. A save over a file changed on the host since is refused as a conflict
// (the page offers Reload / Overwrite), and Overwrite re-reads the file and saves with its new hash.
// On the Overview panel, renaming the agent in the identity editor goes through `agents.update`: the
// config's `agents.entries.main.identity` (and IDENTITY.md) get the new name and the page shows it.
import assert from "node:assert/strict";
import JSON5 from "json5";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { openUiPage } from "../support/reference_ui_page.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-ui-agents-token-0123456789abcdef";

/** The workspace files seeded before the page opens (IDENTITY.md is edited through the identity form). */
const SEEDED: Record<string, string> = {
  "AGENTS.md": "# Agents\n\nBe helpful; keep answers short.\n",
  "SOUL.md": "# Soul\n\nCalm and precise.\n",
  "USER.md": "# User\n\nPrefers metric units.\n",
  "IDENTITY.md": "# IDENTITY.md - Agent Identity\n\n- Name: Main Bot\n- Emoji: 🦉\n",
};
const EDITED_SOUL = "# Soul\n\nCalm, precise and kind.\n";
const HOST_SOUL = "# Soul\n\nEdited on the host.\n";
const DRAFT_SOUL = "# Soul\n\nCalm, precise, kind and brief.\n";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("the reference Control UI's Agents page lists, shows and saves workspace files and renames the agent", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const base = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin });
  const home = await tempHome({
    ...base,
    agents: {
      ...(base.agents as Record<string, unknown>),
      entries: { main: { workspace: "~/ws-main", identity: { name: "Main Bot", emoji: "🦉" } } },
    },
  });
  const workspace = `${home.home}/ws-main`;
  await Deno.mkdir(workspace, { recursive: true });
  for (const [name, text] of Object.entries(SEEDED)) await Deno.writeTextFile(`${workspace}/${name}`, text);
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const { page, log, settled } = await openUiPage(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/settings/agents/main/files",
    });
    const answered = (method: string, check: (params: Record<string, unknown>) => boolean = () => true) =>
      log.requests.filter((r) => r.method === method && r.answer && check(r.params as Record<string, unknown>));

    // 1. The Files panel lists the workspace as our agents.files.list answered it.
    log.enter("files");
    await page.getByRole("tab", { name: "SOUL", exact: true }).waitFor({ timeout: 30_000 });
    const listed = answered("agents.files.list")[0];
    assert.ok(listed?.answer?.ok, `agents.files.list answered ok: ${JSON.stringify(listed?.answer?.error)}`);
    assert.deepEqual(listed.params, { agentId: "main" });
    const list = listed.answer.payload as {
      workspace: string;
      files: { name: string; path: string; missing: boolean; expectedAbsent?: boolean }[];
    };
    assert.equal(list.workspace, workspace);
    assert.deepEqual(
      list.files.map((f) => [f.name, f.missing, f.expectedAbsent]),
      [
        ["AGENTS.md", false, undefined],
        ["SOUL.md", false, undefined],
        ["USER.md", false, undefined],
        ["BOOTSTRAP.md", true, false],
        ["MEMORY.md", true, true],
      ],
    );
    await page.getByText(`Workspace: ${workspace}`).waitFor({ timeout: 15_000 });
    // Present files and the missing BOOTSTRAP.md are tabs; MEMORY.md (absent as expected) is offered in "Add file…".
    for (const tab of ["AGENTS", "SOUL", "USER", /^BOOTSTRAP\s*missing$/]) {
      await page.getByRole("tab", { name: tab, exact: true }).waitFor({ timeout: 15_000 });
    }
    assert.equal(await page.getByRole("tab", { name: "MEMORY", exact: true }).count(), 0);
    const addFile = page.getByRole("combobox", { name: "Add file…" });
    assert.ok((await addFile.locator("option").allTextContents()).some((text) => text.includes("MEMORY")));

    // 2. The first file opens by itself; SOUL.md opens from its tab, its content from agents.files.get.
    const content = page.getByRole("textbox", { name: "Content" });
    await until(async () => (await content.inputValue()) === SEEDED["AGENTS.md"], "AGENTS.md shown", 15_000);
    await page.getByRole("tab", { name: "SOUL", exact: true }).click();
    await until(async () => (await content.inputValue()) === SEEDED["SOUL.md"], "SOUL.md shown", 15_000);
    const got = answered("agents.files.get", (p) => p.name === "SOUL.md")[0];
    assert.deepEqual(got?.params, { agentId: "main", name: "SOUL.md" });
    const gotFile = (got!.answer!.payload as { file: { hash: string; content: string; path: string } }).file;
    assert.equal(gotFile.content, SEEDED["SOUL.md"]);
    assert.equal(gotFile.path, `${workspace}/SOUL.md`);
    assert.equal(gotFile.hash, await sha256(SEEDED["SOUL.md"]!));

    // Edited and saved in the page: on disk, sent with the hash the page read.
    await content.fill(EDITED_SOUL);
    const save = page.getByRole("button", { name: "Save", exact: true });
    await save.click({ timeout: 15_000 });
    await until(
      async () => (await Deno.readTextFile(`${workspace}/SOUL.md`)) === EDITED_SOUL,
      "SOUL.md saved to the workspace",
    );
    await until(() => answered("agents.files.set").length === 1, "agents.files.set answered");
    const saved = answered("agents.files.set")[0]!;
    assert.ok(saved.answer?.ok, JSON.stringify(saved.answer?.error));
    assert.deepEqual(saved.params, {
      agentId: "main",
      name: "SOUL.md",
      content: EDITED_SOUL,
      expectedHash: gotFile.hash,
    });
    const savedHash = (saved.answer!.payload as { file: { hash: string } }).file.hash;
    assert.equal(savedHash, await sha256(EDITED_SOUL));
    // Saved and in sync: nothing left to save.
    await until(() => save.isDisabled(), "Save disabled once saved", 15_000);

    // A save over a file changed on the host since it was read is refused; Overwrite re-reads and saves.
    await content.fill(DRAFT_SOUL);
    await Deno.writeTextFile(`${workspace}/SOUL.md`, HOST_SOUL);
    await save.click({ timeout: 15_000 });
    await page.getByText(`agent file "SOUL.md" changed since it was read`).waitFor({ timeout: 15_000 });
    const refused = answered("agents.files.set")[1]!;
    assert.equal((refused.params as { expectedHash?: string }).expectedHash, savedHash);
    assert.equal(refused.answer?.ok, false);
    assert.equal(await Deno.readTextFile(`${workspace}/SOUL.md`), HOST_SOUL, "the host's edit is kept");
    await page.getByRole("button", { name: "Overwrite", exact: true }).click({ timeout: 15_000 });
    await until(
      async () => (await Deno.readTextFile(`${workspace}/SOUL.md`)) === DRAFT_SOUL,
      "the draft overwrote SOUL.md",
    );
    await until(() => answered("agents.files.set").length === 3, "the overwrite answered");
    const overwrite = answered("agents.files.set")[2]!;
    assert.ok(overwrite.answer?.ok, JSON.stringify(overwrite.answer?.error));
    assert.equal((overwrite.params as { expectedHash?: string }).expectedHash, await sha256(HOST_SOUL));
    await until(async () => (await page.getByText("changed since it was read").count()) === 0, "conflict cleared");
    await settled();

    // 3. Overview: the identity editor renames the agent through agents.update.
    log.enter("identity");
    await page.getByRole("tab", { name: "Overview", exact: true }).click();
    const displayName = page.getByRole("textbox", { name: "Display name" });
    await until(async () => (await displayName.inputValue()) === "Main Bot", "the configured name shown", 15_000);
    // The configured emoji, from our agent.identity.get (and the agents.list row's identity), as the reference shows it.
    const emoji = page.getByRole("textbox", { name: "Emoji" });
    await until(async () => (await emoji.inputValue()) === "🦉", "the configured emoji shown", 15_000);
    await displayName.fill("Atlas");
    await page.locator(".agent-identity-editor__actions").getByRole("button", { name: "Save", exact: true }).click({
      timeout: 15_000,
    });
    await until(() => answered("agents.update").length > 0, "agents.update answered");
    const update = answered("agents.update")[0]!;
    assert.ok(update.answer?.ok, JSON.stringify(update.answer?.error));
    assert.deepEqual(update.params, { agentId: "main", name: "Atlas" });
    const config = JSON5.parse(await Deno.readTextFile(home.configPath));
    assert.deepEqual(config.agents.entries.main.identity, { name: "Atlas", emoji: "🦉" });
    assert.equal(config.agents.entries.main.name, "Atlas");
    assert.equal(
      await Deno.readTextFile(`${workspace}/IDENTITY.md`),
      "# IDENTITY.md - Agent Identity\n\n- Name: Atlas\n- Emoji: 🦉\n",
      "IDENTITY.md mirrors the new name",
    );
    // The page asks again and shows the new name (the agent picker and the editor).
    await until(
      () =>
        answered("agent.identity.get").some((r) => (r.answer?.payload as { name?: string })?.name === "Atlas") &&
        answered("agents.list").some((r) =>
          (r.answer?.payload as { agents?: { name?: string }[] })?.agents?.[0]?.name === "Atlas"
        ),
      "agent.identity.get and agents.list answered with the new name",
    );
    await page.getByText("Atlas", { exact: true }).first().waitFor({ timeout: 15_000 });
    await until(async () => (await displayName.inputValue()) === "Atlas", "the editor shows the new name", 15_000);
    await until(async () => (await page.getByText("Main Bot").count()) === 0, "the old name gone from the page");
    await settled();
    assert.equal(await page.locator(".callout.danger:visible, [role=alert]:visible").count(), 0, "no error shown");
    const failed = log.requests.filter((r) => r.answer && !r.answer.ok && r !== refused);
    assert.deepEqual(failed.map((r) => `${r.method}: ${r.answer?.error?.message}`), []);
    // No other file appeared in the workspace (no template seeded by the rename).
    const names = [];
    for await (const entry of Deno.readDir(workspace)) names.push(entry.name);
    assert.deepEqual(names.sort(), Object.keys(SEEDED).sort());
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
