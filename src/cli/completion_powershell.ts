// The PowerShell completion script: one native argument completer that walks the words before
// the cursor to the command they name (skipping option values), then offers that command's
// option values, subcommands and flags.

import type { CompletionNode, CompletionTree } from "./completion_tree.ts";

function psString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function psArray(values: string[]): string {
  return values.length ? `@(${values.map(psString).join(",")})` : "@()";
}

function pathCases(nodes: CompletionNode[]): string {
  const cases = nodes.flatMap((node) =>
    node.pathVariants.map((path) =>
      `            ${psString(path.join(" "))} {
                $commandPath = $candidatePath
                $valueOptions = ${psArray(node.valueOptions)}
            }`
    )
  );
  if (cases.length === 0) return "";
  return `        $candidatePath = if ($commandPath -eq '') { $element } else { "$commandPath $element" }
        switch ($candidatePath) {
${cases.join("\n")}
        }`;
}

function choiceBlocks(nodes: CompletionNode[]): string {
  return nodes.filter((node) => node.valueChoices.length > 0).flatMap((node) => {
    const perFlag = node.valueChoices.map((choice) =>
      `        if ($choiceFlag -in ${psArray(choice.flags)}) {
            $matchingChoices = @(${psArray(choice.choices)} | Where-Object {
                $_.StartsWith($choicePrefix, [StringComparison]::OrdinalIgnoreCase)
            })
            $matchingChoices | ForEach-Object {
                $choiceValue = if ($_ -match '^[A-Za-z0-9_./:+-]+$') { $_ } else { "'" + $_.Replace("'", "''") + "'" }
                $completionText = "$choiceCompletionPrefix$choiceValue"
                [System.Management.Automation.CompletionResult]::new($completionText, $_, 'ParameterValue', $_)
            }
            if (${
        choice.requiresValue
          ? "$true"
          : "$matchingChoices.Count -gt 0 -or $choiceCompletionPrefix -ne '' -or $choicePrefix -notlike '-*'"
      }) {
                return
            }
        }`
    ).join("\n");
    return node.pathVariants.map((path) =>
      `    if ($commandPath -eq ${psString(path.join(" "))}) {\n${perFlag}\n    }`
    );
  }).join("\n");
}

function wordBlocks(nodes: CompletionNode[]): string {
  return nodes.filter((node) => node.completions.length > 0).flatMap((node) =>
    node.pathVariants.map((path) =>
      `    if ($commandPath -eq ${psString(path.join(" "))}) {
        ${psArray(node.completions)} | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterName', $_)
        }
    }`
    )
  ).join("\n");
}

/** The PowerShell completion script for the tree's root command. */
export function powershellCompletionScript(tree: CompletionTree): string {
  const { root, descendants } = tree;
  return `
Register-ArgumentCompleter -Native -CommandName ${root.command.name()} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    # Only the words before the cursor decide the context, so later arguments do not disturb it.
    $commandElements = @($commandAst.CommandElements.Where({ $_.Extent.StartOffset -lt $cursorPosition }))
    $commandPath = ""
    $valueOptions = ${psArray(root.valueOptions)}
    $previousElementIndex = if ($wordToComplete -eq '') { $commandElements.Count - 1 } else { $commandElements.Count - 2 }
    $previousElement = if ($previousElementIndex -ge 1) { $commandElements[$previousElementIndex].Extent.Text } else { '' }
    $choiceFlag = $previousElement
    $choicePrefix = $wordToComplete
    $choiceCompletionPrefix = ''
    if ($wordToComplete -match '^(--[^=]+)=(.*)$') {
        $choiceFlag = $Matches[1]
        $choicePrefix = $Matches[2]
        $choiceCompletionPrefix = "$choiceFlag="
    }

    for ($i = 1; $i -lt $commandElements.Count; $i++) {
        $element = $commandElements[$i].Extent.Text
        if ($i -eq $commandElements.Count - 1 -and $wordToComplete -ne "") { break }
        if ($element -like "-*") {
            $flag = ($element -split '=', 2)[0]
            if ($element -notlike '*=*' -and $valueOptions -contains $flag) {
                $i++
            }
            continue
        }
${pathCases(descendants)}
    }

    if ($previousElement -match '^-[^-].+$') {
        $shortGroup = $previousElement.Substring(1)
        for ($shortIndex = 0; $shortIndex -lt $shortGroup.Length; $shortIndex++) {
            $shortFlag = "-$($shortGroup[$shortIndex])"
            if ($valueOptions -contains $shortFlag) {
                if ($shortIndex -eq $shortGroup.Length - 1) { $choiceFlag = $shortFlag }
                break
            }
        }
    }
    if ($wordToComplete -match '^-[^-].+$') {
        $shortGroup = $wordToComplete.Substring(1)
        for ($shortIndex = 0; $shortIndex -lt $shortGroup.Length; $shortIndex++) {
            $shortFlag = "-$($shortGroup[$shortIndex])"
            if ($valueOptions -contains $shortFlag) {
                $choiceFlag = $shortFlag
                $choicePrefix = $shortGroup.Substring($shortIndex + 1)
                $choiceCompletionPrefix = "-$($shortGroup.Substring(0, $shortIndex + 1))"
                break
            }
        }
    }

${choiceBlocks([root, ...descendants])}

${wordBlocks([root, ...descendants])}
}
`;
}
