// Time per call of the package's validate (and friends) in Node, through the
// JavaScript boundary: JSON.stringify in, serde_json inside, JSON.parse out.
//
//   node wasm/bench/validate.mjs            (after scripts/build-wasm.sh)
//
// Prints microseconds per call for each case, the median of 7 rounds: wall
// time, and the process's CPU time (user + system), which a busy machine
// inflates much less. GIP_PKG names another build of the package to time.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const gip = require(process.env.GIP_PKG ?? "../pkg-node/gpt_image_plan.js");

const cases = [
  ["validate, valid request (openai)", () =>
    gip.validate({ model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "1536x1024", quality: "high", n: 1 }, "openai")],
  ["validate, 1920x1080 (error + nearest fix)", () =>
    gip.validate({ model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "1920x1080" }, "openai")],
  ["validate, listed-size gateway (enum-sizes)", () =>
    gip.validate({ model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "1920x1088", output_format: "png", output_compression: 50 }, "enum-sizes")],
  ["validate, JSON text in", () =>
    gip.validate('{"model":"gpt-image-2","prompt":"a lighthouse at dusk","size":"1536x1024"}', "openai")],
  ["plan, valid request (openai; the page's per-keystroke call)", () =>
    gip.plan({ model: "gpt-image-2", prompt: "a lighthouse at dusk", size: "1536x1024", quality: "high", n: 1 }, "openai")],
  ["checkSize 1920x1080", () => gip.checkSize("1920x1080", "openai", "gpt-image-2")],
  ["nearest 1920x1080", () => gip.nearest("1920x1080", "openai", "gpt-image-2")],
];

/** How many calls take about `budgetMs`, after warming up for as long. */
function calibrate(fn, budgetMs) {
  let calls = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e6 < budgetMs) {
    fn();
    calls += 1;
  }
  return Math.max(1, calls);
}

const rounds = 7;
console.log(`node ${process.version}, gpt-image-plan ${gip.version()} (wasm)`);
console.log("case".padEnd(62), "us/call".padStart(10), "cpu us/call".padStart(12), "calls/round".padStart(12));
// Warm up every case first: the first calls parse the built-in profiles, and
// V8 compiles the module with its baseline compiler before the optimizing one.
for (const [, fn] of cases) calibrate(fn, 300);
for (const [name, fn] of cases) {
  const count = calibrate(fn, 150);
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const startCpu = process.cpuUsage();
    for (let i = 0; i < count; i++) fn();
    const used = process.cpuUsage(startCpu);
    wall.push(Number(process.hrtime.bigint() - start) / 1e3 / count);
    cpu.push((used.user + used.system) / count);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[rounds >> 1].toFixed(2);
  console.log(name.padEnd(62), median(wall).padStart(10), median(cpu).padStart(12), String(count).padStart(12));
}
