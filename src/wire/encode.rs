//! The canonical request to the provider's: one data-driven transform from
//! OpenAI's member names and spellings to the method, URL, headers and body
//! a profile's `request` describes.

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::profile::{ModelIn, NType, Profile, ServedModel};
use crate::size::{Size, SizeSpec};

use super::plan::{BASE_URL_PLACEHOLDER, Header, Method};
use super::spec::{RatioSize, SizeAs, SizeEncoding, fill, segments};
use super::{encode_segment, join_url};

/// One call in the provider's terms, before it is given its place in a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WireCall {
    /// The method.
    pub method: Method,
    /// The full URL, query included; starts with [`BASE_URL_PLACEHOLDER`]
    /// when the profile has no base URL.
    pub url: String,
    /// The part of `url` after the base URL.
    pub path: String,
    /// The headers, the key's as a placeholder.
    pub headers: Vec<Header>,
    /// The body text, for `POST`.
    pub body: Option<String>,
    /// The pixel size the call yields when the body does not say it in
    /// pixels (a ratio and a resolution, a preset name).
    pub yields: Option<Size>,
    /// Whether that size differs from the one asked for (the provider has
    /// no way to ask for it exactly).
    pub approximate: bool,
}

/// Why a request cannot be written in a provider's terms.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The size has no name or ratio at this provider.
    #[error("size \"{size}\": \"{profile}\" has no {what} for it")]
    SizeNotOffered {
        /// The size asked for.
        size: String,
        /// The profile id.
        profile: String,
        /// What the provider would need (`preset name`, `aspect ratio`).
        what: &'static str,
    },
    /// Two members would go in the same place, one inside the other.
    #[error("member {target:?} of \"{profile}\" collides with another member")]
    Collision {
        /// Where the member was to go.
        target: String,
        /// The profile id.
        profile: String,
    },
}

/// A body member, written in the order given (`serde_json`'s `Map` sorts).
#[derive(Debug)]
enum Node {
    Leaf(Value),
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(v) => v.serialize(serializer),
            Node::Object(members) => {
                serializer.collect_map(members.iter().map(|(k, v)| (k.as_str(), v)))
            }
            Node::Array(items) => serializer.collect_seq(items),
        }
    }
}

/// Puts `value` at `path` under `node`, creating objects (and arrays, for
/// numeric segments) on the way; `false` when something else is in the way.
fn place(node: &mut Node, path: &[String], value: Node) -> bool {
    let Some((first, rest)) = path.split_first() else {
        *node = value;
        return true;
    };
    let fresh = || match rest.first() {
        Some(next) if next.parse::<usize>().is_ok() => Node::Array(Vec::new()),
        Some(_) => Node::Object(Vec::new()),
        None => Node::Leaf(Value::Null),
    };
    let slot = match node {
        Node::Object(members) => match members.iter().position(|(k, _)| k == first) {
            Some(i) => &mut members[i].1,
            None => {
                members.push((first.clone(), fresh()));
                &mut members.last_mut().expect("just pushed").1
            }
        },
        Node::Array(items) => match first.parse::<usize>() {
            Ok(i) if i < items.len() => &mut items[i],
            Ok(i) if i == items.len() => {
                items.push(fresh());
                items.last_mut().expect("just pushed")
            }
            _ => return false,
        },
        Node::Leaf(_) => return false,
    };
    if rest.is_empty() && !matches!(slot, Node::Leaf(_)) {
        return false;
    }
    place(slot, rest, value)
}

/// The body being written: the root, and where plain names go.
struct Writer<'p> {
    root: Node,
    profile: &'p Profile,
}

impl Writer<'_> {
    /// The path of `target` for canonical field `field`: a pointer is from
    /// the root; a plain name goes in the envelope unless the field is kept outside.
    fn path(&self, field: &str, target: &str) -> Vec<String> {
        if target.starts_with('/') {
            return segments(target).collect();
        }
        let request = &self.profile.request;
        match &request.envelope {
            Some(envelope) if !request.outside.iter().any(|o| o == field) => {
                vec![envelope.clone(), target.to_owned()]
            }
            _ => vec![target.to_owned()],
        }
    }

    fn put(&mut self, field: &str, target: &str, value: Node) -> Result<(), EncodeError> {
        let path = self.path(field, target);
        if place(&mut self.root, &path, value) {
            Ok(())
        } else {
            Err(EncodeError::Collision {
                target: target.to_owned(),
                profile: self.profile.id.clone(),
            })
        }
    }
}

