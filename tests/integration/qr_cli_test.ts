// `openclaw qr` replayed against the reference's recorded answers (tests/fixtures/bootstrap/
// reference_qr_cli.json): same arguments and config, same exit code, same stdout and stderr once the
// random setup code and its QR block are replaced as the recording replaced them.
import assert from "node:assert/strict";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

interface RecordedCase {
  args: string[];
  config?: unknown;
  exitCode?: number;
  stdout: string;
  stderr?: string;
  setupPayloadKeys?: string[];
}

const recorded: Record<string, RecordedCase> = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/bootstrap/reference_qr_cli.json", import.meta.url)),
);

/** Replaces the setup code and the QR block as the recording did; returns the decoded payload's keys. */
function normalize(text: string): { text: string; keys?: string[] } {
  const code = /eyJ[A-Za-z0-9_-]+/.exec(text)?.[0];
  const keys = code ? Object.keys(JSON.parse(atob(code.replace(/-/g, "+").replace(/_/g, "/")))).sort() : undefined;
  const lines: string[] = [];
  for (const line of (code ? text.replaceAll(code, "<setup-code>") : text).split("\n")) {
    if (!line.includes("\x1b[47m")) lines.push(line);
    else if (lines.at(-1) !== "<qr>") lines.push("<qr>");
  }
  return { text: lines.join("\n").trimEnd(), ...(keys ? { keys } : {}) };
}

/** Whether this host has a private LAN IPv4 address (the recording's host had none: case `bindlan`). */
function hasPrivateLan(): boolean {
  return Deno.networkInterfaces().some((i) =>
    i.family === "IPv4" && /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(i.address)
  );
}

for (const [name, expected] of Object.entries(recorded)) {
  if (name === "help" || (name === "bindlan" && hasPrivateLan())) continue;
  Deno.test(`openclaw qr ${expected.args.join(" ")} answers as the reference (${name})`, async () => {
    const home = await tempHome(expected.config ?? undefined);
    try {
      const result = await runOpenclaw(["qr", ...expected.args], { home: home.home });
      assert.equal(result.code, expected.exitCode, result.stderr);
      const stdout = normalize(result.stdout);
      assert.equal(stdout.text, expected.stdout.trimEnd());
      assert.equal(normalize(result.stderr).text, (expected.stderr ?? "").trimEnd());
      assert.deepEqual(stdout.keys, expected.setupPayloadKeys);
    } finally {
      await home.cleanup();
    }
  });
}
