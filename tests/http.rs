//! The `http` feature against fake providers on 127.0.0.1, started by each
//! test (tests/fake: a few lines of std that play each scenario).

mod fake;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fake::{Fake, Reply, json};

use gpt_image_plan::http::{Client, Config, HttpError, ImageSource, KeyProblem, Secret};
use gpt_image_plan::price::{Amount, Bounds, PriceTable};
use gpt_image_plan::wire::{ErrorKind, PollPolicy, UnpricedReason};
use gpt_image_plan::{ImageRequest, Profile, builtin_profile};

const KEY: &str = "sk-test-9f8e7d6c5b4a";

/// Runs a future on a fresh current-thread runtime.
fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn fast_config(fake: &Fake) -> Config {
    Config {
        base_url: Some(fake.url()),
        backoff_base: Duration::from_millis(10),
        backoff_max: Duration::from_millis(40),
        call_timeout: Duration::from_secs(5),
        overall_timeout: Duration::from_secs(20),
        poll: PollPolicy {
            first_delay: Duration::from_millis(5),
            interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(20),
            max_polls: 20,
        },
        ..Config::default()
    }
}

#[track_caller]
fn profile(id: &str) -> Profile {
    builtin_profile(id).unwrap().clone()
}

#[track_caller]
fn client(id: &str, fake: &Fake) -> Client {
    Client::new(profile(id), Secret::new(KEY), fast_config(fake)).unwrap()
}

fn otter() -> ImageRequest {
    let mut req = ImageRequest::new("gpt-image-2", "an otter");
    req.size = Some("1024x1024".parse().unwrap());
    req
}

const PNG_B64: &str = "iVBORw0KGgo="; // the PNG signature
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";

fn b64_body() -> String {
    format!(
        r#"{{"created": 1, "data": [{{"b64_json": "{PNG_B64}"}}], "size": "1024x1024", "output_format": "png", "usage": {{"input_tokens": 10, "output_tokens": 196, "total_tokens": 206}}}}"#
    )
}

#[track_caller]
fn provider_error(
    result: Result<gpt_image_plan::http::Generation, HttpError>,
) -> gpt_image_plan::wire::ProviderError {
    match result {
        Err(HttpError::Provider(e)) => e,
        other => panic!("expected a provider error, got {other:?}"),
    }
}

// ------------------------------------------------------------------ success

#[test]
fn success_sends_the_planned_call_with_the_key_and_decodes_the_image() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.images[0].source, ImageSource::Base64);
    assert_eq!(generation.images[0].size.unwrap().to_string(), "1024x1024");
    assert_eq!(generation.usage.unwrap().output_tokens, Some(196));
    assert_eq!(
        (generation.calls, generation.retries, generation.polls),
        (1, 0, 0)
    );
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/images/generations")
    );
    assert_eq!(r.headers["authorization"], format!("Bearer {KEY}"));
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(
        r.body,
        r#"{"model":"gpt-image-2","prompt":"an otter","size":"1024x1024"}"#
    );
}

#[test]
fn image_urls_are_downloaded_without_the_key() {
    let fake = Fake::start(|req, _| {
        if req.path == "/files/1.png" {
            Reply::Bytes(200, "image/png", PNG.to_vec())
        } else {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(r#"{{"created": 1, "data": [{{"url": "http://{addr}/files/1.png"}}]}}"#),
            )
        }
    });
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    assert!(
        matches!(&generation.images[0].source, ImageSource::Url(u) if u.ends_with("/files/1.png"))
    );
    let requests = fake.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "GET");
    assert!(!requests[1].headers.contains_key("authorization"));
}

#[test]
fn n_is_split_into_parallel_calls_and_their_images_are_joined() {
    let fake = Fake::start(|_, _| {
        Reply::Slow(Duration::from_millis(300), Box::new(json(200, &b64_body())))
    });
    let mut req = otter();
    req.n = Some(3);
    let generation = run(client("infinityblue", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images.len(), 3);
    assert_eq!(generation.requested, Some(3));
    assert_eq!(generation.calls, 3);
    assert_eq!(generation.usage.unwrap().output_tokens, Some(3 * 196));
    let requests = fake.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(
            r.body,
            r#"{"model":"gpt-image-2","prompt":"an otter","n":1,"size":"1024x1024"}"#
        );
    }
    assert!(
        fake.max_in_flight.load(Ordering::SeqCst) >= 2,
        "the calls did not overlap"
    );
    let codes: Vec<String> = generation
        .report
        .codes()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(codes, ["n.split"]);
}

