//! The functions every channel calls, as JSON text in and JSON text out.
//!
//! The WebAssembly module exports exactly these (the `wasm` crate only wraps them), and native
//! tests call them directly, so the bytes a browser gets are the bytes tested here. Every answer
//! is an envelope: `{"ok":true,…}` or `{"ok":false,"errors":[{"code","message","path"}]}`;
//! nothing panics and nothing is thrown across the boundary.
//!
//! ```
//! # fn bundle() -> String { String::new() }
//! use banshi_core::ffi::{Engine, LoadOptions};
//! let options = LoadOptions::from_json(
//!     r#"{"trustedKeys":["<the agency's public key, hex>"],"receiptKey":"<64 hex digits>"}"#,
//! );
//! # let options = LoadOptions::from_json(r#"{"development":true}"#);
//! let loaded = options.and_then(|options| Engine::load(&bundle(), &options));
//! match loaded {
//!     Ok(engine) => println!("{}", engine.decide("CODE", "{}", "2026-03-02")),
//!     Err(errors) => println!("{}", banshi_core::ffi::failure(&errors)),
//! }
//! ```

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::RuleSet;
use crate::bundle::{self, BundleError};
use crate::decision::Receipt;
use crate::eligibility::{Question, Status};
use crate::error::{DecideError, FactError, FactErrorKind, RuleError};
use crate::facts::FactValue;
use crate::facts::parse_date;
use crate::index::{MatterError, MatterErrorKind};
use crate::json;
use crate::keys::{PublicKey, ReceiptKey, Trust};
use chrono::NaiveDate;

/// One error as every channel reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorData {
    /// A stable code to branch on, for example `unknown_fact` or `hash_mismatch`.
    pub code: String,
    /// A one-line message for people.
    pub message: String,
    /// Where: a fact's path (`电子证照[1]`), a rule file's path, or empty.
    pub path: String,
}

fn error(code: &str, message: impl ToString, path: impl Into<String>) -> ErrorData {
    ErrorData {
        code: code.into(),
        message: message.to_string(),
        path: path.into(),
    }
}

fn fact_error(e: &FactError) -> ErrorData {
    let code = match &e.kind {
        FactErrorKind::Json { .. } => "invalid_json",
        FactErrorKind::NotAnObject => "not_an_object",
        FactErrorKind::TooLarge { .. } => "too_large",
        FactErrorKind::Unknown | FactErrorKind::NotInTheme => "unknown_fact",
        FactErrorKind::AskedAs { .. } => "asked_as",
        FactErrorKind::WrongType { .. } => "wrong_type",
        FactErrorKind::NotAnOption { .. } => "not_an_option",
        FactErrorKind::InvalidDate | FactErrorKind::DateOrder { .. } => "invalid_date",
        FactErrorKind::InvalidNumber => "invalid_number",
        FactErrorKind::NotInteger => "not_integer",
        FactErrorKind::OutOfRange { .. } => "out_of_range",
        FactErrorKind::InvalidFormat { .. } => "invalid_format",
        FactErrorKind::Repeated { .. } => "repeated",
    };
    error(code, &e.kind, e.path.clone())
}

fn rule_error(e: &RuleError) -> ErrorData {
    error(
        "invalid_rules",
        &e.kind,
        alloc::format!("{}: {}", e.file, e.path),
    )
}

