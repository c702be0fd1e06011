// Compiled with `tsc --strict --noEmit` by scripts/test-wasm.sh: every function
// of the package is called with the declared types, and the results are used
// through the declared interfaces, so a missing or wrong definition fails the build.
import init, {
  catalogInfo,
  checkSize,
  estimate,
  loadCatalog,
  loadPrices,
  loadProfile,
  models,
  pricesInfo,
  nearest,
  plan,
  presets,
  providers,
  removeProfile,
  requestBody,
  resetCatalog,
  servedModels,
  suggest,
  validate,
  version,
} from "../../web/pkg/gpt_image_plan.js";
import type {
  Candidate,
  CatalogInfo,
  CatalogModel,
  Diagnostic,
  Estimate,
  ImageRequest,
  ModelState,
  NearestAnswer,
  Plan,
  Preset,
  PricesInfo,
  ProviderInfo,
  Report,
  RequestBody,
  ServedModel,
  Severity,
} from "../../web/pkg/gpt_image_plan.js";

export async function exercise(): Promise<string[]> {
  await init();
  const request: ImageRequest = { model: "gpt-image-2", prompt: "an otter", size: "1920x1080", n: 1 };
  const report: Report = validate(request, "openai");
  const fromText: Report = validate(JSON.stringify(request), "openai");
  const first: Diagnostic | undefined = report.diagnostics[0];
  const severity: Severity | undefined = first?.severity;
  const replacement: string | null = first?.replacement ?? null;
  const size: Report = checkSize("1920x1080", "openai", "gpt-image-2");
  const near: NearestAnswer = nearest("1920x1080", "openai");
  const listed: Preset[] = presets("enum-sizes", undefined, "4K");
  const all: ProviderInfo[] = providers();
  const catalog: CatalogModel[] = models();
  const served: ServedModel[] = servedModels("openai");
  const maxPixels: number | undefined = served[0]?.rules.sizes.rule?.max_pixels;
  const loaded: ProviderInfo = loadProfile({ id: "x" });
  const removed: boolean = removeProfile(loaded.id);
  const body: RequestBody = requestBody(request, "openai");
  const planned: Plan = plan(request, "infinityblue");
  const chips: Candidate[] = suggest("16:9", "2K", "openai", undefined, 4);
  const named: string | undefined = chips[0]?.named_ratio.ratio;
  const cost: Estimate = estimate(request, "openai");
  const total: string = `${cost.total.min}-${cost.total.max} ${cost.currency}`;
  const firstBody: string | null = planned.calls[0]?.body ?? null;
  const onDay: Report = validate(request, "openai", "2026-12-03");
  const judged: string | null = onDay.date;
  const catalogDay: string = onDay.catalogAsOf;
  const plannedOn: Plan = plan(request, "openai", "2026-11-15");
  const planDay: string = `${plannedOn.date} ${plannedOn.catalogAsOf}`;
  const sizeOn: Report = checkSize("1024x1024", "openai", "gpt-image-1.5", "2026-12-03");
  const costOn: Estimate = estimate(request, "openai", "2026-12-03");
  const costFindings: number = costOn.report.diagnostics.length;
  const states: ModelState[] = models("2026-11-15").map((m) => m.state);
  const replacementModel: string | null = models()[0]?.replacement ?? null;
  const servedState: ModelState | undefined = servedModels("openai", "2026-12-03")[0]?.state;
  const quality: string | number | boolean | undefined = served[0]?.rules.params["quality"]?.values?.[0];
  const loadedCatalog: CatalogInfo = loadCatalog({ as_of: "2027-01-10", source: "notes", models: [] });
  const catalogText: CatalogInfo = loadCatalog("{}");
  const reset: CatalogInfo = loadCatalog(null);
  const back: CatalogInfo = resetCatalog();
  const current: CatalogInfo = catalogInfo();
  const prices: PricesInfo = loadPrices({ as_of: "2026-11-22", source: "mine", entries: [] });
  const pricesBack: PricesInfo = loadPrices(null);
  const pricesNow: PricesInfo = pricesInfo();
  return [
    String(report.valid && fromText.valid),
    String(severity),
    String(replacement),
    String(size.errors),
    String(near.nearest),
    String(listed.length + all.length + catalog.length),
    String(maxPixels),
    String(removed),
    JSON.stringify(body.body),
    String(planned.ready && firstBody !== null),
    total,
    String(named),
    `${judged} ${catalogDay} ${planDay} ${sizeOn.errors} ${costFindings}`,
    `${states.length} ${replacementModel} ${servedState} ${quality}`,
    `${loadedCatalog.asOf} ${catalogText.custom} ${reset.custom} ${back.models} ${current.parameters.length}`,
    `${prices.entries} ${pricesBack.custom} ${pricesNow.asOf}`,
    version(),
  ];
}
