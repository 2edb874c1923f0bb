import assert from "node:assert/strict";
import { webFetchTool, webFetchToolsFamily } from "../../src/agent/tools_web_fetch.ts";
import { htmlToMarkdown, markdownToText } from "../../src/agent/html_to_markdown.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { agentFor, callIn, hostFor, toolsOf } from "../support/tool_harness.ts";

const PAGE = `<!doctype html><html><head><title>Test &amp; Page</title><style>body{}</style>
<script>alert("x")</script></head><body>
<nav aria-hidden="true">skip me</nav>
<h1>Hello</h1><p>First <strong>bold</strong> paragraph with a <a href="/next">link</a>.</p>
<div style="display:none">invisible</div>
<ul><li>one</li><li>two</li></ul>
<pre><code>const x = 1;
  indented();</code></pre>
</body></html>`;

/** A loopback server; `routes` answers by path. Stopped by the returned function. */
function serve(routes: (url: URL, origin: string) => Response | Promise<Response>) {
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request): Response | Promise<Response> => routes(new URL(request.url), `http://127.0.0.1:${server.addr.port}`),
  );
  return { origin: `http://127.0.0.1:${server.addr.port}`, port: server.addr.port, stop: () => server.shutdown() };
}

const ALLOW_PRIVATE = { tools: { web: { fetch: { ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } } } } };

function fetchConfig(fetch: Record<string, unknown>) {
  return { tools: { web: { fetch } } };
}

async function webFetch(config: Record<string, unknown>, args: Record<string, unknown>) {
  const tool = (await toolsOf(webFetchToolsFamily, config, "/tmp")).get("web_fetch")!;
  return await tool.execute(args, callIn("/tmp"));
}

Deno.test("web_fetch refuses a loopback page by default and fetches it when the private network is allowed", async () => {
  const site = serve(() => new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } }));
  try {
    await assert.rejects(
      webFetch({}, { url: `${site.origin}/` }),
      (e: Error) =>
        e instanceof ToolError &&
        // Network failures reach the model wrapped as untrusted text, as the reference wraps them.
        /^SECURITY NOTICE: [\s\S]*\nSource: API\n---\nBlocked hostname or private\/internal\/special-use IP address\n<<<END_EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>$/
          .test(e.message),
    );
    const result = await webFetch(ALLOW_PRIVATE, { url: `${site.origin}/` });
    const details = result.details!;
    assert.deepEqual(Object.keys(details), [
      "url",
      "finalUrl",
      "contentType",
      "status",
      "title",
      "extractMode",
      "extractor",
      "externalContent",
      "truncated",
      "length",
      "rawLength",
      "fetchedAt",
      "tookMs",
      "text",
    ]);
    assert.equal(details.status, 200);
    assert.equal(details.contentType, "text/html");
    assert.equal(details.extractor, "raw-html");
    assert.equal(details.truncated, false);
    assert.deepEqual(details.externalContent, { untrusted: true, source: "web_fetch", wrapped: true });
    const text = String(details.text);
    assert.match(text, /^SECURITY NOTICE: The following content is from an EXTERNAL, UNTRUSTED source/);
    assert.match(text, /<<<EXTERNAL_UNTRUSTED_CONTENT id="[0-9a-f]{16}">>>\nSource: Web Fetch\n---\n# Hello/);
    assert.match(text, new RegExp(`First bold paragraph with a \\[link\\]\\(${site.origin}/next\\)\\.`));
    assert.match(text, /- one\n- two/);
    assert.match(text, /\nconst x = 1;\n {2}indented\(\);\n/);
    assert.doesNotMatch(text, /skip me|invisible|alert|body\{\}/);
    assert.match(String(details.title), /\nTest & Page\n<<<END_EXTERNAL_UNTRUSTED_CONTENT/);
    assert.equal(details.length, text.length);
    assert.equal(result.content[0]?.type === "text" && JSON.parse(result.content[0].text).status, 200);
  } finally {
    await site.stop();
  }
});