/// The errors of a failed decision.
pub fn decide_errors(e: &DecideError) -> Vec<ErrorData> {
    match e {
        DecideError::Facts { errors } => errors.iter().map(fact_error).collect(),
        DecideError::UnknownMatter { .. } => alloc::vec![error("unknown_matter", e, "")],
        DecideError::UnknownTheme { .. } => alloc::vec![error("unknown_theme", e, "")],
        DecideError::NotInRegion { .. } => alloc::vec![error("not_in_region", e, "")],
        DecideError::RegionNeeded { .. } => alloc::vec![error("region_needed", e, "")],
        DecideError::NoImplementation { .. } => alloc::vec![error("no_implementation", e, "")],
        DecideError::ImplementationsTie { .. } => {
            alloc::vec![error("implementations_tie", e, "")]
        }
        DecideError::UnknownRegion { .. } => alloc::vec![error("unknown_region", e, "")],
        DecideError::NotInForce { .. } => alloc::vec![error("not_in_force", e, "")],
        DecideError::Ended { .. } => alloc::vec![error("ended", e, "")],
        DecideError::Overflow { place } => alloc::vec![error("overflow", e, place.clone())],
        DecideError::Serialize(_) => alloc::vec![error("serialize", e, "")],
        DecideError::Matter(m) => alloc::vec![matter_error(m)],
    }
}

/// A matter of a catalogue that is not loaded or was refused; the path is the hash its text
/// must have, which names its file in split delivery.
fn matter_error(e: &MatterError) -> ErrorData {
    let code = match &e.kind {
        MatterErrorKind::NotLoaded => "not_loaded",
        MatterErrorKind::Unavailable { .. } => "unavailable",
        MatterErrorKind::HashMismatch { .. } => "hash_mismatch",
        MatterErrorKind::Malformed { .. } | MatterErrorKind::Differs { .. } => "invalid_bundle",
        MatterErrorKind::Rules { .. } => "invalid_rules",
    };
    error(code, e, e.hash.clone())
}

/// The errors of a bundle that does not load.
pub fn bundle_errors(e: &BundleError) -> Vec<ErrorData> {
    match e {
        BundleError::Rules { errors } => errors.iter().map(rule_error).collect(),
        BundleError::Matter(m) => alloc::vec![matter_error(m)],
        BundleError::HashMismatch { .. } => alloc::vec![error("hash_mismatch", e, "")],
        BundleError::Format { .. } => alloc::vec![error("bundle_format", e, "")],
        BundleError::Malformed { .. } => alloc::vec![error("invalid_bundle", e, "")],
        BundleError::Unsigned => alloc::vec![error("unsigned", e, "")],
        BundleError::UntrustedKey { .. } => alloc::vec![error("untrusted_key", e, "")],
        BundleError::BadSignature { .. } => alloc::vec![error("bad_signature", e, "")],
    }
}

/// How a channel loads bundles: the keys it trusts, development mode, and the receipt key.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The publishing agencies' keys, and whether unsigned bundles load (development mode).
    pub trust: Trust,
    /// The deployment's receipt key; required outside development mode, where receipts are
    /// made with the public development key without one.
    pub receipt_key: Option<ReceiptKey>,
}

/// [`LoadOptions`] as channels write them (the npm package's `Engine.load` options).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OptionsIn {
    #[serde(default)]
    trusted_keys: Vec<String>,
    #[serde(default)]
    development: bool,
    #[serde(default)]
    receipt_key: Option<String>,
}

impl LoadOptions {
    /// Reads `{"trustedKeys":["<hex>",…],"development":false,"receiptKey":"<hex>"}` (every
    /// field optional); errors are `invalid_options`, with the field as path.
    pub fn from_json(text: &str) -> Result<LoadOptions, Vec<ErrorData>> {
        let options: OptionsIn = crate::read::from_str(text).map_err(|e| {
            alloc::vec![error(
                "invalid_options",
                alloc::format!("not load options: {e}"),
                ""
            )]
        })?;
        LoadOptions::from_parts(
            options.trusted_keys.iter().map(String::as_str),
            options.development,
            options.receipt_key.as_deref(),
        )
    }

