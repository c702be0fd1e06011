// The live-check page: every input change validates the request with the
// gpt-image-plan WebAssembly package and shows the findings, the nearest valid
// size, suggestions for the chosen ratio, the cost and the body to be sent.
// Model lifecycles are judged on the date field (empty: today, UTC), and a
// newer catalog, price table or provider profile can be loaded as JSON.
import init, * as gip from "./pkg/gpt_image_plan.js";

const $ = (id) => document.getElementById(id);

/** Form fields that map one-to-one onto request fields. */
const FIELDS = ["size", "quality", "output_format", "background", "output_compression", "n", "prompt"];
/** Enumerated parameters whose choices come from the served model's rules. */
const CHOICES = ["quality", "output_format", "background"];

const state = { served: [], model: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function provider() {
  return $("provider").value;
}

function modelName() {
  return $("model").value;
}

/** The day to judge lifecycles on; `undefined` lets the package use today (UTC). */
function day() {
  return $("date").value || undefined;
}

function setOptions(select, options, keep) {
  select.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
  if (options.some(([value]) => value === keep)) select.value = keep;
}

function fillProviders() {
  const list = gip.providers();
  const keep = $("provider").value || "openai";
  setOptions(
    $("provider"),
    list.map((p) => [p.id, p.custom ? `${p.name} (loaded)` : p.name]),
    list.some((p) => p.id === keep) ? keep : "openai",
  );
}

/** A served model's name with its state on the chosen day, for the picker. */
function modelLabel(m) {
  if (m.state === "shutdown") return `${m.name} (shut down ${m.retired})`;
  if (m.state === "deprecated") return m.retired ? `${m.name} (deprecated, shuts down ${m.retired})` : `${m.name} (deprecated)`;
  return m.name;
}

function fillModels() {
  const id = provider();
  const info = gip.providers().find((p) => p.id === id);
  state.served = gip.servedModels(id, day());
  const keep = $("model").value;
  setOptions(
    $("model"),
    state.served.map((m) => [m.name, modelLabel(m)]),
    keep,
  );
  if (!state.served.some((m) => m.name === keep)) {
    const preferred = state.served.find((m) => m.name === "gpt-image-2") ??
      state.served.find((m) => m.name === info?.defaultModel) ?? state.served[0];
    if (preferred) $("model").value = preferred.name;
  }
  $("provider-note").textContent = info
    ? `${info.id}: facts as of ${info.asOf}. ${info.notes[0] ?? ""}`.trim()
    : "";
  fillModelDetails();
}

/** Fills the parameter pickers and size presets from the chosen model's rules. */
function fillModelDetails() {
  state.model = state.served.find((m) => m.name === modelName()) ?? null;
  const rules = state.model?.rules;
  for (const field of CHOICES) {
    const select = $(field);
    const keep = select.value;
    const rule = rules?.params[field];
    const offered = rule && (rule.support === "supported" || rule.support === "no_effect") ? rule.values ?? [] : [];
    const fallback = rules?.defaults[field];
    const options = [["", fallback ? `default (${fallback})` : "omit"]];
    for (const value of offered) options.push([value, rule.support === "no_effect" ? `${value} (no effect)` : value]);
    if (keep && !offered.includes(keep)) options.push([keep, `${keep} (not offered)`]);
    setOptions(select, options, keep);
  }
  const n = rules?.n;
  if (n) $("n").max = String(n.split_max ?? n.max);
  const compression = rules?.params.output_compression;
  $("output_compression").disabled = !compression || compression.support === "rejected";
  $("size-presets").replaceChildren(
    ...gip.presets(provider(), modelName()).map((p) =>
      el("option", { value: p.size, label: [p.tier, p.label].filter(Boolean).join(" ") || p.ratio })
    ),
  );
}

/** The request body the form describes; empty inputs are left out. */
function request() {
  const body = { model: modelName() };
  const prompt = $("prompt").value;
  body.prompt = prompt;
  const size = $("size").value;
  if (size !== "") body.size = size;
  for (const field of CHOICES) {
    if ($(field).value !== "") body[field] = $(field).value;
  }
  for (const field of ["n", "output_compression"]) {
    const input = $(field);
    if (input.disabled) continue;
    if (input.value !== "") body[field] = Number(input.value);
  }
  return body;
}

function setField(field, value) {
  if (field === "model") {
    $("model").value = value;
    fillModelDetails();
  } else if (CHOICES.includes(field)) {
    const select = $(field);
    if (![...select.options].some((o) => o.value === value)) {
      select.append(el("option", { value, text: value }));
    }
    select.value = value;
  } else if (FIELDS.includes(field)) {
    $(field).value = value;
  }
  update();
}

/** Marks, once, when the first findings reach the DOM and the frame that shows them
 * (`performance` marks, timed from navigation; the browser suite prints them). */
function markFirstFindings() {
  if (performance.getEntriesByName("gip:first-findings").length > 0) return;
  performance.mark("gip:first-findings");
  requestAnimationFrame(() => performance.mark("gip:first-findings-frame"));
}

function renderFindings(report) {
  const list = $("findings");
  if (report.diagnostics.length === 0) {
    list.replaceChildren(el("li", { class: "empty", text: "No findings: the provider should accept this request." }));
    return;
  }
  list.replaceChildren(...report.diagnostics.map((d) => {
    const fix = el("div", { class: "fix" });
    if (d.fix) fix.append(el("span", { text: `fix: ${d.fix}` }));
    const editable = d.field === "model" || FIELDS.includes(d.field);
    if (editable && d.replacement !== null) {
      fix.append(el("button", {
        type: "button",
        class: "small",
        "data-apply": d.code,
        text: `apply ${d.replacement}`,
        onclick: () => setField(d.field, d.replacement),
      }));
    } else if (editable && d.fix === `remove ${d.field}`) {
      fix.append(el("button", {
        type: "button",
        class: "small",
        "data-apply": d.code,
        text: "remove",
        onclick: () => setField(d.field, ""),
      }));
    }
    return el(
      "li",
      { class: `finding ${d.severity}`, "data-code": d.code },
      el("div", { class: "head" }, el("span", { class: `badge ${d.severity}`, text: d.severity }), el("code", { text: d.code })),
      el("div", { class: "message", text: d.message }),
      ...(fix.childNodes.length ? [fix] : []),
    );
  }));
}

function renderVerdict(report) {
  const verdict = $("verdict");
  const where = `${modelName()} at ${provider()}`;
  const when = `judged on ${report.date} · catalog as of ${report.catalogAsOf}`;
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  let kind = "ok";
  let text = "Valid";
  if (report.errors > 0) {
    kind = "error";
    text = `Invalid: ${plural(report.errors, "error")}`;
  } else if (report.warnings > 0) {
    kind = "warning";
    text = "Valid with warnings";
  }
  verdict.className = `panel verdict ${kind}`;
  verdict.replaceChildren(
    el("span", { text }),
    el("span", { class: "sub", text: `${where}${report.warnings > 0 ? ` · ${plural(report.warnings, "warning")}` : ""}` }),
    el("span", { class: "sub", id: "judged", text: when }),
  );
  $("date-note").textContent = $("date").value ? `Lifecycles judged on ${report.date}.` : `Today, UTC: ${report.date}.`;
}

function renderSize(report) {
  const size = $("size").value;
  const status = $("size-status");
  const button = $("use-nearest");
  const findings = report.diagnostics.filter((d) => d.field === "size");
  const error = findings.find((d) => d.severity === "error");
  $("size").setAttribute("aria-invalid", error ? "true" : "false");
  if (size === "") {
    status.className = "status-line";
    status.textContent = "No size: the provider's default is used.";
  } else if (error) {
    status.className = "status-line error";
    status.textContent = error.message;
  } else if (findings.length > 0) {
    status.className = "status-line warning";
    status.textContent = findings[0].message;
  } else {
    status.className = "status-line ok";
    status.textContent = `"${size}" is valid for ${modelName()} at ${provider()}`;
  }
  const answer = size === "" ? null : gip.nearest(size, provider(), modelName());
  if (answer && !answer.valid && answer.nearest !== null && answer.nearest !== size) {
    button.hidden = false;
    button.dataset.size = answer.nearest;
    button.textContent = `Use nearest valid size: ${answer.nearest}`;
  } else {
    button.hidden = true;
    delete button.dataset.size;
  }
}

/** The best valid sizes for the chosen ratio at the chosen tier (none when the model takes only "auto"). */
function suggestions() {
  try {
    return gip.suggest($("ratio").value, $("tier").value, provider(), modelName(), 4);
  } catch {
    return [];
  }
}

function renderSuggestions() {
  const current = $("size").value;
  $("suggestions").replaceChildren(...suggestions().map((s) =>
    el(
      "button",
      {
        type: "button",
        class: "chip",
        "data-size": s.size,
        "aria-pressed": String(s.size === current),
        title: `${s.ratio} (about ${s.named_ratio.ratio}), ${s.pixels.toLocaleString("en")} pixels`,
        onclick: () => setField("size", s.size),
      },
      s.size,
      el("small", { text: s.label ?? [s.named_ratio.ratio, s.tier].filter(Boolean).join(" ") }),
    )
  ));
}

/** Formats a range of amounts: one figure when exact, "min - max" otherwise. */
function range(bounds, currency) {
  const unit = currency === "USD" ? "$" : "";
  const suffix = currency === "USD" ? "" : ` ${currency}`;
  const one = (amount) => `${unit}${amount}${suffix}`;
  return bounds.min === bounds.max ? one(bounds.min) : `${one(bounds.min)} - ${one(bounds.max)}`;
}

function renderEstimate(req) {
  const box = $("estimate");
  let estimate;
  try {
    estimate = gip.estimate(req, provider(), day());
  } catch (error) {
    box.replaceChildren(el("div", { class: "line", text: error.message }));
    return;
  }
  const lines = estimate.images.map((line) => {
    const count = line.count.min === line.count.max ? line.count.min : `${line.count.min}-${line.count.max}`;
    const tokens = line.output_image_tokens
      ? `, ${line.output_image_tokens.min === line.output_image_tokens.max ? line.output_image_tokens.min : `${line.output_image_tokens.min}-${line.output_image_tokens.max}`} output tokens each`
      : "";
    return el("div", {
      class: "line",
      text: `${count} x ${line.size ?? "?"} ${line.quality ?? ""}: ${range(line.each, estimate.currency)} each${tokens}`,
    });
  });
  if (estimate.prompt_cost) {
    lines.push(el("div", { class: "line", text: `prompt text: ${range(estimate.prompt_cost, estimate.currency)}` }));
  }
  box.replaceChildren(
    el("div", { class: "total", id: "estimate-total", text: range(estimate.total, estimate.currency) }),
    ...lines,
    el("div", { class: "line", text: `${estimate.basis} pricing, as of ${estimate.as_of}` }),
    ...estimate.notes.map((n) => el("div", { class: "note", "data-kind": n.kind, text: n.message })),
  );
}

/** The exact call(s) the provider expects; while there are errors, the body as read so far. */
function renderBody(req, plan) {
  const info = gip.providers().find((p) => p.id === provider());
  const title = $("body-title");
  const line = $("call-line");
  if (plan.calls.length > 0) {
    const [call] = plan.calls;
    const auth = call.headers.find((h) => h.secret);
    const count = plan.calls.length;
    title.textContent = count === 1 ? "Body that would be sent" : `Body that would be sent (first of ${count} calls)`;
    line.textContent = `${call.method} ${call.url}` + (auth ? `\n${auth.name}: ${auth.value}` : "") +
      (count > 1 ? `\n${count} calls, n per call: ${plan.calls.map((c) => c.n).join(", ")}` : "");
    $("body").textContent = JSON.stringify(JSON.parse(call.body ?? "null"), null, 2);
  } else {
    const read = gip.requestBody(req, provider());
    title.textContent = "Body (not sent until the errors are fixed)";
    line.textContent = `POST ${info?.baseUrl ?? "{BASE_URL}"}${(info?.path ?? "").replace("{model}", modelName())}`;
    $("body").textContent = JSON.stringify(read.body, null, 2);
  }
}

function update() {
  try {
    const req = request();
    // The plan's report is validate()'s findings, with fields the provider ignores marked dropped.
    const plan = gip.plan(req, provider(), day());
    const report = plan.report;
    renderVerdict(report);
    renderFindings(report);
    markFirstFindings();
    renderSize(report);
    renderSuggestions();
    renderEstimate(req);
    renderBody(req, plan);
  } catch (error) {
    $("verdict").className = "panel verdict error";
    $("verdict").textContent = `Could not check: ${error.message}`;
  }
}

/** What data the answers use: the catalog, the price table and any loaded profiles. */
function renderDataState() {
  const catalog = gip.catalogInfo();
  const prices = gip.pricesInfo();
  const loaded = gip.providers().filter((p) => p.custom).map((p) => p.id);
  $("data-state").textContent = [
    `Model catalog as of ${catalog.asOf} (${catalog.custom ? "loaded over the built-in one" : "built in"}, ${catalog.models} models)`,
    `prices as of ${prices.asOf} (${prices.custom ? "loaded over the built-in table" : "built in"})`,
    ...(loaded.length ? [`loaded profiles: ${loaded.join(", ")}`] : []),
  ].join(" · ");
}

/** After the data changed: the provider and model pickers, the answers and the data line. */
function refreshAll() {
  fillProviders();
  fillModels();
  update();
  renderDataState();
}

function setDataStatus(kind, text) {
  $("data-status").className = `status-line ${kind}`;
  $("data-status").textContent = text;
}

/** Loads the JSON in the text box as the chosen kind of document. */
function loadData() {
  const text = $("data-json").value;
  let message;
  try {
    switch ($("data-kind").value) {
      case "catalog": {
        const info = gip.loadCatalog(text);
        message = `Catalog loaded: as of ${info.asOf}, ${info.models} models, ${info.parameters.length} parameters.`;
        break;
      }
      case "prices": {
        const info = gip.loadPrices(text);
        message = `Price table loaded: as of ${info.asOf}, ${info.entries} ${info.entries === 1 ? "entry" : "entries"}.`;
        break;
      }
      default: {
        const info = gip.loadProfile(text);
        fillProviders();
        $("provider").value = info.id;
        message = `Profile "${info.id}" loaded: ${info.models.map((m) => m.name).join(", ")}.`;
      }
    }
  } catch (error) {
    setDataStatus("error", error.message);
    return;
  }
  setDataStatus("ok", message);
  refreshAll();
}

/** Forgets every loaded document: profiles first (they may need the loaded catalog), then prices and catalog. */
function resetData() {
  for (const p of gip.providers().filter((p) => p.custom)) gip.removeProfile(p.id);
  gip.loadPrices(null);
  gip.resetCatalog();
  setDataStatus("ok", "Back to the built-in catalog, prices and profiles.");
  refreshAll();
}

async function main() {
  await init();
  performance.mark("gip:wasm-ready");
  $("version").textContent = `gpt-image-plan ${gip.version()} (WebAssembly)`;
  fillProviders();
  fillModels();
  $("provider").addEventListener("change", () => {
    fillModels();
    update();
  });
  $("model").addEventListener("change", () => {
    fillModelDetails();
    update();
  });
  $("form").addEventListener("input", (event) => {
    if (event.target.id === "date") fillModels();
    if (event.target.id !== "provider" && event.target.id !== "model") update();
  });
  $("data-load").addEventListener("click", loadData);
  $("data-reset").addEventListener("click", resetData);
  $("data-file").addEventListener("change", async () => {
    const file = $("data-file").files[0];
    if (!file) return;
    $("data-json").value = await file.text();
    loadData();
  });
  $("form").addEventListener("submit", (event) => event.preventDefault());
  $("use-nearest").addEventListener("click", () => {
    const size = $("use-nearest").dataset.size;
    if (size) setField("size", size);
  });
  update();
  renderDataState();
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  $("verdict").className = "panel verdict error";
  $("verdict").textContent = `Could not load the WebAssembly package: ${error.message}`;
});
