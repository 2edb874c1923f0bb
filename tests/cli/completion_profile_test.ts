import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { completionProfilePath, updateProfile } from "../../src/cli/completion_profile.ts";

const fixture = (name: string) =>
  Deno.readTextFileSync(new URL(`../fixtures/completion/${name}.profile.txt`, import.meta.url));
const cacheDir = "/tmp/compl-rec/home/st ate's $x/completions";

Deno.test("updateProfile replaces a slow source <(openclaw completion) line with the cached block (bash)", () => {
  const before = "export FOO=1\nsource <(openclaw completion --shell bash)\nalias x=y\n";
  const update = updateProfile(before, {
    shell: "bash",
    cachePath: `${cacheDir}/openclaw.bash`,
    home: "/tmp/compl-rec/home",
  });
  assertEquals(update, { next: fixture("install_bash"), changed: true, hadExisting: true });
  const again = updateProfile(update.next, {
    shell: "bash",
    cachePath: `${cacheDir}/openclaw.bash`,
    home: "/tmp/compl-rec/home",
  });
  assertEquals(again.changed, false);
});

Deno.test("updateProfile quotes paths with spaces, quotes and $ as the reference does per shell", () => {
  for (
    const [shell, ext, name] of [["zsh", "zsh", "install_zsh"], ["fish", "fish", "install_fish"], [
      "powershell",
      "ps1",
      "install_ps",
    ]] as const
  ) {
    const update = updateProfile("", { shell, cachePath: `${cacheDir}/openclaw.${ext}`, home: "/tmp/compl-rec/home" });
    assertEquals(update.next, fixture(name));
  }
});

Deno.test("updateProfile leaves a user-managed $HOME hook for the same cache untouched", () => {
  const hook =
    '[[ -f "${HOME}/.openclaw/completions/openclaw.bash" ]] && source "${HOME}/.openclaw/completions/openclaw.bash"\n';
  const update = updateProfile(hook, {
    shell: "bash",
    cachePath: "/h/.openclaw/completions/openclaw.bash",
    home: "/h",
  });
  assertEquals(update, { next: hook, changed: false, hadExisting: true });
});

Deno.test("completionProfilePath picks ~/.bashrc, else ~/.bash_profile, and honours ZDOTDIR", () => {
  assertEquals(completionProfilePath("bash", { HOME: "/h" }, { home: "/h", exists: () => true }), "/h/.bashrc");
  assertEquals(completionProfilePath("bash", { HOME: "/h" }, { home: "/h", exists: () => false }), "/h/.bash_profile");
  assertEquals(
    completionProfilePath("zsh", { HOME: "/h", ZDOTDIR: "" }, { home: "/h", exists: () => false }),
    "/.zshrc",
  );
  assertEquals(
    completionProfilePath("zsh", { HOME: "/h", ZDOTDIR: "/z" }, { home: "/h", exists: () => false }),
    "/z/.zshrc",
  );
});