    /// The options from their parts: the trusted keys (hex), development mode and the
    /// receipt key (hex), with the errors of [`LoadOptions::from_json`]. The WebAssembly module
    /// takes them this way, which spares it a JSON reader for them.
    pub fn from_parts<'a>(
        trusted_keys: impl IntoIterator<Item = &'a str>,
        development: bool,
        receipt_key: Option<&str>,
    ) -> Result<LoadOptions, Vec<ErrorData>> {
        let mut errors = Vec::new();
        let mut keys = Vec::new();
        for (i, key) in trusted_keys.into_iter().enumerate() {
            match PublicKey::from_hex(key) {
                Ok(key) => keys.push(key),
                Err(e) => errors.push(error(
                    "invalid_options",
                    e,
                    alloc::format!("trustedKeys[{i}]"),
                )),
            }
        }
        let receipt_key = match receipt_key.map(ReceiptKey::from_hex) {
            Some(Err(e)) => {
                errors.push(error("invalid_options", e, "receiptKey"));
                None
            }
            Some(Ok(key)) => Some(key),
            None => None,
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LoadOptions {
            trust: Trust { keys, development },
            receipt_key,
        })
    }
}

#[derive(Serialize)]
struct Failure<'a> {
    ok: bool,
    errors: &'a [ErrorData],
}

/// The failure envelope of an answer that could not be written as JSON, itself written by hand
/// so that writing it cannot fail.
const UNWRITABLE: &str = r#"{"ok":false,"errors":[{"code":"serialize","message":"the answer could not be written as JSON","path":""}]}"#;

/// The failure envelope.
pub fn failure(errors: &[ErrorData]) -> String {
    json::to_json(&Failure { ok: false, errors }, "the errors")
        .unwrap_or_else(|_| UNWRITABLE.into())
}

/// `{"ok":true,"<field>":<json>}` with `json` inserted byte for byte.
fn success(field: &str, json: &str) -> String {
    let mut out = String::with_capacity(json.len().saturating_add(field.len()).saturating_add(16));
    out.push_str("{\"ok\":true,\"");
    out.push_str(field);
    out.push_str("\":");
    out.push_str(json);
    out.push('}');
    out
}

/// `value` as JSON text, or the failure envelope saying it could not be written.
fn to_json<T: Serialize + ?Sized>(value: &T, what: &'static str) -> Result<String, String> {
    json::to_json(value, what).map_err(|e| failure(&[error("serialize", e, "")]))
}

/// The date argument, strictly `YYYY-MM-DD`.
fn date(on: &str) -> Result<chrono::NaiveDate, Vec<ErrorData>> {
    parse_date(on).ok_or_else(|| {
        alloc::vec![error(
            "invalid_date",
            alloc::format!("the decision date `{on}` is not a real date in YYYY-MM-DD form"),
            "on",
        )]
    })
}

/// The facts schema and the national elements of one matter, for building a form.
#[derive(Serialize)]
struct MatterView<'a> {
    info: &'a crate::MatterInfo,
    version: &'a crate::matter::Version,
    facts: &'a [crate::facts::FactDef],
    guide: &'a crate::guide::Guide,
    #[serde(skip_serializing_if = "Option::is_none")]
    implementation: Option<&'a crate::matter::Implementation>,
}

#[derive(Serialize)]
struct Pending<'a> {
    index: usize,
    position: usize,
    hash: &'a str,
    file: String,
    start: usize,
    bytes: usize,
}

#[derive(Serialize)]
struct Decided<'a> {
    ok: bool,
    decision: &'a crate::Decision,
}

#[derive(Serialize)]
struct QuestionsView<'a> {
    ok: bool,
    status: Status,
    questions: &'a [Question],
}

#[derive(Serialize)]
struct Verification<'a> {
    ok: bool,
    valid: bool,
    /// The parts that differ: `bundle`, `key` (made with another receipt key: the facts are
    /// then not compared), `facts`, `decision`, and `body` for a decision whose body is not the
    /// one its receipt fingerprints.
    mismatches: Vec<&'a str>,
    /// For a whole decision: its status and the status decided again.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Statuses>,
    receipt: &'a Receipt,
}