/// The name a served model goes by on the wire: its `send_as`, else its name.
pub(crate) fn wire_model(served: &ServedModel) -> &str {
    served.send_as.as_deref().unwrap_or(&served.name)
}

/// Writes one call in the provider's terms from the canonical members
/// (OpenAI's names and value spellings, `n` a number, in the order to
/// write them), as the profile's `request` describes: `rename`, `values`,
/// `n_type`, the size's encoding, `omit`, `constants`, the `envelope`, the
/// path with `{model}`, the `query` and the headers, the key's as a
/// placeholder naming its environment variable.
///
/// # Errors
/// [`EncodeError`] when the size has no name or ratio at the provider, or
/// two members collide (only a hand-written profile can cause either).
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire};
/// use serde_json::json;
///
/// let fal = builtin_profile("fal").unwrap();
/// let served = fal.model("gpt-image-2").unwrap();
/// let (prompt, size, n) = (json!("x"), json!("1920x1088"), json!(2));
/// let members = [("prompt", &prompt), ("n", &n), ("size", &size)];
/// let call = wire::encode_call(fal, served, members).unwrap();
/// assert_eq!(call.url, "https://queue.fal.run/openai/gpt-image-2");
/// assert_eq!(
///     call.body.as_deref(),
///     Some(r#"{"prompt":"x","num_images":2,"image_size":{"width":1920,"height":1088}}"#)
/// );
/// assert_eq!(call.headers[1].value, "Key <FAL_KEY>");
/// ```
pub fn encode_call<'a>(
    profile: &Profile,
    served: &ServedModel,
    members: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<WireCall, EncodeError> {
    let request = &profile.request;
    let mut writer = Writer {
        root: Node::Object(Vec::new()),
        profile,
    };
    let (mut yields, mut approximate) = (None, false);
    for (field, value) in members {
        if request.omit.iter().any(|o| o == field) {
            continue;
        }
        let target = request.rename.get(field).map_or(field, String::as_str);
        match field {
            "size" => {
                let encoded = encode_size(profile, target, value)?;
                (yields, approximate) = (encoded.yields, encoded.approximate);
                for (target, node) in encoded.members {
                    writer.put(field, &target, node)?;
                }
                continue;
            }
            "model" => {
                let name = Value::from(wire_model(served));
                writer.put(field, target, Node::Leaf(name))?;
                continue;
            }
            _ => {}
        }
        let mut value = match (field, value) {
            ("n", Value::Number(n)) if profile.n_type == NType::String => {
                Value::String(n.to_string())
            }
            _ => value.clone(),
        };
        if let (Some(map), Value::String(text)) = (request.values.get(field), &value)
            && let Some(mapped) = map.get(text)
        {
            value = mapped.clone();
        }
        writer.put(field, target, Node::Leaf(value))?;
    }
    for (target, value) in &request.constants {
        writer.put("", target, Node::Leaf(value.clone()))?;
    }
    let model = wire_model(served)
        .split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/");
    let mut path =
        fill(&profile.path, &[("model", &model)]).unwrap_or_else(|| profile.path.clone());
    if profile.model_in == ModelIn::Body && !profile.path.contains("{model}") {
        path.clone_from(&profile.path);
    }
    if !request.query.is_empty() {
        let query: Vec<String> = request
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_segment(k), encode_segment(v)))
            .collect();
        path = format!("{path}?{}", query.join("&"));
    }
    let url = join_url(
        profile.base_url.as_deref().unwrap_or(BASE_URL_PLACEHOLDER),
        &path,
    );
    let mut headers = Vec::new();
    let body = match request.method {
        Method::Post => {
            headers.push(Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
                secret: false,
            });
            Some(
                serde_json::to_string(&writer.root)
                    .expect("JSON values under string keys always serialize"),
            )
        }
        Method::Get => None,
    };
    headers.push(auth_header(profile));
    headers.extend(request.headers.iter().map(|(name, value)| Header {
        name: name.clone(),
        value: value.clone(),
        secret: false,
    }));
    Ok(WireCall {
        method: request.method,
        url,
        path,
        headers,
        body,
        yields,
        approximate,
    })
}

/// The auth header with a placeholder for the key: `Bearer <OPENAI_API_KEY>`,
/// `Key <FAL_KEY>`, or the bare `<AZURE_OPENAI_API_KEY>`.
pub(crate) fn auth_header(profile: &Profile) -> Header {
    let env = &profile.auth.env;
    Header {
        name: profile.auth.header.clone(),
        value: match &profile.auth.scheme {
            Some(scheme) => format!("{scheme} <{env}>"),
            None => format!("<{env}>"),
        },
        secret: true,
    }
}

