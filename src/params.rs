//! The enumerated request parameters, spelled as OpenAI's wire names.

use crate::text::wire_enum;

wire_enum! {
    /// `quality`: how much work goes into the image.
    ///
    /// ```
    /// use gpt_image_plan::Quality;
    /// assert_eq!("high".parse::<Quality>().unwrap(), Quality::High);
    /// assert_eq!(Quality::Hd.to_string(), "hd");
    /// ```
    Quality, "quality" {
        /// `low`: fastest and cheapest (GPT image models).
        Low = "low",
        /// `medium` (GPT image models).
        Medium = "medium",
        /// `high`: slowest and most expensive (GPT image models).
        High = "high",
        /// `auto`: the model chooses (GPT image models; the default).
        Auto = "auto",
        /// `standard` (dall-e-2, dall-e-3).
        Standard = "standard",
        /// `hd` (dall-e-3).
        Hd = "hd",
        /// `xhigh` (some newer GPT image models).
        Xhigh = "xhigh",
        /// `max` (some newer GPT image models).
        Max = "max",
    }
}

wire_enum! {
    /// `background`: whether the image may be transparent.
    Background, "background" {
        /// `transparent`: needs an output format with alpha (png or webp).
        Transparent = "transparent",
        /// `opaque`.
        Opaque = "opaque",
        /// `auto`: the model chooses (the default).
        Auto = "auto",
    }
}

wire_enum! {
    /// `output_format`: the image file format.
    OutputFormat, "output_format" {
        /// `png` (the default).
        Png = "png",
        /// `jpeg`.
        Jpeg = "jpeg",
        /// `webp`.
        Webp = "webp",
    }
}

wire_enum! {
    /// `moderation`: how strict content moderation is.
    Moderation, "moderation" {
        /// `low`: a more permissive policy.
        Low = "low",
        /// `auto`: the standard policy (the default).
        Auto = "auto",
    }
}

wire_enum! {
    /// `response_format`: how images come back.
    ResponseFormat, "response_format" {
        /// `url`: a temporary URL.
        Url = "url",
        /// `b64_json`: base64 image data inside the JSON.
        B64Json = "b64_json",
    }
}

wire_enum! {
    /// `style` (dall-e-3 only).
    Style, "style" {
        /// `vivid`: hyper-real and dramatic.
        Vivid = "vivid",
        /// `natural`: less hyper-real.
        Natural = "natural",
    }
}

wire_enum! {
    /// A size tier as resellers name them.
    Tier, "tier" {
        /// `1K`.
        K1 = "1K",
        /// `2K`.
        K2 = "2K",
        /// `4K`.
        K4 = "4K",
    }
}

impl Tier {
    /// The long edge the planner aims for at this tier: 1024, 2048 or 3840 px.
    pub const fn long_edge(self) -> u32 {
        match self {
            Tier::K1 => 1024,
            Tier::K2 => 2048,
            Tier::K4 => 3840,
        }
    }
}
