//! The wire half of a profile, as data: how the canonical request (OpenAI's
//! names and spellings) becomes the provider's request, and how the
//! provider's answer is read back. Schema in `docs/profile-schema.md`
//! ("The wire"); the reader of requests is [`encode_call`](super::encode_call),
//! the reader of answers [`parse_response`](super::parse_response).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::size::{AspectRatio, Size};
use crate::text::wire_enum;

use super::plan::Method;

/// One place in a JSON document, or several tried in order: a JSON pointer
/// (RFC 6901, `/data/0/url`) or a list of them. A string met before the
/// pointer's end is read as JSON text and the rest of the pointer applies to
/// it (kie's `resultJson` is JSON inside a string).
///
/// Written as a string (`"/data"`) or an array of strings
/// (`["/data/urls/get", "/data/urls/0/get"]`: the first that is present wins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pointer(Vec<String>);

impl Pointer {
    /// A pointer to one place.
    pub fn new(pointer: impl Into<String>) -> Pointer {
        Pointer(vec![pointer.into()])
    }

    /// The pointers, in the order they are tried.
    pub fn alternatives(&self) -> &[String] {
        &self.0
    }

    /// The first value present (and not `null`) at one of the places.
    pub fn find<'a>(&self, root: &'a Value) -> Option<Cow<'a, Value>> {
        self.0.iter().find_map(|p| resolve(root, p))
    }

    /// Moves the first value present out of `root` (leaving `null`), so a
    /// large member (a base64 image) is not copied.
    pub fn take(&self, root: &mut Value) -> Option<Value> {
        self.0.iter().find_map(|p| take_at(root, p))
    }

    /// The first text present, when it is a non-empty string (or a number,
    /// written as text).
    pub fn text(&self, root: &Value) -> Option<String> {
        match self.find(root)?.as_ref() {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl Serialize for Pointer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => serializer.serialize_str(one),
            all => all.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Pointer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let list = match OneOrMany::deserialize(deserializer).map_err(|_| {
            serde::de::Error::custom("expected a JSON pointer or an array of JSON pointers")
        })? {
            OneOrMany::One(p) => vec![p],
            OneOrMany::Many(list) => list,
        };
        if list.is_empty() {
            return Err(serde::de::Error::custom("an empty list of pointers"));
        }
        for p in &list {
            if !p.is_empty() && !p.starts_with('/') {
                return Err(serde::de::Error::custom(format!(
                    "pointer {p:?} does not start with \"/\""
                )));
            }
        }
        Ok(Pointer(list))
    }
}

/// The segments of a JSON pointer, unescaped (`~1` is `/`, `~0` is `~`).
pub(crate) fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
}

fn child<'a>(value: &'a Value, segment: &str) -> Option<&'a Value> {
    match value {
        Value::Object(map) => map.get(segment),
        Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

fn child_mut<'a>(value: &'a mut Value, segment: &str) -> Option<&'a mut Value> {
    match value {
        Value::Object(map) => map.get_mut(segment),
        Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

fn resolve<'a>(root: &'a Value, pointer: &str) -> Option<Cow<'a, Value>> {
    let mut here = Cow::Borrowed(root);
    for segment in segments(pointer) {
        here = match here {
            Cow::Borrowed(Value::String(text)) => {
                Cow::Owned(child(&serde_json::from_str(text).ok()?, &segment)?.clone())
            }
            Cow::Owned(Value::String(text)) => {
                Cow::Owned(child(&serde_json::from_str(&text).ok()?, &segment)?.clone())
            }
            Cow::Borrowed(value) => Cow::Borrowed(child(value, &segment)?),
            Cow::Owned(value) => Cow::Owned(child(&value, &segment)?.clone()),
        };
    }
    (!here.is_null()).then_some(here)
}

