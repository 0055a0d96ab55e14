//! The authors' tools on copies of the shipped rules: `banshi test`'s outcomes (a new case, a
//! stale `why`, `--accept`), and `banshi diff`'s words for a reviewer, whose whole output for one
//! edit is snapshotted beside this file (`snapshots/author__diff.snap`) and was read against the
//! edit: each line names what was changed and nothing else.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use banshi_cli::cases::{self, Options};
use banshi_cli::diff::{self, Side};
use banshi_core::source::{CommitmentSource, Names};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of one shipped matter folder (with the catalogue and calendar beside it) in a fresh
/// temporary folder.
fn copy_matter(name: &str, tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("banshi-author-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let rules = dir.join("rules");
    copy_tree(&repo().join("rules").join(name), &rules.join(name));
    copy_tree(&repo().join("rules/calendar"), &rules.join("calendar"));
    std::fs::copy(
        repo().join("rules/licences.toml"),
        rules.join("licences.toml"),
    )
    .unwrap();
    rules
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_new_case_fails_until_accepted_and_a_stale_why_is_named() {
    let rules = copy_matter("resident-id-card-renewal", "cases");
    let cases_dir = rules.join("resident-id-card-renewal/cases");
    let case = cases_dir.join("expiry-window-open.json");
    assert!(case.exists(), "the shipped case this test copies");
    std::fs::copy(&case, cases_dir.join("copy.json")).unwrap();

    let report = cases::run(std::slice::from_ref(&rules), &Options::default()).unwrap();
    let copy = report
        .cases
        .iter()
        .find(|c| c.path.ends_with("copy.json"))
        .unwrap();
    assert!(
        copy.new && !copy.passed(),
        "a case without a snapshot fails"
    );
    let text = cases::render(&report, &Options::default());
    assert!(text.contains("copy.json: no snapshot yet"), "{text}");
    assert!(text.contains("+   \"status\": \"eligible\""), "{text}");
    assert_eq!(report.cases.iter().filter(|c| !c.passed()).count(), 1);

    let accept = Options {
        accept: true,
        names: vec!["copy".into()],
    };
    let report = cases::run(std::slice::from_ref(&rules), &accept).unwrap();
    assert!(report.passed(), "{}", cases::render(&report, &accept));
    let accepted: Vec<&Path> = report
        .cases
        .iter()
        .filter(|c| c.accepted)
        .map(|c| c.path.as_path())
        .collect();
    assert_eq!(accepted, [cases_dir.join("copy.json").as_path()]);
    let snap = std::fs::read_to_string(cases_dir.join("copy.snap")).unwrap();
    assert!(snap.starts_with("---\nsource: banshi test\ndescription: "));
    assert!(snap.contains("\ninfo:\n  expect: "), "{snap}");

    // The expectation changes (the situations are no longer checked), the why does not.
    let text = std::fs::read_to_string(cases_dir.join("copy.json")).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["expect"]
        .as_object_mut()
        .unwrap()
        .remove("situations");
    std::fs::write(cases_dir.join("copy.json"), value.to_string()).unwrap();
    let report = cases::run(std::slice::from_ref(&rules), &accept).unwrap();
    let copy = report
        .cases
        .iter()
        .find(|c| c.path.ends_with("copy.json"))
        .unwrap();
    assert!(copy.stale_why && !copy.accepted && !copy.passed());
    let text = cases::render(&report, &accept);
    assert!(text.contains("the `why` may be stale"), "{text}");
    assert!(text.contains("accepted no snapshot"), "{text}");

    // Touched, it is accepted again.
    value["why"] = format!("{} 情形不再核对。", value["why"].as_str().unwrap()).into();
    std::fs::write(cases_dir.join("copy.json"), value.to_string()).unwrap();
    let report = cases::run(std::slice::from_ref(&rules), &Options::default()).unwrap();
    assert!(
        !report.passed(),
        "reviewed with another expect: accept again"
    );
    let report = cases::run(std::slice::from_ref(&rules), &accept).unwrap();
    assert!(report.passed(), "{}", cases::render(&report, &accept));
    let _ = std::fs::remove_dir_all(rules.parent().unwrap());
}

#[test]
fn a_contradicted_expect_is_never_accepted() {
    let rules = copy_matter("individual-business-registration", "contradict");
    let matter = rules.join("individual-business-registration/base.toml");
    edit(
        &matter,
        "promised_limit = { working_days = 1 }",
        "promised_limit = { working_days = 2 }",
    );
    let accept = Options {
        accept: true,
        names: Vec::new(),
    };
    let report = cases::run(std::slice::from_ref(&rules), &accept).unwrap();
    let text = cases::render(&report, &accept);
    // paper-in-person.json: 2026-03-10 (a Tuesday) accepted, one working day → 03-11; two → 03-12.
    assert!(
        text.contains("paper-in-person.json: the decision contradicts `expect`:\n  promised_due: expected 2026-03-11, decided 2026-03-12"),
        "{text}"
    );
    // What an author reads for one case, whole (the temporary folder left out).
    let root = format!("{}/", rules.display());
    let block: Vec<&str> = text
        .split("\n\n")
        .filter(|b| b.contains("paper-in-person.json: "))
        .collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_omit_expression(true);
    settings.bind(|| {
        insta::assert_snapshot!("test_failure", block.join("\n\n").replace(&root, "rules/"))
    });
    assert!(text.contains("\nfailing:\n"), "{text}");
    for case in &report.cases {
        let expects_due = std::fs::read_to_string(&case.path)
            .unwrap()
            .contains("\"promised_due\"");
        // A case not accepted for decision has no deadline (行政许可法第三十二条), so the
        // longer limit leaves its decision as it was and there is nothing to accept.
        assert_eq!(
            case.accepted,
            !expects_due && case.snapshot_diff.is_some(),
            "{}: accepted only when the decision changed and nothing in expect contradicts it",
            case.path.display()
        );
    }
    let _ = std::fs::remove_dir_all(rules.parent().unwrap());
}

#[test]
fn diff() {
    let mut old = diff::read_side(&repo().join("rules")).unwrap();
    old.label = "rules".into();
    let mut source = old.source.clone();
    let base = &mut source
        .bases
        .iter_mut()
        .find(|m| m.file == "publication-retail-licence/base.toml")
        .unwrap()
        .source;
    base.base.promised_limit.as_mut().unwrap().working_days = Some(15);
    base.conditions.remove(0);
    let lease = base.materials.iter_mut().find(|x| x.id == "lease").unwrap();
    lease.licence = Some(Names::One("不动产权证书".into()));
    lease.commitment = Some(CommitmentSource {
        text: "本人承诺对经营场所享有合法使用权".into(),
        consequence: "承诺不实的，依法撤销许可".into(),
        within: None,
    });
    if let Some(deferral) = &mut base.deferral {
        deferral.period.working_days = Some(10);
    }
    let new = Side::new("edited", source);
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    let (text, changed) = diff::report(&old, &new, on);
    assert!(changed);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(text));
}

fn banshi(args: &[&str]) -> (i32, String, String) {
    banshi_in(&repo(), args)
}

fn banshi_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// What the commands say when they are used wrongly, exactly.
#[test]
fn command_errors() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["diff", "rules"],
            "error: give OLD and NEW (folders or bundles), or --git REV [FOLDER]\n",
        ),
        (
            &["diff", "--git", "HEAD", "rules", "rules"],
            "error: with --git, give one folder: its revision is compared with the working tree\n",
        ),
        (
            &["test", "rules/calendar"],
            "error: no case found (cases are <matter>/cases/*.json)\n",
        ),
        (
            &["test", "rules", "--case", "no-such-case"],
            "error: no case found (cases are <matter>/cases/*.json)\n",
        ),
        (
            &["preview", "--kiosk", "no/such/folder"],
            "error: no/such/folder/kiosk.js is missing: run from the repository, with the npm package built (node bindings/npm/scripts/build.mjs)\n",
        ),
    ];
    for (args, expected) in cases {
        let (code, _, stderr) = banshi(args);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(stderr, expected, "{args:?}");
    }
}

