// The zsh completion script: `_openclaw_root_completion` and one `_openclaw_<path>` function per
// command, each an `_arguments -C` spec of its options and subcommands. It registers itself with
// `compdef`, or, when sourced before `compinit`, on the first prompt after it.

import type { Command, Option } from "commander";
import { commandNames, optionFlags, visibleSubcommands } from "./completion_tree.ts";

/** Text inside a double-quoted `_arguments` spec, where `[` `]` also delimit the description. */
function specText(value: string): string {
  return value.replace(/[\\"$`[\]]/g, "\\$&");
}

function choiceText(choice: string): string {
  return specText(choice.replace(/([\\\s:()[\]{}*?!|&;<>"'$`])/g, "\\$1"));
}

function optionSpec(option: Option): string {
  const flags = optionFlags(option);
  const name = option.long ?? option.short ?? option.flags;
  const other = flags.find((flag) => flag !== name);
  const hidden = option.hidden ? "!" : "";
  const choices = option.argChoices?.map(choiceText).join(" ");
  const value = option.required || option.optional
    ? `${option.optional ? "::" : ":"}${option.attributeName()}:${choices ? `(${choices})` : ""}`
    : "";
  const description = `[${specText(option.description)}]${value}`;
  if (other) return `"${hidden}(${name} ${other})"{${name},${other}}"${description}"`;
  return `"${hidden}${name}${description}"`;
}

function optionSpecs(command: Command): string {
  return command.options.map(optionSpec).join(" \\\n    ");
}

function subcommandSpec(command: Command): string {
  const values = visibleSubcommands(command).flatMap((sub) => {
    const description = specText(sub.description()).replace(/'/g, "'\\''");
    return commandNames(sub).map((name) => `'${name}[${description}]'`);
  });
  return `"1: :_values 'command' ${values.join(" ")}"`;
}

function functionName(prefix: string, command: Command): string {
  return `${prefix}_${command.name().replace(/-/g, "_")}`;
}

function dispatcher(name: string, command: Command, subPrefix: string): string {
  const cases = command.commands.map((sub) => `(${commandNames(sub).join("|")}) ${functionName(subPrefix, sub)} ;;`);
  return `${name}() {
  local -a commands
  local -a options

  _arguments -C \\
    ${optionSpecs(command)} \\
    ${subcommandSpec(command)} \\
    "*::arg:->args"

  case $state in
    (args)
      case $line[1] in
        ${cases.join("\n        ")}
      esac
      ;;
  esac
}
`;
}

function commandFunctions(command: Command, prefix: string): string[] {
  return command.commands.flatMap((sub) => {
    const name = functionName(prefix, sub);
    const nested = commandFunctions(sub, name);
    const own = sub.commands.length > 0 ? dispatcher(name, sub, name) : `${name}() {
  _arguments -C \\
    ${optionSpecs(sub)}
}
`;
    return [...nested, `\n${own}`];
  });
}

/** The zsh completion script for `program`. */
export function zshCompletionScript(program: Command): string {
  const root = program.name();
  return `
#compdef ${root}

${dispatcher(`_${root}_root_completion`, program, `_${root}`)}
${commandFunctions(program, `_${root}`).join("")}

_${root}_register_completion() {
  if (( ! $+functions[compdef] )); then
    return 0
  fi

  compdef _${root}_root_completion ${root}
  precmd_functions=(\${precmd_functions:#_${root}_register_completion})
  unfunction _${root}_register_completion 2>/dev/null
}

# Sourced before compinit: register on the first prompt, once compdef exists.
_${root}_register_completion
if (( ! $+functions[compdef] )); then
  typeset -ga precmd_functions
  if [[ -z "\${precmd_functions[(r)_${root}_register_completion]}" ]]; then
    precmd_functions+=(_${root}_register_completion)
  fi
fi
`;
}
