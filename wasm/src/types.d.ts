/** How serious a finding is: `error` means the provider would reject the call. */
export type Severity = "error" | "warning";

/** A stable machine code `field.kind`, such as `"size.not_multiple_of_16"`. Match on codes, never on messages. */
export type Code = `${string}.${string}`;

/** One finding about a request: what is wrong, where, and how to fix it. */
export interface Diagnostic {
  /** `error` (the call would be rejected) or `warning` (accepted, but not as asked). */
  severity: Severity;
  /** The stable code, `field.kind`. */
  code: Code;
  /** The request field, e.g. `"size"`, `"quality"`, or `"request"` for the body as a whole. */
  field: string;
  /** The offending value as text. */
  value: string | null;
  /** The limit or the allowed values, as text. */
  limit: string | null;
  /** A lowercase message quoting the value and naming the limit. */
  message: string;
  /** What to do about it, for people. */
  fix: string | null;
  /** The value to put in `field` instead, when the fix is a replacement (e.g. `"1920x1088"`). */
  replacement: string | null;
}

/** A calendar day, `"YYYY-MM-DD"`. */
export type DateText = string;

/** Every finding about one request or size. */
export interface Report {
  /** Whether the provider would accept the call (warnings allowed). */
  valid: boolean;
  /** How many findings are errors. */
  errors: number;
  /** How many findings are warnings. */
  warnings: number;
  /**
   * The day model lifecycles were judged on (`model.retired`, `model.deprecated`): the date
   * passed, else today in UTC. `null` in `requestBody`'s report, which judges nothing by date.
   */
  date: DateText | null;
  /** The `as_of` of the catalog the provider's profile was resolved in (built-in or loaded with `loadCatalog`). */
  catalogAsOf: DateText;
  /** The findings, in field order. */
  diagnostics: Diagnostic[];
}

/** An `images/generations` request body in OpenAI's field names. Unknown fields and wrong types are reported, not thrown. */
export interface ImageRequest {
  model?: string;
  prompt?: string;
  /** An integer; some providers type it as a string (`nType: "string"`). */
  n?: number | string;
  /** `"WIDTHxHEIGHT"` or `"auto"`. */
  size?: string;
  quality?: "low" | "medium" | "high" | "auto" | "standard" | "hd" | "xhigh" | "max" | string;
  background?: "transparent" | "opaque" | "auto" | string;
  output_format?: "png" | "jpeg" | "webp" | "gif" | "svg" | string;
  output_compression?: number;
  moderation?: "low" | "auto" | string;
  response_format?: "url" | "b64_json" | string;
  style?: "vivid" | "natural" | string;
  stream?: boolean;
  partial_images?: number;
  user?: string;
  enable_sync_mode?: boolean;
  [field: string]: unknown;
}

/** A model a provider serves, by the provider's name and the catalog model behind it. */
export interface ServedModelRef {
  /** The name the provider wants in requests. */
  name: string;
  /** The catalog model id. */
  model: string;
}

/** A model name a provider knows but refuses. */
export interface RefusedModel {
  name: string;
  /** Why, in the provider's words. */
  reason: string;
  /** The name to use instead. */
  instead: string | null;
}

/** A provider, built in or loaded with `loadProfile`. */
export interface ProviderInfo {
  /** The stable id passed to every other function. */
  id: string;
  name: string;
  /** Where the facts come from. */
  source: string;
  /** The day the facts were checked, `YYYY-MM-DD`. */
  asOf: DateText;
  /** The `as_of` of the catalog the profile was resolved in. */
  catalogAsOf: DateText;
  baseUrl: string | null;
  /** The endpoint path; may contain `{model}`. */
  path: string;
  /** Where the model name goes. */
  modelIn: "body" | "path";
  /** How `n` is typed on the wire. */
  nType: "integer" | "string";
  /** The model used when a request names none. */
  defaultModel: string | null;
  models: ServedModelRef[];
  refusedModels: RefusedModel[];
  notes: string[];
  /** Whether it was loaded with `loadProfile` (and shadows a built-in of the same id, if any). */
  custom: boolean;
}

/** Where a model is in its life on a day: usable, usable with its shutdown announced, or shut down. */
export type ModelState = "active" | "deprecated" | "shutdown";

/** A model in the catalog in use, with its state on the day asked (`models(date?)`). */
export interface CatalogModel {
  id: string;
  family: "dall_e" | "gpt_image";
  /** For a dated snapshot, the model it pins. */
  snapshotOf: string | null;
  /** Its state on `date`. */
  state: ModelState;
  released: DateText | null;
  /** The day its shutdown was announced. */
  deprecated: DateText | null;
  /** The day it was (or will be) shut down. */
  retired: DateText | null;
  /** The model to use instead, once announced. */
  replacement: string | null;
  lifecycleNote: string | null;
  source: string;
  /** The day `state` is for: the date passed, else today in UTC. */
  date: DateText;
  /** The day the catalog was checked. */
  asOf: DateText;
}

