// The WebAssembly package must give the answers in tests/cases/shared.json,
// the same table tests/shared_cases.rs checks the Rust crate against.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const gip = require("../pkg-node/gpt_image_plan.js");
const table = JSON.parse(readFileSync(new URL("../../tests/cases/shared.json", import.meta.url), "utf8"));
// The crate's plain functions judge model lifecycles on the catalog's `as_of`;
// the package judges on today unless told, so the table is checked on that day.
const AS_OF = gip.catalogInfo().asOf;

function assertReport(c, report) {
  assert.deepEqual(report.diagnostics.map((d) => d.code), c.expect.codes, `codes of ${c.name}`);
  assert.equal(report.valid, c.expect.valid, `validity of ${c.name}`);
  assert.equal(report.errors + report.warnings, report.diagnostics.length, `counts of ${c.name}`);
  for (const [code, fields] of Object.entries(c.expect.details ?? {})) {
    const found = report.diagnostics.find((d) => d.code === code);
    assert.ok(found, `${c.name}: no diagnostic ${code}`);
    for (const [key, value] of Object.entries(fields)) {
      assert.deepEqual(found[key], value, `${c.name}: ${code}.${key}`);
    }
  }
}

for (const c of table.validate) {
  test(`validate: ${c.name}`, () => {
    const request = c.requestText ?? c.request;
    assertReport(c, gip.validate(request, c.provider, AS_OF));
  });
}

for (const c of table.validate.filter((c) => c.request)) {
  test(`validate gives the same report for the object and its JSON text: ${c.name}`, () => {
    assert.deepEqual(gip.validate(c.request, c.provider, AS_OF), gip.validate(JSON.stringify(c.request), c.provider, AS_OF));
  });
}

for (const c of table.checkSize) {
  test(`checkSize: ${c.name}`, () => {
    assertReport(c, gip.checkSize(c.size, c.provider, c.model, AS_OF));
  });
}

for (const c of table.nearest) {
  test(`nearest: ${c.name}`, () => {
    const answer = gip.nearest(c.size, c.provider, c.model);
    assert.equal(answer.nearest, c.expect.nearest);
    assert.equal(answer.valid, c.expect.valid);
    assert.equal(answer.input, c.size);
    assert.equal(answer.model, c.model);
  });
}

for (const c of table.presets) {
  test(`presets: ${c.name}`, () => {
    const sizes = gip.presets(c.provider, c.model, c.tier).map((p) => p.size);
    assert.deepEqual(sizes, c.expect.sizes);
  });
}

for (const c of table.plan) {
  test(`plan: ${c.name}`, () => {
    const plan = gip.plan(c.request, c.provider, AS_OF);
    assert.equal(plan.ready, c.expect.ready);
    if (c.expect.codes) assert.deepEqual(plan.report.diagnostics.map((d) => d.code), c.expect.codes);
    if (c.expect.urls) assert.deepEqual(plan.calls.map((call) => call.url), c.expect.urls);
    assert.deepEqual(plan.calls.map((call) => call.body), c.expect.bodies);
  });
}

for (const c of table.estimate) {
  test(`estimate: ${c.name}`, () => {
    if (c.expect.error) {
      assert.throws(() => gip.estimate(c.request, c.provider, AS_OF), { message: c.expect.error });
    } else {
      const estimate = gip.estimate(c.request, c.provider, AS_OF);
      assert.deepEqual({ currency: estimate.currency, total: estimate.total }, c.expect);
    }
  });
}

for (const c of table.suggest) {
  test(`suggest: ${c.name}`, () => {
    if (c.expect.error) {
      assert.throws(() => gip.suggest(c.ratio, c.target, c.provider, c.model, c.count), { message: c.expect.error });
      return;
    }
    const top = gip.suggest(c.ratio, c.target, c.provider, c.model, c.count);
    assert.deepEqual(top.map((s) => s.size), c.expect.sizes);
    if (c.expect.tiers) assert.deepEqual(top.map((s) => s.tier), c.expect.tiers);
  });
}