fn take_at(root: &mut Value, pointer: &str) -> Option<Value> {
    let mut here = root;
    let mut rest = segments(pointer).collect::<Vec<_>>().into_iter();
    while let Some(segment) = rest.next() {
        if let Value::String(text) = here {
            let parsed: Value = serde_json::from_str(text).ok()?;
            let tail: String = std::iter::once(segment)
                .chain(rest)
                .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
                .collect();
            return resolve(&parsed, &tail).map(Cow::into_owned);
        }
        here = child_mut(here, &segment)?;
    }
    match here.take() {
        Value::Null => None,
        value => Some(value),
    }
}

wire_enum! {
    /// How the size goes on the wire.
    SizeAs, "size_as" {
        /// `"WxH"` text (OpenAI).
        Text = "text",
        /// An object of width and height (fal's `{"width", "height"}`).
        Object = "object",
        /// A name from `presets` only.
        Preset = "preset",
        /// An aspect ratio, and a resolution when the table names one (kie, Replicate).
        Ratio = "ratio",
    }
}

/// One aspect ratio (and resolution) the provider takes, with the pixel
/// size it produces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioSize {
    /// The ratio as the provider spells it (`"16:9"`).
    pub ratio: AspectRatio,
    /// The resolution as the provider spells it (`"2K"`), when it takes one.
    #[serde(default)]
    pub resolution: Option<String>,
    /// The pixel size this pair produces.
    pub size: Size,
}

/// The size's encoding (`request.size`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeEncoding {
    /// How the size is written.
    #[serde(rename = "as", default = "text")]
    pub encode_as: SizeAs,
    /// The member that carries it (`image_size`); for `ratio`, the ratio's
    /// member (default `aspect_ratio`). Default: `size` as renamed by `rename`.
    #[serde(default)]
    pub field: Option<String>,
    /// For `object`: the width's member name.
    #[serde(default = "width")]
    pub width: String,
    /// For `object`: the height's member name.
    #[serde(default = "height")]
    pub height: String,
    /// Names the provider gives some sizes (fal's `square_hd`): a size listed
    /// here is sent by name whatever `as` says.
    #[serde(default)]
    pub presets: BTreeMap<String, Size>,
    /// For `ratio`: the resolution's member (`resolution`), when the table names resolutions.
    #[serde(default)]
    pub resolution_field: Option<String>,
    /// For `ratio`: every pair the provider takes and the size it produces.
    #[serde(default)]
    pub table: Vec<RatioSize>,
    /// What `size: "auto"` sends instead of the text `auto`: these members
    /// (kie: `{"aspect_ratio": "auto"}`); an empty object leaves the size out.
    #[serde(default)]
    pub auto: Option<BTreeMap<String, Value>>,
}

fn text() -> SizeAs {
    SizeAs::Text
}

fn width() -> String {
    "width".into()
}

fn height() -> String {
    "height".into()
}

impl Default for SizeEncoding {
    fn default() -> Self {
        SizeEncoding {
            encode_as: SizeAs::Text,
            field: None,
            width: width(),
            height: height(),
            presets: BTreeMap::new(),
            resolution_field: None,
            table: Vec::new(),
            auto: None,
        }
    }
}

/// How the canonical request becomes the provider's (`request`): method,
/// query, extra headers, member names, values, constants and an envelope.
///
/// Every default is OpenAI's: `POST`, no query, the members as they are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireRequest {
    /// The method (`POST`).
    #[serde(default = "post")]
    pub method: Method,
    /// Query parameters added to the URL (Azure's `api-version`).
    #[serde(default)]
    pub query: BTreeMap<String, String>,
    /// Headers sent besides `Content-Type` and the key's.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The member every field goes under (Replicate's and kie's `input`).
    #[serde(default)]
    pub envelope: Option<String>,
    /// Canonical fields kept beside the envelope, not in it (kie's `model`).
    #[serde(default)]
    pub outside: Vec<String>,
    /// Canonical name to the provider's: a member name, or a JSON pointer
    /// from the body's root (`/messages/0/content`).
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Per canonical field, a canonical value (OpenAI's spelling) to the value sent.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, Value>>,
    /// Members always sent, after the fields (a name, or a pointer from the root).
    #[serde(default)]
    pub constants: BTreeMap<String, Value>,
    /// Canonical fields never sent.
    #[serde(default)]
    pub omit: Vec<String>,
    /// How the size is written.
    #[serde(default)]
    pub size: SizeEncoding,
}