/** The catalog in use (`catalogInfo()`, `loadCatalog`, `resetCatalog`). */
export interface CatalogInfo {
  /** The day its facts were checked: what the crate judges on when no date is given. */
  asOf: DateText;
  source: string;
  /** How many models it lists. */
  models: number;
  /** The request parameters it declares, by wire name. */
  parameters: string[];
  /** Whether a catalog loaded with `loadCatalog` is laid over the built-in one. */
  custom: boolean;
}

/** The price table in use (`pricesInfo()`, `loadPrices`): the loaded document's date, source and entry count, or the built-in table's. */
export interface PricesInfo {
  asOf: DateText;
  source: string;
  entries: number;
  /** Whether a table loaded with `loadPrices` is laid over the built-in one. */
  custom: boolean;
}

/** Whether a provider takes a parameter. */
export type Support = "supported" | "no_effect" | "rejected" | "undocumented";

/** The free-form size rule (gpt-image-2). */
export interface SizeRule {
  multiple: number;
  max_edge: number;
  /** `"W:H"`, long:short. */
  max_ratio: string;
  min_pixels: number;
  max_pixels: number;
}

/** Which sizes are valid: a rule, a list, or both, and whether `auto` is taken. */
export interface SizePolicy {
  rule: SizeRule | null;
  list: string[];
  auto: boolean;
  experimental_above_pixels: number | null;
}

/** A parameter's value: a string, a whole number or a boolean, as the parameter's type says. */
export type ParamValue = string | number | boolean;

/** What one model takes for one parameter at one provider (keys without a value are left out). */
export interface ParamRule {
  support: Support;
  /** The allowed values; absent means any value of the parameter's type. */
  values?: ParamValue[];
  /** Smallest allowed number (integer parameters). */
  min?: number;
  /** Largest allowed number (integer parameters). */
  max?: number;
  /** Longest allowed text, in characters (free-text parameters). */
  max_chars?: number;
  /** Values taken but in preview: valid, with a `{param}.preview` warning. */
  preview?: ParamValue[];
  /** What the provider says about it. */
  note?: string;
}

/**
 * A rule between parameters: when `param` is given (with one of `values`, none of `except`,
 * at least `min`), it `needs` another parameter to have one of a list of values, and `forbids`
 * others; breaking it is an error (`incompatible`) or a warning (`no_effect`).
 */
export interface Constraint {
  param: string;
  values?: ParamValue[];
  except?: ParamValue[];
  min?: number;
  needs?: { param: string; values?: ParamValue[]; max_pixels?: number };
  forbids?: string[];
  effect: "incompatible" | "no_effect";
  source?: string;
}

/** What one model accepts at one provider, in the profile schema's names. */
export interface ModelRules {
  sizes: SizePolicy;
  n: { min: number; max: number; split_max: number | null };
  prompt: { min_chars: number; max_chars: number };
  /** Each parameter the model takes, by wire name (`quality`, `output_format`, or one only the data declares); a declared parameter left out is refused. */
  params: { [param: string]: ParamRule };
  constraints: Constraint[];
  defaults: { [field: string]: ParamValue | null };
  required: string[];
  presets: { size: string; tier: string | null; label: string | null }[];
}

/** A model a provider serves, with what it accepts and its state on the day asked (`servedModels(provider, date?)`). */
export interface ServedModel extends ServedModelRef {
  family: "dall_e" | "gpt_image" | null;
  /** Its state on the day asked. */
  state: ModelState;
  /** The day the catalog model's shutdown was announced. */
  deprecated: DateText | null;
  /** The day the catalog model was (or will be) shut down. */
  retired: DateText | null;
  /** The model to use instead, once announced. */
  replacement: string | null;
  note: string | null;
  rules: ModelRules;
}

/** A size with its ratio in lowest terms, orientation and pixel count. */
export interface SizeInfo {
  size: string;
  width: number;
  height: number;
  ratio: string | null;
  orientation: "landscape" | "portrait" | "square";
  pixels: number;
}

/** A size a provider names, with its tier and label. */
export interface Preset extends SizeInfo {
  tier: "1K" | "2K" | "4K" | null;
  label: string | null;
}

/** The nearest valid size to a typed size. */
export interface NearestAnswer {
  /** The text as given. */
  input: string;
  /** The size the text was read as (near misses like `"1024X1024"` are read as meant), or null. */
  size: string | null;
  /** Whether the text as given is already valid. */
  valid: boolean;
  /** The nearest valid size (`"auto"` stays `"auto"` where offered), or null. */
  nearest: string | null;
  /** The log-space distance from `size` to `nearest`. */
  distance: number | null;
  provider: string;
  /** The served model the answer is for. */
  model: string;
}

/** The request as the crate read it, and the findings about its JSON. */
export interface RequestBody {
  /** The readable fields, typed and spelled as OpenAI's body. */
  body: ImageRequest;
  report: Report;
}

