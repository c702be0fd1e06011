// Browser suite: the live-check page in web/, served on 127.0.0.1 by a tiny
// static server started here, driven in Debian's chromium by playwright-core.
// Writes screenshots to web/screenshots/ and ends with `N passed, N failed`.
//
//   node wasm/browser/page.mjs        (after scripts/build-wasm.sh)
//
// CHROMIUM overrides the browser path (default /usr/bin/chromium).
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const webRoot = resolve(here, "../../web");
const shots = join(webRoot, "screenshots");
/** The built-in catalog's date, which the page shows beside every verdict. */
const catalogAsOf = JSON.parse(readFileSync(resolve(here, "../../data/models.json"), "utf8")).as_of;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
};

/** Serves web/ read-only on 127.0.0.1, on a free port. */
function serve() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    const file = normalize(join(webRoot, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(webRoot + sep) || !existsSync(file)) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Clears the size field and types `text` key by key, as a person would. */
async function typeSize(page, text) {
  await page.fill("#size", "");
  await page.type("#size", text, { delay: 15 });
}

const finding = (code) => `#findings li[data-code="${code}"]`;

test("the page loads the package and lists the thirteen providers", async ({ page, errors }) => {
  const providers = await page.$$eval("#provider option", (o) => o.map((x) => x.value));
  assertEqual(providers.join(","), "openai,wavespeed,enum-sizes,uniall,infinityblue,all-required,azure-openai,fal,replicate,kie,evolink,pixapi,openrouter", "providers");
  assertEqual(await page.inputValue("#model"), "gpt-image-2", "default model");
  assert((await page.textContent("#version")).startsWith("gpt-image-plan "), "version shown");
  assertEqual(errors.length, 0, `console errors: ${errors.join("; ")}`);
});

test("a fresh page leaves compression empty, so the body omits it", async ({ page }) => {
  assertEqual(await page.inputValue("#output_compression"), "", "compression input");
  assertEqual(await page.inputValue("#output_format"), "", "format input");
  const codes = await page.$$eval("#findings li[data-code]", (l) => l.map((x) => x.dataset.code).join(" "));
  assert(!codes.includes("output_compression"), `no compression finding: ${codes}`);
  assert(!("output_compression" in JSON.parse(await page.textContent("#body"))), "no output_compression in the body");
});

test("typing 1920x1080 shows the multiple-of-16 error and the fix", async ({ page }) => {
  await typeSize(page, "1920x1080");
  const item = page.locator(finding("size.not_multiple_of_16"));
  await item.waitFor({ timeout: 5000 });
  assertEqual(
    await item.locator(".message").textContent(),
    'size "1920x1080": height 1080 is not a multiple of 16',
    "message",
  );
  assert((await item.locator(".fix").textContent()).includes('fix: use "1920x1088", the nearest valid size'), "fix shown");
  assertEqual(await page.textContent("#use-nearest"), "Use nearest valid size: 1920x1088", "nearest button");
  assertEqual(await page.getAttribute("#size", "aria-invalid"), "true", "size marked invalid");
  assert((await page.getAttribute("#verdict", "class")).includes("error"), "verdict is an error");
});

test("clicking the fix sets 1920x1088 and the error goes", async ({ page }) => {
  await page.click("#use-nearest");
  assertEqual(await page.inputValue("#size"), "1920x1088", "size after the fix");
  assertEqual(await page.locator(finding("size.not_multiple_of_16")).count(), 0, "error gone");
  assert(await page.isHidden("#use-nearest"), "nearest button hidden");
  assert((await page.getAttribute("#verdict", "class")).includes(" ok"), "verdict ok");
  assert((await page.textContent("#body")).includes('"size": "1920x1088"'), "body has the new size");
});

test("switching to the enum-sizes provider flags a size it does not list", async ({ page }) => {
  await page.selectOption("#provider", "enum-sizes");
  const item = page.locator(finding("size.not_offered"));
  await item.waitFor({ timeout: 5000 });
  assertEqual(
    await item.locator(".message").textContent(),
    'size "1920x1088": not offered for "gpt-image-2" at "enum-sizes"',
    "message",
  );
  assertEqual(await page.textContent("#use-nearest"), "Use nearest valid size: 2048x1152", "nearest listed size");
  await page.click("#use-nearest");
  assertEqual(await page.locator(finding("size.not_offered")).count(), 0, "flag gone after the fix");
});

test("a finding's apply button sets the field it names", async ({ page }) => {
  await page.selectOption("#output_format", "png");
  await page.fill("#output_compression", "50");
  const incompatible = page.locator(finding("output_compression.incompatible"));
  await incompatible.waitFor({ timeout: 5000 });
  // Its fix names two changes, so there is no single value to apply.
  assertEqual(
    await incompatible.locator(".fix").textContent(),
    'fix: set output_format to "jpeg", or remove output_compression',
    "fix text",
  );
  assertEqual(await incompatible.locator("button[data-apply]").count(), 0, "no apply button");
  await page.selectOption("#output_format", "jpeg");
  await page.fill("#output_compression", "150");
  const item = page.locator(finding("output_compression.out_of_range"));
  await item.waitFor({ timeout: 5000 });
  await item.locator("button[data-apply]").click();
  assertEqual(await page.inputValue("#output_compression"), "100", "compression after apply");
  assertEqual(await page.locator(finding("output_compression.out_of_range")).count(), 0, "finding gone");
  // Back to the page's defaults (no compression, the default format) for the tests after.
  await page.fill("#output_compression", "");
  await page.selectOption("#output_format", "");
  assertEqual(await page.locator("#findings li[data-code^=output_compression]").count(), 0, "no compression finding");
});

test("suggestion chips follow the chosen ratio and set the size", async ({ page }) => {
  await page.selectOption("#provider", "openai");
  await page.selectOption("#ratio", "16:9");
  await page.selectOption("#tier", "2K");
  const chips = () => page.$$eval("#suggestions .chip", (c) => c.map((x) => x.dataset.size).join(" "));
  assertEqual(await chips(), "2048x1152 2064x1152 2032x1152 2048x1168", "16:9 at 2K");
  await page.selectOption("#ratio", "21:9");
  assertEqual((await chips()).split(" ")[0], "2048x880", "21:9 at 2K");
  await page.selectOption("#tier", "1K");
  assertEqual((await chips()).split(" ")[0], "1248x528", "21:9 at 1K grows to the pixel minimum");
  await page.selectOption("#ratio", "16:9");
  await page.selectOption("#tier", "2K");
  await page.click('#suggestions .chip[data-size="2048x1152"]');
  assertEqual(await page.inputValue("#size"), "2048x1152", "size from chip");
  assertEqual(await page.getAttribute('#suggestions .chip[data-size="2048x1152"]', "aria-pressed"), "true", "chip pressed");
});

test("the body shown is the request that would be sent", async ({ page }) => {
  await page.fill("#prompt", "an otter in a kayak");
  const body = JSON.parse(await page.textContent("#body"));
  assertEqual(body.prompt, "an otter in a kayak", "prompt");
  assertEqual(body.model, "gpt-image-2", "model");
  assertEqual(body.size, "2048x1152", "size");
  assertEqual(
    await page.textContent("#call-line"),
    "POST https://api.openai.com/v1/images/generations\nAuthorization: Bearer <OPENAI_API_KEY>",
    "call line",
  );
});

test("a provider that takes one image per call shows the split into calls", async ({ page }) => {
  await page.selectOption("#provider", "infinityblue");
  await page.fill("#n", "3");
  await page.locator(finding("n.split")).waitFor({ timeout: 5000 });
  assertEqual(await page.textContent("#body-title"), "Body that would be sent (first of 3 calls)", "title");
  assert((await page.textContent("#call-line")).endsWith("3 calls, n per call: 1, 1, 1"), "calls listed");
  assertEqual(JSON.parse(await page.textContent("#body")).n, 1, "n in the first call");
  await page.fill("#n", "1");
  await page.selectOption("#provider", "openai");
});

test("while there are errors the body shown is marked as not sent", async ({ page }) => {
  await typeSize(page, "1920x1080");
  await page.locator(finding("size.not_multiple_of_16")).waitFor({ timeout: 5000 });
  assertEqual(await page.textContent("#body-title"), "Body (not sent until the errors are fixed)", "title");
  assertEqual(JSON.parse(await page.textContent("#body")).size, "1920x1080", "body as typed");
  await typeSize(page, "2048x1152");
});

test("the estimate changes with quality", async ({ page }) => {
  await page.selectOption("#provider", "openai");
  await typeSize(page, "1024x1024");
  await page.fill("#prompt", "");
  await page.selectOption("#quality", "low");
  const low = await page.textContent("#estimate-total");
  await page.selectOption("#quality", "high");
  const high = await page.textContent("#estimate-total");
  assertEqual(low, "$0.00588", "low quality");
  assertEqual(high, "$0.21072", "high quality");
  await page.selectOption("#quality", "");
  const auto = await page.textContent("#estimate-total");
  assert(auto.includes(" - "), `quality auto is a range: ${auto}`);
  assert((await page.locator('#estimate .note[data-kind="quality_auto"]').count()) === 1, "quality auto note");
  await page.fill("#prompt", "an otter in a kayak");
});

test("a provider without published prices says so instead of guessing", async ({ page }) => {
  await page.selectOption("#provider", "wavespeed");
  assertEqual(
    await page.textContent("#estimate"),
    'no published price for "gpt-image-2" at "wavespeed": the price table has no entry for it',
    "estimate panel",
  );
  await page.selectOption("#provider", "openai");
});

test("the verdict says which day lifecycles were judged on and the catalog's as_of", async ({ page }) => {
  const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
  assertEqual(await page.inputValue("#date"), "", "date field empty");
  assertEqual(await page.textContent("#judged"), `judged on ${today} · catalog as of ${catalogAsOf}`, "verdict line");
  assertEqual(await page.textContent("#date-note"), `Today, UTC: ${today}.`, "date note");
  assert(
    (await page.textContent("#data-state")).startsWith(`Model catalog as of ${catalogAsOf} (built in, `),
    "data line names the built-in catalog",
  );
});

test("a model shut down on the chosen day is an error with its replacement; before, a warning", async ({ page }) => {
  await page.selectOption("#provider", "openai");
  await page.selectOption("#model", "gpt-image-1.5");
  await page.fill("#date", "2026-12-03");
  const retired = page.locator(finding("model.retired"));
  await retired.waitFor({ timeout: 5000 });
  assert(
    (await retired.locator(".message").textContent()).startsWith('model "gpt-image-1.5": gpt-image-1.5 was shut down on 2026-12-01'),
    "retired message",
  );
  assert((await page.getAttribute("#verdict", "class")).includes("error"), "verdict is an error");
  assertEqual(await page.textContent("#judged"), `judged on 2026-12-03 · catalog as of ${catalogAsOf}`, "verdict line");
  const label = () => page.$eval('#model option[value="gpt-image-1.5"]', (o) => o.textContent);
  assertEqual(await label(), "gpt-image-1.5 (shut down 2026-12-01)", "picker label on 2026-12-03");
  await page.fill("#date", "2026-11-15");
  const deprecated = page.locator(finding("model.deprecated"));
  await deprecated.waitFor({ timeout: 5000 });
  assertEqual(await deprecated.locator(".badge").textContent(), "warning", "deprecated is a warning");
  assert((await page.getAttribute("#verdict", "class")).includes("warning"), "verdict valid with warnings");
  assertEqual(await label(), "gpt-image-1.5 (deprecated, shuts down 2026-12-01)", "picker label on 2026-11-15");
  await page.fill("#date", "2026-12-03");
  await retired.locator("button[data-apply]").click();
  const replacement = await page.inputValue("#model");
  assert(replacement !== "gpt-image-1.5", `the fix picks another model: ${replacement}`);
  assertEqual(await page.locator(finding("model.retired")).count(), 0, "retired finding gone");
  await page.fill("#date", "");
  await page.selectOption("#model", "gpt-image-2");
});

const NEWER_CATALOG = {
  as_of: "2027-01-10",
  source: "a browser test",
  models: [
    { id: "gpt-image-3", family: "gpt_image", inherit: "gpt-image-2", source: "a browser test" },
    { id: "gpt-image-2", family: "gpt_image", lifecycle: { deprecated: "2027-01-10", retired: "2027-06-01", replacement: "gpt-image-3" } },
  ],
};

const GW3 = {
  id: "gw3",
  name: "Gateway 3",
  source: "a browser test",
  as_of: "2027-01-10",
  base_url: "https://images.example.com",
  path: "/v1/images/generations",
  auth: { header: "Authorization", scheme: "Bearer", env: "GW3_API_KEY" },
  response: { shape: "openai" },
  models: [{ name: "gpt-image-3", model: "gpt-image-3" }],
};

const GW3_PRICES = {
  as_of: "2027-01-11",
  source: "a browser test",
  entries: [{
    provider: "gw3",
    model: "gpt-image-3",
    as_of: "2027-01-11",
    source: "a browser test",
    currency: "USD",
    pricing: { kind: "per_image", prices: [{ size: "1024x1024", quality: "high", price: "0.5" }] },
  }],
};

/** Loads a document through the data panel's text box. */
async function loadJson(page, kind, doc) {
  await page.selectOption("#data-kind", kind);
  await page.fill("#data-json", typeof doc === "string" ? doc : JSON.stringify(doc));
  await page.click("#data-load");
}

test("a catalog, a profile and a price table loaded as JSON change the answers until reset", async ({ page }) => {
  await page.click("#data-box summary");
  await loadJson(page, "catalog", NEWER_CATALOG);
  assert((await page.textContent("#data-status")).startsWith("Catalog loaded: as of 2027-01-10, "), "catalog status");
  assert((await page.textContent("#data-state")).startsWith("Model catalog as of 2027-01-10 (loaded over the built-in one, "), "data line");
  await page.fill("#date", "2027-02-01");
  await page.locator(finding("model.deprecated")).waitFor({ timeout: 5000 });
  assertEqual(await page.textContent("#judged"), "judged on 2027-02-01 · catalog as of 2027-01-10", "verdict line");

  await loadJson(page, "profile", GW3);
  assertEqual(await page.textContent("#data-status"), 'Profile "gw3" loaded: gpt-image-3.', "profile status");
  assertEqual(await page.inputValue("#provider"), "gw3", "the loaded provider is chosen");
  assertEqual(await page.inputValue("#model"), "gpt-image-3", "its model");
  await typeSize(page, "1024x1024");
  await page.selectOption("#quality", "high");
  assertEqual(JSON.parse(await page.textContent("#body")).model, "gpt-image-3", "body model");
  assertEqual(
    await page.textContent("#estimate"),
    'no published price for "gpt-image-3" at "gw3": the price table has no entry for it',
    "no price yet",
  );

  await page.selectOption("#data-kind", "prices");
  await page.setInputFiles("#data-file", {
    name: "prices.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(GW3_PRICES)),
  });
  await page.locator("#estimate-total").waitFor({ timeout: 5000 });
  assertEqual(await page.textContent("#data-status"), "Price table loaded: as of 2027-01-11, 1 entry.", "prices status");
  assertEqual(await page.textContent("#estimate-total"), "$0.5", "priced from the loaded table");

  await loadJson(page, "catalog", '{"as_of": "2027-13-01", "source": "x", "models": []}');
  assert((await page.textContent("#data-status")).startsWith("catalog is not valid: as_of"), `invalid catalog: ${await page.textContent("#data-status")}`);
  assertEqual(await page.getAttribute("#data-status", "class"), "status-line error", "error shown");
  assert((await page.textContent("#data-state")).startsWith("Model catalog as of 2027-01-10"), "the loaded catalog stays");

  await page.click("#data-reset");
  assertEqual(await page.textContent("#data-status"), "Back to the built-in catalog, prices and profiles.", "reset status");
  const providers = await page.$$eval("#provider option", (o) => o.map((x) => x.value));
  assertEqual(providers.join(","), "openai,wavespeed,enum-sizes,uniall,infinityblue,all-required,azure-openai,fal,replicate,kie,evolink,pixapi,openrouter", "built-in providers");
  assert((await page.textContent("#data-state")).startsWith(`Model catalog as of ${catalogAsOf} (built in, `), "built-in data line");
  assertEqual(await page.textContent("#judged"), `judged on 2027-02-01 · catalog as of ${catalogAsOf}`, "verdict line after reset");
  await page.fill("#date", "");
  await page.selectOption("#quality", "");
  await page.selectOption("#model", "gpt-image-2");
  await page.click("#data-box summary");
});

test("the laptop layout has two columns and no horizontal scroll", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await typeSize(page, "1920x1080");
  await page.locator(finding("size.not_multiple_of_16")).waitFor({ timeout: 5000 });
  const form = await page.locator("#form").boundingBox();
  const verdict = await page.locator("#verdict").boundingBox();
  assert(verdict.x > form.x + form.width - 1, "results beside the form");
  assert(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scroll");
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, "laptop.png") });
});