fn post() -> Method {
    Method::Post
}

impl Default for WireRequest {
    fn default() -> Self {
        WireRequest {
            method: Method::Post,
            query: BTreeMap::new(),
            headers: BTreeMap::new(),
            envelope: None,
            outside: Vec::new(),
            rename: BTreeMap::new(),
            values: BTreeMap::new(),
            constants: BTreeMap::new(),
            omit: Vec::new(),
            size: SizeEncoding::default(),
        }
    }
}

/// Where an image's parts are inside one item of the image list (pointers
/// from the item). An item that is a string is a URL, or base64 when it
/// does not start with `http://` or `https://`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageFields {
    /// The image's URL; a `data:` URL is read as base64.
    #[serde(default = "url_pointer")]
    pub url: Pointer,
    /// The image as base64.
    #[serde(default = "b64_pointer")]
    pub b64: Pointer,
    /// The prompt the model used.
    #[serde(default = "revised_pointer")]
    pub revised_prompt: Pointer,
}

fn url_pointer() -> Pointer {
    Pointer::new("/url")
}

fn b64_pointer() -> Pointer {
    Pointer::new("/b64_json")
}

fn revised_pointer() -> Pointer {
    Pointer::new("/revised_prompt")
}

impl Default for ImageFields {
    fn default() -> Self {
        ImageFields {
            url: url_pointer(),
            b64: b64_pointer(),
            revised_prompt: revised_pointer(),
        }
    }
}

/// Where an error body says what went wrong, tried before the usual
/// envelopes (OpenAI's `error` object, `{"error": "..."}`, `message`, `detail`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorFields {
    /// The message (kie's `/msg`).
    #[serde(default)]
    pub message: Option<Pointer>,
    /// The provider's error code.
    #[serde(default)]
    pub code: Option<Pointer>,
}

/// An answer that is a task to poll: where its id and status are, what the
/// statuses mean, where to poll, and where the images are once done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// The task id (may be missing from later polls: the first one's is kept).
    pub id: Pointer,
    /// The status text.
    pub status: Pointer,
    /// Statuses that mean finished with images.
    pub done: Vec<String>,
    /// Statuses that mean failed.
    pub failed: Vec<String>,
    /// Statuses that mean still running.
    pub pending: Vec<String>,
    /// The path to poll, with `{id}`, on the base URL (tried first).
    #[serde(default)]
    pub poll_path: Option<String>,
    /// A URL to poll given by the answer (WaveSpeed's `urls.get`, fal's `status_url`).
    #[serde(default)]
    pub poll_url: Option<Pointer>,
    /// A URL to `GET` once done, whose answer holds the images (fal's `response_url`).
    #[serde(default)]
    pub result_url: Option<Pointer>,
    /// The images in a finished task's answer (WaveSpeed's `/data/outputs`).
    #[serde(default)]
    pub outputs: Option<Pointer>,
    /// Why a task failed.
    #[serde(default)]
    pub error: Option<Pointer>,
}

wire_enum! {
    /// Schema 1's `response.shape`; only `openai` is still read, and it
    /// means the defaults.
    LegacyShape, "response_shape" {
        /// OpenAI's shape: the defaults.
        Openai = "openai",
    }
}

