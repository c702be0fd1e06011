//! WebAssembly bindings of `gpt-image-plan`: check GPT Image requests as the
//! user types, with the same codes, messages and fixes as the crate.
//!
//! A thin adapter over [`api`], which builds every answer as plain Rust
//! values that derive `Serialize`: requests and profiles come in as JSON text
//! (`JSON.stringify` of the object given, the crate reads the text so it can
//! report duplicate keys and wrong types), answers go out as plain
//! JavaScript objects through serde-wasm-bindgen, and every error becomes a
//! thrown `Error` in one place (`answer`, and the `From` impl `JsError` has
//! for any `std::error::Error`, which takes [`api::ApiError`]).
//!
//! Caller mistakes (an unknown provider or model, an invalid profile) throw an
//! `Error`; problems with a request are findings in the returned report.
//!
//! The crate has no clock: every call that judges model lifecycles takes an
//! optional `"YYYY-MM-DD"` date and, without one, uses today's date in UTC
//! from JavaScript's `Date.now()` (the browser's or Node's clock). Answers
//! say which date and which catalog `as_of` they used.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;

use std::cell::RefCell;

use gpt_image_plan::{Date, Profile};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::api::Registry;

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `Date.now()`: milliseconds since 1970-01-01 UTC.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// An answer as a plain JavaScript value: objects for structs, `null` for
/// `None`, numbers, strings and arrays, as `JSON.parse` would give them
/// (serde-wasm-bindgen measured faster than serde_json text and `JSON.parse`
/// on every bench call; wasm/README.md). Its error, never expected, throws.
fn answer<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// JSON text for a value given as a JavaScript object or as JSON text.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsError> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match js_sys::JSON::stringify(value) {
        Ok(text) => Ok(text.as_string().unwrap_or_else(|| "null".to_owned())),
        Err(_) => Err(JsError::new(&format!(
            "{what} cannot be written as JSON (a BigInt or a cycle?)"
        ))),
    }
}

/// JSON text for a value that may be `null` or `undefined` (`None` then).
fn optional_json_text(value: &JsValue, what: &str) -> Result<Option<String>, JsError> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    json_text(value, what).map(Some)
}

/// What `f` answers for the provider with id `provider`.
fn with_profile(
    provider: &str,
    f: impl FnOnce(&Profile) -> Result<JsValue, JsError>,
) -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| f(registry.profile(provider)?))
}

/// What `f` answers for the provider with id `provider`, on the day `date`
/// names (today when none), with the registry's prices at hand.
fn with_profile_on(
    provider: &str,
    date: Option<String>,
    f: impl FnOnce(&Registry, &Profile, Date) -> Result<JsValue, JsError>,
) -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| {
        let profile = registry.profile(provider)?;
        let day = api::day(date.as_deref(), profile.catalog_as_of, date_now)?;
        f(registry, profile, day)
    })
}

/// Validates a request body against a provider and returns every finding,
/// with model lifecycles judged on `date` (`"YYYY-MM-DD"`, default today).
///
/// `request` is an object in OpenAI's field names, or its JSON text. Wrong
/// types, unknown and duplicate fields are findings, not exceptions.
///
/// # Errors
/// Throws when `provider` is unknown, `date` is not a real day written
/// `YYYY-MM-DD`, or `request` cannot be written as JSON.
///
/// ```js
/// validate({ model: "gpt-image-2", prompt: "an otter", size: "1920x1080" }, "openai")
///   .diagnostics[0].replacement; // "1920x1088"
/// validate({ model: "gpt-image-1.5", prompt: "an otter" }, "openai", "2026-12-03")
///   .diagnostics[0].code; // "model.retired"
/// ```
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "ImageRequest | string")] request: JsValue,
    provider: &str,
    date: Option<String>,
) -> Result<JsValue, JsError> {
    let text = json_text(&request, "request")?;
    with_profile_on(provider, date, |_, p, day| {
        answer(&api::validate(&text, p, day))
    })
}

