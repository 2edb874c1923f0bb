import assert from "node:assert/strict";
import { getByPath, hasTemplateExpressions, renderOptional, renderTemplate } from "../../src/http/hook_templates.ts";

const ctx = {
  payload: { repo: "r1", pr: { title: "Fix", n: 3, draft: false }, messages: [{ subject: "Hi" }], nil: null },
  headers: { "x-event-type": "push" },
  url: new URL("http://h/hooks/gh?kind=pr"),
  path: "gh",
};

Deno.test("hook templates: payload paths, indexes, headers, query, path; missing is empty, objects are JSON", () => {
  assert.equal(
    renderTemplate(
      "{{repo}} {{payload.pr.title}} #{{pr.n}} {{pr.draft}} {{messages[0].subject}} {{headers.x-event-type}} {{query.kind}} {{path}}",
      ctx,
    ),
    "r1 Fix #3 false Hi push pr gh",
  );
  assert.equal(renderTemplate("[{{missing}}][{{nil}}][{{ pr.title }}]", ctx), "[][][Fix]");
  assert.equal(renderTemplate("{{pr}}", ctx), JSON.stringify(ctx.payload.pr));
  assert.match(renderTemplate("{{now}}", ctx), /^\d{4}-\d\d-\d\dT/);
  assert.equal(renderOptional("  {{missing}} ", ctx), undefined);
  assert.equal(renderOptional(undefined, ctx), undefined);
});

Deno.test("hook templates: prototype keys are never walked", () => {
  assert.equal(getByPath(ctx.payload, "__proto__.toString"), undefined);
  assert.equal(getByPath(ctx.payload, "repo.constructor"), undefined);
  assert.equal(hasTemplateExpressions("hook:{{id}}"), true);
  assert.equal(hasTemplateExpressions("hook:fixed"), false);
});
