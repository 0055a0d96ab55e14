//! Findings of the fuzz targets (tests/fuzz, issue 16), each reproduced through the public API
//! and named by its input in tests/fuzz/regressions/. A new finding comes in ignored
//! (`#[ignore = "issue 16: …"]`, run with `-- --ignored`) until the core is fixed; the three
//! below were fixed on main before this branch merged it, so they run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::time::{Duration, Instant};

use banshi_core::RuleSet;
use banshi_core::facts::parse_date;
use banshi_loader::TextFile;

/// The shipped licence catalogue and calendar with one matter file of the given text.
fn compile_matter(text: &str) -> Result<RuleSet, Vec<banshi_loader::Located>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut files: Vec<TextFile> = banshi_loader::read_rules(&dir, &[])
        .unwrap()
        .into_iter()
        .filter(|f| !f.name.ends_with("matter.toml"))
        .collect();
    files.push(TextFile {
        name: "rules/fuzz/matter.toml".into(),
        key: "fuzz/matter.toml".into(),
        text: text.into(),
    });
    banshi_loader::compile(&files)
}

/// A minimal matter (code `F1`, in force from 2026-01-01) with `rest` appended.
fn matter(rest: &str) -> String {
    format!(
        r#"[matter]
basic_code = "1"
implementation_code = "F1"
name = "示例事项"
type = "公共服务"
agency = "示例局"
levels = ["市级"]
basis = ["b1"]
statutory_limit = {{ working_days = 20 }}
promised_limit = {{ working_days = 5 }}
handling = "承诺件"
service_objects = ["自然人"]
visits = 0
modes = ["网上办理"]

[version]
id = "1"
effective = "2026-01-01"

[[basis]]
id = "b1"
document = "示例条例"
article = "第一条"

{rest}"#
    )
}

fn on() -> chrono::NaiveDate {
    parse_date("2026-03-02").unwrap()
}

/// Runs `f` on another thread and fails if it takes longer than `limit` (the thread is left
/// to finish on its own).
fn within(limit: Duration, f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = std::sync::mpsc::channel();
    let start = Instant::now();
    std::thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(limit) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("still running after {:?}", start.elapsed())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("it panicked"),
    }
}

#[test]
fn the_minimal_matter_compiles() {
    let rules = compile_matter(&matter("")).unwrap();
    rules.decide_json("F1", "{}", on()).unwrap();
}

/// tests/fuzz/regressions/rule_file/fee-total-overflow.toml: two fee items whose amounts each
/// fit a `Decimal` but whose sum does not. `Fees::evaluate` (core/src/fees.rs) adds the payable
/// amounts with `total += payable`, which panics ("Addition overflowed") instead of failing
/// with `DecideError::Overflow` as the products above it do. Class: arithmetic overflow panic
/// (in wasm, a trap that kills the page). Fixed: `checked_add`.
#[test]
fn fee_total_overflow_is_an_error_not_a_panic() {
    let rules = compile_matter(&matter(
        r#"
[fees]
basis = ["b1"]

[[fees.items]]
id = "a"
name = "甲"
basis = ["b1"]
price = "79228162514264337593543950335"
unit = "件"

[[fees.items]]
id = "b"
name = "乙"
basis = ["b1"]
price = "79228162514264337593543950335"
unit = "件"
"#,
    ))
    .unwrap();
    match rules.decide_json("F1", "{}", on()) {
        Ok(_) | Err(banshi_core::DecideError::Overflow { .. }) => {}
        Err(e) => panic!("unexpected error: {e}"),
    }
}

/// tests/fuzz/regressions/rule_file/shared-situations.toml: 41 situations, each defined as
/// the one before `or` itself (`情形N = 情形N-1 or 情形N-1`), and a condition on the last, with
/// no facts given. `Node::missing` (core/src/expr/mod.rs) follows a situation into its
/// definition every time it is read, so the interview's questions take 2^40 steps. Class:
/// exponential time (denial of service by a rule file or bundle). Fixed: `Node::missing_once`.
#[test]
fn questions_for_shared_situations_take_linear_time() {
    let mut rest = String::from(
        "[[facts]]\nname = \"甲\"\ntype = \"bool\"\nquestion = \"甲？\"\n\n[[facts]]\nname = \"乙\"\ntype = \"bool\"\nquestion = \"乙？\"\n\n[[situations]]\nname = \"情形0\"\nwhen = \"甲 or 乙\"\n",
    );
    for i in 1..=40 {
        rest.push_str(&format!(
            "\n[[situations]]\nname = \"情形{i}\"\nwhen = \"情形{} or 情形{}\"\n",
            i - 1,
            i - 1
        ));
    }
    rest.push_str(
        "\n[[conditions]]\nid = \"c\"\nrequire = \"情形40\"\nmessage = \"须\"\nbasis = [\"b1\"]\n",
    );
    let rules = compile_matter(&matter(&rest)).unwrap();
    within(Duration::from_secs(2), move || {
        let decision = rules.decide_json("F1", "{}", on()).unwrap();
        assert_eq!(decision.questions.len(), 2);
    });
}

/// tests/fuzz/regressions/rule_file/many-problems.toml: a matter file with 2,000 facts of an
/// unknown type, so 2,000 problems. `banshi_loader::locate` (bindings/loader/src/lib.rs) parses
/// the whole file again with `toml_edit` for each problem, so `compile` (and `banshi check`)
/// takes time quadratic in the file: measured in a debug build, 1.6 s for 250 problems, 5.6 s
/// for 500, 22 s for 1,000 (the core's own compile: under 10 ms). Class: quadratic time.
/// Fixed: `banshi_loader::locate_all` parses each file once.
#[test]
fn locating_many_problems_takes_linear_time() {
    let mut rest = String::new();
    for i in 0..2000 {
        rest.push_str(&format!(
            "[[facts]]\nname = \"事实{i}\"\ntype = \"nope\"\nquestion = \"？\"\n\n"
        ));
    }
    let text = matter(&rest);
    within(Duration::from_secs(5), move || {
        let problems = compile_matter(&text).unwrap_err();
        assert!(problems.len() >= 2000);
    });
}
