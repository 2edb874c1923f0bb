// The completion view of a commander program: for every command reachable from the root, the
// words it completes (subcommand names and aliases, visible option flags) and which of its flags
// take a value. The shell script generators read only this, so they never import a command file.

import type { Command, Option } from "commander";

/** Flags that take a value, with the values commander knows for them (`.choices()`). */
export interface ValueChoice {
  flags: string[];
  choices: string[];
  /** True for `<value>` (the next word is always the value), false for `[value]`. */
  requiresValue: boolean;
}

/** One command of the tree as the completion scripts see it. */
export interface CompletionNode {
  command: Command;
  /** Every spelling of the command path from the root (aliases multiply them); `[[]]` for the root. */
  pathVariants: string[][];
  /** Words offered after this command: subcommand names and aliases, then visible flags. */
  completions: string[];
  /** Flags (own and inherited from parents) whose next word is a value, not a command. */
  valueOptions: string[];
  /** The subset of {@link valueOptions} whose value is mandatory (`<value>`). */
  requiredValueOptions: string[];
  /** Value lists known for flags at this command, including the parents' not shadowed here. */
  valueChoices: ValueChoice[];
}

/** The root and every descendant command, in depth-first order. */
export interface CompletionTree {
  root: CompletionNode;
  descendants: CompletionNode[];
}

/** The short and long spellings of an option (`-s`, `--shell`). */
export function optionFlags(option: Option): string[] {
  return [option.short, option.long].filter((flag): flag is string => Boolean(flag));
}

/** A command's name followed by its aliases. */
export function commandNames(command: Command): string[] {
  return [command.name(), ...command.aliases()];
}

/** Subcommands shown in help, without commander's synthetic `help` command. */
export function visibleSubcommands(command: Command): Command[] {
  return command.createHelp().visibleCommands(command).filter((child) => command.commands.includes(child));
}

function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function nodeFor(command: Command, pathVariants: string[][], parent: CompletionNode | undefined): CompletionNode {
  const own = new Set(command.options.flatMap(optionFlags));
  // A parent's value flag still takes a value under its subcommands unless they redefine it.
  const inherited = (flags: string[]) => flags.filter((flag) => !own.has(flag));
  const ownChoices = command.options.flatMap((option) =>
    option.argChoices?.length
      ? [{ flags: optionFlags(option), choices: [...option.argChoices], requiresValue: option.required }]
      : []
  );
  const parentChoices = (parent?.valueChoices ?? []).flatMap((choice) => {
    const flags = inherited(choice.flags);
    return flags.length ? [{ ...choice, flags }] : [];
  });
  return {
    command,
    pathVariants,
    completions: [
      ...visibleSubcommands(command).flatMap(commandNames),
      ...command.options.filter((option) => !option.hidden).flatMap(optionFlags),
    ],
    valueOptions: [
      ...new Set([
        ...inherited(parent?.valueOptions ?? []),
        ...command.options.filter(takesValue).flatMap(optionFlags),
      ]),
    ],
    requiredValueOptions: [
      ...inherited(parent?.requiredValueOptions ?? []),
      ...command.options.filter((option) => option.required).flatMap(optionFlags),
    ],
    valueChoices: [...parentChoices, ...ownChoices],
  };
}

/** Walks `program` into the completion tree (every subcommand, hidden ones included, for path tracking). */
export function collectCompletionTree(program: Command): CompletionTree {
  const descendants: CompletionNode[] = [];
  const visit = (command: Command, pathVariants: string[][], parent: CompletionNode | undefined) => {
    const node = nodeFor(command, pathVariants, parent);
    if (parent) descendants.push(node);
    for (const child of command.commands) {
      const childPaths = pathVariants.flatMap((path) => commandNames(child).map((name) => [...path, name]));
      visit(child, childPaths, node);
    }
    return node;
  };
  return { root: visit(program, [[]], undefined), descendants };
}
