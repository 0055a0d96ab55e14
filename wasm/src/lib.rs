//! The WebAssembly build of banshi's rules core: [`banshi_core::ffi::Engine`] exported to
//! JavaScript, nothing more.
//!
//! Every method takes and returns text: facts arrive as JSON text (so a decimal such as `0.1`
//! reaches the core as written, never through a float) and every answer is the core's canonical
//! envelope, `{"ok":true,…}` or `{"ok":false,"errors":[…]}`. Deciding, checking and error
//! reporting all live in `banshi_core::ffi`, where native tests exercise them; the npm package
//! (`bindings/npm`) turns envelopes into objects and thrown `BanshiError`s.
//!
//! ```
//! let bundle = "{}"; // the text `banshi bundle` writes
//! // Trusted keys (hex, comma-separated), development mode, the receipt key (hex).
//! match banshi_wasm::WasmEngine::load(bundle, "", true, "") {
//!     Ok(engine) => println!("{}", engine.answer_json(2, "CODE", "{}", "2026-03-02")),
//!     Err(envelope) => assert!(envelope.starts_with(r#"{"ok":false,"errors":["#)),
//! }
//! ```
//!
//! The module is built for `wasm32v1-none` (the WebAssembly MVP plus mutable globals) so that old
//! kiosk browsers and WeChat's iOS engine run the same bytes as a new browser; that target has no
//! `std`, hence the allocator and panic handler below.

// Natively (tests, docs, clippy) std is there; in the module only `core` and `alloc` are.
#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use banshi_core::ffi;
use wasm_bindgen::prelude::wasm_bindgen;

// `wasm32v1-none` has no default allocator. Talc grows linear memory with `memory.grow`, an MVP
// instruction; against dlmalloc it made the module 2 KB (gzip) smaller and an eligibility call
// 3.5 % fewer instructions (tests/bench/README.md): a call allocates several times.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// No panic path should be reachable (the workspace denies unwrap, expect, panic and indexing), so
// this only has to stop: a trap, without the formatting machinery a message would pull in.
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Rules compiled once from a bundle; reused for every decision.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmEngine {
    inner: ffi::Engine,
    /// The fast lane's input: facts the package writes straight into the module's memory.
    input: Vec<u8>,
    /// The fast lane's last answer that was not the plain `eligible` one.
    answer: String,
}

/// The answer of [`WasmEngine::eligibility`] when every condition holds: the one answer the
/// fast lane does not send as text.
pub const PLAIN_ELIGIBLE: &str = r#"{"ok":true,"status":"eligible","failed":[],"questions":[]}"#;

#[wasm_bindgen]
impl WasmEngine {
    /// Loads a bundle signed by one of `trusted_keys` (hex, separated by commas) or, in
    /// `development` mode, unsigned, with receipts keyed by `receipt_key` (hex; empty for none,
    /// development mode only): see [`ffi::Engine::load`]. On failure the error is the failure
    /// envelope's text, thrown to JavaScript as a string (data, not an exception object).
    pub fn load(
        bundle: &str,
        trusted_keys: &str,
        development: bool,
        receipt_key: &str,
    ) -> Result<WasmEngine, String> {
        let keys = trusted_keys.split(',').filter(|k| !k.is_empty());
        let receipt_key = Some(receipt_key).filter(|k| !k.is_empty());
        ffi::LoadOptions::from_parts(keys, development, receipt_key)
            .and_then(|options| ffi::Engine::load(bundle, &options))
            .map(|inner| WasmEngine {
                inner,
                input: Vec::new(),
                answer: String::new(),
            })
            .map_err(|errors| ffi::failure(&errors))
    }