test("the phone layout stacks into one column with no horizontal scroll", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(shots, "phone.png"), fullPage: true });
  const form = await page.locator("#form").boundingBox();
  const verdict = await page.locator("#verdict").boundingBox();
  assert(verdict.y >= form.y + form.height - 1, "results below the form");
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => e.id || e.tagName.toLowerCase() + "." + e.className)
      .slice(0, 5)
  );
  assertEqual(wide.join(", "), "", "elements wider than the screen");
});

async function main() {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), "gip-chromium-"));
  let context;
  let passed = 0;
  let failed = 0;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 800 },
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
    await page.waitForFunction(() => performance.getEntriesByName("gip:first-findings-frame").length > 0);
    const ms = await page.evaluate(() =>
      ["gip:wasm-ready", "gip:first-findings", "gip:first-findings-frame"].map((name) =>
        performance.getEntriesByName(name)[0]?.startTime.toFixed(1)
      )
    );
    console.log(
      `# navigation to first rendered finding: ${ms[2]} ms ` +
        `(module ready ${ms[0]} ms, findings in the DOM ${ms[1]} ms; performance marks in web/app.js)`,
    );
    for (const t of tests) {
      try {
        await t.fn({ page, errors });
        passed += 1;
        console.log(`ok - ${t.name}`);
      } catch (error) {
        failed += 1;
        console.log(`not ok - ${t.name}\n    ${String(error.message).split("\n").join("\n    ")}`);
      }
    }
  } catch (error) {
    failed += tests.length - passed - failed;
    console.log(`not ok - browser suite could not run: ${error.message}`);
  } finally {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
