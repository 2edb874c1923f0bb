// A workspace hook for the internal hook event tests: `HOOK.md` subscribing to the families given, and a
// `handler.ts` appending each event it gets to `<home>/hook-events.jsonl` (type, action, session key, sorted context
// keys, the context without `cfg`, and `cfg`'s presence), pushing the replies a test asks for and throwing on the
// events a test names. The test reads the file back with {@link readHookEvents}.

/** One event as the recorder wrote it. */
export interface RecordedHookEvent {
  /** The hook that recorded it. */
  hook: string;
  type: string;
  action: string;
  sessionKey: string;
  contextKeys: string[];
  context: Record<string, unknown>;
  hasCfg: boolean;
}

/** Writes the recorder hook into `<workspace>/hooks/<name>/`. */
export async function writeHookRecorder(
  workspace: string,
  options: {
    name?: string;
    events: string[];
    /** Replies pushed to `event.messages`, by event key (`command:new`). */
    replies?: Record<string, string[]>;
    /** Event keys whose handler throws `boom` after recording. */
    throwOn?: string[];
  },
): Promise<void> {
  const name = options.name ?? "recorder";
  const dir = `${workspace}/hooks/${name}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/HOOK.md`,
    `---\nname: ${name}\ndescription: "Records internal hook events"\n` +
      `metadata: { "openclaw": { "events": ${JSON.stringify(options.events)} } }\n---\n# ${name}\n`,
  );
  await Deno.writeTextFile(
    `${dir}/handler.ts`,
    `const REPLIES: Record<string, string[]> = ${JSON.stringify(options.replies ?? {})};
const THROW_ON: string[] = ${JSON.stringify(options.throwOn ?? [])};
export default async function (event: {
  type: string; action: string; sessionKey: string; context: Record<string, unknown>; messages: string[];
}) {
  const key = event.type + ":" + event.action;
  const { cfg, ...context } = event.context;
  const line = JSON.stringify({
    hook: ${JSON.stringify(name)}, type: event.type, action: event.action, sessionKey: event.sessionKey,
    contextKeys: Object.keys(event.context).sort(), context, hasCfg: cfg !== undefined && cfg !== null,
  });
  await Deno.writeTextFile(Deno.env.get("HOME") + "/hook-events.jsonl", line + "\\n", { append: true });
  event.messages.push(...(REPLIES[key] ?? []));
  if (THROW_ON.includes(key)) throw new Error("boom");
}
`,
  );
}

/** The events recorded so far under `home`, in order. */
export async function readHookEvents(home: string): Promise<RecordedHookEvent[]> {
  let text = "";
  try {
    text = await Deno.readTextFile(`${home}/hook-events.jsonl`);
  } catch {
    return [];
  }
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as RecordedHookEvent);
}
