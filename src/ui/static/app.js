// The Control UI: one module, no dependencies. It speaks the gateway's WebSocket protocol (v4)
// with the token from the dashboard link's fragment, kept in this browser's storage only, and
// proves a device identity of its own: the gateway grants a browser nothing on the token alone.

const TOKEN_KEY = "openclaw.control.token";
const DEVICE_TOKEN_KEY = "openclaw.control.deviceToken";
const CLIENT = { id: "openclaw-control-ui", version: "control-ui", platform: "web", mode: "ui" };
const SCOPES = ["operator.admin", "operator.read", "operator.write"];
const PAIRING_RETRY_MS = 3000;
const $ = (id) => document.getElementById(id);
const state = {
  ws: undefined,
  identity: undefined, // a promise of this browser's device identity (or undefined without one)
  pairingRequestId: undefined, // set while the gateway waits for an operator to approve this browser
  nextId: 1,
  pending: new Map(),
  hello: undefined,
  health: undefined,
  presence: [],
  connectedAt: 0,
  uptimeAtConnect: 0,
  retryMs: 500,
  sessionKey: "agent:main:main",
  runs: new Map(),
  // Runs that ended with an error, by id: the gateway's reply to such a run (a second chat error) takes its bubble.
  failedRuns: new Map(),
  historyRuns: new Set(),
  logCursor: undefined,
  logTimer: undefined,
  config: undefined,
  saving: false,
  token: "",
};

