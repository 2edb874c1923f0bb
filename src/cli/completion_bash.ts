// The bash completion script (`complete -F _openclaw_completion openclaw`), generated from the
// completion tree. The function re-reads the line up to the cursor itself, so `--flag=value`,
// quoted or backslash-escaped prefixes and options before nested commands (`--profile x gateway`)
// complete alike on every bash, whatever its COMP_WORDBREAKS split into COMP_WORDS.

import type { CompletionNode, CompletionTree } from "./completion_tree.ts";
import { quoteArg } from "./shell_quote.ts";

function words(list: string[]): string {
  return list.join(" ");
}

function pathPattern(node: CompletionNode): string {
  return node.pathVariants.map((path) => `"${path.join(" ")}"`).join("|");
}

function commandPathCases(nodes: CompletionNode[]): string {
  if (nodes.length === 0) return "";
  const cases = nodes.map((node) =>
    [
      `            ${pathPattern(node)})`,
      `                command_path="\${candidate_path}"`,
      `                opts="${words(node.completions)}"`,
      `                value_options="${words(node.valueOptions)}"`,
      `                required_value_options="${words(node.requiredValueOptions)}"`,
      `                ;;`,
    ].join("\n")
  );
  return [`        case "\${candidate_path}" in`, ...cases, `        esac`].join("\n");
}

function choiceCases(nodes: CompletionNode[]): string {
  const withChoices = nodes.filter((node) => node.valueChoices.length > 0);
  if (withChoices.length === 0) return "";
  const cases = withChoices.map((node) => {
    const flagCases = node.valueChoices.map((choice) =>
      [
        `            ${choice.flags.map((flag) => `"${flag}"`).join("|")})`,
        `                choices=(${choice.choices.map(quoteArg).join(" ")})`,
        // An optional value (`[value]`) may be left out: a following flag still completes.
        `                required=${choice.requiresValue ? 1 : 0}`,
        `                ;;`,
      ].join("\n")
    );
    return [
      `        ${node.pathVariants.map((path) => `"${path.join(" ")}"`).join("|")})`,
      `            case "\${choice_flag}" in`,
      ...flagCases,
      `            esac`,
      `            ;;`,
    ].join("\n");
  });
  return [`    case "\${command_path}" in`, ...cases, `    esac`].join("\n");
}

