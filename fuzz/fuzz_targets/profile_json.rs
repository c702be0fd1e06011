//! Profile documents: loading never panics or hangs, errors are short, and a
//! profile that loads can validate requests for every model it serves.
#![no_main]

use gpt_image_plan::{ImageRequest, Profile, Size, planner, validate, validate_json};
use gpt_image_plan_fuzz::check_report;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let profile = match Profile::from_json(text) {
        Ok(profile) => profile,
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            assert_eq!(Profile::from_json(text).unwrap_err(), e);
            return;
        }
    };
    assert_eq!(Profile::from_json(text).as_ref(), Ok(&profile));
    for model in &profile.models {
        for size in [
            Size::new(1000, 1000),
            Size::new(4000, 100),
            Size::new(0, 0),
            Size::new(u32::MAX, 1),
        ] {
            let mut request = ImageRequest::new(model.name.clone(), "a lighthouse");
            request.size = Some(size.into());
            request.n = Some(3);
            let report = validate(&request, &profile);
            check_report(&report);
            if let Some(near) = planner::nearest(&model.rules.sizes, size) {
                assert!(model.rules.sizes.allows(near));
            }
        }
    }
    let body = r#"{"prompt": "an otter", "size": "1920x1080", "n": 2, "quality": "high"}"#;
    check_report(&validate_json(body, &profile));
});