// --- token: from the fragment (never the query string), then storage; the fragment is erased at once.
function takeToken() {
  const match = /(?:^|[#&])token=([^&]+)/.exec(location.hash);
  if (match) {
    localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search + "#/overview");
  }
  return localStorage.getItem(TOKEN_KEY) ?? "";
}

// --- device identity: an Ed25519 key pair made by WebCrypto. The private key is created
// non-extractable and kept in IndexedDB as a CryptoKey, so script can sign with it but nobody can
// read it out. Without a secure context (plain HTTP to a LAN address) there is no identity, and
// the gateway gives the page no scopes.
function idbStore(mode, work) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("openclaw-control", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("device");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("device", mode);
      const req = work(tx.objectStore("device"));
      tx.oncomplete = () => {
        open.result.close();
        resolve(req.result);
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function createIdentity() {
  const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  const raw = await crypto.subtle.exportKey("raw", keys.publicKey);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  const id = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return { id, publicKey: b64url(raw), privateKey: keys.privateKey };
}

async function loadIdentity() {
  if (!globalThis.isSecureContext || !crypto.subtle || !globalThis.indexedDB) return undefined;
  try {
    const stored = await idbStore("readonly", (store) => store.get("identity"));
    if (stored) return stored;
    const identity = await createIdentity();
    await idbStore("readwrite", (store) => store.put(identity, "identity"));
    return identity;
  } catch {
    return undefined; // no Ed25519 in this browser, or storage refused: connect without a device
  }
}

// The v3 payload the gateway verifies, field for field.
async function signDevice(identity, nonce, signToken) {
  const signedAt = Date.now();
  const payload = [
    "v3",
    identity.id,
    CLIENT.id,
    CLIENT.mode,
    "operator",
    SCOPES.join(","),
    String(signedAt),
    signToken,
    nonce,
    CLIENT.platform,
    "",
  ].join("|");
  const signature = await crypto.subtle.sign("Ed25519", identity.privateKey, new TextEncoder().encode(payload));
  return { id: identity.id, publicKey: identity.publicKey, signature: b64url(signature), signedAt, nonce };
}

// --- protocol
function setConn(text, kind) {
  const el = $("conn");
  el.textContent = text;
  el.className = `pill ${kind ?? ""}`;
}

// A host suspension (gateway.suspend.*): new work waits while it is prepared or drains, as the reference's UI shows.
function showPhase(phase) {
  if (phase === "prepared") setConn("Suspended", "warn");
  else if (phase === "preparing" || phase === "draining") setConn("Suspending…", "warn");
  else setConn(`Connected · ${state.version ?? ""}`, "ok");
}

function connect() {
  const token = takeToken();
  state.token = token;
  if (!token && !localStorage.getItem(DEVICE_TOKEN_KEY)) return showLogin("");
  state.identity ??= loadIdentity();
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}${location.pathname}`);
  state.ws = ws;
  setConn("Connecting…");
  ws.onmessage = (event) => {
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (frame.type === "event" && frame.event === "connect.challenge") {
      return void sendConnect(ws, token, frame.payload?.nonce ?? "").catch((error) => showLogin(error.message));
    }
    if (frame.type === "res") return settle(frame);
    if (frame.type === "event") return onEvent(frame.event, frame.payload);
  };
  ws.onclose = (event) => {
    for (const { reject } of state.pending.values()) reject(new Error("connection closed"));
    state.pending.clear();
    if (state.ws !== ws) return;
    if (state.pairingRequestId) {
      // Approval pending: the token was good; keep it and ask again until approved.
      setTimeout(connect, PAIRING_RETRY_MS);
      return;
    }
    if (event.code === 4001 || event.code === 1008) {
      localStorage.removeItem(TOKEN_KEY);
      return showLogin(event.reason || "The gateway refused the token.");
    }
    setConn("Disconnected; retrying…", "bad");
    setTimeout(connect, state.retryMs);
    state.retryMs = Math.min(state.retryMs * 2, 10_000);
  };
}

/** Drops the current connection (a new token arrived) and connects again with what storage now holds. */
function reconnect() {
  const old = state.ws;
  state.ws = undefined;
  state.hello = undefined;
  old?.close(1000, "new token");
  connect();
}

async function sendConnect(ws, token, nonce) {
  const identity = await state.identity;
  const deviceToken = localStorage.getItem(DEVICE_TOKEN_KEY) ?? "";
  // The shared token when the page has one; else the device token this browser was given.
  const auth = token ? { token } : { deviceToken };
  const device = identity ? await signDevice(identity, nonce, token || deviceToken) : undefined;
  // Signing is asynchronous: a newer connection (a pasted link) may have replaced this one meanwhile.
  if (state.ws !== ws) return;
  const id = `c${state.nextId++}`;
  state.pending.set(id, {
    resolve: (hello) => {
      if (state.ws !== ws) return;
      state.hello = hello;
      state.pairingRequestId = undefined;
      $("pairing").hidden = true;
      if (hello.auth?.deviceToken) localStorage.setItem(DEVICE_TOKEN_KEY, hello.auth.deviceToken);
      const scopes = hello.auth?.scopes ?? [];
      $("limited").hidden = scopes.includes("operator.admin");
      $("limited").textContent = identity
        ? `Limited access (${
          scopes.join(", ") || "no scopes"
        }): approve this browser with openclaw devices on the gateway host.`
        : "Limited access: this browser has no device identity (open the UI over HTTPS or on localhost to pair it).";
      state.retryMs = 500;
      state.connectedAt = Date.now();
      state.uptimeAtConnect = hello.snapshot?.uptimeMs ?? 0;
      state.health = hello.snapshot?.health;
      state.presence = hello.snapshot?.presence ?? [];
      $("login").hidden = true;
      state.version = hello.server?.version ?? "";
      showPhase(hello.snapshot?.suspension?.phase);
      route();
    },
    reject: (error) => {
      // A connection replaced by a newer one (a pasted link) says nothing about the new token.
      if (state.ws !== ws) return;
      if (error.details?.code === "PAIRING_REQUIRED") {
        state.pairingRequestId = error.details.requestId ?? "";
        return showPairing(state.pairingRequestId);
      }
      state.pairingRequestId = undefined;
      // A stale device token is dropped; the shared token then gets a fresh one.
      if (!token) localStorage.removeItem(DEVICE_TOKEN_KEY);
      localStorage.removeItem(TOKEN_KEY);
      showLogin(error.message);
    },
  });
  ws.send(JSON.stringify({
    type: "req",
    id,
    method: "connect",
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client: CLIENT,
      role: "operator",
      scopes: SCOPES,
      auth,
      ...(device ? { device } : {}),
    },
  }));
}

function showPairing(requestId) {
  $("login").hidden = true;
  for (const page of document.querySelectorAll(".page")) page.hidden = true;
  $("pairing").hidden = false;
  $("pairing-command").textContent = `openclaw devices approve ${requestId}`;
  setConn("Waiting for approval", "bad");
}

function settle(frame) {
  const waiter = state.pending.get(frame.id);
  if (!waiter) return;
  // Two-stage methods answer "accepted" first; the final answer settles the call.
  if (frame.ok && frame.payload?.status === "accepted" && waiter.twoStage) return;
  state.pending.delete(frame.id);
  if (frame.ok) waiter.resolve(frame.payload);
  else {
    const error = new Error(frame.error?.message ?? "request failed");
    error.details = frame.error?.details;
    waiter.reject(error);
  }
}

function request(method, params = {}) {
  return new Promise((resolve, reject) => {
    if (!state.ws || state.ws.readyState !== WebSocket.OPEN) return reject(new Error("not connected"));
    const id = `r${state.nextId++}`;
    state.pending.set(id, { resolve, reject });
    state.ws.send(JSON.stringify({ type: "req", id, method, params }));
  });
}

function onEvent(event, payload) {
  if (event === "health") {
    state.health = payload;
    if (currentPage() === "overview") renderOverview();
  } else if (event === "presence") {
    state.presence = payload?.presence ?? [];
    if (currentPage() === "overview") renderOverview();
  } else if (event === "chat") onChat(payload);
  else if (event === "shutdown") setConn(`Gateway ${payload?.reason ?? "stopping"}…`, "bad");
  else if (event === "gateway.suspension") showPhase(payload?.phase);
  else if (
    event === "config.changed" && currentPage() === "config" && !state.saving && payload?.hash !== state.config?.hash
  ) {
    $("cfg-changes").textContent = "The file changed on disk; Discard edits to load it.";
  }
}

function showLogin(message) {
  $("pairing").hidden = true;
  $("login").hidden = false;
  for (const page of document.querySelectorAll(".page")) page.hidden = true;
  $("login-error").textContent = message;
  setConn("Not connected", "bad");
}

$("login-form").addEventListener("submit", (event) => {
  event.preventDefault();
  localStorage.setItem(TOKEN_KEY, $("token-input").value.trim());
  $("token-input").value = "";
  connect();
});

// --- routing
const PAGES = ["overview", "chat", "logs", "config", "channels"];
function currentPage() {
  const name = /^#\/(\w+)/.exec(location.hash)?.[1];
  return PAGES.includes(name) ? name : "overview";
}

function route() {
  if (!state.hello) return;
  const page = currentPage();
  for (const name of PAGES) $(`page-${name}`).hidden = name !== page;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.page === page) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  clearInterval(state.logTimer);
  ({ overview: renderOverview, chat: openChat, logs: openLogs, config: openConfig, channels: openChannels })[page]();
}
addEventListener("hashchange", () => {
  // A dashboard link pasted into this tab only changes the fragment: no page load reads it, so
  // take its token here (erasing it from the address bar) and log in with it.
  if (/(?:^|[#&])token=/.test(location.hash)) {
    const before = state.token;
    if (takeToken() !== before || !state.hello) return reconnect();
  }
  route();
});

// --- overview
function duration(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  row.append(td);
  return td;
}

function renderOverview() {
  const health = state.health ?? {};
  // Each problem the snapshot reports, worst first; the card shows the first and lists them all.
  const problems = [
    health.configReload?.lastError ? `Config file rejected: ${health.configReload.lastError}` : undefined,
    health.storage?.ok === false && health.storage.lastWriteError
      ? `Transcript write failed: ${health.storage.lastWriteError.error} (${health.storage.lastWriteError.sessionKey})`
      : undefined,
    health.ok === false || health.eventLoop?.degraded === true ? "Event loop degraded" : undefined,
  ].filter(Boolean);
  const label = health.configReload?.lastError ? "Config error" : problems.length > 0 ? "Degraded" : "Healthy";
  $("ov-health").textContent = label;
  $("ov-health").className = `big ${problems.length > 0 ? "error" : "ok"}`;
  $("ov-health").title = problems.join("\n");
  const notes = $("ov-problems");
  notes.replaceChildren(...problems.map((text) => Object.assign(document.createElement("li"), { textContent: text })));
  const ignored = health.configReload?.ignoredKeys ?? [];
  $("ov-ignored").hidden = ignored.length === 0;
  $("ov-ignored").textContent = ignored.length === 0
    ? ""
    : `Config keys this gateway does not implement (ignored): ${ignored.join(", ")}`;
  $("ov-version").textContent = state.hello?.server?.version ?? "?";
  $("ov-uptime").textContent = duration(state.uptimeAtConnect + Date.now() - state.connectedAt);
  const loop = health.eventLoop;
  $("ov-loop").textContent = loop ? `p99 ${Math.round(loop.delayP99Ms ?? 0)} ms` : "n/a";
  const body = $("ov-presence").tBodies[0];
  body.replaceChildren();
  // Presence also carries the gateway's own entry (reason "self") and system events: not clients.
  const clients = state.presence.filter((p) => p.reason === "connect");
  for (const p of clients) {
    const row = body.insertRow();
    for (const text of [p.text ?? p.clientId ?? p.host ?? p.instanceId ?? "client", p.mode, p.version, p.ip]) {
      cell(row, text);
    }
  }
  if (clients.length === 0) cell(body.insertRow(), "No clients connected.").colSpan = 4;
  const channels = $("ov-channels");
  channels.replaceChildren();
  const order = health.channelOrder ?? [];
  if (order.length === 0) {
    channels.append(Object.assign(document.createElement("li"), { textContent: "No chat channels configured." }));
  }
  for (const id of order) {
    const c = health.channels?.[id] ?? {};
    const li = document.createElement("li");
    li.textContent = `${health.channelLabels?.[id] ?? id}: ${
      c.connected ? "connected" : c.running ? "connecting" : "stopped"
    }${c.lastError ? ` (${c.lastError})` : ""}`;
    channels.append(li);
  }
}
setInterval(() => {
  if (state.hello && currentPage() === "overview") {
    $("ov-uptime").textContent = duration(state.uptimeAtConnect + Date.now() - state.connectedAt);
  }
}, 1000);

// --- chat
function textOf(message) {
  // A user's message comes as a string (as the reference sends it), an answer as text parts.
  const content = message?.content ?? [];
  return typeof content === "string" ? content : content.map((c) => c.text ?? "").join("");
}

function messageItem(role, text) {
  return Object.assign(document.createElement("li"), { className: role, textContent: text });
}

function bubble(role, text) {
  const li = messageItem(role, text);
  $("chat-log").append(li);
  li.scrollIntoView({ block: "end" });
  return li;
}

async function openChat() {
  $("chat-key").textContent = state.sessionKey;
  // What the log shows now is replaced by the history; what is added while it loads (a message
  // sent, an answer streaming) stays after it. The log says it is busy until then.
  const log = $("chat-log");
  const stale = [...log.children];
  log.setAttribute("aria-busy", "true");
  try {
    const [sessions, history] = await Promise.all([
      request("sessions.list", {}),
      request("chat.history", { sessionKey: state.sessionKey, limit: 200 }),
    ]);
    const list = $("chat-sessions");
    list.replaceChildren();
    const keys = new Set([state.sessionKey, ...(sessions.sessions ?? []).map((s) => s.key)]);
    for (const key of keys) {
      const li = document.createElement("li");
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: key, title: key });
      if (key === state.sessionKey) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => {
        state.sessionKey = key;
        openChat();
      });
      li.append(button);
      list.append(li);
    }
    for (const el of stale) el.remove();
    log.prepend(...(history.messages ?? []).map((m) => messageItem(m.role, textOf(m))));
    // A run's answer is on disk just before its final event goes out: don't show it twice.
    state.historyRuns = new Set(
      (history.messages ?? []).filter((m) => m.role === "assistant").map((m) => m.__openclaw?.runId ?? m.runId).filter(
        Boolean,
      ),
    );
  } catch (error) {
    $("chat-status").textContent = error.message;
  } finally {
    log.setAttribute("aria-busy", "false");
  }
}

function onChat(payload) {
  if (!payload || payload.sessionKey !== state.sessionKey || currentPage() !== "chat") return;
  let run = state.runs.get(payload.runId);
  if (!run && state.historyRuns.has(payload.runId)) return;
  const failed = state.failedRuns.get(payload.runId);
  if (!run && failed && payload.state === "error") {
    failed.textContent = payload.errorMessage ?? failed.textContent;
    return;
  }
  // A start-up status (preparing the workspace, the context, the model) has no text to show in a bubble yet.
  if (payload.state === "status") {
    if (!run) $("chat-status").textContent = "Starting…";
    return;
  }
  if (!run) {
    run = { el: bubble("assistant", ""), text: "" };
    state.runs.set(payload.runId, run);
  }
  if (payload.state === "delta") {
    run.text += payload.deltaText ?? "";
    run.el.textContent = run.text;
    $("chat-status").textContent = "Answering…";
  } else if (payload.state === "final") {
    run.el.textContent = textOf(payload.message) || run.text;
    endRun(payload.runId, "");
  } else if (payload.state === "aborted") {
    run.el.textContent = `${run.text} [stopped]`;
    endRun(payload.runId, "Stopped.");
  } else if (payload.state === "error") {
    run.el.className = "error";
    run.el.textContent = payload.errorMessage ?? "The agent failed.";
    state.failedRuns.set(payload.runId, run.el);
    if (state.failedRuns.size > 50) state.failedRuns.delete(state.failedRuns.keys().next().value);
    endRun(payload.runId, "");
  }
}

function endRun(runId, status) {
  state.runs.delete(runId);
  $("chat-abort").disabled = state.runs.size === 0;
  $("chat-status").textContent = status;
}

$("chat-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = $("chat-input").value.trim();
  if (!message) return;
  $("chat-input").value = "";
  bubble("user", message);
  $("chat-abort").disabled = false;
  $("chat-status").textContent = "Sent.";
  try {
    const answer = await request("chat.send", {
      sessionKey: state.sessionKey,
      message,
      idempotencyKey: crypto.randomUUID(),
    });
    // `/stop` (and the other stop words) is answered as chat.abort is: no run of its own will end to say so.
    if (answer && answer.ok === true && Array.isArray(answer.runIds)) {
      $("chat-abort").disabled = state.runs.size === 0;
      $("chat-status").textContent = answer.aborted ? "Stopped." : "Nothing to stop.";
    }
  } catch (error) {
    bubble("error", error.message);
    $("chat-abort").disabled = true;
  }
});
$("chat-input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    $("chat-form").requestSubmit();
  }
});
$("chat-abort").addEventListener(
  "click",
  () => request("chat.abort", { sessionKey: state.sessionKey }).catch(() => {}),
);

// --- logs
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
function logLine(raw) {
  try {
    const entry = JSON.parse(raw);
    const level = entry._meta?.logLevelName ?? "INFO";
    let subsystem = "";
    try {
      subsystem = JSON.parse(entry["0"]).subsystem ?? "";
    } catch { /* plain name */ }
    return { level, text: `${entry.time ?? ""} ${level.padEnd(5)} [${subsystem}] ${entry.message ?? ""}` };
  } catch {
    return { level: "INFO", text: raw };
  }
}

async function pollLogs() {
  try {
    const params = state.logCursor === undefined ? { limit: 300 } : { cursor: state.logCursor, limit: 500 };
    const result = await request("logs.tail", params);
    if (result.reset) $("logs-out").replaceChildren();
    state.logCursor = result.cursor;
    $("logs-file").textContent = result.file ?? "";
    const min = LEVELS.indexOf($("logs-level").value);
    const out = $("logs-out");
    const atEnd = out.scrollTop + out.clientHeight >= out.scrollHeight - 20;
    for (const raw of result.lines ?? []) {
      const { level, text } = logLine(raw);
      const span = document.createElement("span");
      span.className = `lvl-${level}`;
      span.dataset.level = level;
      span.hidden = LEVELS.indexOf(level) < min;
      span.textContent = `${text}\n`;
      out.append(span);
    }
    while (out.childElementCount > 2000) out.firstElementChild.remove();
    if (atEnd) out.scrollTop = out.scrollHeight;
  } catch (error) {
    $("logs-file").textContent = error.message;
  }
}

function openLogs() {
  state.logCursor = undefined;
  $("logs-out").replaceChildren();
  pollLogs();
  if ($("logs-follow").checked) state.logTimer = setInterval(pollLogs, 1000);
}
$("logs-follow").addEventListener("change", () => {
  clearInterval(state.logTimer);
  if ($("logs-follow").checked) state.logTimer = setInterval(pollLogs, 1000);
});
$("logs-level").addEventListener("change", () => {
  const min = LEVELS.indexOf($("logs-level").value);
  for (const span of $("logs-out").children) span.hidden = LEVELS.indexOf(span.dataset.level) < min;
});

// --- config
async function openConfig() {
  $("cfg-result").replaceChildren();
  $("cfg-changes").textContent = "";
  try {
    const config = await request("config.get", {});
    state.config = config;
    $("cfg-path").textContent = config.path;
    $("cfg-editor").value = config.valid ? JSON.stringify(config.parsed ?? {}, null, 2) : config.raw ?? "";
    // An invalid file's text is withheld by the gateway (it may hold secrets it cannot redact);
    // the issues still say where in the file to look. Otherwise the editor holds the file's own
    // text, so the gateway's line numbers point into it.
    if (!config.valid && config.raw == null) {
      showIssues(`The file on disk is invalid; fix it in ${config.path} at the place shown`, config.issues, "file");
    } else if (!config.valid) showIssues("The file on disk is invalid", config.issues, "server");
  } catch (error) {
    showResult(error.message, "error");
  }
}

/** An RFC 7396 merge patch turning `before` into `after` (removed keys become null). */
function mergePatch(before, after) {
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return after;
  const patch = {};
  for (const key of Object.keys(before)) if (!(key in after)) patch[key] = null;
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(before[key]) === JSON.stringify(value)) continue;
    patch[key] = isObject(before[key]) && isObject(value) ? mergePatch(before[key], value) : value;
  }
  return patch;
}

function changedKeys(patch, prefix = "") {
  return Object.entries(patch).flatMap(([key, value]) =>
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0
      ? changedKeys(value, `${prefix}${key}.`)
      : [`${prefix}${key}`]
  );
}

function showResult(text, kind) {
  const p = Object.assign(document.createElement("p"), { textContent: text, className: kind });
  $("cfg-result").replaceChildren(p);
}

/**
 * Lists config issues, each with the editor line it concerns; clicking one selects that line.
 * `lines`: "server" when the gateway's line numbers refer to the editor's text (the file as it is
 * on disk), "editor" when they refer to a text the gateway built (a patch merged into the file):
 * the line is then found by key path in the editor's own text; "file" when they refer to the file
 * on disk, which the editor does not hold (shown, not selectable).
 */
function showIssues(title, issues, lines) {
  showResult(title, "error");
  const list = document.createElement("ul");
  const text = $("cfg-editor").value;
  for (const issue of issues ?? []) {
    const at = lines !== "editor"
      ? (issue.line ? { line: issue.line, column: issue.column } : undefined)
      : locateJsonPath(text, issue.path ? issue.path.split(".") : []);
    const where = at ? ` (line ${at.line}${at.column ? `, column ${at.column}` : ""})` : "";
    const li = Object.assign(document.createElement("li"), {
      textContent: `${issue.path || "(root)"}: ${issue.message}${where}`,
    });
    if (at && lines !== "file") {
      li.dataset.line = String(at.line);
      li.className = "link";
      li.addEventListener("click", () => selectEditorLine(at.line));
    }
    list.append(li);
  }
  $("cfg-result").append(list);
}

/** Selects one line of the config editor and scrolls it into view. */
function selectEditorLine(line) {
  const editor = $("cfg-editor");
  const rows = editor.value.split("\n");
  const start = rows.slice(0, line - 1).reduce((sum, row) => sum + row.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(start, start + (rows[line - 1]?.length ?? 0));
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 16;
  editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

/**
 * The 1-based line and column where a key path is written in JSON text (the deepest part of the
 * path that exists), or undefined when the text is not JSON.
 */
function locateJsonPath(text, path) {
  let pos = 0;
  const skip = () => {
    while (/\s/.test(text[pos] ?? "")) pos++;
  };
  const string = () => {
    const start = pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
    pos++;
    return JSON.parse(text.slice(start, pos));
  };
  const value = () => {
    skip();
    const ch = text[pos];
    if (ch === '"') return void string();
    if (ch !== "{" && ch !== "[") {
      while (pos < text.length && !/[\s,}\]]/.test(text[pos])) pos++;
      return;
    }
    const close = ch === "{" ? "}" : "]";
    pos++;
    for (skip(); text[pos] !== close; skip()) {
      if (ch === "{") {
        string();
        skip();
        pos++; // :
      }
      value();
      skip();
      if (text[pos] === ",") pos++;
    }
    pos++;
  };
  const find = (depth) => {
    skip();
    const found = pos;
    if (depth === path.length) return found;
    const ch = text[pos];
    if (ch !== "{" && ch !== "[") return found;
    pos++;
    for (let index = 0; (skip(), text[pos] !== (ch === "{" ? "}" : "]")); index++) {
      let key = String(index);
      const keyAt = pos;
      if (ch === "{") {
        key = string();
        skip();
        pos++; // :
      }
      if (key === String(path[depth])) return depth + 1 === path.length ? keyAt : find(depth + 1);
      value();
      skip();
      if (text[pos] === ",") pos++;
    }
    return found;
  };
  try {
    JSON.parse(text);
    const offset = find(0);
    const before = text.slice(0, offset).split("\n");
    return { line: before.length, column: before.at(-1).length + 1 };
  } catch {
    return undefined;
  }
}

function describeReload(reload) {
  if (!reload) return "Saved.";
  const list = (paths) => paths.join(", ");
  switch (reload.action) {
    case "none":
      return "Saved. Nothing needs reloading.";
    case "hot":
      return `Saved and applied without a restart: ${list(reload.hot)}.`;
    case "restart":
      return `Saved. The gateway restarts to apply: ${list(reload.restart)}${
        reload.hot.length ? ` (also: ${list(reload.hot)})` : ""
      }.`;
    case "hot-with-pending-restart":
      return `Saved. Applied: ${list(reload.hot)}. Needs a manual restart: ${list(reload.restart)}.`;
    default:
      return "Saved. Reloading is off (gateway.reload.mode); restart to apply.";
  }
}

// A config.apply or config.patch answer: a write restarts the gateway itself only while reloading is off; otherwise
// the reload applies the file (a patch that changes nothing is not written).
function describeWrite(result) {
  if (result.noop) return "Saved. Nothing changed.";
  if (!result.restart) return describeReload(result.reload);
  const seconds = Math.round(result.restart.delayMs / 1000);
  return `Saved. Reloading is off (gateway.reload.mode): the gateway restarts ${
    seconds > 0 ? `in ${seconds} s` : "now"
  } to apply it.`;
}

async function saveConfig(apply) {
  let edited;
  try {
    edited = JSON.parse($("cfg-editor").value);
  } catch (error) {
    return showResult(`Not valid JSON: ${error.message}`, "error");
  }
  const patch = mergePatch(state.config?.parsed ?? {}, edited);
  const keys = changedKeys(patch);
  if (!apply && keys.length === 0) return showResult("No changes to save.", "muted");
  $("cfg-changes").textContent = keys.length ? `Changing: ${keys.join(", ")}` : "";
  state.saving = true;
  try {
    const result = apply
      ? await request("config.apply", { raw: JSON.stringify(edited, null, 2), baseHash: state.config?.hash })
      : await request("config.patch", { raw: JSON.stringify(patch), baseHash: state.config?.hash });
    state.config = { ...state.config, hash: result.hash, parsed: edited };
    showResult(describeWrite(result), "ok");
  } catch (error) {
    if (error.details?.issues) showIssues(error.message.split("\n")[0], error.details.issues, "editor");
    else showResult(error.message, "error");
  } finally {
    // Our own write's config.changed event: ignored while saving, and by its hash afterwards.
    state.saving = false;
  }
}
$("cfg-save").addEventListener("click", () => saveConfig(false));
$("cfg-apply").addEventListener("click", () => saveConfig(true));
$("cfg-reload").addEventListener("click", openConfig);

// --- channels
async function openChannels(probe = false) {
  $("ch-status").textContent = probe ? "Probing…" : "";
  try {
    const [status, pairing] = await Promise.all([
      request("channels.status", { probe, timeoutMs: 8000 }),
      request("channels.pairing.list", {}),
    ]);
    const config = await request("config.get", {});
    state.channelsConfig = config;
    const body = $("ch-accounts").tBodies[0];
    body.replaceChildren();
    // Every account the config names, with the gateway's status where it runs one.
    const rows = configuredAccounts(config.parsed ?? {});
    for (const id of status.channelOrder) {
      for (const a of status.channelAccounts[id] ?? []) {
        if (!rows.some((r) => r.channel === id && r.accountId === a.accountId)) {
          rows.push({ channel: id, accountId: a.accountId, enabled: a.enabled !== false });
        }
      }
    }
    for (const r of rows) {
      const a = (status.channelAccounts[r.channel] ?? []).find((x) => x.accountId === r.accountId) ?? {};
      const row = body.insertRow();
      row.dataset.channel = r.channel;
      row.dataset.account = r.accountId;
      cell(row, status.channelLabels[r.channel] ?? CHANNEL_LABELS[r.channel] ?? r.channel);
      cell(row, r.accountId);
      cell(
        row,
        !r.enabled
          ? "disabled"
          : a.connected
          ? "connected"
          : a.running
          ? "connecting"
          : a.linked === false
          ? "not linked"
          : "stopped",
      );
      cell(row, a.dmPolicy ?? r.dmPolicy ?? "");
      cell(row, a.probe ? (a.probe.ok ? `works (${a.probe.elapsedMs} ms)` : `failed: ${a.probe.error}`) : "");
      cell(row, a.lastError ?? "");
      accountActions(cell(row, ""), r);
    }
    if (rows.length === 0) cell(body.insertRow(), "No chat channels configured.").colSpan = 7;
    if (!$("chf-fields").childElementCount) renderChannelFields();
    const requests = $("ch-pairing").tBodies[0];
    requests.replaceChildren();
    for (const r of pairing.requests) {
      const row = requests.insertRow();
      cell(row, `${r.channelLabel} (${r.accountId})`);
      cell(row, r.senderLabel === r.senderId ? r.senderId : `${r.senderLabel} — ${r.senderId}`);
      cell(row, r.requestId);
      cell(row, new Date(r.createdAt).toLocaleString());
      const actions = cell(row, "");
      const approve = Object.assign(document.createElement("button"), { type: "button", textContent: "Approve" });
      approve.addEventListener("click", () => pairingAction("approve", r));
      const dismiss = Object.assign(document.createElement("button"), {
        type: "button",
        textContent: "Dismiss",
        className: "secondary",
      });
      dismiss.addEventListener("click", () => pairingAction("dismiss", r));
      actions.append(approve, " ", dismiss);
    }
    if (pairing.requests.length === 0) cell(requests.insertRow(), "No pending requests.").colSpan = 5;
    $("ch-status").textContent = probe ? "Probed." : "";
  } catch (error) {
    $("ch-status").textContent = error.message;
  }
}

async function pairingAction(action, r) {
  try {
    const params = { channel: r.channel, accountId: r.accountId, requestId: r.requestId };
    await request(`channels.pairing.${action}`, action === "approve" ? { ...params, notify: true } : params);
    $("ch-status").textContent = action === "approve" ? `Approved ${r.senderId}.` : `Dismissed ${r.senderId}.`;
    await openChannels();
  } catch (error) {
    $("ch-status").textContent = error.message;
  }
}
$("ch-probe").addEventListener("click", () => openChannels(true));

// --- channel accounts: added, edited, enabled/disabled and removed through config.patch (a JSON
// merge patch on the file, as the reference's UI writes it). Secrets are write-only here: the
// gateway redacts them in config.get, and a blank secret field keeps what the file holds.
const CHANNEL_LABELS = { telegram: "Telegram", discord: "Discord", slack: "Slack", whatsapp: "WhatsApp", irc: "IRC" };
const ACCESS = [["dmPolicy", "DM policy", "policy"], ["allowFrom", "Allow from", "list"]];
const CHANNEL_FIELDS = {
  telegram: [["botToken", "Bot token", "secret"], ...ACCESS],
  discord: [["token", "Bot token", "secret"], ...ACCESS],
  slack: [
    ["mode", "Mode", "mode"],
    ["botToken", "Bot token", "secret"],
    ["appToken", "App token", "secret"],
    ["signingSecret", "Signing secret", "secret"],
    ...ACCESS,
  ],
  whatsapp: [...ACCESS, ["groupPolicy", "Group policy", "group"]],
  irc: [
    ["host", "Server", "text"],
    ["port", "Port", "number"],
    ["tls", "TLS", "bool"],
    ["nick", "Nick", "text"],
    ["channels", "Channels", "list"],
    ["password", "Server password", "secret"],
    ...ACCESS,
  ],
};
const CHOICES = {
  policy: ["", "pairing", "allowlist", "open", "disabled"],
  group: ["", "allowlist", "open", "disabled"],
  mode: ["", "socket", "http"],
};
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** The accounts each channel section names: `accounts` keys, or `default` for a root-configured one. */
function configuredAccounts(parsed) {
  const out = [];
  for (const [channel, section] of Object.entries(parsed.channels ?? {})) {
    if (!CHANNEL_FIELDS[channel] || !isObject(section)) continue;
    const ids = isObject(section.accounts) ? Object.keys(section.accounts).sort() : [];
    for (const accountId of ids.length ? ids : ["default"]) {
      const own = accountEntry(section, accountId).entry;
      out.push({
        channel,
        accountId,
        enabled: section.enabled !== false && own.enabled !== false,
        dmPolicy: own.dmPolicy ?? section.dmPolicy,
      });
    }
  }
  return out;
}

/**
 * An account id made canonical as the reference (and `openclaw channels add`) makes it: lower
 * case, runs of anything but `a-z0-9_-` as one `-`, so it never names a path; "" when nothing is left.
 */
function canonicalAccountId(raw) {
  const id = raw.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64);
  return ["__proto__", "constructor", "prototype"].includes(id) ? "" : id;
}

/** Where an account's settings live: the section root (a lone default account) or `accounts.<id>`. */
function accountEntry(section, accountId, channel) {
  const atRoot = accountId === "default" && !isObject(section?.accounts) && channel !== "whatsapp";
  if (atRoot) return { atRoot, entry: isObject(section) ? section : {} };
  const entry = section?.accounts?.[accountId];
  return { atRoot, entry: isObject(entry) ? entry : {} };
}

// The root keys `openclaw channels add` moves into `accounts.default` when a second account is
// added to a channel configured at its root (src/config/channel_edit.ts, as the reference does).
const PROMOTED_KEYS = [
  "name",
  "token",
  "tokenFile",
  "botId",
  "secret",
  "botToken",
  "webhookPath",
  "webhookUrl",
  "dmPolicy",
  "allowFrom",
  "groupPolicy",
  "groupAllowFrom",
  "defaultTo",
  "streaming",
  "allowBots",
  "blockStreaming",
  "replyToMode",
  "textChunkLimit",
  "chunkMode",
  "responsePrefix",
  "ackReaction",
  "ackReactionScope",
  "reactionNotifications",
  "threadBindings",
  "mediaMaxMb",
  "dm",
  "groups",
  "actions",
];
const CHANNEL_PROMOTED_KEYS = { telegram: ["webhookSecret"], slack: ["appToken"], irc: ["password"], whatsapp: [] };
const REDACTED = "__OPENCLAW_REDACTED__";

/**
 * A merge patch that writes `value` at the account's place (null removes it). A named account
 * added beside a root-configured default first moves the default's own settings to
 * `accounts.default`, so the first account keeps running and the new one does not inherit them.
 */
function accountPatch(channel, accountId, value) {
  const section = state.channelsConfig?.parsed?.channels?.[channel];
  const { atRoot } = accountEntry(section, accountId, channel);
  if (atRoot) return { channels: { [channel]: value } };
  const enable = value && !section ? { enabled: true } : {};
  const patch = { ...enable, accounts: { [accountId]: value } };
  if (value && isObject(section) && !isObject(section.accounts) && channel !== "whatsapp") {
    const keys = [...PROMOTED_KEYS, ...CHANNEL_PROMOTED_KEYS[channel] ?? []].filter((k) => section[k] !== undefined);
    // A secret reaches the page redacted, and a redacted value can only be written back in place.
    if (keys.some((k) => JSON.stringify(section[k]).includes(REDACTED))) {
      throw new Error(
        `${
          CHANNEL_LABELS[channel]
        }'s first account is configured at the channel's root with its secret: add "${accountId}" with openclaw channels add --channel ${channel} --account ${accountId}, which moves the first account under accounts.default.`,
      );
    }
    patch.accounts.default = Object.fromEntries(keys.map((k) => [k, section[k]]));
    for (const k of keys) patch[k] = null;
  }
  return { channels: { [channel]: patch } };
}

async function patchChannels(patch, done) {
  try {
    const result = await request("config.patch", {
      raw: JSON.stringify(patch),
      baseHash: state.channelsConfig?.hash,
    });
    state.channelsConfig = { ...state.channelsConfig, hash: result.hash };
    // The page shows the new state before it says so, so the next action starts from it.
    await openChannels();
    $("chf-status").textContent = `${done} Config ${describeWrite(result).replace(/^Saved/, "saved")}`;
    return true;
  } catch (error) {
    const issues = (error.details?.issues ?? []).map((i) =>
      `${Array.isArray(i.path) ? i.path.join(".") : i.path ?? ""}: ${i.message}`
    );
    $("chf-status").textContent = [error.message.split("\n")[0], ...issues].join(" — ");
    return false;
  }
}

function button(text, onClick, className = "secondary") {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: text, className });
  b.addEventListener("click", onClick);
  return b;
}

function accountActions(td, r) {
  const label = `${CHANNEL_LABELS[r.channel] ?? r.channel} ${r.accountId}`;
  td.append(
    button("Edit", () => editAccount(r.channel, r.accountId)),
    " ",
    button(r.enabled ? "Disable" : "Enable", () =>
      patchChannels(
        accountPatch(r.channel, r.accountId, { enabled: !r.enabled }),
        `${r.enabled ? "Disabled" : "Enabled"} ${label}.`,
      )),
    " ",
    button("Remove", () => {
      if (!confirm(`Remove ${label} from the config?`)) return;
      // The last account of a channel takes its section with it, so no empty account is left behind.
      const section = state.channelsConfig?.parsed?.channels?.[r.channel];
      const others = isObject(section?.accounts)
        ? Object.keys(section.accounts).filter((id) => id !== r.accountId)
        : [];
      const patch = others.length === 0
        ? { channels: { [r.channel]: null } }
        : accountPatch(r.channel, r.accountId, null);
      patchChannels(patch, `Removed ${label}.`);
    }),
  );
  if (r.channel === "whatsapp") td.append(" ", button("Link (QR)", () => showWhatsAppQr(r.accountId)));
}

/** Draws the selected channel's fields, filled from the account's current settings (never its secrets). */
function renderChannelFields() {
  const channel = $("chf-channel").value;
  const accountId = $("chf-account").value.trim() || "default";
  const section = state.channelsConfig?.parsed?.channels?.[channel];
  const { entry } = accountEntry(section, accountId, channel);
  const holder = $("chf-fields");
  holder.replaceChildren();
  $("chf-name").value = entry.name ?? "";
  $("chf-enabled").checked = entry.enabled !== false;
  for (const [key, text, kind] of CHANNEL_FIELDS[channel]) {
    const label = document.createElement("label");
    let input;
    if (CHOICES[kind]) {
      input = document.createElement("select");
      for (const choice of CHOICES[kind]) input.add(new Option(choice || "(inherit)", choice));
      input.value = entry[key] ?? "";
    } else {
      input = document.createElement("input");
      input.autocomplete = "off";
      if (kind === "bool") {
        input.type = "checkbox";
        input.checked = entry[key] === true;
      } else if (kind === "secret") {
        input.type = "password";
        input.placeholder = entry[key] !== undefined ? "set (leave blank to keep)" : "not set";
      } else {
        input.type = kind === "number" ? "number" : "text";
        const value = entry[key];
        input.value = value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value);
      }
    }
    input.id = `chf-${key}`;
    input.dataset.key = key;
    input.dataset.kind = kind;
    label.append(`${text} `, input);
    holder.append(label);
  }
}

function editAccount(channel, accountId) {
  $("chf-channel").value = channel;
  $("chf-account").value = accountId;
  renderChannelFields();
  $("chf-channel").focus();
}

/** The form's values as account settings: changed fields only; a cleared field is removed (null). */
function formSettings(channel, entry) {
  const out = { enabled: $("chf-enabled").checked };
  const name = $("chf-name").value.trim();
  if (name) out.name = name;
  else if (entry.name !== undefined) out.name = null;
  for (const input of $("chf-fields").querySelectorAll("[data-key]")) {
    const { key, kind } = input.dataset;
    let value;
    if (kind === "secret") {
      if (input.value) out[key] = input.value;
      continue;
    } else if (kind === "bool") value = input.checked ? true : undefined;
    else if (kind === "list") {
      value = input.value.split(",").map((v) => v.trim()).filter(Boolean);
      if (value.length === 0) value = undefined;
    } else if (kind === "number") value = input.value === "" ? undefined : Number(input.value);
    else value = input.value.trim() || undefined;
    if (value === undefined) {
      if (entry[key] !== undefined) out[key] = null;
    } else if (JSON.stringify(value) !== JSON.stringify(entry[key])) out[key] = value;
  }
  return out;
}

$("chf-channel").addEventListener("change", renderChannelFields);
// An account id that names a configured account loads its settings; a new id keeps what was typed.
$("chf-account").addEventListener("change", () => {
  const section = state.channelsConfig?.parsed?.channels?.[$("chf-channel").value];
  const id = $("chf-account").value.trim();
  if (isObject(section?.accounts?.[id]) || (id === "default" && isObject(section))) renderChannelFields();
});
$("chf").addEventListener("submit", async (event) => {
  event.preventDefault();
  const channel = $("chf-channel").value;
  const typed = $("chf-account").value.trim();
  if (!typed) return void ($("chf-status").textContent = "Account id must not be blank.");
  const accountId = canonicalAccountId(typed);
  if (!accountId) return void ($("chf-status").textContent = `Invalid account id "${typed}".`);
  $("chf-account").value = accountId;
  const section = state.channelsConfig?.parsed?.channels?.[channel];
  const { entry } = accountEntry(section, accountId, channel);
  const settings = formSettings(channel, entry);
  let patch;
  try {
    patch = accountPatch(channel, accountId, settings);
  } catch (error) {
    return void ($("chf-status").textContent = error.message);
  }
  const saved = await patchChannels(patch, `Saved ${CHANNEL_LABELS[channel]} ${accountId}.`);
  // The secret fields are emptied either way: what was typed is never shown again.
  for (const input of $("chf-fields").querySelectorAll("[data-kind=secret]")) input.value = "";
  if (saved) renderChannelFields();
});

/** WhatsApp's QR login: `web.login.start` shows the first QR, `web.login.wait` follows it to the end. */
async function showWhatsAppQr(accountId) {
  $("ch-qr").hidden = false;
  $("ch-qr-img").hidden = true;
  $("ch-qr-msg").textContent = "Asking the gateway for a QR code…";
  try {
    let result = await request("web.login.start", { accountId, force: false, timeoutMs: 30000 });
    for (;;) {
      $("ch-qr-msg").textContent = result.message ?? "";
      if (result.qrDataUrl) {
        $("ch-qr-img").src = result.qrDataUrl;
        $("ch-qr-img").hidden = false;
      }
      if (result.connected || (!result.qrDataUrl && result.connected === undefined)) break;
      if (result.connected === false && !result.qrDataUrl && !/waiting/i.test(result.message ?? "")) break;
      if (currentPage() !== "channels" || $("ch-qr").hidden) break;
      result = await request("web.login.wait", {
        accountId,
        timeoutMs: 20000,
        // The protocol caps this at 16 KiB: a larger QR is just not compared.
        currentQrDataUrl: !$("ch-qr-img").hidden && $("ch-qr-img").src.length <= 16384 ? $("ch-qr-img").src : undefined,
      });
    }
    if (result.connected) {
      $("ch-qr-img").hidden = true;
      await openChannels();
    }
  } catch (error) {
    $("ch-qr-msg").textContent = error.message;
  }
}

connect();
