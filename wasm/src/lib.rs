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
//! match banshi_wasm::WasmEngine::load(bundle) {
//!     Ok(engine) => println!("{}", engine.decide("CODE", "{}", "2026-03-02")),
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

// `wasm32v1-none` has no default allocator. dlmalloc grows linear memory with `memory.grow`,
// an MVP instruction.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

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
    /// Loads a bundle; on failure the error is the failure envelope's text, thrown to
    /// JavaScript as a string (data, not an exception object from Rust).
    pub fn load(bundle: &str) -> Result<WasmEngine, String> {
        ffi::Engine::load(bundle)
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

    /// See [`ffi::Engine::decide`].
    pub fn decide(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.decide(code, facts, on)
    }

    /// See [`ffi::Engine::eligibility`].
    pub fn eligibility(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.eligibility(code, facts, on)
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

    /// `eligibility` (`call` 0), `questions` (1) or `decide` (2) for facts the package wrote
    /// into the input buffer in its binary encoding against the facts schema of `version` (see
    /// `banshi_core::facts::encoded`): `0` when the answer is [`PLAIN_ELIGIBLE`] (nothing to
    /// decode or parse: most eligibility answers of a filled-in form), `1` when it is another
    /// envelope, which [`WasmEngine::answer`] then gives, and `2` when the package must send
    /// the facts as JSON text instead (or encode them by the schema of
    /// [`WasmEngine::version`]).
    pub fn answer_encoded(
        &mut self,
        call: u32,
        code: &str,
        version: &str,
        len: usize,
        on: &str,
    ) -> u32 {
        let envelope = ffi::Call::from_number(call).and_then(|call| {
            let facts = self.input.get(..len)?;
            self.inner.answer_encoded(call, code, version, facts, on)
        });
        match envelope {
            Some(envelope) if envelope == PLAIN_ELIGIBLE => 0,
            Some(envelope) => {
                self.answer = envelope;
                1
            }
            None => 2,
        }
    }

    /// See [`ffi::Engine::version`].
    pub fn version(&self, code: &str, on: &str) -> String {
        self.inner.version(code, on)
    }

    /// The envelope of the last fast-lane call that answered `1`.
    pub fn answer(&mut self) -> String {
        core::mem::take(&mut self.answer)
    }

    /// See [`ffi::Engine::questions`].
    pub fn questions(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.questions(code, facts, on)
    }

    /// See [`ffi::Engine::verify`].
    pub fn verify(&self, code: &str, facts: &str, on: &str, receipt: &str) -> String {
        self.inner.verify(code, facts, on, receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use banshi_cli::load;

    fn bundle() -> String {
        let (source, problems) = load::sources(&load::embedded());
        assert!(problems.is_empty(), "{problems:?}");
        banshi_core::bundle::write(&source).unwrap()
    }

    #[test]
    fn a_bad_bundle_is_the_failure_envelope() {
        let Err(envelope) = WasmEngine::load("{}") else {
            panic!("`{{}}` loaded as a bundle");
        };
        assert!(
            envelope.starts_with(r#"{"ok":false,"errors":[{"code":"invalid_bundle","#),
            "{envelope}"
        );
    }

    #[test]
    fn the_exports_answer_exactly_as_the_core() {
        let text = bundle();
        let ours = WasmEngine::load(&text).unwrap();
        let core = ffi::Engine::load(&text).unwrap();
        assert_eq!(ours.hash(), core.hash());
        assert_eq!(ours.matters(), core.matters());
        let on = "2026-03-02";
        for summary in core.rules().matters() {
            let code = &*summary.code;
            let facts = r#"{"电子证照":["居民身份证"],"由代理人办理":false,"不存在":1}"#;
            assert_eq!(ours.matter(code, on), core.matter(code, on));
            assert_eq!(ours.decide(code, "{}", on), core.decide(code, "{}", on));
            assert_eq!(ours.decide(code, facts, on), core.decide(code, facts, on));
            assert_eq!(
                ours.questions(code, "{}", on),
                core.questions(code, "{}", on)
            );
            assert_eq!(
                ours.eligibility(code, facts, on),
                core.eligibility(code, facts, on)
            );
            let decided: serde_json::Value =
                serde_json::from_str(&core.decide(code, "{}", on)).unwrap();
            let receipt = decided["decision"]["receipt"].to_string();
            let verified = ours.verify(code, "{}", on, &receipt);
            assert_eq!(verified, core.verify(code, "{}", on, &receipt));
            assert!(verified.contains(r#""valid":true"#), "{verified}");
        }
        assert_eq!(
            ours.decide("X", "{}", "2026-02-30"),
            core.decide("X", "{}", "2026-02-30")
        );
    }

    /// Encoded facts are answered under the version they were encoded for, and sent back
    /// (`2`) under any other or when malformed.
    #[test]
    fn encoded_facts_need_the_version_in_force() {
        let mut ours = WasmEngine::load(&bundle()).unwrap();
        let on = "2026-03-02";
        let codes: Vec<String> = ours
            .inner
            .rules()
            .matters()
            .iter()
            .map(|m| m.code.to_string())
            .collect();
        for code in &codes {
            let version = ours.version(code, on);
            assert!(!version.is_empty());
            ours.input(16);
            let expected = ours.eligibility(code, "{}", on);
            let answer = match ours.answer_encoded(0, code, &version, 0, on) {
                0 => PLAIN_ELIGIBLE.to_string(),
                1 => ours.answer(),
                other => panic!("answered {other}"),
            };
            assert_eq!(answer, expected);
            assert_eq!(ours.answer_encoded(0, code, "another", 0, on), 2);
            assert_eq!(ours.answer_encoded(3, code, &version, 0, on), 2);
            // The other calls answer as their JSON text counterparts.
            ours.answer_encoded(1, code, &version, 0, on);
            assert_eq!(ours.answer(), ours.questions(code, "{}", on));
            ours.answer_encoded(2, code, &version, 0, on);
            assert_eq!(ours.answer(), ours.decide(code, "{}", on));
            // A fact number beyond the schema, and a cut-off entry.
            ours.input[..3].copy_from_slice(&[0xff, 0xff, 0]);
            assert_eq!(ours.answer_encoded(0, code, &version, 3, on), 2);
            assert_eq!(ours.answer_encoded(0, code, &version, 2, on), 2);
        }
        assert_eq!(ours.version("X", on), "");
        assert_eq!(ours.version(&codes[0], "2026-02-30"), "");
    }
}
