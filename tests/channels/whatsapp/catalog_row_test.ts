// WhatsApp's row in the channel catalog: the section alone declares the account (login links it),
// allowlists name senders by E.164 number, the pairing reply names the phone number, and the shared
// gate admits a listed number written any way the reference accepts.
import assert from "node:assert/strict";
import { decideAccess } from "../../../src/channels/access.ts";
import { CHANNEL_KINDS } from "../../../src/channels/catalog.ts";

const whatsapp = CHANNEL_KINDS.find((kind) => kind.id === "whatsapp")!;

Deno.test("whatsapp catalog row: declared by its section, E.164 allowlists, the reference's pairing line", () => {
  assert.equal(whatsapp.label, "WhatsApp");
  assert.equal(whatsapp.declared({}, {}), undefined);
  const section = whatsapp.declared({ whatsapp: { dmPolicy: "allowlist", allowFrom: ["+15552223333"] } }, {});
  assert.deepEqual(section?.accounts.map((a) => a.accountId), ["default"]);
  assert.equal(section?.defaultAccountId, "default");
  const two = whatsapp.declared({ whatsapp: { accounts: { work: {}, home: {} } } }, {});
  // Named accounts only, as the reference lists them (the root is their shared settings).
  assert.deepEqual(two?.accounts.map((a) => a.accountId).sort(), ["home", "work"]);
  assert.equal(whatsapp.normalizeAllowEntry("whatsapp:+1 (555) 222-3333"), "+15552223333");
  assert.equal(whatsapp.normalizeAllowEntry("15552223333"), "+15552223333");
  assert.equal(whatsapp.normalizeAllowEntry("*"), "*");
  assert.equal(whatsapp.normalizeAllowEntry("120363000000000001@g.us"), "120363000000000001@g.us");
  assert.equal(whatsapp.pairingIdLine("+15552223333"), "Your WhatsApp phone number: +15552223333");
  assert.equal(whatsapp.dmTarget("+15552223333"), "+15552223333");
  const policy = {
    dmPolicy: "allowlist" as const,
    allowFrom: ["whatsapp:+1 555 222 3333"].map(whatsapp.normalizeAllowEntry),
    groupPolicy: "allowlist" as const,
    groupAllowFrom: undefined,
    groups: {},
  };
  const dm = {
    peerKind: "direct" as const,
    senderId: "+15552223333",
    senderAliases: [],
    groupId: undefined,
    mentioned: true,
  };
  assert.deepEqual(decideAccess(policy, dm, []), { action: "run" });
  assert.deepEqual(decideAccess(policy, { ...dm, senderId: "+15559999999" }, []).action, "drop");
});
