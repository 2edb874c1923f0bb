import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { buildProgram } from "../../src/cli/main.ts";
import { completionScript } from "../../src/cli/commands/completion.ts";

/** Sources the generated bash script in a plain bash, calls the function as readline would, returns COMPREPLY. */
async function complete(script: string, line: string, current: string): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/oc.bash`, script);
    const harness = `source "$1"; COMP_LINE="$2"; COMP_POINT=\${#COMP_LINE}; _openclaw_completion openclaw "$3" ""; ` +
      `printf '%s\\n' "\${COMPREPLY[@]}"`;
    const output = await new Deno.Command("bash", { args: ["-c", harness, "bash", `${dir}/oc.bash`, line, current] })
      .output();
    return new TextDecoder().decode(output.stdout).split("\n").filter(Boolean);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const script = completionScript(buildProgram(() => {}), "bash");

Deno.test("bash completion completes a command prefix", async () => {
  assertEquals(await complete(script, "openclaw ga", "ga"), ["gateway"]);
});

Deno.test("bash completion offers a command's subcommands before its flags", async () => {
  const words = await complete(script, "openclaw gateway ", "");
  assertEquals(words.slice(0, 2), ["run", "install"]);
  assertEquals(words.includes("--port"), true);
});

Deno.test("bash completion offers the flags of a nested command", async () => {
  assertEquals(await complete(script, "openclaw config get --", "--"), ["--json"]);
});

Deno.test("bash completion completes --flag=value choices, replacing only the value", async () => {
  assertEquals(await complete(script, "openclaw completion --shell=ba", "ba"), ["bash"]);
  assertEquals(await complete(script, "openclaw completion --shell ", ""), ["zsh", "bash", "powershell", "fish"]);
});

Deno.test("bash completion skips a global option's value before nested commands", async () => {
  assertEquals(await complete(script, "openclaw --profile x gateway r", "r"), ["run", "restart", "resume"]);
});

Deno.test("bash completion offers only command names after --", async () => {
  assertEquals(await complete(script, "openclaw -- ga", "ga"), ["gateway"]);
});

Deno.test("bash completion offers the hooks commands and their flags", async () => {
  const words = await complete(script, "openclaw hooks ", "");
  assertEquals(words.slice(0, 7), ["list", "info", "check", "enable", "disable", "install", "update"]);
  assertEquals(words.includes("--agent") && words.includes("--json"), true);
  assertEquals(await complete(script, "openclaw hooks list --e", "--e"), ["--eligible"]);
});