/// How results come back (`response`). Every default is OpenAI's
/// `{created, data: [{url | b64_json | revised_prompt}], usage}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// Schema 1's shape name: `"openai"` only, the same as leaving it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<LegacyShape>,
    /// The list of images.
    #[serde(default = "images_pointer")]
    pub images: Pointer,
    /// Where each image's parts are.
    #[serde(default)]
    pub image: ImageFields,
    /// OpenAI's usage block.
    #[serde(default = "usage_pointer")]
    pub usage: Pointer,
    /// Where errors say what is wrong.
    #[serde(default)]
    pub error: ErrorFields,
    /// The task, when the provider answers with one to poll.
    #[serde(default)]
    pub task: Option<TaskSpec>,
    /// Whether fewer images than asked may come back (seed 001).
    #[serde(default)]
    pub may_return_fewer: bool,
}

fn images_pointer() -> Pointer {
    Pointer::new("/data")
}

fn usage_pointer() -> Pointer {
    Pointer::new("/usage")
}

impl Default for Response {
    fn default() -> Self {
        Response {
            shape: None,
            images: images_pointer(),
            image: ImageFields::default(),
            usage: usage_pointer(),
            error: ErrorFields::default(),
            task: None,
            may_return_fewer: false,
        }
    }
}

impl Response {
    /// OpenAI's response shape (every default).
    ///
    /// ```
    /// use gpt_image_plan::{Response, ResponseShape};
    /// assert_eq!(Response::openai().kind(), ResponseShape::Sync);
    /// ```
    pub fn openai() -> Response {
        Response::default()
    }

    /// Whether answers are images or tasks to poll.
    pub fn kind(&self) -> ResponseShape {
        if self.task.is_some() {
            ResponseShape::Task
        } else {
            ResponseShape::Sync
        }
    }
}

wire_enum! {
    /// How answers come back, in short: at once, or as a task to poll.
    ResponseShape, "response_shape" {
        /// The answer holds the images.
        Sync = "sync",
        /// The answer is a task, polled until done.
        Task = "task",
    }
}

/// Substitutes `{name}` placeholders in a template; `None` when the
/// template names a placeholder not given.
pub(crate) fn fill(template: &str, vars: &[(&str, &str)]) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let name = &rest[start + 1..end];
        let (_, value) = vars.iter().find(|(n, _)| *n == name)?;
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The placeholders a template names.
pub(crate) fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            out.push(&rest[start..]);
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pointer_reads_json_inside_a_string_on_its_way() {
        let body = json!({"data": {"resultJson": "{\"resultUrls\": [\"https://x/1.png\"]}"}});
        let p = Pointer::new("/data/resultJson/resultUrls/0");
        assert_eq!(p.text(&body).as_deref(), Some("https://x/1.png"));
        let mut owned = body.clone();
        assert_eq!(
            Pointer::new("/data/resultJson/resultUrls").take(&mut owned),
            Some(json!(["https://x/1.png"]))
        );
    }

    #[test]
    fn the_first_present_alternative_wins_and_take_moves_it_out() {
        let mut body = json!({"data": {"urls": [{"get": "u"}]}});
        let p: Pointer =
            serde_json::from_value(json!(["/data/urls/get", "/data/urls/0/get"])).unwrap();
        assert_eq!(p.text(&body).as_deref(), Some("u"));
        assert_eq!(p.take(&mut body), Some(json!("u")));
        assert_eq!(p.take(&mut body), None);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!(["/data/urls/get", "/data/urls/0/get"])
        );
        assert_eq!(
            serde_json::to_value(Pointer::new("/a~1b")).unwrap(),
            json!("/a~1b")
        );
        assert_eq!(
            Pointer::new("/a~1b").text(&json!({"a/b": "x"})).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn a_pointer_not_starting_with_a_slash_is_refused() {
        let e = serde_json::from_value::<Pointer>(json!("data")).unwrap_err();
        assert_eq!(e.to_string(), r#"pointer "data" does not start with "/""#);
    }

    #[test]
    fn templates_fill_known_placeholders_only() {
        assert_eq!(fill("/a/{id}/b", &[("id", "7")]).as_deref(), Some("/a/7/b"));
        assert_eq!(fill("/a/{nope}", &[("id", "7")]), None);
        assert_eq!(placeholders("/x/{model}/y/{id}"), ["model", "id"]);
    }
}