/** The bash completion script for the tree's root command. */
export function bashCompletionScript(tree: CompletionTree): string {
  const { root, descendants } = tree;
  const name = root.command.name();
  return `
# Splits \`$1\` as the shell would into the caller's \`split_words\` (unquoted) and \`split_raws\`
# (as typed); the last entry is the word being typed, empty after a space.
_${name}_completion_split() {
    local line="$1" character next word="" raw="" quote="" started=0 i
    for ((i = 0; i < \${#line}; i++)); do
        character="\${line:i:1}"
        if [[ -n $quote ]]; then
            raw+="$character"
            if [[ $character == "$quote" ]]; then
                quote=""
            elif [[ $quote == '"' && $character == \\\\ ]]; then
                next="\${line:i+1:1}"
                if [[ $next == [\\\\\\$\\"\\\`] ]]; then
                    word+="$next"
                    raw+="$next"
                    i=$((i + 1))
                elif [[ $next == $'\\n' ]]; then
                    raw+="$next"
                    i=$((i + 1))
                else
                    word+="$character"
                fi
            else
                word+="$character"
            fi
        elif [[ $character == [[:space:]] ]]; then
            if ((started)); then
                split_words+=("$word")
                split_raws+=("$raw")
            fi
            word=""
            raw=""
            started=0
        elif [[ $character == \\\\ ]]; then
            next="\${line:i+1:1}"
            raw+="$character$next"
            [[ $next == $'\\n' ]] || word+="$next"
            i=$((i + 1))
            started=1
        elif [[ $character == [\\'\\"] ]]; then
            quote="$character"
            raw+="$character"
            started=1
        else
            word+="$character"
            raw+="$character"
            started=1
        fi
    done
    split_words+=("$word")
    split_raws+=("$raw")
}

_${name}_completion() {
    local -a split_words=() split_raws=() choices=()
    local -a words
    local cur raw_cur word_prefix cword i flag word candidate_path command_path="" options_ended=0
    local opts value_options required_value_options choice_flag choice_prefix choice_completion_prefix
    local short_group short_flag short_index required choice literal_opts=""
    # Before Bash 4.3 COMP_POINT counts bytes; slicing in the C locale counts bytes too.
    if ((BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 3))); then
        local LC_ALL=C
    fi
    COMPREPLY=()
    _${name}_completion_split "\${COMP_LINE:0:COMP_POINT}"
    words=("\${split_words[@]}")
    cword=$((\${#words[@]} - 1))
    cur="\${words[cword]}"
    raw_cur="\${split_raws[cword]}"
    # Readline replaces only $2, the tail after the last wordbreak ('=', ':') or opening quote;
    # candidates lose the unquoted text typed before it.
    word_prefix=""
    if [[ "\${raw_cur}" == *"$2" ]]; then
        split_words=()
        split_raws=()
        _${name}_completion_split "\${raw_cur:0:\${#raw_cur}-\${#2}}"
        word_prefix="\${split_words[0]}"
    fi
    opts="${words(root.completions)}"
    value_options="${words(root.valueOptions)}"
    required_value_options="${words(root.requiredValueOptions)}"

    for ((i = 1; i < cword; i++)); do
        word="\${words[i]}"
        if [[ \${word} == -- ]]; then
            options_ended=1
            continue
        fi
        if ((!options_ended)) && [[ \${word} == -?* ]]; then
            flag="\${word%%=*}"
            if [[ \${word} != --* && \${#word} -gt 2 ]]; then
                # A short group (-abc): the first value flag in it takes the rest, or the next word when last.
                flag=""
                for ((short_index = 1; short_index < \${#word}; short_index++)); do
                    short_flag="-\${word:short_index:1}"
                    if [[ " \${value_options} " == *" \${short_flag} "* ]]; then
                        ((short_index == \${#word} - 1)) && flag="\${short_flag}"
                        break
                    fi
                done
            fi
            if [[ \${word} != *=* && -n \${flag} && " \${value_options} " == *" \${flag} "* ]] &&
                ((i + 1 < cword)) &&
                [[ \${words[i+1]} != -?* || " \${required_value_options} " == *" \${flag} "* ]]; then
                i=$((i + 1))
            fi
            continue
        fi
        candidate_path="\${command_path:+\${command_path} }\${word}"
${commandPathCases(descendants)}
    done

    if ((options_ended)); then
        for word in \${opts}; do
            [[ \${word} == -* ]] || literal_opts+=" \${word}"
        done
        opts="\${literal_opts}"
    else
        choice_flag="\${words[cword-1]}"
        choice_prefix="\${cur}"
        choice_completion_prefix=""
        if [[ \${cur} == --*=* ]]; then
            choice_flag="\${cur%%=*}"
            choice_prefix="\${cur#*=}"
            choice_completion_prefix="\${choice_flag}="
        elif [[ \${cur} == -?* && \${cur} != --* ]]; then
            # -sbash: a value flag inside the group being typed takes the rest as its value.
            short_group="\${cur#-}"
            for ((short_index = 0; short_index < \${#short_group}; short_index++)); do
                short_flag="-\${short_group:short_index:1}"
                if [[ " \${value_options} " == *" \${short_flag} "* ]]; then
                    if ((short_index < \${#short_group} - 1)); then
                        choice_flag="\${short_flag}"
                        choice_prefix="\${short_group:short_index+1}"
                        choice_completion_prefix="-\${short_group:0:short_index+1}"
                    fi
                    break
                fi
            done
        fi
        if [[ \${choice_flag} == -?* && \${choice_flag} != --* && \${#choice_flag} -gt 2 && -z \${choice_completion_prefix} ]]; then
            # The previous word is a short group ending in a value flag (-ys): that flag owns this word.
            short_group="\${choice_flag#-}"
            for ((short_index = 0; short_index < \${#short_group}; short_index++)); do
                short_flag="-\${short_group:short_index:1}"
                if [[ " \${value_options} " == *" \${short_flag} "* ]]; then
                    ((short_index == \${#short_group} - 1)) && choice_flag="\${short_flag}"
                    break
                fi
            done
        fi
        choices=()
        required=0
${choiceCases([root, ...descendants])}
        if ((\${#choices[@]} > 0)); then
            for choice in "\${choices[@]}"; do
                if [[ \${choice} == "\${choice_prefix}"* ]]; then
                    word="\${choice_completion_prefix}\${choice}"
                    COMPREPLY+=("\${word#"\${word_prefix}"}")
                fi
            done
            # A value is due unless the option's value is optional and a flag is being typed instead.
            if ((required || \${#COMPREPLY[@]} > 0)) || [[ -n \${choice_completion_prefix} || \${choice_prefix} != -* ]]; then
                return 0
            fi
        fi
    fi
    local IFS=$'\\n'
    COMPREPLY=($(compgen -W "\${opts// /$'\\n'}" -- "\${cur}"))
    for ((i = 0; i < \${#COMPREPLY[@]}; i++)); do
        COMPREPLY[i]="\${COMPREPLY[i]#"\${word_prefix}"}"
    done
}

complete -F _${name}_completion ${name}
`;
}
