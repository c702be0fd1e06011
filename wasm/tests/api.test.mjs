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
  assert.deepEqual(list.map((p) => p.id), ["openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required"]);
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

test("servedModels gives each model's rules in the profile schema", () => {
  const [model] = gip.servedModels("enum-sizes");
  assert.equal(model.name, "gpt-image-2");
  assert.equal(model.rules.sizes.rule, null);
  assert.equal(model.rules.sizes.list.length, 18);
  assert.deepEqual(model.rules.params.output_format.values, ["png", "jpeg"]);
  assert.equal(model.rules.params.output_compression.elsewhere, "must_be_100");
  const openai = gip.servedModels("openai").find((m) => m.name === "gpt-image-2");
  assert.equal(openai.rules.sizes.rule.max_ratio, "3:1");
  assert.equal(openai.rules.sizes.rule.max_pixels, 8294400);
});

test("an unknown provider throws an Error that lists the known ones", () => {
  assert.throws(() => gip.validate({ prompt: "x" }, "nope"), {
    name: "Error",
    message: 'provider "nope": not a built-in profile; the known ids are "openai", "wavespeed", "enum-sizes", "uniall", "infinityblue", "all-required"',
  });
});

test("an unknown model throws for the size functions", () => {
  assert.throws(() => gip.nearest("1024x1024", "openai", "gpt-image-9"), {
    message: 'model "gpt-image-9" is not served by openai; it serves gpt-image-2, gpt-image-2-2026-04-21, gpt-image-1.5, gpt-image-1-mini, gpt-image-1, dall-e-3, dall-e-2',
  });
});

test("a BigInt in the request throws instead of being dropped", () => {
  assert.throws(() => gip.validate({ prompt: "x", n: 1n }, "openai"), {
    message: "request cannot be written as JSON (a BigInt or a cycle?)",
  });
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
  assert.equal(plan.response, "openai");
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