Deno.test("every redirect hop is checked again: an allowed host cannot bounce web_fetch to a blocked one", async () => {
  const site = serve((url, origin) => {
    if (url.pathname === "/to-localhost") {
      return new Response(null, { status: 302, headers: { location: origin.replace("127.0.0.1", "localhost") + "/" } });
    }
    if (url.pathname === "/hop") return new Response(null, { status: 301, headers: { location: "/final" } });
    if (url.pathname === "/loop") return new Response(null, { status: 302, headers: { location: "/loop2" } });
    if (url.pathname === "/loop2") return new Response(null, { status: 302, headers: { location: "/loop" } });
    return new Response("final text", { headers: { "content-type": "text/plain" } });
  });
  try {
    const onlyThisHost = fetchConfig({ ssrfPolicy: { allowedHostnames: ["127.0.0.1"] } });
    await assert.rejects(
      webFetch(onlyThisHost, { url: `${site.origin}/to-localhost` }),
      /Blocked hostname or private\/internal\/special-use IP address/,
    );
    const followed = await webFetch(onlyThisHost, { url: `${site.origin}/hop` });
    assert.equal(followed.details?.finalUrl, `${site.origin}/final`);
    assert.equal(followed.details?.extractor, "raw");
    assert.match(String(followed.details?.text), /\nfinal text\n/);
    await assert.rejects(
      webFetch(fetchConfig({ maxRedirects: 0, ssrfPolicy: { allowedHostnames: ["127.0.0.1"] } }), {
        url: `${site.origin}/hop`,
      }),
      /Too many redirects \(limit: 0\)/,
    );
    await assert.rejects(webFetch(onlyThisHost, { url: `${site.origin}/loop` }), /Redirect loop detected/);
  } finally {
    await site.stop();
  }
});

Deno.test("web_fetch bounds the body bytes, the returned characters and the time", async () => {
  let release = () => {};
  const never = new Promise<void>((resolve) => release = resolve);
  const site = serve(async (url) => {
    if (url.pathname === "/big") {
      return new Response("a".repeat(100_000), { headers: { "content-type": "text/plain" } });
    }
    if (url.pathname === "/slow") await never;
    if (url.pathname === "/missing") {
      return new Response("<html><body><h1>Not here</h1></body></html>", {
        status: 404,
        headers: { "content-type": "text/html" },
      });
    }
    return new Response("ok");
  });
  try {
    const big = await webFetch(
      { tools: { web: { fetch: { maxResponseBytes: 32_000, ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } } } } },
      { url: `${site.origin}/big`, maxChars: 5_000 },
    );
    assert.equal(big.details?.truncated, true);
    assert.equal(big.details?.rawLength, 32_000);
    assert.ok(Number(big.details?.length) <= 5_000, String(big.details?.length));
    assert.match(String(big.details?.warning), /Response body incomplete after 32000 bytes\./);
    // The cut body is spilled whole to an owner-only temp file the result names.
    const spill = big.details?.spill as { path: string; chars: number; truncated?: boolean };
    assert.equal(spill.chars, 32_000);
    assert.equal(spill.truncated, true);
    assert.match(
      String(big.details?.text),
      new RegExp(
        `\\n\\n\\[Showing truncated web_fetch content\\. Full output: ${spill.path}\\. Spilled available content from truncated response\\.\\]$`,
      ),
    );
    assert.equal((await Deno.stat(spill.path)).mode! & 0o777, 0o600);
    assert.match(
      await Deno.readTextFile(spill.path),
      /\nSource: Web Fetch\n---\na{32000}\n<<<END_EXTERNAL_UNTRUSTED_CONTENT/,
    );
    await Deno.remove(spill.path);
    await assert.rejects(
      webFetch(fetchConfig({ timeoutSeconds: 1, ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } }), {
        url: `${site.origin}/slow`,
      }),
      /Web fetch timed out after 1s/,
    );
    await assert.rejects(
      webFetch(ALLOW_PRIVATE, { url: `${site.origin}/missing` }),
      (e: Error) =>
        e instanceof ToolError && /Source: API\n---\nWeb fetch failed \(404\): [\s\S]*Not here/.test(e.message),
    );
    await assert.rejects(webFetch(ALLOW_PRIVATE, { url: "file:///etc/passwd" }), /Invalid URL: must be http or https/);
  } finally {
    release();
    await site.stop();
  }
});