#[test]
fn banshi_test_passes_on_the_shipped_rules() {
    let (code, stdout, _) = banshi(&["test", "rules"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.ends_with(" passed, 0 failed\n"), "{stdout}");
    let (code, stdout, _) = banshi(&[
        "test",
        "rules/individual-business-registration",
        "--case",
        "paper-in-person",
    ]);
    assert_eq!((code, stdout.as_str()), (0, "1 passed, 0 failed\n"));
}

/// An author runs `banshi test` where they work: in the rules folder, in `themes/`, in a
/// matter's or a theme's folder, in its `cases/`; the rules are found above, and a case file
/// named alone runs alone. Each run passes the cases the same run from the repository passes.
#[test]
fn banshi_test_runs_inside_any_folder_of_the_rules() {
    fn args<'a>(paths: &[&'a str]) -> Vec<&'a str> {
        [&["test"], paths].concat()
    }
    let bookshop = "rules/themes/bookshop";
    let registration = "rules/individual-business-registration";
    let cases: [(&str, &[&str], &[&str]); 9] = [
        ("rules", &["themes/bookshop"], &[bookshop]),
        ("rules/themes", &["bookshop"], &[bookshop]),
        (
            "rules/themes",
            &["bookshop", "restaurant"],
            &[bookshop, "rules/themes/restaurant"],
        ),
        (bookshop, &["."], &[bookshop]),
        ("rules/themes/bookshop/cases", &["."], &[bookshop]),
        (
            "rules/themes/bookshop/cases",
            &["needs-facts.json"],
            &["rules/themes/bookshop/cases/needs-facts.json"],
        ),
        (
            "rules/birth-registration",
            &["."],
            &["rules/birth-registration"],
        ),
        (
            "rules/birth-registration/cases",
            &["."],
            &["rules/birth-registration"],
        ),
        (
            "rules/individual-business-registration/cases",
            &["paper-in-person.json"],
            &["rules/individual-business-registration/cases/paper-in-person.json"],
        ),
    ];
    for (dir, paths, from_repo) in cases {
        let (code, expected, _) = banshi(&args(from_repo));
        assert!(
            code == 0 && expected.ends_with(" passed, 0 failed\n"),
            "{from_repo:?}: {expected}"
        );
        assert_ne!(expected, "0 passed, 0 failed\n");
        let (code, stdout, stderr) = banshi_in(&repo().join(dir), &args(paths));
        assert_eq!((code, stdout), (0, expected), "{dir}: {paths:?}: {stderr}");
    }
    assert_eq!(
        banshi(&["test", registration, "--case", "paper-in-person"]).1,
        "1 passed, 0 failed\n"
    );
    let (code, _, stderr) = banshi_in(
        &repo().join("rules/birth-registration"),
        &["test", "base.toml"],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (1, "error: base.toml: a case file sits in <matter>/cases/\n")
    );
}

