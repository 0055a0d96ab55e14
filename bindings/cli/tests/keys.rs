//! `banshi keygen`, `banshi bundle --sign`, `--trust`, `--dev` and `--receipt-key`, as a
//! publishing agency and a server use them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `banshi` in the repository's root (where `rules/` and `tests/keys/` are).
fn banshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("banshi runs")
}

fn ok(args: &[&str]) -> String {
    let output = banshi(args);
    assert!(
        output.status.success(),
        "banshi {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let output = banshi(args);
    assert!(!output.status.success(), "banshi {args:?} succeeded");
    String::from_utf8(output.stderr).unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("banshi-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

const CASE: &str = "rules/individual-business-registration/cases/paper-in-person.json";
const MATTER: &str = "11610100000000000X4000131128000";
const TEST_PUB: &str = "tests/keys/test-signing.pub";
const TEST_KEY: &str = "tests/keys/test-signing.key";
const OTHER_PUB: &str = "tests/keys/other-signing.pub";

#[test]
fn keygen_writes_a_secret_file_for_its_owner_only_and_prints_the_public_key() {
    let key = temp("agency.key");
    let _ = std::fs::remove_file(&key);
    let public = ok(&["keygen", "-o", s(&key)]);
    let public = public.trim();
    assert_eq!(public.len(), 64, "{public}");
    assert!(public.bytes().all(|b| b.is_ascii_hexdigit()));
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.contains(&format!("# public key: {public}")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("ed25519-secret ")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    // Never overwrites a key.
    assert!(fails(&["keygen", "-o", s(&key)]).contains("exists"));
    assert_eq!(std::fs::read_to_string(&key).unwrap(), text);
    // Its bundle loads where its public key is trusted, given as hex.
    let bundle = temp("agency.bundle.json");
    ok(&["bundle", "rules", "-o", s(&bundle), "--sign", s(&key)]);
    ok(&["matters", "--bundle", s(&bundle), "--trust", public]);
    // A receipt key: 32 bytes, its id printed.
    let receipt = temp("receipt.key");
    let _ = std::fs::remove_file(&receipt);
    let id = ok(&["keygen", "--receipt", "-o", s(&receipt)]);
    assert_eq!(id.trim().len(), 16, "{id}");
    assert!(
        std::fs::read_to_string(&receipt)
            .unwrap()
            .contains("receipt-key ")
    );
}

/// The attack: every 受理条件 made `true`, the hash recomputed, the genuine signature kept or
/// replaced. `banshi decide --bundle` refused none of it before signatures.
#[test]
fn decide_refuses_bundles_not_signed_by_a_trusted_key() {
    let signed = temp("signed.json");
    ok(&["bundle", "rules", "-o", s(&signed), "--sign", TEST_KEY]);
    let text = std::fs::read_to_string(&signed).unwrap();
    let decide = |bundle: &Path, trust: &[&str]| {
        let mut args = vec!["decide", "--matter", MATTER, "--case", CASE, "--compact"];
        args.extend(["--bundle", s(bundle)]);
        args.extend(trust);
        banshi(&args)
    };
    assert!(decide(&signed, &["--trust", TEST_PUB]).status.success());
    let stderr = |o: Output| String::from_utf8(o.stderr).unwrap();

    // No trust given: refused.
    assert!(stderr(decide(&signed, &[])).contains("no trusted key"));
    // Another key trusted.
    assert!(stderr(decide(&signed, &["--trust", OTHER_PUB])).contains("no trusted key"));
    // The secret key file given as trust: refused with a hint, not read as a public key.
    assert!(stderr(decide(&signed, &["--trust", TEST_KEY])).contains("secret key file"));

    // Unsigned.
    let unsigned = temp("unsigned.json");
    ok(&["bundle", "rules", "-o", s(&unsigned)]);
    assert!(stderr(decide(&unsigned, &["--trust", TEST_PUB])).contains("not signed"));
    assert!(decide(&unsigned, &["--dev"]).status.success());

    // Edited and re-hashed (every 受理条件 `true`: each matter's hash and length in the index,
    // and the index's hash), the signature kept.
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let files = banshi_loader::read_rules(&rules_dir, &[]).unwrap();
    let (mut source, _) = banshi_loader::sources(&files);
    let conditions = source
        .matters
        .iter_mut()
        .flat_map(|m| m.source.conditions.iter_mut())
        .chain(
            source
                .bases
                .iter_mut()
                .flat_map(|b| b.source.conditions.iter_mut()),
        );
    for condition in conditions {
        condition.require = "true".into();
    }
    let rehashed = banshi_core::bundle::write(&source).unwrap();
    let signatures = |t: &str| {
        t[t.find(",\"signatures\":").unwrap()..t.find(",\"index\":").unwrap()].to_string()
    };
    let edited = rehashed.replacen(&signatures(&rehashed), &signatures(&text), 1);
    assert_ne!(edited, rehashed);
    let edited_path = temp("edited.json");
    std::fs::write(&edited_path, &edited).unwrap();
    let refused = stderr(decide(&edited_path, &["--trust", TEST_PUB]));
    assert!(refused.contains("does not verify"), "{refused}");
    // Refused in development mode too: a wrong signature is never accepted.
    assert!(stderr(decide(&edited_path, &["--dev"])).contains("does not verify"));
    // Unsigned, the edited rules decide anyone eligible: only a signature tells them apart.
    let stripped = edited.replacen(
        &edited[edited.find(",\"signatures\":").unwrap()..edited.find(",\"index\":").unwrap()],
        ",\"signatures\":[]",
        1,
    );
    std::fs::write(&edited_path, &stripped).unwrap();
    assert!(stderr(decide(&edited_path, &["--trust", TEST_PUB])).contains("not signed"));
}

#[test]
fn rules_from_a_folder_need_no_signature() {
    let out = ok(&[
        "decide", "--matter", MATTER, "--case", CASE, "--rules", "rules",
    ]);
    assert!(out.contains("\"status\""));
}

/// Receipts are keyed with `--receipt-key`, say `development` without it, and `verify`
/// compares like with like.
#[test]
fn receipts_are_keyed_and_verified_with_the_same_key() {
    let key = temp("verify-receipt.key");
    let _ = std::fs::remove_file(&key);
    let id = ok(&["keygen", "--receipt", "-o", s(&key)]);
    let decide = |extra: &[&str]| {
        let mut args = vec!["decide", "--matter", MATTER, "--case", CASE, "--compact"];
        args.extend(extra);
        let decision: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        decision
    };
    let keyed = decide(&["--receipt-key", s(&key)]);
    assert_eq!(keyed["receipt"]["key"], id.trim());
    assert!(
        keyed["receipt"]["facts"]
            .as_str()
            .unwrap()
            .starts_with("hmac-sha256:")
    );
    let development = decide(&[]);
    assert_eq!(development["receipt"]["key"], "development");
    assert_ne!(keyed["receipt"]["facts"], development["receipt"]["facts"]);

    let case_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(CASE);
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case_path).unwrap()).unwrap();
    let record = |decision: &serde_json::Value, name: &str| {
        let path = temp(name);
        let record = serde_json::json!({
            "matter": MATTER, "on": case["on"], "facts": case["facts"], "decision": decision,
        });
        std::fs::write(&path, record.to_string()).unwrap();
        path
    };
    let keyed_record = record(&keyed, "keyed-record.json");
    ok(&["verify", s(&keyed_record), "--receipt-key", s(&key)]);
    // Without the key: the receipt was made with another key, and `verify` says so.
    let output = banshi(&["verify", s(&keyed_record)]);
    assert!(!output.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["mismatches"], serde_json::json!(["key"]));
    // A development receipt against the deployment's key: the same.
    let development_record = record(&development, "development-record.json");
    let output = banshi(&["verify", s(&development_record), "--receipt-key", s(&key)]);
    assert!(!output.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["mismatches"], serde_json::json!(["key"]));
    ok(&["verify", s(&development_record)]);
    // The test receipt key's id is the one tests/keys/README.md gives.
    let test = decide(&["--receipt-key", "tests/keys/test-receipt.key"]);
    assert_eq!(test["receipt"]["key"], "a59fe176273f7806");
}