/// Checks one size (or `"auto"`) for a served model: what a size field shows
/// as the user types. A model shut down on `date` (default today) is an error.
///
/// `model` defaults to `gpt-image-2`, else the provider's default model, else its first.
///
/// # Errors
/// Throws when the provider or the model is unknown, or `date` is not a real day.
///
/// ```js
/// checkSize("1536x864", "enum-sizes").diagnostics[0].code; // "size.not_offered"
/// ```
#[wasm_bindgen(js_name = checkSize, unchecked_return_type = "Report")]
pub fn check_size(
    size: &str,
    provider: &str,
    model: Option<String>,
    date: Option<String>,
) -> Result<JsValue, JsError> {
    with_profile_on(provider, date, |_, p, day| {
        answer(&api::check(size, p, model.as_deref(), day)?)
    })
}

/// The nearest valid size to `size` for a served model, measured in log space.
///
/// # Errors
/// Throws when the provider or the model is unknown.
///
/// ```js
/// nearest("1920x1080", "openai").nearest; // "1920x1088"
/// ```
#[wasm_bindgen(unchecked_return_type = "NearestAnswer")]
pub fn nearest(size: &str, provider: &str, model: Option<String>) -> Result<JsValue, JsError> {
    with_profile(provider, |p| {
        answer(&api::nearest(size, p, model.as_deref())?)
    })
}

/// The `count` best valid sizes for an aspect ratio at a target scale, best
/// first, each with its ratio, named ratio, pixels, orientation, distance,
/// tier, and whether (and how) the provider names it.
///
/// `target` is a tier (`"1K"`, `"2K"`, `"4K"`), `"long:PIXELS"` or
/// `"pixels:COUNT"`; `count` defaults to 3 and is capped at 100.
///
/// # Errors
/// Throws when the provider or model is unknown, `ratio` or `target` does not
/// parse, or the model takes no explicit size.
///
/// ```js
/// suggest("16:9", "2K", "openai").map((c) => c.size); // ["2048x1152", ...]
/// ```
#[wasm_bindgen(unchecked_return_type = "Candidate[]")]
pub fn suggest(
    ratio: &str,
    #[wasm_bindgen(unchecked_param_type = "Target")] target: &str,
    provider: &str,
    model: Option<String>,
    count: Option<u32>,
) -> Result<JsValue, JsError> {
    with_profile(provider, |p| {
        let count = count.map(|c| usize::try_from(c).unwrap_or(usize::MAX));
        answer(&api::suggest(ratio, target, p, model.as_deref(), count)?)
    })
}

/// The sizes a provider names for a model, with tier and label; only `tier`'s when given.
///
/// # Errors
/// Throws when the provider or the model is unknown, or `tier` is not `1K`, `2K` or `4K`.
///
/// ```js
/// presets("enum-sizes", "gpt-image-2", "4K").map((p) => p.size); // ["3840x2160", "2160x3840"]
/// ```
#[wasm_bindgen(unchecked_return_type = "Preset[]")]
pub fn presets(
    provider: &str,
    model: Option<String>,
    tier: Option<String>,
) -> Result<JsValue, JsError> {
    with_profile(provider, |p| {
        answer(&api::presets(p, model.as_deref(), tier.as_deref())?)
    })
}

/// Every provider: the built-in ones and those loaded with `loadProfile`.
///
/// ```js
/// providers().map((p) => p.id); // ["openai", "wavespeed", ...]
/// ```
#[wasm_bindgen(unchecked_return_type = "ProviderInfo[]")]
pub fn providers() -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| answer(&registry.providers()))
}

/// The model catalog in use (the built-in one, or the one `loadCatalog`
/// laid over it): every model, with its lifecycle dates and its state on
/// `date` (`"YYYY-MM-DD"`, default today): active, deprecated or shutdown.
///
/// # Errors
/// Throws when `date` is not a real day written `YYYY-MM-DD`.
///
/// ```js
/// models().find((m) => m.id === "dall-e-3").retired; // "2026-05-12"
/// models("2026-11-15").find((m) => m.id === "gpt-image-1.5").state; // "deprecated"
/// ```
#[wasm_bindgen(unchecked_return_type = "CatalogModel[]")]
pub fn models(date: Option<String>) -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| {
        let catalog = registry.catalog();
        let day = api::day(date.as_deref(), catalog.as_of, date_now)?;
        answer(&api::models(catalog, day))
    })
}

