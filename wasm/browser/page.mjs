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

test("the page loads the package and lists the six providers", async ({ page, errors }) => {
  const providers = await page.$$eval("#provider option", (o) => o.map((x) => x.value));
  assertEqual(providers.join(","), "openai,wavespeed,enum-sizes,uniall,infinityblue,all-required", "providers");
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
  const item = page.locator(finding("output_compression.incompatible"));
  await item.waitFor({ timeout: 5000 });
  await item.locator("button[data-apply]").click();
  assertEqual(await page.inputValue("#output_compression"), "100", "compression after apply");
  assertEqual(await page.locator(finding("output_compression.incompatible")).count(), 0, "finding gone");
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