/// A theme's cases run through the same runner as the matters': a contradicted `expect` is
/// named, the decision's diff shown, nothing contradicting accepted, and a stale `why` caught.
#[test]
fn a_theme_case_runs_like_a_matter_case() {
    let dir = std::env::temp_dir().join(format!("banshi-author-theme-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let rules = dir.join("rules");
    copy_tree(&repo().join("rules"), &rules);
    let themes = rules.join("themes");
    let case = themes.join("bookshop/cases/needs-facts.json");
    let accept = Options {
        accept: true,
        names: Vec::new(),
    };

    // The registration's promised limit 1 → 2 working days moves both matters' dates.
    edit(
        &rules.join("individual-business-registration/base.toml"),
        "promised_limit = { working_days = 1 }",
        "promised_limit = { working_days = 2 }",
    );
    let report = cases::run(std::slice::from_ref(&themes), &accept).unwrap();
    let text = cases::render(&report, &accept);
    let failing = report.cases.iter().find(|c| c.path == case).unwrap();
    assert!(!failing.passed() && !failing.accepted, "{text}");
    assert!(
        text.contains(
            "needs-facts.json: the decision contradicts `expect`:\n  promised_due: expected 2026-03-31, decided 2026-04-01\n  registration: promised_due expected 2026-03-03, decided 2026-03-04\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n@@ matters\n"), "{text}");
    assert!(
        text.contains("-     \"promised_due\": \"2026-03-31\""),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");

    // The dates counted again by hand: registration Mon 03-02 + 2 working days → Wed 03-04; the
    // licence 20 working days after it → Wed 04-01 (no holiday in March 2026). `why` untouched.
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&case).unwrap()).unwrap();
    value["expect"]["promised_due"] = "2026-04-01".into();
    value["expect"]["matters"]["registration"]["promised_due"] = "2026-03-04".into();
    value["expect"]["matters"]["publication"]["promised_due"] = "2026-04-01".into();
    std::fs::write(&case, value.to_string()).unwrap();
    let only = Options {
        accept: true,
        names: vec!["bookshop/cases/needs-facts".into()],
    };
    let report = cases::run(std::slice::from_ref(&themes), &only).unwrap();
    let text = cases::render(&report, &only);
    assert_eq!(report.cases.len(), 1, "{text}");
    assert!(report.cases[0].stale_why, "{text}");
    assert!(text.contains("the `why` may be stale"), "{text}");
    assert!(text.contains("accepted no snapshot"), "{text}");

    value["why"] = "Registration promised 2 working days after Mon 03-02 → 03-04; the licence 20 working days after → 04-01.".into();
    std::fs::write(&case, value.to_string()).unwrap();
    let report = cases::run(std::slice::from_ref(&themes), &only).unwrap();
    let text = cases::render(&report, &only);
    assert!(report.passed() && report.cases[0].accepted, "{text}");
    let snap = std::fs::read_to_string(case.with_extension("snap")).unwrap();
    assert!(
        snap.starts_with("---\nsource: banshi test\ndescription: 开书店一件事，尚未回答任何问题\ninput_file: rules/themes/bookshop/cases/needs-facts.json\ninfo:\n"),
        "{snap}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
