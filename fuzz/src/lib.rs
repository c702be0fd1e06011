//! Checks shared by the fuzz targets: what every report must look like,
//! whatever the input.

use gpt_image_plan::Report;

/// The longest message, value, fix or replacement a finding may carry, in
/// bytes, however long the input: findings quote excerpts, never whole inputs.
pub const MAX_TEXT: usize = 1024;

/// The longest `limit` a finding may carry. A limit may list every size a
/// profile names, and profiles are refused above 256 listed sizes, so its
/// bound is that list quoted (about 13 bytes a size) plus the rest.
pub const MAX_LIMIT_TEXT: usize = 4096;

/// Panics unless every finding in `report` is well formed: its code's field is
/// its field, its texts are short, its message is lowercase-first with no
/// trailing period, and the report survives a JSON round trip unchanged.
#[track_caller]
pub fn check_report(report: &Report) {
    for d in &report.diagnostics {
        assert_eq!(d.code.field(), &d.field, "{d:?}");
        assert!(!d.message.is_empty(), "{d:?}");
        assert!(!d.message.ends_with('.'), "trailing period: {d:?}");
        assert!(
            !d.message.starts_with(|c: char| c.is_uppercase()),
            "not lowercase-first: {d:?}"
        );
        let texts = [
            (Some(&d.message), MAX_TEXT),
            (d.value.as_ref(), MAX_TEXT),
            (d.limit.as_ref(), MAX_LIMIT_TEXT),
            (d.fix.as_ref(), MAX_TEXT),
            (d.replacement.as_ref(), MAX_TEXT),
        ];
        for (text, max) in texts {
            let Some(text) = text else { continue };
            assert!(
                text.len() <= max,
                "{} bytes in a finding for {}: {:?}...",
                text.len(),
                d.code,
                text.chars().take(80).collect::<String>()
            );
        }
    }
    assert_eq!(report.is_valid(), report.errors().next().is_none());
    let json = serde_json::to_string(report).expect("a report serializes");
    let back: Report = serde_json::from_str(&json).expect("a report reads back");
    assert_eq!(&back, report);
}
