//! `banshi/labels` (bindings/npm/src/labels.js) has a Chinese label for every code the core, the
//! npm package, the mini-program loader and this server answer, and no label for a code that
//! no longer exists. The enums' codes come from their serde names (a new variant does not
//! compile until it is listed here); the error codes are read from the sources that make them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::Path;

use banshi_core::deferral::AcceptanceStatus;
use banshi_core::eligibility::Status;
use banshi_core::facts::FactSourceKind;
use banshi_core::fees::FeeStatus;
use banshi_core::materials::{MaterialStatus, Route};
use serde::Serialize;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The keys of `export const NAME = Object.freeze({ … })` in labels.js.
fn labels(name: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("bindings/npm/src/labels.js")).unwrap();
    let start = text
        .find(&format!("export const {name} = Object.freeze({{"))
        .unwrap_or_else(|| panic!("labels.js has no {name}"));
    let body = &text[start..];
    let body = &body[..body.find("});").unwrap()];
    body.lines()
        .skip(1)
        .filter_map(|line| {
            let line = line.trim();
            let (key, rest) = line.split_once(": '")?;
            assert!(
                rest.ends_with("',"),
                "{name}: `{line}` is not `key: 'label',`"
            );
            Some(key.to_string())
        })
        .collect()
}

fn names<T: Serialize>(values: &[T]) -> BTreeSet<String> {
    values
        .iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn every_status_route_and_source_has_a_label() {
    // Each list is checked complete by a match: a variant added to the core stops this
    // compiling until it is listed, and then labelled.
    let statuses = [Status::Eligible, Status::Ineligible, Status::NeedsFacts];
    for s in statuses {
        match s {
            Status::Eligible | Status::Ineligible | Status::NeedsFacts => {}
        }
    }
    use MaterialStatus as M;
    let materials = [
        M::Submit,
        M::Exempt,
        M::NotApplicable,
        M::Undetermined,
        M::Deferred,
        M::Committed,
    ];
    for m in materials {
        match m {
            M::Submit
            | M::Exempt
            | M::NotApplicable
            | M::Undetermined
            | M::Deferred
            | M::Committed => {}
        }
    }
    let routes = [Route::Cancelled, Route::DataSharing, Route::ELicence];
    for r in routes {
        match r {
            Route::Cancelled | Route::DataSharing | Route::ELicence => {}
        }
    }
    use AcceptanceStatus as A;
    let acceptance = [
        A::Accepted,
        A::AcceptedWithDeferral,
        A::NotAccepted,
        A::Pending,
    ];
    for a in acceptance {
        match a {
            A::Accepted | A::AcceptedWithDeferral | A::NotAccepted | A::Pending => {}
        }
    }
    use FeeStatus as F;
    let fees = [F::Charged, F::Waived, F::NotApplicable, F::Undetermined];
    for f in fees {
        match f {
            F::Charged | F::Waived | F::NotApplicable | F::Undetermined => {}
        }
    }
    use FactSourceKind as S;
    let sources = [S::Applicant, S::DataSharing, S::ELicence, S::Agency];
    for s in sources {
        match s {
            S::Applicant | S::DataSharing | S::ELicence | S::Agency => {}
        }
    }
    assert_eq!(labels("STATUS_LABELS"), names(&statuses));
    assert_eq!(labels("MATERIAL_STATUS_LABELS"), names(&materials));
    assert_eq!(labels("ROUTE_LABELS"), names(&routes));
    assert_eq!(labels("ACCEPTANCE_LABELS"), names(&acceptance));
    assert_eq!(labels("FEE_STATUS_LABELS"), names(&fees));
    assert_eq!(labels("SOURCE_LABELS"), names(&sources));
}

/// The quoted codes that follow `marker` (and white space) in `text`.
fn codes_after(text: &str, marker: &str, quote: char, out: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices(marker) {
        let rest = text[at + marker.len()..].trim_start();
        let Some(rest) = rest.strip_prefix(quote) else {
            continue;
        };
        let code: String = rest.chars().take_while(|c| *c != quote).collect();
        if !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            out.insert(code);
        }
    }
}

fn sources(dir: &str, extension: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(root().join(dir)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == extension) {
            texts.push(std::fs::read_to_string(path).unwrap());
        }
    }
    texts
}

#[test]
fn every_error_code_has_a_label() {
    let mut codes = BTreeSet::new();
    // The core: `error("code", …)` and the facts errors' `Kind => "code"`.
    let ffi = std::fs::read_to_string(root().join("core/src/ffi.rs")).unwrap();
    codes_after(&ffi, "error(", '"', &mut codes);
    codes_after(&ffi, "=> ", '"', &mut codes);
    // This server: `answer::error("code", …)`, `failure("code", …)`, `code: "code".into()`.
    for text in sources("bindings/server/src", "rs") {
        codes_after(&text, "error(", '"', &mut codes);
        codes_after(&text, "failure(", '"', &mut codes);
        codes_after(&text, "code:", '"', &mut codes);
    }
    // The npm package and the mini-program loader: `jsError('code', …)`, `code: 'code'`.
    for dir in ["bindings/npm/src", "bindings/miniprogram/src"] {
        for text in sources(dir, "js") {
            codes_after(&text, "jsError(", '\'', &mut codes);
            codes_after(&text, "code: ", '\'', &mut codes);
        }
    }
    for code in [
        "unknown_fact",
        "invalid_bundle",
        "timeout",
        "wasm_unavailable",
        "unknown",
    ] {
        assert!(codes.contains(code), "the scan misses `{code}`: {codes:?}");
    }
    let labelled = labels("ERROR_LABELS");
    let missing: Vec<_> = codes.difference(&labelled).collect();
    assert!(missing.is_empty(), "labels.js has no label for {missing:?}");
    let stale: Vec<_> = labelled.difference(&codes).collect();
    assert!(
        stale.is_empty(),
        "labels.js labels codes nothing answers: {stale:?}"
    );
}
