// The fish completion script: one `complete -c openclaw` line per subcommand and option, each
// guarded by `__openclaw_command_path_matches <path>`, which replays the typed words (skipping
// option values) to decide which command the cursor is under.

import type { Option } from "commander";
import { commandNames, type CompletionTree, optionFlags, visibleSubcommands } from "./completion_tree.ts";

/** A single-quoted fish word (fish honours `\\` and `\'` inside single quotes). */
function fishWord(value: string): string {
  return `'${value.replace(/[\\']/g, "\\$&")}'`;
}

/** A description inside `-d '...'`; the reference closes and reopens the quote around a `'`. */
function fishDescription(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** Text placed inside a double-quoted fish argument. */
function inDoubleQuotes(value: string): string {
  return value.replace(/[\\"$]/g, "\\$&");
}

function pathHelper(name: string, tree: CompletionTree): string {
  const paths = tree.descendants.flatMap((node) =>
    node.pathVariants.map((path) => ({
      path: fishWord(path.join(" ")),
      valueOptions: node.valueOptions.map(fishWord).join(" "),
    }))
  );
  const pathSwitch = paths.length
    ? [
      ``,
      `    switch (string join " " $command_tokens)`,
      ...paths.map(({ path, valueOptions }) => `      case ${path}\n        set value_options ${valueOptions}`),
      `    end`,
    ].join("\n")
    : "";
  // A condition for `gateway` must not also hold under `gateway run`.
  const deeper = paths.length
    ? [
      ``,
      `  if test (count $command_tokens) -gt (count $expected)`,
      `    set -l next_index (math (count $expected) + 1)`,
      `    set -l candidate_path (string join " " $expected $command_tokens[$next_index])`,
      `    switch "$candidate_path"`,
      `      case ${paths.map(({ path }) => path).join(" ")}`,
      `        return 1`,
      `    end`,
      `  end`,
    ].join("\n")
    : "";
  return `
function __${name}_command_path_matches
  set -l expected $argv
  set -l value_options ${tree.root.valueOptions.map(fishWord).join(" ")}
  set -l tokens (commandline -opc)
  set -e tokens[1]
  set -l command_tokens
  set -l skip_next 0
  for token in $tokens
    if test $skip_next -eq 1
      set skip_next 0
      continue
    end
    set -l flag (string split -m1 "=" -- $token)[1]
    if contains -- $flag $value_options
      if not string match -q -- "*=*" $token
        set skip_next 1
      end
      continue
    end
    if string match -q -- "-*" $token
      continue
    end
    set -a command_tokens $token
${pathSwitch}
  end
  if test (count $expected) -gt 0
    for i in (seq (count $expected))
      if test "$command_tokens[$i]" != "$expected[$i]"
        return 1
      end
    end
  end
${deeper}
  return 0
end
`;
}

function optionLines(name: string, condition: string, option: Option): string {
  const flags = optionFlags(option);
  const description = fishDescription(option.description);
  const choices = option.argChoices?.length ? inDoubleQuotes(option.argChoices.map(fishWord).join(" ")) : undefined;
  const spellings = flags.map((flag) => flag.startsWith("--") ? ` -l ${flag.slice(2)}` : ` -s ${flag.slice(1)}`);
  let line = `complete -c ${name} -n "${condition}"${spellings.join("")}`;
  if (option.required) line += " -r";
  if (choices) line += ` -f -a "${choices}"`;
  line += ` -d ${description}\n`;
  // fish offers `-a` values only for required arguments; an optional one gets them after the flag.
  if (choices && !option.required) {
    const pending = `contains -- (commandline -opc)[-1] ${flags.join(" ")}`;
    line += `complete -c ${name} -n "${condition}; and ${pending}" -f -a "${choices}" -d ${description}\n`;
  }
  return line;
}

/** The fish completion script for the tree's root command. */
export function fishCompletionScript(tree: CompletionTree): string {
  const name = tree.root.command.name();
  const parts = [pathHelper(name, tree)];
  for (const node of [tree.root, ...tree.descendants]) {
    for (const path of node.pathVariants) {
      const condition = `__${name}_command_path_matches ${path.join(" ")}`.trimEnd();
      for (const sub of visibleSubcommands(node.command)) {
        for (const subName of commandNames(sub)) {
          parts.push(
            `complete -c ${name} -n "${condition}" -a "${subName}" -d ${fishDescription(sub.description())}\n`,
          );
        }
      }
      for (const option of node.command.options.filter((option) => !option.hidden)) {
        parts.push(optionLines(name, condition, option));
      }
    }
  }
  return parts.join("");
}