/// The models a provider serves, each with the rules it accepts (sizes, n,
/// prompt, parameters, constraints, defaults, presets) and its state on
/// `date` (default today).
///
/// # Errors
/// Throws when the provider is unknown or `date` is not a real day.
///
/// ```js
/// servedModels("openai")[0].rules.sizes.rule.max_edge; // 3840
/// ```
#[wasm_bindgen(js_name = servedModels, unchecked_return_type = "ServedModel[]")]
pub fn served_models(provider: &str, date: Option<String>) -> Result<JsValue, JsError> {
    with_profile_on(provider, date, |registry, p, day| {
        answer(&api::served_models(p, registry.catalog(), day))
    })
}

/// Lays a model catalog (an object or JSON text in the schema of
/// `data/models.json`) over the built-in one, replacing a catalog loaded
/// before: its models and parameters replace or add to the built-in ones,
/// and every built-in profile and every profile loaded with `loadProfile` is
/// resolved in it. `null` goes back to the built-in catalog.
///
/// # Errors
/// Throws `catalog is not valid: ` and the crate's message with its JSON
/// path when the document is not a valid catalog, or the profile's error
/// when a profile does not resolve in it; nothing changes then.
///
/// ```js
/// loadCatalog(await (await fetch("catalog-2027.json")).text()).asOf; // "2027-01-10"
/// ```
#[wasm_bindgen(js_name = loadCatalog, unchecked_return_type = "CatalogInfo")]
pub fn load_catalog(
    #[wasm_bindgen(unchecked_param_type = "object | string | null")] catalog: JsValue,
) -> Result<JsValue, JsError> {
    let text = optional_json_text(&catalog, "catalog")?;
    REGISTRY.with_borrow_mut(|registry| answer(&registry.load_catalog(text.as_deref())?))
}

/// Goes back to the built-in catalog (`loadCatalog(null)`).
///
/// # Errors
/// Throws when a profile loaded with `loadProfile` does not resolve in the
/// built-in catalog (it names a model only the loaded catalog had); remove
/// it first.
///
/// ```js
/// resetCatalog().custom; // false
/// ```
#[wasm_bindgen(js_name = resetCatalog, unchecked_return_type = "CatalogInfo")]
pub fn reset_catalog() -> Result<JsValue, JsError> {
    REGISTRY.with_borrow_mut(|registry| answer(&registry.load_catalog(None)?))
}

/// The catalog in use: its `as_of`, source, model count, declared parameters
/// and whether one was loaded.
///
/// ```js
/// catalogInfo().asOf; // "2026-12-03"
/// ```
#[wasm_bindgen(js_name = catalogInfo, unchecked_return_type = "CatalogInfo")]
pub fn catalog_info() -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| answer(&registry.catalog_info()))
}

/// Lays a price table (an object or JSON text in the schema of
/// `data/prices.json`) over the built-in one, replacing a table loaded
/// before; `plan` and `estimate` then price with it. `null` goes back to the
/// built-in table.
///
/// # Errors
/// Throws `price table is not valid: ` and the crate's message with its JSON
/// path when the document is not a valid table; nothing changes then.
///
/// ```js
/// loadPrices(myInvoiceTable).entries; // 1
/// ```
#[wasm_bindgen(js_name = loadPrices, unchecked_return_type = "PricesInfo")]
pub fn load_prices(
    #[wasm_bindgen(unchecked_param_type = "object | string | null")] prices: JsValue,
) -> Result<JsValue, JsError> {
    let text = optional_json_text(&prices, "price table")?;
    REGISTRY.with_borrow_mut(|registry| answer(&registry.load_prices(text.as_deref())?))
}

/// The price table in use: the loaded one's `as_of`, source and entry
/// count, or the built-in one's.
///
/// ```js
/// pricesInfo().custom; // false
/// ```
#[wasm_bindgen(js_name = pricesInfo, unchecked_return_type = "PricesInfo")]
pub fn prices_info() -> Result<JsValue, JsError> {
    REGISTRY.with_borrow(|registry| answer(&registry.prices_info()))
}

