//! The `banshi` command as a policy author and a server use it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn banshi(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("banshi runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("banshi finishes")
}

fn fixture(name: &str) -> String {
    PathBuf::from("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// A broken fixture of `tests/check/` (see `tests/check.rs`, which snapshots every one).
fn broken(name: &str) -> String {
    PathBuf::from("tests/check")
        .join(name)
        .display()
        .to_string()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Each broken fixture differs from `valid.toml` in one place (`tests/check/`, beside its
/// snapshot); the line and column were read off the fixture by hand (columns count characters, the first is 1).
#[test]
fn check_points_at_line_and_column() {
    let cases = [
        ("broken-toml.toml", "28:16: invalid basic string"),
        (
            "broken-condition.toml",
            "50:18: expected a value, a name or `(`, found `and`",
        ),
        (
            "unknown-fact.toml",
            "50:25: unknown fact or situation `申请类型`",
        ),
        (
            "type-mismatch.toml",
            "50:18: type mismatch: expected a number, found text",
        ),
        (
            "not-an-option.toml",
            "50:34: `个体户` is not an option of `申请人类型`",
        ),
        ("unknown-basis.toml", "69:10: unknown basis `rule-9`"),
    ];
    for (file, expected) in cases {
        let path = broken(file);
        let output = banshi(&["check", &path], None);
        assert_eq!(output.status.code(), Some(1), "{file} must fail the check");
        let printed = stdout(&output);
        let want = format!("{path}:{expected}");
        assert!(
            printed.starts_with(&want),
            "{file}: expected `{want}…`, printed:\n{printed}"
        );
        assert_eq!(
            printed.lines().count(),
            1,
            "{file}: one problem, printed:\n{printed}"
        );
    }
    let output = banshi(&["check", &fixture("valid.toml")], None);
    assert!(
        output.status.success(),
        "valid.toml checks: {}",
        stdout(&output)
    );
}

#[test]
fn check_reports_every_problem_at_once() {
    let output = banshi(
        &[
            "check",
            &broken("type-mismatch.toml"),
            &broken("unknown-basis.toml"),
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output).lines().count(), 2);
}

/// `banshi decide` of `matter` on `on` under the valid fixture, with `facts` on standard input.
fn decide_stdin(matter: &str, on: &str, facts: &str, more: &[&str]) -> std::process::Output {
    let valid = fixture("valid.toml");
    let mut args = vec![
        "decide", "--matter", matter, "--facts", "-", "--on", on, "--rules", &valid,
    ];
    args.extend_from_slice(more);
    banshi(&args, Some(facts))
}

#[test]
fn decide_reads_facts_from_stdin_and_names_bad_facts() {
    let facts = r#"{"年龄": 30, "申请人类型": "个体经营者", "委托办理": false, "电子证照": ["居民身份证"]}"#;
    let output = decide_stdin("TEST-0001", "2026-03-02", facts, &["--compact"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let decision: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON out");
    assert_eq!(decision["status"], "eligible");
    assert_eq!(decision["materials"][0]["status"], "exempt");
    assert_eq!(decision["materials"][0]["route"], "e_licence");
    assert_eq!(decision["materials"][1]["status"], "not_applicable");
    assert_eq!(
        stdout(&output).lines().count(),
        1,
        "--compact prints one line"
    );

    let bad = r#"{"年龄": "三十", "申请人类型": "公司", "出生日期": "2025-02-30"}"#;
    let output = decide_stdin("TEST-0001", "2026-03-02", bad, &[]);
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("-: 出生日期: unknown fact"), "{err}");
    assert!(
        err.contains("-: 年龄: expected a whole number, found a string"),
        "{err}"
    );
    assert!(
        err.contains("-: 申请人类型: not one of the options: "),
        "{err}"
    );

    for (matter, on, says) in [
        ("TEST-0001", "2026-02-30", "`2026-02-30` is not a real date"),
        ("NOPE", "2026-03-02", "no matter with code `NOPE`"),
        ("TEST-0001", "2025-12-31", "no rules in force on 2025-12-31"),
    ] {
        let output = decide_stdin(matter, on, "{}", &[]);
        assert_eq!(output.status.code(), Some(1), "{matter} on {on}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(says), "{matter} on {on}: {err}");
    }
}

#[test]
fn shipped_rules_check_and_list() {
    let output = banshi(&["check", "../../rules"], None);
    assert!(output.status.success(), "{}", stdout(&output));
    let output = banshi(&["matters"], None);
    assert!(output.status.success());
    assert!(stdout(&output).lines().count() >= 1);
}

/// A decision edited from `ineligible` to `eligible` keeps its genuine receipt: `verify` must
/// refuse it (it compared only the receipt with a re-decision), name the body as what differs,
/// and show the re-decided status beside the claimed one. A receipt edited to match the edited
/// body is refused too, as a decision the rules do not give.
#[test]
fn verify_refuses_an_edited_decision() {
    let facts = r#"{"年龄": 16, "申请人类型": "个体经营者", "委托办理": false, "电子证照": []}"#;
    let output = decide_stdin("TEST-0001", "2026-03-02", facts, &["--compact"]);
    assert!(output.status.success());
    let decision: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(decision["status"], "ineligible");
    let dir = std::env::temp_dir().join(format!("banshi-verify-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let verify = |decision: &serde_json::Value, name: &str| {
        let record = serde_json::json!({"matter": "TEST-0001", "on": "2026-03-02",
            "facts": serde_json::from_str::<serde_json::Value>(facts).unwrap(),
            "decision": decision});
        let path = dir.join(name);
        std::fs::write(&path, record.to_string()).unwrap();
        let valid = fixture("valid.toml");
        let path = path.display().to_string();
        let output = banshi(&["verify", &path, "--rules", &valid], None);
        let answer: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
        (output.status.code(), answer)
    };

    let (code, answer) = verify(&decision, "genuine.json");
    assert_eq!(code, Some(0), "{answer}");
    assert_eq!(answer["valid"], true);
    assert_eq!(answer["status"]["claimed"], "ineligible");
    assert_eq!(answer["status"]["decided"], "ineligible");

    let mut forged = decision.clone();
    forged["status"] = "eligible".into();
    forged["failed"] = serde_json::json!([]);
    let (code, answer) = verify(&forged, "forged.json");
    assert_eq!(code, Some(1), "{answer}");
    assert_eq!(answer["valid"], false);
    assert_eq!(answer["mismatches"], serde_json::json!(["body"]));
    assert_eq!(answer["status"]["claimed"], "eligible");
    assert_eq!(answer["status"]["decided"], "ineligible");

    // The forger recomputes the receipt's fingerprint of the edited body.
    let mut bare = forged.clone();
    bare.as_object_mut().unwrap().remove("receipt");
    let body: banshi_core::Decision = serde_json::from_value(bare).unwrap();
    let hash = banshi_core::bundle::sha256(body.to_json().unwrap().as_bytes());
    forged["receipt"]["decision"] = hash.into();
    let (code, answer) = verify(&forged, "forged-receipt.json");
    assert_eq!(code, Some(1), "{answer}");
    assert_eq!(answer["mismatches"], serde_json::json!(["decision"]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The shipped rules with the conformance fixtures' matters, copied into a fresh folder.
fn rules_with_fixtures(name: &str) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("banshi-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&root.join("rules"), &dir);
    copy(
        &root.join("tests/conformance/fixtures/model-elements"),
        &dir.join("model-elements"),
    );
    dir
}

/// `banshi sources --older-than` lists exactly what is unverified or was checked too long
/// before the reference date given, and the listing of matters counts the unverified and shows
/// a version's last day. The fixture's marks, by hand: codes and the statutory limit checked
/// 2026-12-01, the promised limit unmarked; `simple-on-the-spot` unmarked,
/// `commitment-three-days` checked 2026-12-01; basis test-1 checked 2026-12-01, test-3 on
/// 2026-11-01, test-2 and test-8 unmarked. On 2026-12-06 with 10 days: 5 items.
#[test]
fn sources_lists_what_to_check_again() {
    let dir = rules_with_fixtures("sources");
    let rules = dir.to_str().unwrap();
    let output = banshi(
        &[
            "sources",
            "--rules",
            rules,
            "--on",
            "2026-12-06",
            "--older-than",
            "10",
        ],
        None,
    );
    assert!(output.status.success(), "{}", stdout(&output));
    let listed: Vec<String> = stdout(&output)
        .lines()
        .filter(|l| l.starts_with("model-elements/"))
        .map(|l| l.split('\t').nth(3).unwrap().to_string())
        .collect();
    assert_eq!(
        listed,
        [
            "promised_limit",
            "basis.test-2: 《一致性测试规则》第二条",
            "basis.test-3: 《一致性测试规则》第三条",
            "basis.test-8: 《一致性测试事项调整决定》第八条",
            "time_limits.simple-on-the-spot",
        ]
    );
    // 40 days after 2026-12-01 nothing new is due; 41 days after, the four marks of that day
    // (codes, statutory limit, commitment-three-days, test-1) are too.
    let later = banshi(
        &[
            "sources",
            "--rules",
            rules,
            "--on",
            "2027-01-10",
            "--older-than",
            "40",
        ],
        None,
    );
    let count = |o: &Output| {
        stdout(o)
            .lines()
            .filter(|l| l.starts_with("model-elements/"))
            .count()
    };
    assert_eq!(count(&later), 5);
    let much_later = banshi(
        &[
            "sources",
            "--rules",
            rules,
            "--on",
            "2027-01-11",
            "--older-than",
            "40",
        ],
        None,
    );
    assert_eq!(count(&much_later), 9);
    let matters = stdout(&banshi(&["matters", "--rules", rules], None));
    let line = matters
        .lines()
        .find(|l| l.starts_with("99999900000000000X9999999999002"))
        .unwrap();
    assert!(
        line.ends_with("test-2026-01 (2026-01-01 until 2026-10-31)\tunverified: 4"),
        "{line}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
