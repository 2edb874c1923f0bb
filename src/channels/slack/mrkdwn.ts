// Markdown as the model writes it, in Slack's mrkdwn, as the reference renders replies before chat.postMessage:
// `**bold**` → `*bold*`, `*italic*` → `_italic_`, `~~struck~~` → `~struck~`, `[text](url)` → `<url|text>`, a heading
// → a bold line, `&`, `<`, `>` escaped outside code (Slack's own `<@U…>`, `<#C…>`, `<!here>`, `<url|text>` kept),
// and blocks laid out as the reference lays them: a blank line between blocks, a single line break after a code
// block (measured: its pairing reply "Pairing code:\n\n```\nCODE\n```\nAsk the bot owner…").

/** Slack's own angle tokens, kept as written. */
const SLACK_TOKEN = /^<(?:[@#!][^>\s]*|(?:https?|mailto):[^>\s]*)(?:\|[^>]*)?>/;

/** Escapes and converts one run of text outside code. */
function inline(text: string): string {
  let out = "";
  let rest = text;
  while (rest.length > 0) {
    const token = SLACK_TOKEN.exec(rest)?.[0];
    if (token) {
      out += token;
      rest = rest.slice(token.length);
      continue;
    }
    const link = /^\[([^\]\n]+)\]\(((?:https?|mailto):[^)\s]+)\)/.exec(rest);
    if (link) {
      out += `<${link[2]}|${escape(link[1]!)}>`;
      rest = rest.slice(link[0].length);
      continue;
    }
    out += escape(rest[0]!);
    rest = rest.slice(1);
  }
  return out
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__/g, (_m, a, b) => `\u0000${a ?? b}\u0000`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g, "$1_$2_")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "~$1~")
    .replaceAll("\u0000", "*");
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** One line of prose: inline code kept verbatim, headings bold, a quote's `>` kept. */
function line(text: string): string {
  const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
  if (heading) return `*${line(heading[1]!).replace(/^\*(.*)\*$/, "$1")}*`;
  const quote = /^>\s?(.*)$/.exec(text);
  if (quote) return `> ${line(quote[1]!)}`;
  return text.split(/(`[^`\n]+`)/).map((part, i) => (i % 2 === 1 ? part : inline(part))).join("");
}

/** The blocks of a text: code fences whole, prose split at blank lines. */
function blocks(text: string): { code: boolean; text: string }[] {
  const result: { code: boolean; text: string }[] = [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let prose: string[] = [];
  const flush = () => {
    if (prose.some((l) => l.trim() !== "")) result.push({ code: false, text: prose.join("\n").trim() });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const current = lines[i]!;
    if (/^\s*```/.test(current)) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      result.push({ code: true, text: body.join("\n") });
      continue;
    }
    if (current.trim() === "") flush();
    else prose.push(current);
  }
  flush();
  return result;
}

/** Markdown → Slack mrkdwn. */
export function toSlackMrkdwn(markdown: string): string {
  let out = "";
  let previous: { code: boolean } | undefined;
  for (const block of blocks(markdown)) {
    if (previous) out += previous.code ? "\n" : "\n\n";
    out += block.code ? `\`\`\`\n${block.text}\n\`\`\`` : block.text.split("\n").map(line).join("\n");
    previous = block;
  }
  return out;
}