    /// The bundle's hash, `sha256:…`.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.hash().into()
    }

    /// See [`ffi::Engine::matters`].
    pub fn matters(&self) -> String {
        self.inner.matters()
    }

    /// See [`ffi::Engine::matter`].
    pub fn matter(&self, code: &str, on: &str) -> String {
        self.inner.matter(code, on)
    }

    /// The envelope of `call` (numbered as for [`WasmEngine::answer_lane`]) for facts given as
    /// JSON text: see [`ffi::Engine::answer_json`]. One export for the three calls keeps the
    /// module and its glue small.
    pub fn answer_json(&self, call: u32, code: &str, facts: &str, on: &str) -> String {
        self.inner.answer_json(call, code, facts, on)
    }

    /// The module's memory, into which the package's fast lane writes facts (see
    /// [`WasmEngine::input`]).
    pub fn memory() -> wasm_bindgen::JsValue {
        wasm_bindgen::memory()
    }

    /// The fast lane's input, for the calls a form makes on every change: the package writes
    /// facts into this buffer (made at least `len` bytes long; its address in
    /// [`WasmEngine::memory`] is returned) instead of handing the module JSON text.
    pub fn input(&mut self, len: usize) -> usize {
        if self.input.len() < len {
            self.input.resize(len, 0);
        }
        self.input.as_ptr() as usize
    }

    /// `eligibility` (`call` 0 for its envelope, 3 for its numbers), `questions` (1 for its
    /// envelope, 4 for its numbers) or `decide` (2) of the matter version numbered `lane` for
    /// the input the package wrote into the input buffer: the date's ten bytes, then the facts
    /// in their binary encoding (see [`ffi::Engine::answer_lane`]). Answers `0` when the answer
    /// is [`PLAIN_ELIGIBLE`], or numbers saying eligible with nothing failed or asked (nothing
    /// to decode or parse: most answers of a filled-in form), `1` when it is another envelope,
    /// which [`WasmEngine::answer`] then gives, `3` when it is numbers, written at the start of
    /// the input buffer, and `2` when the package must send the facts as JSON text instead (or
    /// encode them for the lane [`WasmEngine::lane`] now gives).
    pub fn answer_lane(&mut self, call: u32, lane: u32, len: usize) -> u32 {
        let answer = ffi::Call::from_number(call).and_then(|call| {
            let input = self.input.get(..len)?;
            self.inner.answer_lane(call, lane, input)
        });
        match answer {
            Some(ffi::Answer::Numbers(numbers)) if numbers == [0, 0, 0, 0, 0] => 0,
            Some(ffi::Answer::Envelope(envelope)) if envelope == PLAIN_ELIGIBLE => 0,
            Some(ffi::Answer::Numbers(numbers)) => {
                match self.input.get_mut(..numbers.len()) {
                    Some(start) => start.copy_from_slice(&numbers),
                    // Longer than the input buffer (tens of thousands of conditions): the
                    // envelope, made again.
                    None => return self.answer_lane(if call == 4 { 1 } else { 0 }, lane, len),
                }
                3
            }
            Some(ffi::Answer::Envelope(envelope)) => {
                self.answer = envelope;
                1
            }
            None => 2,
        }
    }

    /// See [`ffi::Engine::lane`]; `-1` for none.
    pub fn lane(&self, code: &str, on: &str) -> i32 {
        self.inner
            .lane(code, on)
            .and_then(|lane| i32::try_from(lane).ok())
            .unwrap_or(-1)
    }

    /// See [`ffi::Engine::lane_schema`].
    pub fn lane_schema(&self, lane: u32) -> String {
        self.inner.lane_schema(lane)
    }

    /// The envelope of the last fast-lane call that answered `1`.
    pub fn answer(&mut self) -> String {
        core::mem::take(&mut self.answer)
    }

    /// See [`ffi::Engine::verify`].
    pub fn verify(&self, code: &str, facts: &str, on: &str, receipt: &str) -> String {
        self.inner.verify(code, facts, on, receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's rules as a bundle, as `banshi bundle rules` writes it.
    fn bundle() -> String {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
        let files = banshi_loader::read_rules(&rules, &[]).unwrap();
        let (source, problems) = banshi_loader::sources(&files);
        assert!(problems.is_empty(), "{problems:?}");
        banshi_core::bundle::write(&source).unwrap()
    }

    #[test]
    fn a_bad_bundle_is_the_failure_envelope() {
        let Err(envelope) = WasmEngine::load("{}", "", true, "") else {
            panic!("`{{}}` loaded as a bundle");
        };
        assert!(
            envelope.starts_with(r#"{"ok":false,"errors":[{"code":"invalid_bundle","#),
            "{envelope}"
        );
    }

    /// The load options reach the core: an unsigned bundle outside development mode, a key
    /// that is not one, and no receipt key outside development mode are refused.
    #[test]
    fn load_options_are_the_cores() {
        let text = bundle();
        let code = |result: Result<WasmEngine, String>| {
            let envelope = result.unwrap_err();
            let parsed: serde_json::Value = serde_json::from_str(&envelope).unwrap();
            parsed["errors"][0]["code"].as_str().unwrap().to_string()
        };
        let key = "11".repeat(32);
        assert_eq!(code(WasmEngine::load(&text, &key, false, &key)), "unsigned");
        assert_eq!(
            code(WasmEngine::load(&text, "00ff", false, &key)),
            "invalid_options"
        );
        assert_eq!(
            code(WasmEngine::load(&text, &key, false, "")),
            "no_receipt_key"
        );
        assert!(WasmEngine::load(&text, &format!("{key},{key}"), true, "").is_ok());
    }

    #[test]
    fn the_exports_answer_exactly_as_the_core() {
        let text = bundle();
        let receipt_key = "07".repeat(32);
        let ours = WasmEngine::load(&text, "", true, &receipt_key).unwrap();
        let options = ffi::LoadOptions::from_parts([], true, Some(&receipt_key)).unwrap();
        let core = ffi::Engine::load(&text, &options).unwrap();
        assert_eq!(ours.hash(), core.hash());
        assert_eq!(ours.matters(), core.matters());
        let on = "2026-03-02";
        for summary in core.rules().matters() {
            let code = &*summary.code;
            let facts = r#"{"电子证照":["居民身份证"],"由代理人办理":false,"不存在":1}"#;
            assert_eq!(ours.matter(code, on), core.matter(code, on));
            assert_eq!(
                ours.answer_json(2, code, "{}", on),
                core.decide(code, "{}", on)
            );
            assert_eq!(
                ours.answer_json(2, code, facts, on),
                core.decide(code, facts, on)
            );
            assert_eq!(
                ours.answer_json(1, code, "{}", on),
                core.questions(code, "{}", on)
            );
            assert_eq!(
                ours.answer_json(0, code, facts, on),
                core.eligibility(code, facts, on)
            );
            let decided: serde_json::Value =
                serde_json::from_str(&core.decide(code, "{}", on)).unwrap();
            let receipt = decided["decision"]["receipt"].to_string();
            let verified = ours.verify(code, "{}", on, &receipt);
            assert_eq!(verified, core.verify(code, "{}", on, &receipt));
            assert!(verified.contains(r#""valid":true"#), "{verified}");
        }
        // Eligibility and questions as numbers are their JSON text calls in JSON text; no
        // other call is.
        let code = "11610100000000000X4000131128000";
        assert_eq!(
            ours.answer_json(3, code, "{}", on),
            core.eligibility(code, "{}", on)
        );
        assert_eq!(
            ours.answer_json(4, code, "{}", on),
            core.questions(code, "{}", on)
        );
        assert!(
            ours.answer_json(5, "X", "{}", on)
                .starts_with(r#"{"ok":false,"errors":[{"code":"unknown_call","#)
        );
        assert_eq!(
            ours.answer_json(2, "X", "{}", "2026-02-30"),
            core.decide("X", "{}", "2026-02-30")
        );
    }

    /// The lane answers for the version it names on the date in its input, as the JSON text
    /// calls do, and sends the facts back (`2`) for any other lane or date, or a malformed input.
    #[test]
    fn the_lane_needs_the_version_in_force() {
        let mut ours = WasmEngine::load(&bundle(), "", true, "").unwrap();
        let on = "2026-03-02";
        let codes: Vec<String> = ours
            .inner
            .rules()
            .matters()
            .iter()
            .map(|m| m.code.to_string())
            .collect();
        let lanes = u32::try_from(codes.len()).unwrap();
        for code in &codes {
            let lane = u32::try_from(ours.lane(code, on)).unwrap();
            assert!(!ours.lane_schema(lane).is_empty());
            // Room for the numbers (a longer answer comes as its envelope).
            ours.input(256);
            let answer = |ours: &mut WasmEngine, call, lane, date: &str| {
                ours.input[..10].copy_from_slice(date.as_bytes());
                match ours.answer_lane(call, lane, 10) {
                    0 => Some(PLAIN_ELIGIBLE.to_string()),
                    1 => Some(ours.answer()),
                    2 => None,
                    3 => Some(String::from("numbers")),
                    other => panic!("answered {other}"),
                }
            };
            let expected = ours.answer_json(0, code, "{}", on);
            assert_eq!(answer(&mut ours, 0, lane, on), Some(expected.clone()));
            if expected != PLAIN_ELIGIBLE {
                assert_eq!(answer(&mut ours, 3, lane, on).as_deref(), Some("numbers"));
            }
            // The other calls answer as their JSON text counterparts.
            let questions = ours.answer_json(1, code, "{}", on);
            assert_eq!(answer(&mut ours, 1, lane, on), Some(questions.clone()));
            // With no facts every matter asks something, so its questions come as numbers.
            assert!(questions.contains("\"needs_facts\""), "{questions}");
            assert_eq!(answer(&mut ours, 4, lane, on).as_deref(), Some("numbers"));
            let decision = ours.answer_json(2, code, "{}", on);
            assert_eq!(answer(&mut ours, 2, lane, on), Some(decision));
            // No such lane, no such call, a date that is not one, a date before the version.
            assert_eq!(answer(&mut ours, 0, lanes, on), None);
            assert_eq!(answer(&mut ours, 5, lane, on), None);
            assert_eq!(answer(&mut ours, 0, lane, "2026-02-30"), None);
            assert_eq!(answer(&mut ours, 0, lane, "1999-01-01"), None);
            // A fact number beyond the schema, and a cut-off entry.
            ours.input[10..13].copy_from_slice(&[0xff, 0xff, 0]);
            assert_eq!(ours.answer_lane(0, lane, 13), 2);
            assert_eq!(ours.answer_lane(0, lane, 12), 2);
            assert_eq!(ours.answer_lane(0, lane, 9), 2);
        }
        assert_eq!(ours.lane("X", on), -1);
        assert_eq!(ours.lane(&codes[0], "2026-02-30"), -1);
        assert_eq!(ours.lane_schema(lanes), "");
    }
}
