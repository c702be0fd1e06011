//! Text types: whatever parses prints back as the same text and parses to the
//! same value; every value prints text that parses back to it; near misses'
//! suggestions are real sizes.
#![no_main]

use std::fmt::Display;
use std::str::FromStr;

use arbitrary::{Arbitrary, Unstructured};
use gpt_image_plan::{
    AspectRatio, Background, Code, Date, Field, Kind, ModelId, Moderation, OutputFormat, Quality,
    ResponseFormat, Severity, Size, SizeSpec, Style, Tier,
};
use libfuzzer_sys::fuzz_target;

/// Text that parses prints back unchanged and parses to the same value.
fn text_round_trip<T>(text: &str)
where
    T: FromStr + Display + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = text.parse::<T>() {
        assert_eq!(value.to_string(), text, "{value:?}");
        assert_eq!(text.parse::<T>().ok(), Some(value));
    }
}

/// A value prints text that parses back to it, through serde too.
fn value_round_trip<T>(value: &T)
where
    T: FromStr
        + Display
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
    T::Err: std::fmt::Debug,
{
    let text = value.to_string();
    assert_eq!(&text.parse::<T>().unwrap(), value, "{text:?}");
    let json = serde_json::to_string(value).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        text_round_trip::<Size>(text);
        text_round_trip::<SizeSpec>(text);
        text_round_trip::<AspectRatio>(text);
        text_round_trip::<Code>(text);
        text_round_trip::<Date>(text);
        text_round_trip::<ModelId>(text);
        text_round_trip::<Quality>(text);
        text_round_trip::<Background>(text);
        text_round_trip::<OutputFormat>(text);
        text_round_trip::<Moderation>(text);
        text_round_trip::<ResponseFormat>(text);
        text_round_trip::<Style>(text);
        text_round_trip::<Tier>(text);
        text_round_trip::<Severity>(text);
        text_round_trip::<Field>(text);
        text_round_trip::<Kind>(text);
        match text.parse::<Size>() {
            Ok(size) => assert_eq!(size.to_string(), text),
            Err(e) => {
                let message = e.to_string();
                assert!(
                    message.len() <= gpt_image_plan_fuzz::MAX_TEXT,
                    "{} bytes: {message:.80}",
                    message.len()
                );
                if let Some(s) = e.suggestion() {
                    assert!(s.width() > 0 && s.height() > 0, "{s:?}");
                    assert_ne!(s.to_string(), text);
                    assert_eq!(s.to_string().parse::<Size>(), Ok(s));
                }
            }
        }
        if let Err(e) = text.parse::<AspectRatio>() {
            assert!(e.to_string().len() <= gpt_image_plan_fuzz::MAX_TEXT);
        }
    }
    let mut u = Unstructured::new(data);
    if let Ok((size, spec, ratio, code, date)) =
        <(Size, SizeSpec, AspectRatio, Code, Date)>::arbitrary(&mut u)
    {
        value_round_trip(&size);
        value_round_trip(&spec);
        value_round_trip(&ratio);
        value_round_trip(&code);
        value_round_trip(&date);
        assert_eq!(
            AspectRatio::of(size).map(|r| r.reduced()),
            AspectRatio::of(size)
        );
        assert_eq!(ratio.reduced().reduced(), ratio.reduced());
    }
});
