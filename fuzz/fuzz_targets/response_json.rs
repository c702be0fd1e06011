//! Arbitrary bytes as a response body, read with every built-in profile's response shape and
//! the statuses providers send: no panic, the same result twice, every error
//! text at most 1024 bytes, and what billing reads from a success never panics.
#![no_main]

use gpt_image_plan::price::{PriceTable, Returned, reconcile};
use gpt_image_plan::wire::{self, Outcome, parse_response};
use gpt_image_plan::{ImageRequest, builtin_profile, builtin_profiles};
use gpt_image_plan_fuzz::MAX_TEXT;
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 9] = [200, 201, 400, 401, 403, 404, 429, 500, 503];

fuzz_target!(|data: &[u8]| {
    // The first bytes double as a Retry-After value, so hostile header text
    // meets every status too.
    let retry = String::from_utf8_lossy(data.get(..12).unwrap_or(data)).into_owned();
    let header_sets: [&[(&str, &str)]; 2] = [&[], &[("retry-after", retry.as_str())]];
    for profile in builtin_profiles() {
        let shape = &profile.response;
        for status in STATUSES {
            for headers in header_sets {
                let result = parse_response(shape, status, headers, data);
                assert_eq!(result, parse_response(shape, status, headers, data));
                match result {
                    Err(e) => {
                        let texts = [
                            Some(&e.message),
                            e.error_type.as_ref(),
                            e.param.as_ref(),
                            e.code.as_ref(),
                        ];
                        for text in texts.into_iter().flatten() {
                            assert!(text.len() <= MAX_TEXT, "{} bytes: {e:?}", text.len());
                        }
                        assert!(!e.to_string().is_empty());
                    }
                    Ok(Outcome::Images(images)) => {
                        let returned = wire::returned(std::slice::from_ref(&images));
                        assert_eq!(returned.images as usize, images.images.len());
                        let openai = builtin_profile("openai").expect("openai is built in");
                        let mut req = ImageRequest::new("gpt-image-2", "an otter");
                        req.n = Some(returned.images.max(1));
                        let _ = reconcile(&req, openai, PriceTable::builtin(), &returned);
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    // Billing's own reader of a response body.
    if let Ok(text) = std::str::from_utf8(data) {
        let read = Returned::from_response_json(text);
        assert_eq!(read, Returned::from_response_json(text));
    }
});