struct EncodedSize {
    members: Vec<(String, Node)>,
    yields: Option<Size>,
    approximate: bool,
}

fn encode_size(profile: &Profile, target: &str, value: &Value) -> Result<EncodedSize, EncodeError> {
    let encoding = &profile.request.size;
    let field = encoding
        .field
        .as_deref()
        .unwrap_or(match encoding.encode_as {
            SizeAs::Ratio => "aspect_ratio",
            _ => target,
        });
    let one = |node: Node, yields: Option<Size>| EncodedSize {
        members: vec![(field.to_owned(), node)],
        yields,
        approximate: false,
    };
    let spec = value.as_str().and_then(|s| s.parse::<SizeSpec>().ok());
    let size = match spec {
        Some(SizeSpec::Size(size)) => size,
        Some(SizeSpec::Auto) => {
            return Ok(match &encoding.auto {
                Some(members) => EncodedSize {
                    members: members
                        .iter()
                        .map(|(k, v)| (k.clone(), Node::Leaf(v.clone())))
                        .collect(),
                    yields: None,
                    approximate: false,
                },
                None => one(Node::Leaf(Value::from("auto")), None),
            });
        }
        // Validation refused what does not read; pass it on as it is.
        None => return Ok(one(Node::Leaf(value.clone()), None)),
    };
    if let Some((name, _)) = encoding.presets.iter().find(|(_, s)| **s == size) {
        return Ok(one(Node::Leaf(Value::from(name.as_str())), Some(size)));
    }
    let not_offered = |what| EncodeError::SizeNotOffered {
        size: size.to_string(),
        profile: profile.id.clone(),
        what,
    };
    match encoding.encode_as {
        SizeAs::Text => Ok(one(Node::Leaf(Value::from(size.to_string())), None)),
        SizeAs::Object => Ok(one(
            Node::Object(vec![
                (
                    encoding.width.clone(),
                    Node::Leaf(Value::from(size.width())),
                ),
                (
                    encoding.height.clone(),
                    Node::Leaf(Value::from(size.height())),
                ),
            ]),
            None,
        )),
        SizeAs::Preset => Err(not_offered("preset name")),
        SizeAs::Ratio => {
            let (entry, exact) =
                nearest_ratio(&encoding.table, size).ok_or_else(|| not_offered("aspect ratio"))?;
            let mut members = vec![(
                field.to_owned(),
                Node::Leaf(Value::from(entry.ratio.to_string())),
            )];
            if let Some(resolution) = &entry.resolution {
                let name = encoding.resolution_field.as_deref().unwrap_or("resolution");
                members.push((
                    name.to_owned(),
                    Node::Leaf(Value::from(resolution.as_str())),
                ));
            }
            Ok(EncodedSize {
                members,
                yields: Some(entry.size),
                approximate: !exact,
            })
        }
    }
}

/// The table entry for `size`: the one that produces it exactly, else the
/// one of the same shape nearest in pixels, else the one nearest in shape
/// (then in pixels). Ties go to the entry listed first.
pub(crate) fn nearest_ratio(table: &[RatioSize], size: Size) -> Option<(&RatioSize, bool)> {
    if let Some(exact) = table.iter().find(|e| e.size == size) {
        return Some((exact, true));
    }
    let shape = |s: Size| (f64::from(s.width()) / f64::from(s.height())).ln();
    let pixels = |s: Size| u64::from(s.width()) * u64::from(s.height());
    let want = (shape(size), pixels(size));
    table
        .iter()
        .min_by(|a, b| {
            let key = |e: &RatioSize| {
                let d_shape = (shape(e.size) - want.0).abs();
                // Shapes within 1% count as the same shape.
                let d_shape = if d_shape < 0.01 { 0.0 } else { d_shape };
                (d_shape, pixels(e.size).abs_diff(want.1))
            };
            let (ka, kb) = (key(a), key(b));
            ka.0.total_cmp(&kb.0).then(ka.1.cmp(&kb.1))
        })
        .map(|e| (e, false))
}