Deno.test("web_fetch sends the operator's headers and its own Accept and User-Agent", async () => {
  const seen: Headers[] = [];
  const echo = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    seen.push(request.headers);
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  });
  try {
    await webFetch(
      fetchConfig({ headers: { "X-Route": "blue" }, ssrfPolicy: { dangerouslyAllowPrivateNetwork: true } }),
      { url: `http://127.0.0.1:${echo.addr.port}/` },
    );
    assert.equal(seen[0]?.get("x-route"), "blue");
    assert.equal(seen[0]?.get("accept"), "text/markdown, text/html;q=0.9, */*;q=0.1");
    assert.match(seen[0]?.get("user-agent") ?? "", /^Mozilla\/5\.0 .*Chrome\/122/);
    // The body is capped raw: no compressed body the tool would not inflate.
    assert.equal(seen[0]?.get("accept-encoding"), "identity");
  } finally {
    await echo.shutdown();
  }
});

Deno.test("the connection goes to the address that was checked, not to a second DNS answer", async () => {
  const site = serve(() => new Response("pinned", { headers: { "content-type": "text/plain" } }));
  try {
    const agent = agentFor(ALLOW_PRIVATE, "/tmp");
    const lookups: string[] = [];
    // "pinned.test" resolves nowhere but in this lookup: the fetch succeeds only if it connects
    // to the address the check saw, and the name is resolved once.
    const tool = webFetchTool(hostFor(agent), agent, (hostname) => {
      lookups.push(hostname);
      return Promise.resolve([{ address: "127.0.0.1", family: 4 }]);
    });
    const result = await tool.execute({ url: `http://pinned.test:${site.port}/` }, callIn("/tmp"));
    assert.match(String(result.details?.text), /\npinned\n/);
    assert.deepEqual(lookups, ["pinned.test"]);
  } finally {
    await site.stop();
  }
});

Deno.test("web_fetch is absent when tools.web.fetch.enabled is false", async () => {
  assert.equal((await toolsOf(webFetchToolsFamily, fetchConfig({ enabled: false }), "/tmp")).size, 0);
  assert.equal((await toolsOf(webFetchToolsFamily, {}, "/tmp")).size, 1);
});

Deno.test("HTML becomes markdown with entities decoded; text mode drops the decoration", () => {
  const rendered = htmlToMarkdown(
    `<h2>A &lt;b&gt; &#x263A;</h2><ol><li><a href="https://x.test/">X</a></li><li>Y</li></ol><p hidden>no</p><img src="/i.png" alt="pic">`,
  );
  assert.equal(rendered.text, "## A <b> ☺\n\n1. [X](https://x.test/)\n2. Y\n\n![pic](/i.png)");
  assert.equal(markdownToText(rendered.text), "A <b> ☺\nX\nY");
  const hidden = htmlToMarkdown(
    `<p>shown</p><p style="opacity: 0">a</p><span style="font-size:0px">b</span><div style="color: transparent">c</div>` +
      `<div class="sr-only">d</div><div style="position:absolute; left:-9999px">e</div><p style="transform: scale(0)">f</p>` +
      `<div style="width:0;height:0;overflow:hidden">g</div><div aria-hidden="true">h</div><input type="hidden" value="i">`,
  );
  assert.equal(hidden.text, "shown");
});

Deno.test("web_fetch refuses a URL carrying user:password@, first hop or redirect, and sends no Authorization", async () => {
  const seen: (string | null)[] = [];
  const site = serve((url, origin) => {
    seen.push(url.pathname);
    if (url.pathname === "/to-creds") {
      return new Response(null, { status: 302, headers: { location: origin.replace("//", "//bob:hunter2@") + "/x" } });
    }
    return new Response("ok", { headers: { "content-type": "text/plain" } });
  });
  try {
    for (
      const [url, hops] of [[site.origin.replace("//", "//alice:s3cret@") + "/", 0], [`${site.origin}/to-creds`, 1]]
    ) {
      seen.length = 0;
      await assert.rejects(
        webFetch(ALLOW_PRIVATE, { url }),
        (e: Error) =>
          e instanceof ToolError && e.message.includes("Invalid URL: credentials (user:password@) are not allowed") &&
          !/s3cret|hunter2/.test(e.message),
      );
      assert.equal(seen.length, hops, "the URL with credentials was never requested");
    }
  } finally {
    await site.stop();
  }
});