/// Loads a provider profile (an object or JSON text in the profile schema)
/// and makes it available under its id; a loaded profile shadows a built-in
/// with the same id and replaces an earlier loaded one.
///
/// # Errors
/// Throws with the crate's message when the document is not a valid profile.
///
/// ```js
/// loadProfile(await (await fetch("my-gateway.json")).text()).id; // "my-gateway"
/// ```
#[wasm_bindgen(js_name = loadProfile, unchecked_return_type = "ProviderInfo")]
pub fn load_profile(
    #[wasm_bindgen(unchecked_param_type = "object | string")] profile: JsValue,
) -> Result<JsValue, JsError> {
    let text = json_text(&profile, "profile")?;
    REGISTRY.with_borrow_mut(|registry| answer(&registry.load(&text)?))
}

/// Forgets a profile loaded with `loadProfile`; `true` when there was one.
///
/// ```js
/// removeProfile("my-gateway"); // true once, then false
/// ```
#[wasm_bindgen(js_name = removeProfile)]
pub fn remove_profile(id: &str) -> bool {
    REGISTRY.with_borrow_mut(|registry| registry.remove(id))
}

/// The request as the crate reads it: the readable fields, typed and spelled
/// as OpenAI's body, with the findings about its JSON.
///
/// # Errors
/// Throws when `provider` is unknown or `request` cannot be written as JSON.
///
/// ```js
/// requestBody({ prompt: "otter", sizes: "1024x1024" }, "openai").body; // { prompt: "otter" }
/// ```
#[wasm_bindgen(js_name = requestBody, unchecked_return_type = "RequestBody")]
pub fn request_body(
    #[wasm_bindgen(unchecked_param_type = "ImageRequest | string")] request: JsValue,
    provider: &str,
) -> Result<JsValue, JsError> {
    let text = json_text(&request, "request")?;
    with_profile(provider, |p| answer(&api::request_body(&text, p)))
}

/// The exact HTTP calls the provider expects for a request: method, URL,
/// headers (the key only as a placeholder) and the exact JSON body text of
/// each call, with `n` split across calls where the provider takes fewer per
/// call. The report has every finding, model lifecycles judged on `date`
/// (default today); with errors there are no calls.
///
/// # Errors
/// Throws when `provider` is unknown, `date` is not a real day, or `request`
/// cannot be written as JSON.
///
/// ```js
/// plan({ model: "gpt-image-2", prompt: "otter", n: 3 }, "infinityblue").calls.length; // 3
/// ```
#[wasm_bindgen(unchecked_return_type = "Plan")]
pub fn plan(
    #[wasm_bindgen(unchecked_param_type = "ImageRequest | string")] request: JsValue,
    provider: &str,
    date: Option<String>,
) -> Result<JsValue, JsError> {
    let text = json_text(&request, "request")?;
    with_profile_on(provider, date, |registry, p, day| {
        answer(&api::plan(&text, p, registry.prices(), day))
    })
}

/// What a request will cost before the call, from the price table in use
/// (the built-in one, or the one `loadPrices` laid over it): exact decimal
/// amounts, a range with notes when size, quality or the prompt's tokens are
/// not known exactly, and the request's findings on `date` (default today).
///
/// # Errors
/// Throws when `provider` is unknown, `date` is not a real day, `request`
/// cannot be written as JSON, or the request cannot be priced (no published
/// price for the provider and model, `n` 0); the message is the crate's.
///
/// ```js
/// estimate({ model: "dall-e-3", prompt: "a fox", size: "1792x1024", quality: "hd" }, "openai")
///   .total; // { min: "0.12", max: "0.12" }
/// ```
#[wasm_bindgen(unchecked_return_type = "Estimate")]
pub fn estimate(
    #[wasm_bindgen(unchecked_param_type = "ImageRequest | string")] request: JsValue,
    provider: &str,
    date: Option<String>,
) -> Result<JsValue, JsError> {
    let text = json_text(&request, "request")?;
    with_profile_on(provider, date, |registry, p, day| {
        answer(&api::estimate(&text, p, registry.prices(), day)?)
    })
}

/// The version of the bindings (and of the crate they were built with).
///
/// ```js
/// version(); // "0.1.0"
/// ```
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