/** One request header; the key is never in a plan, only a placeholder. */
export interface Header {
  name: string;
  /** The value, or for the auth header a placeholder such as `Bearer <OPENAI_API_KEY>`. */
  value: string;
  /** Whether `value` is a placeholder the sender replaces with the key. */
  secret: boolean;
}

/** One HTTP call, ready for any client. */
export interface Call {
  method: "GET" | "POST";
  /** The full URL; starts with `{BASE_URL}` when the provider has no public base URL. */
  url: string;
  /** The part of `url` after the base URL. */
  path: string | null;
  headers: Header[];
  /** The exact JSON body text. */
  body: string | null;
  /** How many images this call asks for, when the body says. */
  n: number | null;
}

/** The calls for one request, with every finding about it. */
export interface Plan {
  /** Whether there is something to send: no errors and at least one call. */
  ready: boolean;
  /** The provider id. */
  profile: string;
  /** The served model name the calls use, when it resolved. */
  model: string | null;
  /** How answers come back: `sync` (in the call's answer), or `task` (a task to poll until done). */
  response: "sync" | "task";
  /** Images asked for across the calls, or null when a call leaves `n` to the provider. */
  images: number | null;
  /** The day model lifecycles were judged on. */
  date: DateText;
  /** The `as_of` of the catalog the profile was resolved in. */
  catalogAsOf: DateText;
  /** The calls in order; empty when the report has errors. */
  calls: Call[];
  /** Validation findings, then the plan's own. */
  report: Report;
}

/** An exact decimal amount as text, e.g. `"0.21072"` (never a float). */
export type Amount = string;

/** A range; `min === max` when the figure is exact. */
export interface Bounds<T> {
  min: T;
  max: T;
}

/** Images of one kind in an estimate. */
export interface ImageLine {
  /** How many images. */
  count: Bounds<number>;
  /** The size billed (`"auto"`, a size, or null when unknown). */
  size: string | null;
  /** The quality billed (null when unknown). */
  quality: string | null;
  /** The tier, for tier pricing. */
  tier: Bounds<"1K" | "2K" | "4K"> | null;
  /** Output image tokens of one image, for token pricing. */
  output_image_tokens: Bounds<number> | null;
  /** The cost of one image. */
  each: Bounds<Amount>;
  /** The cost of all of them. */
  cost: Bounds<Amount>;
}

/** Why an estimate is a range, or where a figure comes from. */
export interface PriceNote {
  /** A stable kind such as `"quality_auto"` or `"output_tokens_estimated"`. */
  kind: string;
  /** Lowercase explanation. */
  message: string;
}

/** What a request will cost before the call (the crate's `price::Estimate`, in its snake_case names), with the request's findings. */
export interface Estimate {
  /** The provider of the price entry used. */
  provider: string;
  /** The served model of the price entry used. */
  model: string;
  /** The day the entry's numbers were checked. */
  as_of: string;
  /** The unit of every amount: `"USD"`, or a reseller's credits. */
  currency: string;
  /** The pricing model, e.g. `"token"`. */
  basis: string;
  /** The whole request: images plus prompt text. */
  total: Bounds<Amount>;
  /** The most the request can cost (what a reserving provider holds back). */
  reservation: Amount;
  images: ImageLine[];
  /** The prompt's text tokens per call, when text is billed. */
  prompt_tokens: { min: number; typical: number; max: number } | null;
  /** The prompt text's cost over all calls, when text is billed. */
  prompt_cost: Bounds<Amount> | null;
  /** How many calls the request takes. */
  calls: number;
  notes: PriceNote[];
  /** The day model lifecycles were judged on. */
  date: DateText;
  /** The `as_of` of the catalog the profile was resolved in. */
  catalogAsOf: DateText;
  /** The findings about the request on `date` (a price for a model shut down by then comes with `model.retired`). */
  report: Report;
}

/** How big the wanted picture is: a tier (its long edge: 1024, 2048 or 3840 px), a long edge or a pixel count. */
export type Target = "1K" | "2K" | "4K" | `long:${number}` | `pixels:${number}`;

/** One suggested size for an aspect ratio, with what to show about it (the crate's `planner::Candidate`). */
export interface Candidate {
  /** The size, `"WxH"`. */
  size: string;
  /** Its exact ratio in lowest terms (2048x880 is `"128:55"`). */
  ratio: string;
  /** The common ratio nearest to it (2048x880 is about `"21:9"`) and the log-space gap. */
  named_ratio: { ratio: string; error: number };
  pixels: number;
  orientation: "landscape" | "portrait" | "square";
  /** Log-space distance from the size asked for (0 when exact). */
  distance: number;
  /** Log-space distance from the asked size projected onto the valid region; candidates are ranked by it. */
  anchor_distance: number;
  /** The provider's tier for the size, when its presets give one. */
  tier: "1K" | "2K" | "4K" | null;
  /** Whether the provider names the size among its presets. */
  preset: boolean;
  /** The provider's label for it. */
  label: string | null;
}