#[test]
fn split_calls_never_exceed_the_concurrency_limit() {
    let fake = Fake::start(|_, _| {
        Reply::Slow(Duration::from_millis(50), Box::new(json(200, &b64_body())))
    });
    let config = Config {
        max_concurrency: 1,
        ..fast_config(&fake)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(4);
    let generation = run(client.generate(&req)).unwrap();
    assert_eq!(generation.images.len(), 4);
    assert_eq!(fake.max_in_flight.load(Ordering::SeqCst), 1);
}

// ------------------------------------------------------------------ errors and retries

#[test]
fn unauthorized_is_not_retried() {
    let fake = Fake::start(|_, _| {
        json(
            401,
            r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}"#,
        )
    });
    let e = provider_error(run(client("openai", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(
        e.to_string(),
        r#"unauthorized (HTTP 401, code "invalid_api_key"): "Incorrect API key provided""#
    );
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn forbidden_for_insufficient_balance_is_not_retried() {
    let fake = Fake::start(|_, _| {
        json(
            403,
            r#"{"code": 403, "message": "insufficient balance for the requested operation", "data": null}"#,
        )
    });
    let e = provider_error(run(client("wavespeed", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn rate_limit_waits_for_retry_after_then_succeeds() {
    let fake = Fake::start(|_, i| {
        if i == 0 {
            Reply::Json(
                429,
                vec![("Retry-After", "1".into())],
                r#"{"error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}"#.into(),
            )
        } else {
            json(200, &b64_body())
        }
    });
    let started = Instant::now();
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(1000),
        "Retry-After was not honoured"
    );
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.retries, 1);
    assert_eq!(fake.requests().len(), 2);
}

#[test]
fn a_retry_after_above_the_limit_is_returned_instead_of_waited_for() {
    let fake = Fake::start(|_, _| {
        Reply::Json(
            429,
            vec![("Retry-After", "3600".into())],
            r#"{"error": {"message": "slow down"}}"#.into(),
        )
    });
    let e = provider_error(run(client("openai", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn server_error_is_retried_then_succeeds() {
    let fake = Fake::start(|_, i| {
        if i == 0 {
            json(
                500,
                r#"{"error": {"message": "The server had an error", "type": "server_error"}}"#,
            )
        } else {
            json(200, &b64_body())
        }
    });
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.retries, 1);
    assert_eq!(fake.requests().len(), 2);
}

#[test]
fn server_errors_give_up_after_the_retry_limit() {
    let fake =
        Fake::start(|_, _| Reply::Bytes(502, "text/html", b"<h1>502 Bad Gateway</h1>".to_vec()));
    let e = provider_error(run(client("openai", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::ServerError);
    assert_eq!(
        e.to_string(),
        r#"server error (HTTP 502): "<h1>502 Bad Gateway</h1>""#
    );
    assert_eq!(fake.requests().len(), 4); // the try and 3 retries
}

#[test]
fn content_policy_400_is_not_retried() {
    let fake = Fake::start(|_, _| {
        json(
            400,
            r#"{"code": 400, "message": "Content blocked due to safety concerns", "data": null}"#,
        )
    });
    let e = provider_error(run(client("wavespeed", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::ContentPolicy);
    assert_eq!(fake.requests().len(), 1);
}

// ------------------------------------------------------------------ tasks

fn task(id: &str, status: &str, outputs: &str) -> String {
    format!(
        r#"{{"code": 200, "message": "success", "data": {{"id": "{id}", "status": "{status}", "outputs": {outputs}, "urls": {{"get": "https://elsewhere.example/{id}"}}, "error": ""}}}}"#
    )
}

#[test]
fn wavespeed_task_is_polled_from_created_through_processing_to_completed() {
    let fake = Fake::start(|req, i| match (req.method.as_str(), req.path.as_str(), i) {
        ("POST", "/api/v3/openai/gpt-image-2/text-to-image", _) => {
            json(200, &task("t-1", "created", "[]"))
        }
        ("GET", "/api/v3/predictions/t-1", 1) => json(200, &task("t-1", "processing", "[]")),
        ("GET", "/api/v3/predictions/t-1", _) => {
            let addr = &req.headers["host"];
            json(
                200,
                &task(
                    "t-1",
                    "completed",
                    &format!(r#"["http://{addr}/out/t-1.png"]"#),
                ),
            )
        }
        ("GET", "/out/t-1.png", _) => Reply::Bytes(200, "image/png", PNG.to_vec()),
        _ => json(404, r#"{"code": 404, "message": "not found"}"#),
    });
    let generation = run(client("wavespeed", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.polls, 2);
    let requests = fake.requests();
    let seen: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "POST".into(),
                "/api/v3/openai/gpt-image-2/text-to-image".into()
            ),
            ("GET".into(), "/api/v3/predictions/t-1".into()),
            ("GET".into(), "/api/v3/predictions/t-1".into()),
            ("GET".into(), "/out/t-1.png".into()),
        ]
    );
    assert_eq!(
        requests[0].body,
        r#"{"prompt":"an otter","size":"1024x1024"}"#
    );
    assert_eq!(
        requests[1].headers["authorization"],
        format!("Bearer {KEY}")
    );
    assert!(!requests[3].headers.contains_key("authorization"));
}

#[test]
fn wavespeed_sync_mode_answer_needs_no_poll() {
    let fake = Fake::start(|req, _| match req.method.as_str() {
        "POST" => json(200, &task("t-5", "completed", &format!(r#"["{PNG_B64}"]"#))),
        _ => json(404, r#"{"code": 404, "message": "not found"}"#),
    });
    let mut req = otter();
    req.set("enable_sync_mode", true);
    let generation = run(client("wavespeed", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.polls, 0);
    let requests = fake.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].body,
        r#"{"prompt":"an otter","size":"1024x1024","enable_sync_mode":true}"#
    );
}

#[test]
fn wavespeed_task_that_fails_is_an_error() {
    let fake = Fake::start(|req, _| match req.method.as_str() {
        "POST" => json(200, &task("t-2", "processing", "[]")),
        _ => json(
            200,
            r#"{"code": 200, "data": {"id": "t-2", "status": "failed", "outputs": [], "error": "Content blocked due to safety concerns"}}"#,
        ),
    });
    let e = provider_error(run(client("wavespeed", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::ContentPolicy);
    assert_eq!(fake.requests().len(), 2);
}

#[test]
fn polling_stops_at_the_cap() {
    let fake = Fake::start(|_, _| json(200, &task("t-3", "processing", "[]")));
    let mut config = fast_config(&fake);
    config.poll.max_polls = 3;
    let client = Client::new(profile("wavespeed"), Secret::new(KEY), config).unwrap();
    match run(client.generate(&otter())) {
        Err(e @ HttpError::PollCap { .. }) => {
            assert_eq!(
                e.to_string(),
                r#"task "t-3" is still running after 3 polls"#
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.requests().len(), 4);
}

// ------------------------------------------------------------------ cost

/// Asserts a range of amounts by their decimal strings.
#[track_caller]
fn assert_amounts(bounds: Bounds<Amount>, min: &str, max: &str) {
    assert_eq!(
        (bounds.min.to_string(), bounds.max.to_string()),
        (min.to_owned(), max.to_owned())
    );
}

#[test]
fn an_openai_response_with_usage_is_reconciled_to_its_exact_cost() {
    let fake = Fake::start(|_, _| {
        json(
            200,
            &format!(
                r#"{{"created": 1, "data": [{{"b64_json": "{PNG_B64}"}}], "size": "1024x1024", "quality": "low",
                    "usage": {{"input_tokens": 8, "output_tokens": 196, "total_tokens": 204,
                               "input_tokens_details": {{"text_tokens": 8, "image_tokens": 0}}}}}}"#
            ),
        )
    });
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.unpriced, None);
    let cost = generation.cost.unwrap();
    assert_eq!(cost.currency.as_str(), "USD");
    // 8 text tokens at USD 5 and 196 output tokens at USD 30 per million.
    assert_amounts(cost.cost, "0.00592", "0.00592");
    let usage = cost.usage.unwrap();
    assert_eq!((usage.text_input_tokens, usage.output_tokens), (8, 196));
    // Quality defaults to auto, so the reservation is the high end: 7024
    // tokens, plus at most 8 prompt tokens.
    assert_eq!(cost.reserved.to_string(), "0.21076");
    assert_amounts(cost.difference, "0.20484", "0.20484");
    assert_eq!(generation.returned.images, 1);
    assert_eq!(generation.returned.sizes.len(), 1);
}

#[test]
fn a_usage_block_without_details_is_priced_as_text_input() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    // 10 input tokens at USD 5 and 196 output tokens at USD 30 per million.
    assert_amounts(generation.cost.unwrap().cost, "0.00593", "0.00593");
}

#[test]
fn split_calls_are_reconciled_from_their_summed_usage() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let prices = PriceTable::builtin_with(
        r#"{"as_of": "2026-11-22", "source": "test", "entries": [
          {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
           "currency": "USD", "pricing": {"kind": "token", "text_input_per_million": "5",
           "image_input_per_million": "8", "image_output_per_million": "30",
           "output_tokens": "gpt_image_2_formula"}}]}"#,
    )
    .unwrap();
    let config = Config {
        prices: Some(std::sync::Arc::new(prices)),
        ..fast_config(&fake)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(3);
    let plan = client.plan(&req);
    let estimate = plan.estimate.clone().unwrap();
    assert_eq!(estimate.calls, 3);
    let generation = run(client.generate(&req)).unwrap();
    let usage = generation.returned.usage.unwrap();
    assert_eq!((usage.input_tokens, usage.output_tokens), (30, 588));
    let cost = generation.cost.unwrap();
    // 30 input tokens at USD 5, 588 output tokens at USD 30 per million.
    assert_amounts(cost.cost, "0.01779", "0.01779");
    // The plan's reservation: 3 images at up to 7024 tokens, and up to 8
    // prompt tokens on each of the 3 calls.
    assert_eq!(cost.reserved, estimate.reservation);
    assert_eq!(cost.reserved.to_string(), "0.63228");
    assert_amounts(cost.difference, "0.61449", "0.61449");
}

#[test]
fn a_split_generation_missing_one_usage_block_is_priced_by_its_sizes() {
    let fake = Fake::start(|_, i| {
        if i == 0 {
            json(
                200,
                &format!(r#"{{"data": [{{"b64_json": "{PNG_B64}"}}], "size": "1024x1024"}}"#),
            )
        } else {
            json(200, &b64_body())
        }
    });
    let prices = PriceTable::builtin_with(
        r#"{"as_of": "2026-11-22", "source": "test", "entries": [
          {"provider": "infinityblue", "model": "gpt-image-2", "as_of": "2026-11-22", "source": "test",
           "currency": "USD", "pricing": {"kind": "per_image", "prices": [
             {"size": "1024x1024", "quality": "low", "price": "0.01"},
             {"size": "1024x1024", "quality": "high", "price": "0.1"}]}}]}"#,
    )
    .unwrap();
    let config = Config {
        prices: Some(std::sync::Arc::new(prices)),
        ..fast_config(&fake)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(2);
    let generation = run(client.generate(&req)).unwrap();
    assert_eq!(generation.returned.usage, None);
    let cost = generation.cost.unwrap();
    assert_amounts(cost.cost, "0.02", "0.2");
    assert_eq!(cost.usage, None);
}

#[test]
fn a_provider_without_prices_generates_with_no_cost_and_says_why() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let generation = run(client("enum-sizes", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.cost, None);
    let why = generation.unpriced.unwrap();
    assert_eq!(why.reason, UnpricedReason::NoPriceEntry);
    assert_eq!(
        why.message,
        r#"no published price for "gpt-image-2" at "enum-sizes": the price table has no entry for it"#
    );
}

#[test]
fn execute_leaves_the_cost_to_reconcile_with_the_request() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let openai = client("openai", &fake);
    let plan = openai.plan(&otter());
    let generation = run(openai.execute(&plan)).unwrap();
    assert_eq!(generation.cost, None);
    assert_eq!(
        generation.unpriced.as_ref().map(|u| u.reason),
        Some(UnpricedReason::NoRequest)
    );
    let cost = openai.reconcile(&otter(), &generation).unwrap();
    assert_amounts(cost.cost, "0.00593", "0.00593");
    assert_eq!(
        Some(cost),
        run(openai.generate(&otter())).unwrap().cost,
        "generate prices the same way"
    );
    // A plan that has no price gives its own reason, not the missing request.
    let unpriced = client("enum-sizes", &fake);
    let generation = run(unpriced.execute(&unpriced.plan(&otter()))).unwrap();
    assert_eq!(
        generation.unpriced.map(|u| u.reason),
        Some(UnpricedReason::NoPriceEntry)
    );
}

// ------------------------------------------------------------------ limits

#[test]
fn a_slow_server_hits_the_call_timeout_and_a_post_is_not_retried() {
    let fake =
        Fake::start(|_, _| Reply::Slow(Duration::from_secs(3), Box::new(json(200, &b64_body()))));
    let config = Config {
        call_timeout: Duration::from_millis(200),
        ..fast_config(&fake)
    };
    let client = Client::new(profile("openai"), Secret::new(KEY), config).unwrap();
    let started = Instant::now();
    match run(client.generate(&otter())) {
        Err(e @ HttpError::Timeout { what: "call", .. }) => {
            assert_eq!(e.to_string(), "call timed out after 200ms")
        }
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn the_overall_timeout_bounds_everything() {
    let fake = Fake::start(|_, _| json(200, &task("t-4", "processing", "[]")));
    let mut config = fast_config(&fake);
    config.overall_timeout = Duration::from_millis(300);
    config.poll.max_polls = u32::MAX;
    let client = Client::new(profile("wavespeed"), Secret::new(KEY), config).unwrap();
    match run(client.generate(&otter())) {
        Err(HttpError::Timeout {
            what: "generation",
            after,
        }) => {
            assert_eq!(after, Duration::from_millis(300))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_oversized_body_is_refused_whether_announced_or_not() {
    for sized in [true, false] {
        let fake = Fake::start(move |_, _| {
            let body = format!(r#"{{"data": [{{"b64_json": "{}"}}]}}"#, "A".repeat(2 << 20));
            if sized {
                json(200, &body)
            } else {
                Reply::Unsized(200, body.into_bytes())
            }
        });
        let config = Config {
            max_body_bytes: 1 << 20,
            ..fast_config(&fake)
        };
        let client = Client::new(profile("openai"), Secret::new(KEY), config).unwrap();
        match run(client.generate(&otter())) {
            Err(e @ HttpError::TooLarge { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "response body is above the limit of 1048576 bytes"
                )
            }
            other => panic!("sized {sized}: {other:?}"),
        }
    }
}

#[test]
fn an_oversized_image_is_refused() {
    let fake = Fake::start(|req, _| {
        if req.path == "/big.png" {
            Reply::Bytes(200, "image/png", vec![0; 300_000])
        } else {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(r#"{{"data": [{{"url": "http://{addr}/big.png"}}]}}"#),
            )
        }
    });
    let config = Config {
        max_image_bytes: 100_000,
        ..fast_config(&fake)
    };
    let client = Client::new(profile("openai"), Secret::new(KEY), config).unwrap();
    match run(client.generate(&otter())) {
        Err(e @ HttpError::TooLarge { what: "image", .. }) => {
            assert_eq!(e.to_string(), "image is above the limit of 100000 bytes")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn image_urls_on_plain_http_outside_loopback_are_refused() {
    let fake = Fake::start(|_, _| json(200, r#"{"data": [{"url": "http://cdn.example/x.png"}]}"#));
    match run(client("openai", &fake).generate(&otter())) {
        Err(e @ HttpError::RefusedUrl { .. }) => assert_eq!(
            e.to_string(),
            r#"url "http://cdn.example/x.png": plain http is allowed only to loopback addresses; use https"#
        ),
        other => panic!("{other:?}"),
    }
}

// ------------------------------------------------------------------ setup

#[test]
fn an_invalid_request_sends_nothing() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let mut req = otter();
    req.size = Some("1920x1080".parse().unwrap());
    match run(client("openai", &fake).generate(&req)) {
        Err(e @ HttpError::Invalid(_)) => assert_eq!(
            e.to_string(),
            r#"the request is not valid here: size "1920x1080": height 1080 is not a multiple of 16"#
        ),
        other => panic!("{other:?}"),
    }
    assert!(fake.requests().is_empty());
}

#[test]
fn streaming_is_refused_before_sending() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let mut req = otter();
    req.set("stream", true);
    assert!(matches!(
        run(client("openai", &fake).generate(&req)),
        Err(HttpError::StreamUnsupported)
    ));
    assert!(fake.requests().is_empty());
}

#[test]
fn a_plan_that_asks_to_stream_is_refused_by_execute() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let mut req = otter();
    req.set("stream", true);
    let plan = gpt_image_plan::wire::plan(&req, builtin_profile("openai").unwrap());
    assert!(
        plan.calls[0]
            .body
            .as_deref()
            .unwrap()
            .contains(r#""stream":true"#)
    );
    let result = run(client("openai", &fake).execute(&plan));
    assert!(
        matches!(result, Err(HttpError::StreamUnsupported)),
        "{result:?}"
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn a_profile_without_a_base_url_needs_an_override() {
    let err = Client::new(profile("enum-sizes"), Secret::new(KEY), Config::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"profile "enum-sizes" has no base URL; set Config::base_url"#
    );
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let client = client("enum-sizes", &fake);
    assert_eq!(
        client.profile().base_url.as_deref(),
        Some(fake.url().as_str())
    );
    run(client.generate(&otter())).unwrap();
    assert_eq!(fake.requests()[0].path, "/v1/images/generations");
}

#[test]
fn plans_made_elsewhere_are_sent_to_the_clients_base_url() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let plan = gpt_image_plan::wire::plan(
        &otter(),
        builtin_profile("uniall").unwrap_or_else(|| unreachable!()),
    );
    assert!(plan.calls.is_empty()); // gpt-image-2 is not a uniall name
    let mut req = otter();
    req.model = Some("gpt-image-2-origin".into());
    let plan = gpt_image_plan::wire::plan(&req, builtin_profile("uniall").unwrap());
    assert!(plan.calls[0].url.starts_with("{BASE_URL}"));
    run(client("uniall", &fake).execute(&plan)).unwrap();
    let r = &fake.requests()[0];
    assert_eq!(r.path, "/v1/images/generations/");
    assert_eq!(
        r.body,
        r#"{"model":"gpt-image-2-origin","prompt":"an otter","n":"1","size":"1024x1024"}"#
    );
}

#[test]
fn plain_http_base_urls_are_refused_except_loopback() {
    for (url, ok) in [
        ("http://api.example.com", false),
        ("http://192.168.1.10:8080", false),
        ("ftp://127.0.0.1", false),
        ("https://api.example.com", true),
        ("http://127.0.0.1:9", true),
        ("http://localhost:9", true),
        ("http://[::1]:9", true),
    ] {
        let config = Config {
            base_url: Some(url.into()),
            ..Config::default()
        };
        let result = Client::new(profile("openai"), Secret::new(KEY), config);
        assert_eq!(result.is_ok(), ok, "{url}");
    }
}

#[test]
fn the_key_comes_from_the_profiles_environment_variable() {
    let mut p = profile("openai");
    p.auth.env = "GPT_IMAGE_PLAN_TEST_KEY_UNSET_1".into();
    let err = Client::from_env(p.clone(), Config::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no API key: set GPT_IMAGE_PLAN_TEST_KEY_UNSET_1 or pass a key"
    );
    p.auth.env = "GPT_IMAGE_PLAN_TEST_KEY_SET_1".into();
    // SAFETY: only this test reads or writes this variable.
    unsafe { std::env::set_var("GPT_IMAGE_PLAN_TEST_KEY_SET_1", "sk-from-env-1234") };
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let client = Client::from_env(p, fast_config(&fake)).unwrap();
    run(client.generate(&otter())).unwrap();
    assert_eq!(
        fake.requests()[0].headers["authorization"],
        "Bearer sk-from-env-1234"
    );
    assert!(!format!("{client:?}").contains("sk-from-env-1234"));
}

#[test]
fn the_key_is_absent_from_every_error_and_debug_string() {
    // A hostile provider that echoes the auth header everywhere it can.
    let fake = Fake::start(|req, i| {
        let auth = req
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        let message = format!("bad key {auth}");
        match i % 5 {
            0 => json(
                401,
                &format!(
                    r#"{{"error": {{"message": "{message}", "type": "{auth}", "param": "{auth}", "code": "{auth}"}}}}"#
                ),
            ),
            1 => json(400, &format!(r#"{{"code": 400, "message": "{message}"}}"#)),
            2 => Reply::Bytes(418, "text/plain", message.into_bytes()),
            3 => json(
                200,
                &format!(r#"{{"data": [{{"url": "http://evil.example/{auth}"}}]}}"#),
            ),
            _ => json(
                200,
                &format!(
                    r#"{{"data": {{"id": "{auth}", "status": "failed", "error": "{message}"}}}}"#
                ),
            ),
        }
    });
    let config = Config {
        max_retries: 0,
        ..fast_config(&fake)
    };
    let client = Client::new(profile("openai"), Secret::new(KEY), config.clone()).unwrap();
    let mut texts = vec![
        format!("{client:?}"),
        format!("{:?}", Secret::new(KEY)),
        format!("{}", Secret::new(KEY)),
    ];
    for _ in 0..5 {
        let err = run(client.generate(&otter())).unwrap_err();
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    // A connection refused: the transport error names the URL, never the key.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let dead_client = Client::new(
        profile("openai"),
        Secret::new(KEY),
        Config {
            base_url: Some(dead),
            ..config
        },
    )
    .unwrap();
    let err = run(dead_client.generate(&otter())).unwrap_err();
    assert!(matches!(err, HttpError::Transport(_)), "{err:?}");
    texts.push(err.to_string());
    texts.push(format!("{err:?}"));
    assert_eq!(fake.requests().len(), 5);
    for text in &texts {
        assert!(!text.contains(KEY), "the key leaked: {text}");
        assert!(
            !text.contains("9f8e7d6c5b4a"),
            "part of the key leaked: {text}"
        );
    }
    assert!(texts.iter().any(|t| t.contains("<redacted>")), "{texts:#?}");
}

// ------------------------------------------------------------------ a hostile provider

/// A text with any start of the key of 8 characters or more.
#[track_caller]
fn assert_no_part_of_the_key(text: &str) {
    for len in 8..=KEY.len() {
        assert!(
            !text.contains(&KEY[..len]),
            "{len} characters of the key leaked: {text}"
        );
    }
}

#[test]
fn a_key_straddling_the_cut_of_an_error_message_is_scrubbed_whole() {
    // The provider's message is cut to 500 characters: put the key across
    // the cut, in a JSON error and in a plain-text one, at every offset near it.
    let pads: Vec<usize> = (0..KEY.len() + 2).map(|k| 500 - KEY.len() + k).collect();
    let fake = Fake::start(move |req, i| {
        let auth = req.headers["authorization"].trim_start_matches("Bearer ");
        let pad = "x".repeat(500 - KEY.len() + (i / 2) % (KEY.len() + 2));
        if i % 2 == 0 {
            json(
                400,
                &format!(r#"{{"error": {{"message": "{pad}{auth} and more"}}}}"#),
            )
        } else {
            Reply::Bytes(
                400,
                "text/plain",
                format!("{pad}{auth} and more").into_bytes(),
            )
        }
    });
    let client = client("openai", &fake);
    for _ in 0..2 * pads.len() {
        let e = run(client.generate(&otter())).unwrap_err();
        assert_no_part_of_the_key(&e.to_string());
        assert_no_part_of_the_key(&format!("{e:?}"));
    }
    assert_eq!(fake.requests().len(), 2 * pads.len());
}

#[test]
fn a_key_shorter_than_8_characters_is_refused_before_any_call() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let e = Client::new(profile("openai"), Secret::new("abc"), fast_config(&fake)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the API key given is 3 characters long; keys under 8 are refused, as they cannot be scrubbed from error messages"
    );
    assert!(matches!(
        e,
        HttpError::BadKey {
            problem: KeyProblem::TooShort { chars: 3 },
            ..
        }
    ));
    assert!(fake.requests().is_empty());
}

#[test]
fn a_key_with_a_newline_is_refused_with_a_message_that_says_so() {
    let mut p = profile("openai");
    p.auth.env = "GPT_IMAGE_PLAN_TEST_NEWLINE_API_KEY".into();
    // SAFETY: only this test reads or writes this variable.
    unsafe { std::env::set_var("GPT_IMAGE_PLAN_TEST_NEWLINE_API_KEY", "sk-abcdefgh12\n") };
    let e = Client::from_env(p, Config::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the API key in GPT_IMAGE_PLAN_TEST_NEWLINE_API_KEY contains a control character (a newline pasted with it?); remove it"
    );
}

#[cfg(unix)]
#[test]
fn a_key_that_is_not_utf8_is_named_as_set_but_not_unicode() {
    use std::os::unix::ffi::OsStrExt;
    let mut p = profile("openai");
    p.auth.env = "GPT_IMAGE_PLAN_TEST_BYTES_API_KEY".into();
    let value = std::ffi::OsStr::from_bytes(b"sk-\xff\xfe-abcdefgh");
    // SAFETY: only this test reads or writes this variable.
    unsafe { std::env::set_var("GPT_IMAGE_PLAN_TEST_BYTES_API_KEY", value) };
    let e = Client::from_env(p, Config::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the API key in GPT_IMAGE_PLAN_TEST_BYTES_API_KEY is set but is not valid UTF-8"
    );
}

#[test]
fn credentials_in_a_base_url_are_refused_and_never_echoed() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let base = format!("http://user:hunter2-pw@{}", fake.addr);
    let config = Config {
        base_url: Some(base),
        ..fast_config(&fake)
    };
    let e = Client::new(profile("openai"), Secret::new(KEY), config).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "url \"http://<credentials>@{}/\": credentials in a URL are refused; the key goes in the profile's auth header",
            fake.addr
        )
    );
    assert!(fake.requests().is_empty());
}

#[test]
fn image_urls_with_credentials_are_refused() {
    let fake = Fake::start(|req, _| {
        let addr = req.headers["host"].clone();
        json(
            200,
            &format!(r#"{{"data": [{{"url": "http://me:secret-pw@{addr}/1.png"}}]}}"#),
        )
    });
    let e = run(client("openai", &fake).generate(&otter())).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "url \"http://<credentials>@{}/1.png\": credentials in a URL are refused; the key goes in the profile's auth header",
            fake.addr
        )
    );
    assert_eq!(fake.requests().len(), 1);
}

#[test]
fn zero_images_for_n_1_at_a_provider_that_does_not_return_fewer_is_an_error() {
    let fake = Fake::start(|_, _| json(200, r#"{"created": 1, "data": []}"#));
    let e = run(client("openai", &fake).generate(&otter())).unwrap_err();
    assert!(matches!(e, HttpError::TooFew { asked: 1, got: 0 }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "the provider returned 0 of the 1 images the call asked for"
    );
}

#[test]
fn fewer_images_are_fine_where_the_profile_says_they_may_come() {
    assert!(profile("enum-sizes").response.may_return_fewer);
    let fake = Fake::start(|_, _| {
        json(
            200,
            &format!(r#"{{"created": 1, "data": [{{"b64_json": "{PNG_B64}"}}]}}"#),
        )
    });
    let mut req = ImageRequest::new("gpt-image-2", "an otter");
    req.n = Some(2);
    let generation = run(client("enum-sizes", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images.len(), 1);
}

#[test]
fn images_beyond_n_are_counted_not_downloaded() {
    let fake = Fake::start(|req, _| {
        if req.path.starts_with("/files/") {
            Reply::Bytes(200, "image/png", PNG.to_vec())
        } else {
            let addr = req.headers["host"].clone();
            let urls: Vec<String> = (0..40)
                .map(|i| format!(r#"{{"url": "http://{addr}/files/{i}.png"}}"#))
                .collect();
            json(200, &format!(r#"{{"data": [{}]}}"#, urls.join(",")))
        }
    });
    let generation = run(client("openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.surplus, 39);
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v1/images/generations", "/files/0.png"]);
}

#[test]
fn the_images_of_a_generation_are_capped_in_total() {
    let fake = Fake::start(|req, _| {
        if req.path.starts_with("/files/") {
            Reply::Filled(200, 7, 60_000)
        } else {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(r#"{{"data": [{{"url": "http://{addr}/files/1.png"}}]}}"#),
            )
        }
    });
    let config = Config {
        max_total_bytes: 150_000,
        max_concurrency: 1,
        ..fast_config(&fake)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(3);
    let e = run(client.generate(&req)).unwrap_err();
    let partial = e.into_partial().expect("a partial generation");
    assert_eq!(partial.generation.images.len(), 2);
    assert_eq!(partial.failures.len(), 1);
    assert_eq!(partial.failures[0].call, 2);
    assert_eq!(
        partial.failures[0].error.to_string(),
        "the generation's images is above the limit of 150000 bytes"
    );
}

#[test]
fn a_split_generation_keeps_the_images_of_the_calls_that_succeeded() {
    // 10 calls at infinityblue: the 8th fails for good, the other 9 succeed.
    let failing = Fake::start(|_, i| {
        if i == 7 {
            json(
                400,
                r#"{"error": {"message": "content policy", "code": "moderation_blocked"}}"#,
            )
        } else {
            json(200, &b64_body())
        }
    });
    let config = Config {
        max_concurrency: 1,
        ..fast_config(&failing)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(10);
    let e = run(client.generate(&req)).unwrap_err();
    let message = e.to_string();
    let partial = e.into_partial().expect("a partial generation");
    assert_eq!(partial.generation.images.len(), 9);
    assert_eq!(partial.generation.requested, Some(10));
    assert_eq!(partial.failures.len(), 1);
    assert_eq!(partial.failures[0].call, 7);
    assert!(
        message
            .starts_with("partial: 9 images came back of 10 asked for; 1 failure, first: call 8: "),
        "{message}"
    );
    // generate reconciled what came back (infinityblue publishes no price).
    assert_eq!(
        partial.generation.unpriced.map(|u| u.reason),
        Some(UnpricedReason::NoPriceEntry)
    );
}

#[test]
fn an_image_download_is_retried_after_a_server_error() {
    // The first GET of the image fails with 503, the second succeeds.
    let flaky = Fake::start(|req, i| {
        if req.path == "/v1/images/generations" {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(r#"{{"data": [{{"url": "http://{addr}/img.png"}}]}}"#),
            )
        } else if i == 1 {
            json(503, r#"{"error": "busy"}"#)
        } else {
            Reply::Bytes(200, "image/png", PNG.to_vec())
        }
    });
    let generation = run(client("openai", &flaky).generate(&otter())).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.retries, 1);
    let paths: Vec<String> = flaky.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/v1/images/generations", "/img.png", "/img.png"]);
}

#[test]
fn spooled_images_are_written_to_new_files_not_held_in_memory() {
    let dir = std::env::temp_dir().join(format!("gip-spool-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fake = Fake::start(|req, _| {
        if req.path == "/big.png" {
            Reply::Filled(200, 9, 3_000_000)
        } else {
            let addr = req.headers["host"].clone();
            json(
                200,
                &format!(r#"{{"data": [{{"url": "http://{addr}/big.png"}}]}}"#),
            )
        }
    });
    let config = Config {
        spool_dir: Some(dir.clone()),
        ..fast_config(&fake)
    };
    let client = Client::new(profile("openai"), Secret::new(KEY), config).unwrap();
    let generation = run(client.generate(&otter())).unwrap();
    let image = &generation.images[0];
    assert!(image.bytes.is_empty());
    assert_eq!(image.len, 3_000_000);
    let path = image.path.as_ref().unwrap();
    assert_eq!(std::fs::metadata(path).unwrap().len(), 3_000_000);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn split_calls_told_to_retry_after_the_same_time_come_back_at_different_instants() {
    let arrivals = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let fake = Fake::start({
        let arrivals = arrivals.clone();
        move |_, i| {
            if i < 4 {
                Reply::Json(429, vec![("Retry-After", "1".into())], "{}".into())
            } else {
                arrivals.lock().unwrap().push(Instant::now());
                json(200, &b64_body())
            }
        }
    });
    let mut req = otter();
    req.n = Some(4);
    let generation = run(client("infinityblue", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images.len(), 4);
    let arrivals = arrivals.lock().unwrap();
    let first = *arrivals.iter().min().unwrap();
    let last = *arrivals.iter().max().unwrap();
    // Up to a quarter of the 1 s wait is added to each: four draws land
    // within 5 ms of each other with a chance of about 3 in 100,000.
    assert!(
        last - first > Duration::from_millis(5),
        "the retries came back together: {:?}",
        last - first
    );
}

#[test]
fn the_overall_timeout_keeps_the_images_of_the_calls_that_finished() {
    let fake = Fake::start(|_, i| {
        if i == 0 {
            json(200, &b64_body())
        } else {
            Reply::Slow(Duration::from_secs(3), Box::new(json(200, &b64_body())))
        }
    });
    let config = Config {
        max_concurrency: 1,
        overall_timeout: Duration::from_millis(800),
        ..fast_config(&fake)
    };
    let client = Client::new(profile("infinityblue"), Secret::new(KEY), config).unwrap();
    let mut req = otter();
    req.n = Some(2);
    let started = Instant::now();
    let partial = run(client.generate(&req))
        .unwrap_err()
        .into_partial()
        .expect("a partial generation");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(partial.generation.images.len(), 1);
    assert_eq!(partial.failures.len(), 1);
    assert_eq!(partial.failures[0].call, 1);
    assert_eq!(
        partial.failures[0].error.to_string(),
        "generation timed out after 800ms"
    );
}

// ------------------------------------------------------------------ every wire shape from data

/// The requests a fake saw, as (method, path) pairs.
fn seen(fake: &Fake) -> Vec<(String, String)> {
    fake.requests()
        .iter()
        .map(|r| (r.method.clone(), r.path.clone()))
        .collect()
}

#[track_caller]
fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect()
}

#[test]
fn azure_sends_the_deployment_path_the_api_version_and_a_bare_api_key() {
    let fake = Fake::start(|_, _| json(200, &b64_body()));
    let generation = run(client("azure-openai", &fake).generate(&otter())).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    let requests = fake.requests();
    assert_eq!(
        requests[0].path,
        "/openai/deployments/gpt-image-2/images/generations?api-version=2025-04-01-preview"
    );
    assert_eq!(requests[0].headers["api-key"], KEY);
    assert!(!requests[0].headers.contains_key("authorization"));
    assert_eq!(
        requests[0].body,
        r#"{"prompt":"an otter","size":"1024x1024"}"#
    );
}

#[test]
fn azure_errors_are_scrubbed_of_the_bare_key() {
    let fake = Fake::start(|_, _| {
        json(
            401,
            &format!(
                r#"{{"error": {{"code": "401", "message": "Access denied: key {KEY} is invalid"}}}}"#
            ),
        )
    });
    let err = run(client("azure-openai", &fake).generate(&otter())).unwrap_err();
    let text = format!("{err} {err:?}");
    assert_no_part_of_the_key(&text);
    assert!(text.contains("<redacted>"), "{text}");
}

#[test]
fn fal_queue_is_submitted_polled_and_its_result_fetched_with_the_key_scheme() {
    let fake = Fake::start(|req, i| {
        let host = format!("http://{}", req.headers["host"]);
        match (req.method.as_str(), req.path.as_str(), i) {
            ("POST", "/openai/gpt-image-2", _) => json(
                200,
                &format!(
                    r#"{{"request_id": "r-1", "status": "IN_QUEUE", "queue_position": 0,
                        "status_url": "{host}/openai/gpt-image-2/requests/r-1/status",
                        "response_url": "{host}/openai/gpt-image-2/requests/r-1"}}"#
                ),
            ),
            ("GET", "/openai/gpt-image-2/requests/r-1/status", 1) => {
                json(200, r#"{"status": "IN_PROGRESS", "logs": []}"#)
            }
            ("GET", "/openai/gpt-image-2/requests/r-1/status", _) => {
                json(200, r#"{"status": "COMPLETED", "logs": []}"#)
            }
            ("GET", "/openai/gpt-image-2/requests/r-1", _) => json(
                200,
                &format!(
                    r#"{{"images": [{{"url": "{host}/files/r-1.png", "content_type": "image/png", "width": 1024, "height": 1024}}]}}"#
                ),
            ),
            ("GET", "/files/r-1.png", _) => Reply::Bytes(200, "image/png", PNG.to_vec()),
            _ => json(404, r#"{"detail": "not found"}"#),
        }
    });
    let mut req = otter();
    req.n = Some(1);
    let generation = run(client("fal", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images.len(), 1);
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(
        seen(&fake),
        pairs(&[
            ("POST", "/openai/gpt-image-2"),
            ("GET", "/openai/gpt-image-2/requests/r-1/status"),
            ("GET", "/openai/gpt-image-2/requests/r-1/status"),
            ("GET", "/openai/gpt-image-2/requests/r-1"),
            ("GET", "/files/r-1.png"),
        ])
    );
    let requests = fake.requests();
    assert_eq!(requests[0].headers["authorization"], format!("Key {KEY}"));
    assert_eq!(requests[2].headers["authorization"], format!("Key {KEY}"));
    assert_eq!(
        requests[0].body,
        r#"{"prompt":"an otter","num_images":1,"image_size":{"width":1024,"height":1024}}"#
    );
    assert!(!requests[4].headers.contains_key("authorization"));
}

#[test]
fn replicate_prediction_is_polled_until_it_succeeds() {
    let fake = Fake::start(|req, i| {
        let host = format!("http://{}", req.headers["host"]);
        let prediction = |status: &str, output: &str| {
            format!(
                r#"{{"id": "p-9", "model": "openai/gpt-image-2", "status": "{status}", "output": {output}, "error": null,
                    "urls": {{"get": "{host}/v1/predictions/p-9", "cancel": "{host}/v1/predictions/p-9/cancel"}}}}"#
            )
        };
        match (req.method.as_str(), req.path.as_str(), i) {
            ("POST", "/v1/models/openai/gpt-image-2/predictions", _) => {
                json(201, &prediction("starting", "null"))
            }
            ("GET", "/v1/predictions/p-9", 1) => json(200, &prediction("processing", "null")),
            ("GET", "/v1/predictions/p-9", _) => json(
                200,
                &prediction("succeeded", &format!(r#"["{host}/d/p-9.webp"]"#)),
            ),
            ("GET", "/d/p-9.webp", _) => Reply::Bytes(200, "image/webp", PNG.to_vec()),
            _ => json(404, r#"{"detail": "Not found."}"#),
        }
    });
    let mut req = otter();
    req.n = Some(1);
    let generation = run(client("replicate", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.polls, 2);
    assert_eq!(
        seen(&fake),
        pairs(&[
            ("POST", "/v1/models/openai/gpt-image-2/predictions"),
            ("GET", "/v1/predictions/p-9"),
            ("GET", "/v1/predictions/p-9"),
            ("GET", "/d/p-9.webp"),
        ])
    );
    let requests = fake.requests();
    assert_eq!(
        requests[0].body,
        r#"{"input":{"prompt":"an otter","number_of_images":1,"aspect_ratio":"1:1"}}"#
    );
    assert_eq!(
        requests[1].headers["authorization"],
        format!("Bearer {KEY}")
    );
}

#[test]
fn replicate_failed_prediction_is_a_provider_error_with_its_reason() {
    let fake = Fake::start(|req, _| match req.method.as_str() {
        "POST" => json(201, r#"{"id": "p-1", "status": "starting", "urls": {}}"#),
        _ => json(
            200,
            r#"{"id": "p-1", "status": "failed", "error": "The prompt was flagged by the safety system"}"#,
        ),
    });
    let e = provider_error(run(client("replicate", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::ContentPolicy);
    assert_eq!(e.message, "The prompt was flagged by the safety system");
}

#[test]
fn kie_task_is_created_then_polled_by_id_and_its_result_json_read() {
    let fake = Fake::start(|req, i| {
        let host = format!("http://{}", req.headers["host"]);
        match (req.method.as_str(), req.path.as_str(), i) {
            ("POST", "/api/v1/jobs/createTask", _) => json(
                200,
                r#"{"code": 200, "msg": "success", "data": {"taskId": "task_k1"}}"#,
            ),
            ("GET", "/api/v1/jobs/recordInfo?taskId=task_k1", 1) => json(
                200,
                r#"{"code": 200, "msg": "success", "data": {"taskId": "task_k1", "state": "generating"}}"#,
            ),
            ("GET", "/api/v1/jobs/recordInfo?taskId=task_k1", _) => {
                let result = format!(r#"{{\"resultUrls\": [\"{host}/r/k1.png\"]}}"#);
                json(
                    200,
                    &format!(
                        r#"{{"code": 200, "msg": "success", "data": {{"taskId": "task_k1", "state": "success", "resultJson": "{result}"}}}}"#
                    ),
                )
            }
            ("GET", "/r/k1.png", _) => Reply::Bytes(200, "image/png", PNG.to_vec()),
            _ => json(404, r#"{"code": 404, "msg": "not found"}"#),
        }
    });
    let mut req = ImageRequest::new("gpt-image-2", "an otter");
    req.size = Some("2048x1152".parse().unwrap());
    let generation = run(client("kie", &fake).generate(&req)).unwrap();
    assert_eq!(generation.images[0].bytes, PNG);
    assert_eq!(generation.polls, 2);
    assert_eq!(
        seen(&fake),
        pairs(&[
            ("POST", "/api/v1/jobs/createTask"),
            ("GET", "/api/v1/jobs/recordInfo?taskId=task_k1"),
            ("GET", "/api/v1/jobs/recordInfo?taskId=task_k1"),
            ("GET", "/r/k1.png"),
        ])
    );
    assert_eq!(
        fake.requests()[0].body,
        r#"{"model":"gpt-image-2-text-to-image","input":{"prompt":"an otter","aspect_ratio":"16:9","resolution":"2K"}}"#
    );
}

#[test]
fn kie_error_code_in_a_200_body_is_an_error_with_its_msg() {
    let fake = Fake::start(|_, _| {
        json(
            200,
            r#"{"code": 402, "msg": "Credits insufficient", "data": null}"#,
        )
    });
    let e = provider_error(run(client("kie", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::Forbidden);
    assert_eq!(e.status, Some(402));
    assert_eq!(e.message, "Credits insufficient");
}

#[test]
fn kie_failed_task_gives_its_fail_message() {
    let fake = Fake::start(|req, _| match req.method.as_str() {
        "POST" => json(
            200,
            r#"{"code": 200, "msg": "success", "data": {"taskId": "t"}}"#,
        ),
        _ => json(
            200,
            r#"{"code": 200, "msg": "success", "data": {"taskId": "t", "state": "fail", "failCode": "500", "failMsg": "internal error, please try again later"}}"#,
        ),
    });
    let e = provider_error(run(client("kie", &fake).generate(&otter())));
    assert_eq!(e.kind, ErrorKind::Unknown);
    assert_eq!(e.message, "internal error, please try again later");
}

#[test]
fn a_rate_limited_task_submission_is_retried_for_every_shape() {
    for id in ["fal", "replicate", "kie", "evolink", "azure-openai"] {
        let fake = Fake::start(|_, i| match i {
            0 => Reply::Json(
                429,
                vec![("Retry-After", "0".to_owned())],
                r#"{"error": {"message": "slow down"}}"#.to_owned(),
            ),
            _ => json(401, r#"{"error": {"message": "stop here"}}"#),
        });
        let e = provider_error(run(client(id, &fake).generate(&otter())));
        assert_eq!(e.kind, ErrorKind::Unauthorized, "{id}");
        assert_eq!(fake.requests().len(), 2, "{id}");
    }
}