#[derive(Serialize)]
struct Statuses {
    claimed: Status,
    decided: Status,
}

/// What a channel asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Call {
    Decide,
    Questions,
    Eligibility,
}

/// The number of a matter version in force, the facts read against it, and the decision date.
type Application = (usize, Vec<Option<FactValue>>, NaiveDate);

/// An engine: rules compiled once from a bundle, then any number of decisions.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: RuleSet,
}

impl Engine {
    /// Loads a bundle (see [`crate::bundle`]) signed by a key `options` trusts (or, in
    /// development mode, unsigned), with receipts keyed by its receipt key. Outside development
    /// mode a receipt key is required (`no_receipt_key`), so that no channel makes receipts
    /// with the public development key by omission.
    pub fn load(bundle_text: &str, options: &LoadOptions) -> Result<Engine, Vec<ErrorData>> {
        let receipt_key = match (&options.receipt_key, options.trust.development) {
            (Some(key), _) => key.clone(),
            (None, true) => ReceiptKey::development(),
            (None, false) => {
                return Err(alloc::vec![error(
                    "no_receipt_key",
                    "no receipt key: give the deployment's receipt key, or load in development mode",
                    "receiptKey",
                )]);
            }
        };
        bundle::load(bundle_text, &options.trust)
            .map(|rules| Engine {
                rules: rules.with_receipt_key(receipt_key),
            })
            .map_err(|e| bundle_errors(&e))
    }