/// Whether every size of `sizes` is one the encoding can write: used by the
/// profile's checks.
pub(crate) fn unencodable(encoding: &SizeEncoding, size: Size) -> Option<&'static str> {
    if encoding.presets.values().any(|s| *s == size) {
        return None;
    }
    match encoding.encode_as {
        SizeAs::Preset => Some("preset name"),
        SizeAs::Ratio if !encoding.table.iter().any(|e| e.size == size) => Some("aspect ratio"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_text(node: &Node) -> String {
        serde_json::to_string(node).unwrap()
    }

    #[test]
    fn place_builds_objects_and_arrays_in_the_order_given() {
        let mut root = Node::Object(Vec::new());
        let path = |p: &str| segments(p).collect::<Vec<_>>();
        assert!(place(
            &mut root,
            &path("/model"),
            Node::Leaf(Value::from("m"))
        ));
        assert!(place(
            &mut root,
            &path("/messages/0/content"),
            Node::Leaf(Value::from("x"))
        ));
        assert!(place(
            &mut root,
            &path("/messages/0/role"),
            Node::Leaf(Value::from("user"))
        ));
        assert_eq!(
            node_text(&root),
            r#"{"model":"m","messages":[{"content":"x","role":"user"}]}"#
        );
        // A leaf cannot hold members, an object cannot become a leaf, and
        // an array index cannot skip ahead.
        assert!(!place(
            &mut root,
            &path("/model/x"),
            Node::Leaf(Value::Null)
        ));
        assert!(!place(
            &mut root,
            &path("/messages"),
            Node::Leaf(Value::Null)
        ));
        assert!(!place(
            &mut root,
            &path("/messages/2/x"),
            Node::Leaf(Value::Null)
        ));
    }

    #[test]
    fn nearest_ratio_prefers_exact_then_same_shape_then_nearest_shape() {
        let entry = |ratio: &str, size: &str| RatioSize {
            ratio: ratio.parse().unwrap(),
            resolution: None,
            size: size.parse().unwrap(),
        };
        let table = [
            entry("1:1", "1024x1024"),
            entry("3:2", "1536x1024"),
            entry("16:9", "2048x1152"),
            entry("16:9", "3840x2160"),
        ];
        let pick = |s: &str| {
            let (e, exact) = nearest_ratio(&table, s.parse().unwrap()).unwrap();
            (e.size.to_string(), exact)
        };
        assert_eq!(pick("1536x1024"), ("1536x1024".into(), true));
        assert_eq!(pick("1920x1088"), ("2048x1152".into(), false));
        assert_eq!(pick("3200x1800"), ("3840x2160".into(), false));
        assert_eq!(pick("1024x1536"), ("1024x1024".into(), false));
    }
}

/// How a provider is asked for one size: the body members it takes for it,
/// in its own terms, and the pixel size that yields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SizeRequest {
    /// The members as JSON text, in the order the body writes them:
    /// `{"size":"1920x1088"}`, `{"image_size":{"width":1920,"height":1088}}`,
    /// `{"aspect_ratio":"16:9","resolution":"2K"}`.
    pub members: String,
    /// The pixel size the provider produces for them.
    pub yields: Size,
    /// Whether that differs from the size asked for (the provider cannot be
    /// asked for it exactly).
    pub approximate: bool,
}

/// How `profile` is asked for `size`: what `nearest` and `suggest` answer
/// with, so a size found in pixels is also given in the provider's terms
/// (fal's object, kie's ratio and resolution, Replicate's ratio).
///
/// ```
/// use gpt_image_plan::{builtin_profile, wire, Size};
/// let kie = builtin_profile("kie").unwrap();
/// let asked = wire::size_request(kie, Size::new(2048, 1152)).unwrap();
/// assert_eq!(asked.members, r#"{"aspect_ratio":"16:9","resolution":"2K"}"#);
/// assert_eq!(asked.yields, Size::new(2048, 1152));
/// let fal = builtin_profile("fal").unwrap();
/// let asked = wire::size_request(fal, Size::new(1920, 1088)).unwrap();
/// assert_eq!(asked.members, r#"{"image_size":{"width":1920,"height":1088}}"#);
/// ```
///
/// # Errors
/// [`EncodeError`] when the profile has no way to ask for a size like it
/// (a preset-only encoding without that size).
pub fn size_request(profile: &Profile, size: Size) -> Result<SizeRequest, EncodeError> {
    let target = profile
        .request
        .rename
        .get("size")
        .map_or("size", String::as_str);
    let encoded = encode_size(profile, target, &Value::from(size.to_string()))?;
    let members = serde_json::to_string(&Node::Object(encoded.members))
        .expect("JSON values under string keys always serialize");
    Ok(SizeRequest {
        members,
        yields: encoded.yields.unwrap_or(size),
        approximate: encoded.approximate,
    })
}
