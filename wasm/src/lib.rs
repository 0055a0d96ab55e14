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
use banshi_core::ffi;
use wasm_bindgen::prelude::wasm_bindgen;

// Natively the process's allocator is in place; the counting is tested there all the same.
#[cfg(any(target_arch = "wasm32", test))]
mod heap;

// `wasm32v1-none` has no default allocator. Talc grows linear memory with `memory.grow`, an MVP
// instruction; against dlmalloc it made the module 2 KB (gzip) smaller and an eligibility call
// 3.5 % fewer instructions (tests/bench/README.md): a call allocates several times.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::Counted<talc::wasm::WasmDynamicTalc> =
    heap::Counted::new(talc::wasm::new_wasm_dynamic_allocator());

// No panic path should be reachable (the workspace denies unwrap, expect, panic and indexing), so
// this only has to stop: a trap, without the formatting machinery a message would pull in. The
// npm package discards a module that trapped and instantiates a fresh one (bindings/npm/README.md).
#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    trap()
}

/// What a panic does in the module: a trap, with a frame left on the shadow stack as a panic deep
/// inside a decision would leave it (a trap never restores the stack pointer). The frame is not
/// written: nothing more than reserving it is needed, and writing it would cost code.
#[cfg(target_arch = "wasm32")]
fn trap() -> ! {
    let frame = core::mem::MaybeUninit::<[u8; 1024]>::uninit();
    core::hint::black_box(&frame);
    core::arch::wasm32::unreachable()
}

/// The module's memory, `[in use, peak, size]` in bytes: what the engine's allocations hold now,
/// the most they held at once, and the size of the module's linear memory. That memory never
/// shrinks, so its size is the high-water mark of every load, compile and decision so far, while
/// the bytes in use are what the engine keeps (the free memory inside the size is reused by later
/// calls). Natively all three are 0: the process's allocator is not the module's.
#[wasm_bindgen]
pub fn module_memory() -> alloc::vec::Vec<u32> {
    #[cfg(target_arch = "wasm32")]
    {
        let page = 65_536_usize;
        let size = core::arch::wasm32::memory_size(0).saturating_mul(page);
        let figure = |bytes: usize| u32::try_from(bytes).unwrap_or(u32::MAX);
        alloc::vec![
            figure(ALLOCATOR.in_use()),
            figure(ALLOCATOR.peak()),
            figure(size)
        ]
    }
    #[cfg(not(target_arch = "wasm32"))]
    alloc::vec![0, 0, 0]
}

/// Rules compiled once from a bundle; reused for every decision.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WasmEngine {
    inner: ffi::Engine,
}

#[wasm_bindgen]
impl WasmEngine {
    /// Loads a bundle (a catalogue's header line alone, whose matters then come through
    /// [`WasmEngine::supply`], or a whole bundle) signed by one of `trusted_keys` (hex, separated by commas) or, in
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
            .map(|inner| WasmEngine { inner })
            .map_err(|errors| ffi::failure(&errors))
    }

    /// The bundle's hash, `sha256:…`.
    #[wasm_bindgen(getter)]
    pub fn hash(&self) -> String {
        self.inner.hash().into()
    }

    /// See [`ffi::Engine::matters_in`]: `region` empty for every matter.
    pub fn matters(&self, region: &str) -> String {
        self.inner.matters_in(region)
    }

    /// See [`ffi::Engine::matter`].
    pub fn matter(&self, code: &str, on: &str) -> String {
        self.inner.matter(code, on)
    }

    /// See [`ffi::Engine::eligibility`].
    pub fn eligibility(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.eligibility(code, facts, on)
    }

    /// See [`ffi::Engine::questions`].
    pub fn questions(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.questions(code, facts, on)
    }

    /// See [`ffi::Engine::decide`].
    pub fn decide(&self, code: &str, facts: &str, on: &str) -> String {
        self.inner.decide(code, facts, on)
    }

    /// See [`ffi::Engine::pending`].
    pub fn pending(&self, code: &str, on: &str) -> String {
        self.inner.pending(code, on)
    }

    /// See [`ffi::Engine::supply`].
    pub fn supply(&self, index: usize, text: &str) -> String {
        self.inner.supply(index, text)
    }

    /// See [`ffi::Engine::theme`]: themes (一件事一次办), `call` being `themes`, `decide` or
    /// `questions`.
    pub fn theme(&self, call: &str, code: &str, region: &str, facts: &str, on: &str) -> String {
        self.inner.theme(call, code, region, facts, on)
    }

    /// See [`ffi::Engine::indicators`].
    pub fn indicators(&self, on: &str, filter: &str) -> String {
        self.inner.indicators(on, filter)
    }

    /// See [`ffi::Engine::verify`].
    pub fn verify(&self, code: &str, facts: &str, on: &str, receipt: &str) -> String {
        self.inner.verify(code, facts, on, receipt)
    }

    /// Traps as a panic would; only for the npm package's tests of its recovery.
    // With this engine borrowed, as in any call; natively it does nothing. The package never
    // calls it; its tests force traps with it (bindings/npm/README.md, "internal_error").
    pub fn trap_for_tests(&self) {
        #[cfg(target_arch = "wasm32")]
        trap();
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
        assert_eq!(ours.matters(""), core.matters());
        assert_eq!(ours.matters("610100"), core.matters_in("西安市"));
        let on = "2026-03-02";
        for summary in core.rules().matters().unwrap() {
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
}
