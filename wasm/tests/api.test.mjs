// The package's JavaScript surface: shapes, defaults, thrown errors, custom profiles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const gip = require("../pkg-node/gpt_image_plan.js");

const MY_GATEWAY = {
  id: "my-gateway",
  name: "My gateway",
  source: "a test",
  as_of: "2026-11-01",
  base_url: "https://images.example.com",
  path: "/v1/images/generations",
  auth: { header: "Authorization", scheme: "Bearer", env: "MY_GATEWAY_KEY" },
  response: { shape: "openai" },
  models: [{ name: "gpt-image-2", model: "gpt-image-2", rules: { n: { min: 1, max: 4 } } }],
};

test("providers lists the six built-in profiles in order, none custom", () => {
  const list = gip.providers();
  assert.deepEqual(list.map((p) => p.id), ["openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required", "azure-openai", "fal", "replicate", "kie", "evolink", "pixapi", "openrouter"]);
  assert.ok(list.every((p) => p.custom === false));
  const openai = list[0];
  assert.equal(openai.baseUrl, "https://api.openai.com");
  assert.equal(openai.modelIn, "body");
  assert.match(openai.asOf, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(openai.models.some((m) => m.name === "gpt-image-2" && m.model === "gpt-image-2"));
});

test("models lists the catalog with lifecycle dates", () => {
  const list = gip.models();
  const dalle2 = list.find((m) => m.id === "dall-e-2");
  assert.equal(dalle2.family, "dall_e");
  assert.equal(dalle2.retired, "2026-05-12");
  const snapshot = list.find((m) => m.id === "gpt-image-2-2026-04-21");
  assert.equal(snapshot.snapshotOf, "gpt-image-2");
});

test("models(date) gives each model's state on that day, with its replacement", () => {
  const state = (date, id) => gip.models(date).find((m) => m.id === id);
  const late = state("2026-12-03", "gpt-image-1.5");
  assert.deepEqual(
    { state: late.state, deprecated: late.deprecated, retired: late.retired, date: late.date },
    { state: "shutdown", deprecated: late.deprecated, retired: "2026-12-01", date: "2026-12-03" },
  );
  assert.equal(typeof late.replacement, "string");
  assert.equal(state("2026-11-15", "gpt-image-1.5").state, "deprecated");
  assert.equal(state("2026-01-15", "gpt-image-1.5").state, "active");
  assert.equal(state("2026-12-03", "gpt-image-2").state, "active");
  assert.equal(state("2026-12-03", "gpt-image-2").asOf, gip.catalogInfo().asOf);
  assert.throws(() => gip.models("2026-02-30"), { message: 'date "2026-02-30" is not a real day written YYYY-MM-DD' });
});

test("servedModels gives each model's rules in the profile schema", () => {
  const [model] = gip.servedModels("enum-sizes");
  assert.equal(model.name, "gpt-image-2");
  assert.equal(model.rules.sizes.rule, null);
  assert.equal(model.rules.sizes.list.length, 18);
  assert.deepEqual(model.rules.params.output_format.values, ["png", "jpeg"]);
  assert.ok(model.rules.constraints.some((c) => c.param === "output_compression"));
  const openai = gip.servedModels("openai").find((m) => m.name === "gpt-image-2");
  assert.equal(openai.rules.sizes.rule.max_ratio, "3:1");
  assert.equal(openai.rules.sizes.rule.max_pixels, 8294400);
});

test("an unknown provider throws an Error that lists the known ones", () => {
  assert.throws(() => gip.validate({ prompt: "x" }, "nope"), {
    name: "Error",
    message: 'provider "nope": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required", "azure-openai", "fal", "replicate", "kie", "evolink", "pixapi", "openrouter"',
  });
});

test("an unknown model throws for the size functions", () => {
  assert.throws(() => gip.nearest("1024x1024", "openai", "gpt-image-9"), {
    message:
      'model "gpt-image-9" is not served by openai; it serves gpt-image-2.6-sunburst, gpt-image-2.6-flare, gpt-image-2.5-sunburst, gpt-image-2.5-sunburst-2026-09-08, gpt-image-2.5-flare, gpt-image-2.5-flare-2026-09-08, gpt-image-2, gpt-image-2-2026-04-21, gpt-image-1.5, gpt-image-1.5-2025-12-16, chatgpt-image-latest, gpt-image-1-mini, gpt-image-1, dall-e-3, dall-e-2',
  });
});

test("a BigInt in the request throws instead of being dropped", () => {
  assert.throws(() => gip.validate({ prompt: "x", n: 1n }, "openai"), {
    message: "request cannot be written as JSON (a BigInt or a cycle?)",
  });
});

test("servedModels(provider, date) gives each served model's state on that day", () => {
  const old = (date) => gip.servedModels("openai", date).find((m) => m.name === "gpt-image-1.5");
  assert.equal(old("2026-12-03").state, "shutdown");
  assert.equal(old("2026-11-15").state, "deprecated");
  assert.equal(old("2026-11-15").retired, "2026-12-01");
});

test("checkSize picks gpt-image-2 when no model is given", () => {
  const report = gip.checkSize("1920x1080", "openai");
  assert.deepEqual(report.diagnostics.map((d) => d.code), ["size.not_multiple_of_16"]);
  assert.equal(report.diagnostics[0].replacement, "1920x1088");
});

test("nearest reads a near miss as the size meant and snaps it", () => {
  const answer = gip.nearest("1920X1080", "openai");
  assert.deepEqual(answer, {
    input: "1920X1080",
    size: "1920x1080",
    valid: false,
    nearest: "1920x1088",
    distance: answer.distance,
    provider: "openai",
    model: "gpt-image-2",
  });
  assert.ok(answer.distance > 0.007 && answer.distance < 0.008);
});

test("nearest of auto is auto where offered and the default size where not", () => {
  assert.equal(gip.nearest("auto", "openai").nearest, "auto");
  assert.equal(gip.nearest("auto", "openai").valid, true);
  const wavespeed = gip.nearest("auto", "wavespeed");
  assert.equal(wavespeed.valid, false);
  assert.equal(wavespeed.nearest, "1024x1024");
});

test("nearest of text that is no size has no answer", () => {
  const answer = gip.nearest("big", "openai");
  assert.equal(answer.size, null);
  assert.equal(answer.nearest, null);
  assert.equal(answer.valid, false);
});

test("presets carry ratio, orientation, pixels, tier and label", () => {
  const [first] = gip.presets("enum-sizes", "gpt-image-2", "4K");
  assert.deepEqual(first, {
    size: "3840x2160",
    width: 3840,
    height: 2160,
    ratio: "16:9",
    orientation: "landscape",
    pixels: 8294400,
    tier: "4K",
    label: "4K landscape",
  });
  assert.throws(() => gip.presets("enum-sizes", undefined, "8K"), /tier "8K" is not one of "1K", "2K", "4K"/);
});

test("loadProfile adds a provider that validate and providers then use", () => {
  const info = gip.loadProfile(MY_GATEWAY);
  try {
    assert.equal(info.id, "my-gateway");
    assert.equal(info.custom, true);
    assert.ok(gip.providers().some((p) => p.id === "my-gateway" && p.custom));
    const report = gip.validate({ model: "gpt-image-2", prompt: "an otter", n: 5 }, "my-gateway");
    assert.deepEqual(report.diagnostics.map((d) => d.code), ["n.out_of_range"]);
    assert.equal(report.diagnostics[0].message, 'n 5: above the maximum of 4 for "gpt-image-2" at "my-gateway"');
  } finally {
    assert.equal(gip.removeProfile("my-gateway"), true);
  }
  assert.equal(gip.removeProfile("my-gateway"), false);
  assert.throws(() => gip.validate({ prompt: "x" }, "my-gateway"), /provider "my-gateway": not a built-in profile/);
});

test("loadProfile takes JSON text and a loaded profile shadows a built-in until removed", () => {
  const shadow = { ...MY_GATEWAY, id: "openai", name: "Shadowed OpenAI" };
  gip.loadProfile(JSON.stringify(shadow));
  try {
    const openai = gip.providers().filter((p) => p.id === "openai");
    assert.equal(openai.length, 1);
    assert.equal(openai[0].name, "Shadowed OpenAI");
    assert.equal(gip.validate({ model: "gpt-image-2", prompt: "x", n: 5 }, "openai").valid, false);
  } finally {
    gip.removeProfile("openai");
  }
  assert.equal(gip.providers()[0].name, "OpenAI");
  assert.equal(gip.validate({ model: "gpt-image-2", prompt: "x", n: 5 }, "openai").valid, true);
});

test("loadProfile throws the crate's message for an invalid profile", () => {
  assert.throws(() => gip.loadProfile({ ...MY_GATEWAY, models: [] }), {
    message: 'profile is not valid: profile "my-gateway" serves no models',
  });
  assert.throws(() => gip.loadProfile("{"), /^Error: profile is not valid: EOF while parsing/);
});

test("requestBody keeps the readable fields and reports the rest", () => {
  const read = gip.requestBody({ model: "gpt-image-2", prompt: "otter", n: "2", sizes: "1024x1024", size: "1024x1024" }, "openai");
  assert.deepEqual(read.body, { model: "gpt-image-2", prompt: "otter", size: "1024x1024" });
  assert.deepEqual(read.report.diagnostics.map((d) => d.code), ["n.invalid_type", "request.unknown_field"]);
});

test("version is the crate version", () => {
  assert.match(gip.version(), /^\d+\.\d+\.\d+$/);
});

test("plan gives ready calls with the key only as a placeholder", () => {
  const plan = gip.plan({ model: "gpt-image-2", prompt: "an otter", size: "1024x1024" }, "openai");
  assert.equal(plan.ready, true);
  assert.equal(plan.response, "sync");
  assert.equal(plan.calls.length, 1);
  const [call] = plan.calls;
  assert.equal(call.method, "POST");
  assert.equal(call.url, "https://api.openai.com/v1/images/generations");
  assert.deepEqual(call.headers, [
    { name: "Content-Type", value: "application/json", secret: false },
    { name: "Authorization", value: "Bearer <OPENAI_API_KEY>", secret: true },
  ]);
  assert.deepEqual(JSON.parse(call.body), { model: "gpt-image-2", prompt: "an otter", size: "1024x1024" });
});

test("suggest defaults to three candidates and caps the count at 100", () => {
  const three = gip.suggest("16:9", "2K", "openai");
  assert.equal(three.length, 3);
  assert.deepEqual(three[0], {
    size: "2048x1152",
    ratio: "16:9",
    named_ratio: { ratio: "16:9", error: 0 },
    pixels: 2359296,
    orientation: "landscape",
    distance: 0,
    anchor_distance: 0,
    tier: null,
    preset: three[0].preset,
    label: three[0].label,
  });
  assert.equal(gip.suggest("16:9", "2K", "openai", undefined, 4294967295).length, 100);
  assert.throws(() => gip.suggest("16:0", "2K", "openai"), /aspect ratio "16:0" is not W:H/);
  assert.throws(() => gip.suggest("16:9", "8K", "openai"), /target "8K" is not a tier/);
});

// The date: every call that judges model lifecycles takes one, else today in UTC.

/** Today in UTC as `YYYY-MM-DD`, from JavaScript's own clock. */
const today = () => new Date().toISOString().slice(0, 10);

test("without a date, the answers are judged on today's UTC date and say so", () => {
  const request = { model: "gpt-image-2", prompt: "an otter" };
  const before = today();
  const report = gip.validate(request, "openai");
  const plan = gip.plan(request, "openai");
  const models = gip.models();
  const after = today();
  for (const date of [report.date, plan.date, plan.report.date, models[0].date]) {
    assert.ok(date === before || date === after, `${date} is today (${before})`);
  }
  assert.equal(report.catalogAsOf, gip.catalogInfo().asOf);
  assert.equal(plan.catalogAsOf, gip.catalogInfo().asOf);
  assert.equal(gip.requestBody(request, "openai").report.date, null);
});

test("gpt-image-1.5 is retired on 2026-12-03 and deprecated on 2026-11-15", () => {
  const request = { model: "gpt-image-1.5", prompt: "an otter" };
  const late = gip.validate(request, "openai", "2026-12-03");
  assert.deepEqual(late.diagnostics.map((d) => [d.code, d.severity]), [["model.retired", "error"]]);
  assert.equal(late.valid, false);
  assert.equal(late.date, "2026-12-03");
  assert.match(late.diagnostics[0].message, /^model "gpt-image-1\.5": gpt-image-1\.5 was shut down on 2026-12-01/);
  const early = gip.validate(request, "openai", "2026-11-15");
  assert.deepEqual(early.diagnostics.map((d) => [d.code, d.severity]), [["model.deprecated", "warning"]]);
  assert.equal(early.valid, true);
  assert.equal(early.date, "2026-11-15");
  assert.equal(gip.validate(request, "openai", "2026-01-15").diagnostics.length, 0);
  // The same on every call that judges by date.
  const plan = gip.plan(request, "openai", "2026-12-03");
  assert.equal(plan.ready, false);
  assert.deepEqual(plan.calls, []);
  assert.deepEqual(plan.report.diagnostics.map((d) => d.code), ["model.retired"]);
  assert.equal(gip.plan(request, "openai", "2026-11-15").ready, true);
  assert.deepEqual(gip.checkSize("1024x1024", "openai", "gpt-image-1.5", "2026-12-03").diagnostics.map((d) => d.code), ["model.retired"]);
  assert.deepEqual(gip.checkSize("1024x1024", "openai", "gpt-image-1.5", "2026-11-15").diagnostics, []);
  const estimate = gip.estimate({ ...request, size: "1024x1024", quality: "low" }, "openai", "2026-12-03");
  assert.deepEqual(estimate.report.diagnostics.map((d) => d.code), ["model.retired"]);
  assert.equal(estimate.date, "2026-12-03");
});

test("a date that is not a real day throws the crate's message", () => {
  for (const call of [
    () => gip.validate({ prompt: "x" }, "openai", "2026-13-01"),
    () => gip.plan({ prompt: "x" }, "openai", "2026-13-01"),
    () => gip.checkSize("1024x1024", "openai", undefined, "2026-13-01"),
    () => gip.estimate({ prompt: "x" }, "openai", "2026-13-01"),
  ]) {
    assert.throws(call, { name: "Error", message: 'date "2026-13-01" is not a real day written YYYY-MM-DD' });
  }
});

// Newer data without a release: a catalog and a price table laid over the built-in ones.

const NEWER_CATALOG = {
  as_of: "2027-02-01",
  source: "a caller's notes",
  parameters: { sharpness: { type: "integer", description: "edge sharpening, 0-5" } },
  models: [
    {
      id: "gpt-image-3",
      family: "gpt_image",
      inherit: "gpt-image-2",
      lifecycle: { released: "2027-01-20" },
      source: "a caller's notes",
      rules: {
        params: {
          quality: { support: "supported", values: ["low", "medium", "high", "ultra", "auto"] },
          sharpness: { support: "supported", min: 0, max: 5 },
        },
        constraints: [
          { param: "sharpness", needs: { param: "size", max_pixels: 1048576 }, effect: "no_effect" },
        ],
      },
    },
    { id: "gpt-image-2", family: "gpt_image", lifecycle: { deprecated: "2027-01-20", retired: "2027-06-01", replacement: "gpt-image-3" } },
  ],
};

const GW3 = {
  id: "gw3",
  name: "A gateway",
  source: "their docs",
  as_of: "2027-02-01",
  base_url: "https://images.example.com",
  path: "/v1/images/generations",
  auth: { header: "Authorization", scheme: "Bearer", env: "GW3_API_KEY" },
  response: { shape: "openai" },
  models: [{ name: "gpt-image-3", model: "gpt-image-3" }, { name: "gpt-image-2", model: "gpt-image-2" }],
};

const GW3_PRICES = {
  as_of: "2027-02-02",
  source: "a caller's invoice",
  entries: [{
    provider: "gw3",
    model: "gpt-image-3",
    as_of: "2027-02-02",
    source: "a caller's invoice",
    currency: "USD",
    pricing: {
      kind: "per_image",
      prices: [
        { size: "1024x1024", quality: "low", price: "0.01" },
        { size: "1024x1024", quality: "high", price: "0.5" },
      ],
    },
  }],
};

test("loadCatalog teaches a model and a parameter from JSON: validate and plan use them, with codes", () => {
  const codes = (report) => report.diagnostics.map((d) => d.code);
  assert.throws(() => gip.loadProfile(GW3), { message: 'profile "gw3", model "gpt-image-3": model missing from catalog' });
  const info = gip.loadCatalog(NEWER_CATALOG);
  try {
    assert.equal(info.asOf, "2027-02-01");
    assert.equal(info.custom, true);
    assert.ok(info.parameters.includes("sharpness"));
    assert.deepEqual(gip.catalogInfo(), info);
    gip.loadProfile(GW3);
    const day = "2027-02-01";
    const ok = gip.validate({ model: "gpt-image-3", prompt: "x", size: "1024x1024", quality: "ultra", sharpness: 3 }, "gw3", day);
    assert.deepEqual(ok.diagnostics, []);
    assert.equal(ok.catalogAsOf, "2027-02-01");
    const sharp = gip.validate({ model: "gpt-image-3", prompt: "x", sharpness: 7 }, "gw3", day);
    assert.deepEqual(codes(sharp), ["sharpness.out_of_range"]);
    assert.equal(sharp.diagnostics[0].message, 'sharpness 7: above the maximum of 5 for "gpt-image-3" at "gw3"');
    assert.equal(sharp.diagnostics[0].replacement, "5");
    const big = gip.validate({ model: "gpt-image-3", prompt: "x", size: "1536x1024", sharpness: 2 }, "gw3", day);
    assert.deepEqual(codes(big), ["sharpness.no_effect"]);
    assert.equal(big.valid, true);
    const plan = gip.plan({ model: "gpt-image-3", prompt: "x", size: "1024x1024", quality: "ultra", sharpness: 3 }, "gw3", day);
    assert.equal(plan.ready, true);
    assert.equal(plan.calls[0].body, '{"model":"gpt-image-3","prompt":"x","size":"1024x1024","quality":"ultra","sharpness":3}');
    assert.equal(plan.catalogAsOf, "2027-02-01");
    // The loaded catalog's lifecycles: gpt-image-2 is deprecated there, then retired.
    const old = { model: "gpt-image-2", prompt: "x" };
    assert.deepEqual(codes(gip.validate(old, "gw3", day)), ["model.deprecated"]);
    const retired = gip.validate(old, "gw3", "2027-06-01");
    assert.deepEqual(codes(retired), ["model.retired"]);
    assert.equal(retired.diagnostics[0].replacement, "gpt-image-3");
    assert.equal(gip.models(day).find((m) => m.id === "gpt-image-3").state, "active");
    // Built-in profiles are resolved in it too.
    assert.deepEqual(codes(gip.validate(old, "openai", day)), ["model.deprecated"]);
    assert.equal(gip.providers()[0].catalogAsOf, "2027-02-01");
    // gw3 names a model only the loaded catalog has, so the built-in one cannot take it back.
    assert.throws(() => gip.resetCatalog(), {
      message: 'loaded profile "gw3" does not resolve in the catalog: profile "gw3", model "gpt-image-3": model missing from catalog',
    });
    assert.equal(gip.catalogInfo().custom, true);
  } finally {
    gip.removeProfile("gw3");
    gip.resetCatalog();
  }
  assert.equal(gip.catalogInfo().custom, false);
  assert.equal(gip.models().some((m) => m.id === "gpt-image-3"), false);
  assert.deepEqual(codes(gip.validate({ model: "gpt-image-2", prompt: "x" }, "openai", "2027-06-01")), []);
});

test("loadCatalog takes JSON text and null, and an invalid catalog throws with its JSON path and changes nothing", () => {
  assert.equal(gip.loadCatalog(JSON.stringify(NEWER_CATALOG)).asOf, "2027-02-01");
  assert.equal(gip.loadCatalog(null).custom, false);
  const bad = structuredClone(NEWER_CATALOG);
  bad.models[0].rules.params.sharpness.min = "zero";
  const index = gip.models().length;
  assert.throws(() => gip.loadCatalog(bad), {
    name: "Error",
    message: `catalog is not valid: models[${index}].rules.params.sharpness.min: invalid type: string "zero", expected u32`,
  });
  assert.throws(() => gip.loadCatalog("{"), /^Error: catalog is not valid: EOF while parsing/);
  assert.equal(gip.catalogInfo().custom, false);
  assert.equal(gip.models().length, index);
});

test("loadPrices lays a price table over the built-in one for estimate and plan", () => {
  gip.loadCatalog(NEWER_CATALOG);
  gip.loadProfile(GW3);
  try {
    const request = { model: "gpt-image-3", prompt: "x", size: "1024x1024", quality: "high", n: 2 };
    assert.throws(() => gip.estimate(request, "gw3", "2027-02-01"), /no published price for "gpt-image-3" at "gw3"/);
    const info = gip.loadPrices(GW3_PRICES);
    assert.deepEqual(info, { asOf: "2027-02-02", source: "a caller's invoice", entries: 1, custom: true });
    assert.deepEqual(gip.pricesInfo(), info);
    const estimate = gip.estimate(request, "gw3", "2027-02-01");
    assert.deepEqual(estimate.total, { min: "1", max: "1" });
    assert.equal(estimate.as_of, "2027-02-02");
    assert.deepEqual(estimate.report.diagnostics, []);
    // The built-in entries are still there.
    assert.equal(gip.estimate({ model: "gpt-image-2", prompt: "", size: "1024x1024", quality: "high" }, "openai").total.max, "0.21072");
    assert.throws(() => gip.loadPrices({}), { message: "price table is not valid: missing field `as_of`" });
    assert.equal(gip.pricesInfo().custom, true);
  } finally {
    assert.equal(gip.loadPrices(null).custom, false);
    gip.removeProfile("gw3");
    gip.resetCatalog();
  }
  assert.equal(gip.pricesInfo().custom, false);
});