    /// An engine over rules compiled elsewhere.
    pub fn from_rules(rules: RuleSet) -> Engine {
        Engine { rules }
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The bundle hash.
    pub fn hash(&self) -> &str {
        self.rules.hash()
    }

    /// `{"ok":true,"matters":[…]}`: every version of every matter (every page of a
    /// catalogue's index read; [`Engine::pending`] with `#`).
    pub fn matters(&self) -> String {
        match self.rules.matters().map(|m| to_json(&m, "the matters")) {
            Ok(Ok(json)) => success("matters", &json),
            Ok(Err(failed)) => failed,
            Err(e) => failure(&decide_errors(&e)),
        }
    }

    /// `{"ok":true,"matters":[…]}` of the implementations in `region` (a name or a 行政区划代码)
    /// and in the regions within it ([`crate::RuleSet::matters_in`]); every matter for `""`.
    pub fn matters_in(&self, region: &str) -> String {
        if region.is_empty() {
            return self.matters();
        }
        match self
            .rules
            .matters_in(region)
            .map(|m| to_json(&m, "the matters"))
        {
            Ok(Ok(json)) => success("matters", &json),
            Ok(Err(failed)) => failed,
            Err(e) => failure(&decide_errors(&e)),
        }
    }

    /// `{"ok":true,"pending":null}` when what `code` needs is at hand: the matter version in
    /// force on `on` (or none: the decision then says why); for a theme's code (`""`: every
    /// theme's), every version of its matters; for `*` every matter (the indicators); for `#`
    /// every page of the index (the listing). Else the
    /// next text to fetch, a page of the index or a matter ([`crate::RuleSet::pending`]):
    /// `{"ok":true,"pending":{"index":…,"position":…,"hash":"sha256:…","file":"<hex>.json","start":…,"bytes":…}}`:
    /// `index` numbers it for [`Engine::supply`], `position` is its line after a one-file
    /// catalogue's header line, `start` its byte offset there. A channel that opened the
    /// header alone fetches it, hands it in with [`Engine::supply`] and asks again.
    pub fn pending(&self, code: &str, on: &str) -> String {
        let Some(blob) = self.rules.pending(code, date(on).ok()) else {
            return success("pending", "null");
        };
        let pending = Pending {
            index: blob.number,
            position: blob.line,
            hash: &blob.hash,
            file: bundle::matter_file(&blob.hash),
            start: blob.start,
            bytes: blob.bytes,
        };
        match to_json(&pending, "the pending matter") {
            Ok(json) => success("pending", &json),
            Err(failed) => failed,
        }
    }

    /// Hands in the text numbered `index` ([`Engine::pending`]), a page or a matter:
    /// `{"ok":true,"supplied":true}` once it is checked against its hash and compiled, or the
    /// refusal (`hash_mismatch` for a text that is not the catalogue's, `invalid_rules` …).
    pub fn supply(&self, index: usize, text: &str) -> String {
        match self.rules.supply(index, text.as_bytes()) {
            Ok(()) => success("supplied", "true"),
            Err(e) => failure(&[matter_error(&e)]),
        }
    }

    /// `{"ok":true,"matter":{"info","version","facts","guide","implementation"}}`: the version in
    /// force on `on`, with its 办事指南 and, for an implementation, its region, level and what it
    /// reduced.
    pub fn matter(&self, code: &str, on: &str) -> String {
        let result =
            date(on).and_then(|on| self.rules.matter(code, on).map_err(|e| decide_errors(&e)));
        let m = match result {
            Ok(m) => m,
            Err(errors) => return failure(&errors),
        };
        let view = MatterView {
            info: &m.info,
            version: &m.version,
            facts: m.facts(),
            guide: m.guide(),
            implementation: m.implementation(),
        };
        match to_json(&view, "the matter") {
            Ok(json) => success("matter", &json),
            Err(failed) => failed,
        }
    }

    /// Themes (一件事一次办), one call for all that channels ask of them, so that the WebAssembly
    /// module exports one function for them: `call` is `themes` (`{"ok":true,"themes":[…]}`,
    /// `code`, `facts` and `on` unused), `decide` (`{"ok":true,"decision":{…}}`, the theme
    /// decision with its receipt) or `questions` (`{"ok":true,"status":…,"questions":[…]}`,
    /// what the one interview asks next). `region` (empty for none) is the region whose
    /// implementations to decide with, a name or a 行政区划代码; for `themes`, the region whose
    /// themes to list (those offered in it or in a region enclosing it,
    /// [`crate::RuleSet::themes_in`]), every theme for none.
    pub fn theme(&self, call: &str, code: &str, region: &str, facts: &str, on: &str) -> String {
        let region = (!region.is_empty()).then_some(region);
        let written = match call {
            "themes" => {
                match region.map_or_else(|| self.rules.themes(), |r| self.rules.themes_in(r)) {
                    Ok(themes) => to_json(&themes, "the themes").map(|j| success("themes", &j)),
                    Err(e) => return failure(&decide_errors(&e)),
                }
            }
            "decide" | "questions" => {
                let decided = date(on).and_then(|on| {
                    self.rules
                        .decide_theme_json(code, region, facts, on)
                        .map_err(|e| decide_errors(&e))
                });
                match (decided, call) {
                    (Err(errors), _) => return failure(&errors),
                    (Ok(decision), "questions") => to_json(
                        &QuestionsView {
                            ok: true,
                            status: decision.status,
                            questions: &decision.questions,
                        },
                        "the questions",
                    ),
                    (Ok(decision), _) => {
                        to_json(&decision, "the theme decision").map(|j| success("decision", &j))
                    }
                }
            }
            other => {
                return failure(&[error(
                    "unknown_call",
                    alloc::format!("no theme call `{other}`: themes, decide or questions"),
                    "call",
                )]);
            }
        };
        written.unwrap_or_else(|failed| failed)
    }

    /// `{"ok":true,"decision":{…}}` for facts given as JSON text.
    pub fn decide(&self, code: &str, facts: &str, on: &str) -> String {
        self.answer(Call::Decide, code, facts.as_bytes(), on)
    }

    /// `{"ok":true,"status":…,"questions":[…]}`: only what an interview needs next.
    pub fn questions(&self, code: &str, facts: &str, on: &str) -> String {
        self.answer(Call::Questions, code, facts.as_bytes(), on)
    }

    /// The envelope of `call` for facts as JSON text (bytes that should be UTF-8).
    fn answer(&self, call: Call, code: &str, facts: &[u8], on: &str) -> String {
        match self.matter_and_facts(code, facts, on) {
            Ok((index, values, on)) => self.envelope(call, index, &values, on),
            Err(errors) => failure(&errors),
        }
    }

    /// The envelope of `call` for facts already read against the matter version numbered
    /// `index`.
    fn envelope(
        &self,
        call: Call,
        index: usize,
        values: &[Option<FactValue>],
        on: NaiveDate,
    ) -> String {
        let failed = |e: crate::DecideError| failure(&decide_errors(&e));
        let (matter, texts) = match self.rules.version_at(index) {
            Ok(found) => found,
            Err(e) => return failed(e),
        };
        let written = match call {
            Call::Eligibility => {
                return matter
                    .eligibility_envelope(texts, values, on)
                    .unwrap_or_else(failed);
            }
            // Only the status and the questions leave: no receipt is made for them.
            Call::Questions => match matter.decide_checked(values, on, self.rules.calendar()) {
                Ok(decision) => to_json(
                    &QuestionsView {
                        ok: true,
                        status: decision.status,
                        questions: &decision.questions,
                    },
                    "the questions",
                ),
                Err(e) => return failed(e),
            },
            Call::Decide => match self.rules.decide_values(matter, values, on) {
                Ok(decision) => to_json(
                    &Decided {
                        ok: true,
                        decision: &decision,
                    },
                    "the decision",
                ),
                Err(e) => return failed(e),
            },
        };
        written.unwrap_or_else(|failed| failed)
    }

    /// `{"ok":true,"indicators":{"on","indicators":[…]}}`: the plans' indicators
    /// ([`crate::indicators`]) for the matters in force on `on` (`YYYY-MM-DD`); `filter` is
    /// JSON text `{"region"?, "level"?}` (`{}` for every figure).
    pub fn indicators(&self, on: &str, filter: &str) -> String {
        let Some(filter) = crate::indicators::Filter::from_json(filter) else {
            return failure(&[error(
                "invalid_filter",
                "the filter is not {\"region\"?: text, \"level\"?: text}",
                "filter",
            )]);
        };
        let report = date(on).and_then(|on| {
            self.rules
                .indicators(on, &filter)
                .map_err(|e| decide_errors(&e))
        });
        match report.map(|r| to_json(&r, "the indicators")) {
            Ok(Ok(json)) => success("indicators", &json),
            Ok(Err(failed)) => failed,
            Err(errors) => failure(&errors),
        }
    }

    /// `{"ok":true,"status":…,"failed":[…],"questions":[…]}`: whether the 受理条件 hold
    /// ([`crate::Matter::eligibility`]), the cheapest answer a channel can ask for.
    pub fn eligibility(&self, code: &str, facts: &str, on: &str) -> String {
        self.answer(Call::Eligibility, code, facts.as_bytes(), on)
    }

    /// `{"ok":true,"valid":…,"mismatches":[…],"receipt":{…}}`: decides again and compares with a
    /// receipt (JSON text of a [`Receipt`]) made elsewhere.
    pub fn verify(&self, code: &str, facts: &str, on: &str, receipt: &str) -> String {
        let claimed: Receipt = match crate::read::from_str(receipt) {
            Ok(r) => r,
            Err(e) => {
                return failure(&[error(
                    "invalid_receipt",
                    alloc::format!("not a receipt: {e}"),
                    "receipt",
                )]);
            }
        };
        match self.decision(code, facts, on) {
            Ok(decision) => verification(&decision, &claimed, None),
            Err(errors) => failure(&errors),
        }
    }

    /// [`Engine::verify`] for a whole decision made elsewhere (JSON text of a
    /// [`crate::Decision`] with its receipt): also checks that the decision's body is the one
    /// its receipt fingerprints (`body` among the mismatches when it is not, as for a decision
    /// edited after it was made), and answers the re-decided status beside the claimed one,
    /// `"status":{"claimed":…,"decided":…}`.
    pub fn verify_decision(&self, code: &str, facts: &str, on: &str, decision: &str) -> String {
        let claimed: crate::Decision = match crate::read::from_str(decision) {
            Ok(d) => d,
            Err(e) => {
                return failure(&[error(
                    "invalid_decision",
                    alloc::format!("not a decision: {e}"),
                    "decision",
                )]);
            }
        };
        let Some(receipt) = claimed.receipt.clone() else {
            return failure(&[error(
                "invalid_receipt",
                "the decision has no receipt",
                "decision.receipt",
            )]);
        };
        let decision = match self.decision(code, facts, on) {
            Ok(d) => d,
            Err(errors) => return failure(&errors),
        };
        // The body is the one its receipt fingerprints, or it was edited after it was made.
        let mut bare = claimed.clone();
        bare.receipt = None;
        let body_matches = match bare.to_json() {
            Ok(json) => bundle::sha256(json.as_bytes()) == receipt.decision,
            Err(e) => return failure(&decide_errors(&e.into())),
        };
        let statuses = Statuses {
            claimed: claimed.status,
            decided: decision.status,
        };
        verification(&decision, &receipt, Some((statuses, body_matches)))
    }

    fn decision(
        &self,
        code: &str,
        facts: &str,
        on: &str,
    ) -> Result<crate::Decision, Vec<ErrorData>> {
        let (index, values, on) = self.matter_and_facts(code, facts.as_bytes(), on)?;
        let matter = self.rules.matter_at(index).map_err(|e| decide_errors(&e))?;
        self.rules
            .decide_values(matter, &values, on)
            .map_err(|e| decide_errors(&e))
    }

    /// The number of the matter version in force on `on` and the facts read against it.
    fn matter_and_facts(
        &self,
        code: &str,
        facts: &[u8],
        on: &str,
    ) -> Result<Application, Vec<ErrorData>> {
        let on = date(on)?;
        let index = self
            .rules
            .version_index(code, on)
            .map_err(|e| decide_errors(&e))?;
        let matter = self.rules.matter_at(index).map_err(|e| decide_errors(&e))?;
        let values = matter
            .read_facts_bytes(facts)
            .map_err(|errors| errors.iter().map(fact_error).collect::<Vec<_>>())?;
        Ok((index, values, on))
    }
}

/// The verification envelope: `decision` (made again here) against the `claimed` receipt, and for
/// a whole decision sent with it, the two statuses and whether its body matched its receipt.
/// Kept apart from the body's check so that a channel verifying receipts alone does not carry
/// it.
fn verification(
    decision: &crate::Decision,
    claimed: &Receipt,
    body: Option<(Statuses, bool)>,
) -> String {
    let Some(ours) = decision.receipt.as_ref() else {
        return failure(&[error("invalid_receipt", "no receipt was produced", "")]);
    };
    let mut mismatches = Vec::new();
    if ours.bundle != claimed.bundle {
        mismatches.push("bundle");
    }
    // Facts fingerprints made with different keys cannot be compared: the receipt was made with
    // another receipt key (or the development key), which `key` says.
    if ours.key != claimed.key {
        mismatches.push("key");
    } else if ours.facts != claimed.facts {
        mismatches.push("facts");
    }
    if ours.decision != claimed.decision {
        mismatches.push("decision");
    }
    let status = body.map(|(statuses, matches)| {
        if !matches {
            mismatches.push("body");
        }
        statuses
    });
    let verification = Verification {
        ok: true,
        valid: mismatches.is_empty(),
        mismatches,
        status,
        receipt: ours,
    };
    to_json(&verification, "the verification").unwrap_or_else(|failed| failed)
}
