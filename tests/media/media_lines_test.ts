import assert from "node:assert/strict";
import { isValidMediaReference, mediaLineFilter, splitMediaLines } from "../../src/media/media_lines.ts";

Deno.test("splitMediaLines() takes a standalone MEDIA: line out of the answer and names its file", () => {
  assert.deepEqual(splitMediaLines("Here is the generated image.\n\nMEDIA:/workspace/image.png"), {
    text: "Here is the generated image.",
    media: ["/workspace/image.png"],
  });
});

Deno.test("splitMediaLines() leaves MEDIA: in prose, Markdown wrappers and code as text", () => {
  for (
    const answer of [
      "**MEDIA:/workspace/image.png**",
      "`MEDIA:/workspace/image.png`",
      "Here is your image: MEDIA:/workspace/image.png",
      "```\nMEDIA:/workspace/image.png\n```",
      "    MEDIA:/workspace/image.png",
    ]
  ) {
    assert.deepEqual(splitMediaLines(answer), { text: answer, media: [] }, answer);
  }
});

Deno.test("splitMediaLines() accepts up to three leading spaces, several files, quotes and relative paths", () => {
  assert.deepEqual(splitMediaLines("   MEDIA: ./out/a.png https://example.com/b.jpg").media, [
    "./out/a.png",
    "https://example.com/b.jpg",
  ]);
  assert.deepEqual(splitMediaLines('MEDIA:"/work space/my file.pdf"').media, ["/work space/my file.pdf"]);
  assert.deepEqual(splitMediaLines("media:report.pdf").media, ["report.pdf"]);
  assert.deepEqual(splitMediaLines("MEDIA:file:///tmp/x.png").media, ["/tmp/x.png"]);
});

Deno.test("splitMediaLines() drops a refused local path and keeps a refused URL as text", () => {
  assert.deepEqual(splitMediaLines("Done.\nMEDIA:../../etc/passwd"), { text: "Done.", media: [] });
  assert.deepEqual(splitMediaLines("MEDIA:http://example.com/x.png").media, []);
  assert.deepEqual(splitMediaLines("MEDIA:https://127.0.0.1/x.png").text, "MEDIA:https://127.0.0.1/x.png");
});

Deno.test("isValidMediaReference() refuses plain http, private hosts, credentials and traversal", () => {
  assert.deepEqual(isValidMediaReference("https://example.com/a.png"), true);
  assert.deepEqual(isValidMediaReference("http://example.com/a.png"), false);
  assert.deepEqual(isValidMediaReference("https://localhost/a.png"), false);
  assert.deepEqual(isValidMediaReference("https://10.0.0.5/a.png"), false);
  assert.deepEqual(isValidMediaReference("https://user:pw@example.com/a.png"), false);
  assert.deepEqual(isValidMediaReference("/a/../b.png"), false);
  assert.deepEqual(isValidMediaReference("~/a.png"), true);
});

Deno.test("mediaLineFilter() streams text at once, holds only a line that may become a directive", () => {
  const shown: string[] = [];
  const filter = mediaLineFilter((text) => shown.push(text));
  filter.push("Hello wor");
  assert.deepEqual(shown.join(""), "Hello wor");
  filter.push("ld\nME");
  assert.deepEqual(shown.join(""), "Hello world\n");
  filter.push("DIA:/tmp/a.png\nMedium rare");
  assert.deepEqual(shown.join(""), "Hello world\nMedium rare");
  filter.push("\n```\nMEDIA:/in/code.png\n```\nbye");
  assert.deepEqual(filter.end(), ["/tmp/a.png"]);
  assert.deepEqual(shown.join(""), "Hello world\nMedium rare\n```\nMEDIA:/in/code.png\n```\nbye");
});

Deno.test("mediaLineFilter() reads a directive cut across deltas and one at the very end", () => {
  const shown: string[] = [];
  const filter = mediaLineFilter((text) => shown.push(text));
  for (const delta of ["Text\n", "M", "EDIA", ":./a", ".png\nMEDIA:", "./b.ogg"]) filter.push(delta);
  assert.deepEqual(filter.end(), ["./a.png", "./b.ogg"]);
  assert.deepEqual(shown.join(""), "Text\n");
});

Deno.test("splitMediaLines() keeps an unquoted path with spaces whole, as the reference's parser does", () => {
  assert.deepEqual(splitMediaLines("MEDIA:/tmp/a b.png"), { text: "", media: ["/tmp/a b.png"] });
  assert.deepEqual(splitMediaLines("MEDIA:./a.png and some words").media, ["./a.png and some words"]);
  assert.deepEqual(splitMediaLines("MEDIA:/a.png /b.png").media, ["/a.png", "/b.png"]);
  assert.deepEqual(splitMediaLines("MEDIA:https://example.com/a.png trailing words"), {
    text: "trailing words",
    media: ["https://example.com/a.png"],
  });
  assert.deepEqual(splitMediaLines("intro\n  MEDIA:/a.png\n\n\nend"), { text: "intro\n\nend", media: ["/a.png"] });
});

Deno.test("[[audio_as_voice]] on a line of its own or before text is taken out and asks for a voice note", () => {
  assert.deepEqual(splitMediaLines("Listen.\n[[audio_as_voice]]\nMEDIA:./note.ogg"), {
    text: "Listen.",
    media: ["./note.ogg"],
    voice: true,
  });
  const shown: string[] = [];
  const filter = mediaLineFilter((text) => shown.push(text));
  for (const delta of ["[[audio", "_as_voice]] Here", " it is\n[link](x) ok"]) filter.push(delta);
  assert.deepEqual(filter.end(), []);
  assert.equal(filter.voice, true);
  assert.equal(shown.join(""), "Here it is\n[link](x) ok");
});

Deno.test("splitMediaLines() leaves blank lines inside a code block as written (the reference's text)", () => {
  const code = "```py\ndef a():\n    pass\n\n\ndef b():\n    pass\n```";
  assert.deepEqual(splitMediaLines(`${code}\nMEDIA:./x.png`), { text: code, media: ["./x.png"] });
  assert.deepEqual(splitMediaLines("Intro\n\nMEDIA:./x.png\n\nOutro"), { text: "Intro\n\nOutro", media: ["./x.png"] });
});

Deno.test("mediaLineFilter() takes [[audio_as_voice]] out of a line however the deltas cut it", () => {
  const answer = "Use [[audio_as_voice]] for voice.\ntext [[audio_as_voice]]\nMEDIA:./a.ogg";
  for (const cuts of [[], [12], [20, 22], [23], [22, 43], [4, 40]]) {
    let shown = "";
    const filter = mediaLineFilter((piece) => shown += piece);
    let previous = 0;
    for (const cut of [...cuts, answer.length]) {
      filter.push(answer.slice(previous, cut));
      previous = cut;
    }
    assert.deepEqual(
      [shown, filter.end(), filter.voice],
      ["Use for voice.\ntext\n", ["./a.ogg"], true],
      `cuts ${cuts}`,
    );
  }
});
