//! Signed bundles (issue 16, item 4). A bundle's hash is written in the bundle itself, so a hash
//! alone stops corruption, not an edit: change a rule, recompute the hash, and the bundle loaded
//! everywhere. Each attack here loaded before signatures; each is now refused.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::bundle::{self, BundleError, BundleSignature};
use banshi_core::ffi::{Engine, LoadOptions};
use banshi_core::{PublicKey, RuleSetSource, Status, Trust};
use ed25519_compact::{KeyPair, Seed};
use serde_json::json;

/// A matter whose one 受理条件 bans applicants on the 失信 list.
fn source() -> RuleSetSource {
    common::source(json!({
        "matter": {"basic_code": "1", "implementation_code": "A1", "name": "示例事项",
            "type": "行政许可", "agency": "示例局", "levels": ["市级"], "basis": ["b1"],
            "statutory_limit": {"working_days": 20}, "promised_limit": {"working_days": 5},
            "handling": "承诺件", "service_objects": ["自然人"], "visits": 0,
            "modes": ["网上办理"]},
        "facts": [{"name": "列入失信名单", "type": "bool", "question": "是否被列入严重失信主体名单？"}],
        "conditions": [{"id": "not-banned", "require": "not 列入失信名单",
            "message": "被列入严重失信主体名单的，不予许可", "basis": ["b1"]}]
    }))
}

fn pair(seed: u8) -> KeyPair {
    KeyPair::from_seed(Seed::new([seed; 32]))
}

fn public(pair: &KeyPair) -> PublicKey {
    PublicKey::from_bytes(*pair.pk)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn signer(pairs: &[KeyPair]) -> impl Fn(&[u8]) -> Vec<BundleSignature> + '_ {
    move |message| {
        pairs
            .iter()
            .map(|p| BundleSignature {
                key: hex(&*p.pk),
                signature: hex(&*p.sk.sign(message, None)),
            })
            .collect()
    }
}

/// The agency's key, and another.
fn agency() -> KeyPair {
    pair(1)
}
fn other() -> KeyPair {
    pair(2)
}

fn trusting(pair: &KeyPair) -> Trust {
    Trust::keys([public(pair)])
}

/// The rules with every 受理条件 made `true`: anyone is eligible.
fn everyone_eligible() -> RuleSetSource {
    let mut src = source();
    for matter in &mut src.matters {
        for condition in &mut matter.source.conditions {
            condition.require = "true".into();
        }
    }
    src
}

/// `bundle` with its signatures replaced by those of `donor` (the attack that keeps the
/// genuine signature on edited, re-hashed rules).
fn with_signatures_of(bundle: &str, donor: &str) -> String {
    let part = |t: &str| {
        let from = t.find(",\"signatures\":").unwrap();
        let to = t.find(",\"index\":").unwrap();
        t[from..to].to_string()
    };
    bundle.replacen(&part(bundle), &part(donor), 1)
}

fn decide_banned(rules: &banshi_core::RuleSet) -> Status {
    let on = banshi_core::facts::parse_date("2026-03-02").unwrap();
    rules
        .decide_json("A1", r#"{"列入失信名单": true}"#, on)
        .unwrap()
        .status
}

#[test]
fn a_bundle_signed_by_a_trusted_key_loads() {
    let text = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    let rules = bundle::load(&text, &trusting(&agency())).unwrap();
    assert_eq!(decide_banned(&rules), Status::Ineligible);
    // Signed by two keys (a rotation): either trusted key suffices.
    let both = bundle::write_signed(&source(), signer(&[other(), agency()])).unwrap();
    bundle::load(&both, &trusting(&agency())).unwrap();
    bundle::load(&both, &trusting(&other())).unwrap();
}

#[test]
fn an_unsigned_bundle_is_refused_outside_development_mode() {
    let text = bundle::write(&source()).unwrap();
    assert!(text.contains(r#""signatures":[]"#), "{}", &text[..120]);
    assert_eq!(
        bundle::load(&text, &trusting(&agency())).unwrap_err(),
        BundleError::Unsigned
    );
    assert_eq!(
        bundle::load(&text, &Trust::default()).unwrap_err(),
        BundleError::Unsigned
    );
    // A bundle from before signatures (no `signatures` field) is unsigned too.
    let old = text.replacen(r#""signatures":[],"#, "", 1);
    assert_eq!(
        bundle::load(&old, &trusting(&agency())).unwrap_err(),
        BundleError::Unsigned
    );
    // Development mode loads both.
    bundle::load(&text, &Trust::development()).unwrap();
    bundle::load(&old, &Trust::development()).unwrap();
}

/// The attack of the issue: every 受理条件 set to `true`, the hash recomputed. Before
/// signatures it loaded, and a banned applicant was `eligible`.
#[test]
fn rules_edited_and_rehashed_are_refused() {
    let genuine = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    let trust = trusting(&agency());

    // The genuine signature kept: it does not verify over the new hash, in any mode.
    let kept = with_signatures_of(&bundle::write(&everyone_eligible()).unwrap(), &genuine);
    assert_ne!(kept, genuine);
    for trust in [&trust, &Trust::development()] {
        assert!(matches!(
            bundle::load(&kept, trust).unwrap_err(),
            BundleError::BadSignature { .. }
        ));
    }
    // The signature removed.
    let stripped = bundle::write(&everyone_eligible()).unwrap();
    assert_eq!(
        bundle::load(&stripped, &trust).unwrap_err(),
        BundleError::Unsigned
    );
    // Re-signed with the attacker's own key.
    let resigned = bundle::write_signed(&everyone_eligible(), signer(&[other()])).unwrap();
    assert_eq!(
        bundle::load(&resigned, &trust).unwrap_err(),
        BundleError::UntrustedKey {
            keys: vec![public(&other()).to_hex()]
        }
    );
    // What each would have done: only trust stands between the edit and the decision.
    let edited = bundle::load(&resigned, &Trust::development()).unwrap();
    assert_eq!(decide_banned(&edited), Status::Eligible);
}

#[test]
fn a_bundle_signed_by_another_key_is_refused() {
    let text = bundle::write_signed(&source(), signer(&[other()])).unwrap();
    assert!(matches!(
        bundle::load(&text, &trusting(&agency())).unwrap_err(),
        BundleError::UntrustedKey { .. }
    ));
    assert!(matches!(
        bundle::load(&text, &Trust::default()).unwrap_err(),
        BundleError::UntrustedKey { .. }
    ));
    // Development mode takes a valid signature by any key.
    bundle::load(&text, &Trust::development()).unwrap();
}

#[test]
fn malformed_or_misdirected_signatures_are_bad_signatures() {
    let genuine = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    let key = public(&agency()).to_hex();
    let signature = {
        let at = genuine.find(r#""signature":""#).unwrap() + 13;
        genuine[at..at + 128].to_string()
    };
    let cases = [
        // One bit of the signature changed.
        genuine.replacen(
            &signature,
            &format!(
                "{}{}",
                if signature.starts_with('0') { '1' } else { '0' },
                &signature[1..]
            ),
            1,
        ),
        // Not hex, too short.
        genuine.replacen(&signature, "zz", 1),
        genuine.replacen(&signature, &signature[..126], 1),
        // The key not a key.
        genuine.replacen(&format!(r#""key":"{key}""#), r#""key":"00ff""#, 1),
        // The genuine signature claimed by another key.
        genuine.replacen(&key, &public(&other()).to_hex(), 1),
    ];
    for (i, text) in cases.iter().enumerate() {
        assert_ne!(text, &genuine, "case {i}");
        for trust in [trusting(&agency()), Trust::development()] {
            assert!(
                matches!(
                    bundle::load(text, &trust),
                    Err(BundleError::BadSignature { .. })
                ),
                "case {i}"
            );
        }
    }
    // A signature over the bare hash (what anything else signed with the key might be) does
    // not pass: signatures sign the format tag and the hash.
    let hash = bundle::load(&genuine, &trusting(&agency()))
        .unwrap()
        .hash()
        .to_string();
    let bare = hex(&*agency().sk.sign(hash.as_bytes(), None));
    assert_eq!(
        bundle::signed_message(&hash),
        format!("banshi-catalogue/2 {hash}")
    );
    assert!(matches!(
        bundle::load(
            &genuine.replacen(&signature, &bare, 1),
            &trusting(&agency())
        ),
        Err(BundleError::BadSignature { .. })
    ));
}

#[test]
fn too_many_signatures_are_refused_before_verifying() {
    let keys: Vec<KeyPair> = (1..=9).map(pair).collect();
    let nine = bundle::write_signed(&source(), signer(&keys)).unwrap();
    assert!(matches!(
        bundle::load(&nine, &trusting(&agency())),
        Err(BundleError::Malformed { .. })
    ));
    let eight = bundle::write_signed(&source(), signer(&keys[..8])).unwrap();
    bundle::load(&eight, &trusting(&agency())).unwrap();
}

#[test]
fn signing_is_deterministic() {
    let a = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    let b = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    assert_eq!(a, b);
}

/// The channels' codes: each refusal has its own.
#[test]
fn the_ffi_gives_each_refusal_its_code() {
    let signed = bundle::write_signed(&source(), signer(&[agency()])).unwrap();
    let unsigned = bundle::write(&source()).unwrap();
    let other_signed = bundle::write_signed(&source(), signer(&[other()])).unwrap();
    let forged = with_signatures_of(&bundle::write(&everyone_eligible()).unwrap(), &signed);
    let receipt_key = "07".repeat(32);
    let options = |keys: &[&KeyPair], development: bool, receipt: Option<&str>| {
        let keys: Vec<String> = keys.iter().map(|k| public(k).to_hex()).collect();
        LoadOptions::from_parts(keys.iter().map(String::as_str), development, receipt).unwrap()
    };
    let trusted = options(&[&agency()], false, Some(&receipt_key));
    let code = |text: &str, options: &LoadOptions| match Engine::load(text, options) {
        Ok(_) => "ok".to_string(),
        Err(errors) => errors[0].code.clone(),
    };
    assert_eq!(code(&signed, &trusted), "ok");
    assert_eq!(code(&unsigned, &trusted), "unsigned");
    assert_eq!(code(&other_signed, &trusted), "untrusted_key");
    assert_eq!(code(&forged, &trusted), "bad_signature");
    assert_eq!(
        code(&signed, &options(&[&agency()], false, None)),
        "no_receipt_key"
    );
    let development = options(&[], true, None);
    assert_eq!(code(&unsigned, &development), "ok");
    assert_eq!(code(&other_signed, &development), "ok");
    assert_eq!(code(&forged, &development), "bad_signature");

    // Options as JSON text, as a channel writes them.
    let json = format!(
        r#"{{"trustedKeys":["{}"],"development":false,"receiptKey":"{receipt_key}"}}"#,
        public(&agency()).to_hex()
    );
    assert_eq!(code(&signed, &LoadOptions::from_json(&json).unwrap()), "ok");
    let bad = LoadOptions::from_json(r#"{"trustedKeys":["00ff", 7],"receiptKey":"x"}"#);
    assert_eq!(bad.unwrap_err()[0].code, "invalid_options");
    let bad = LoadOptions::from_json(r#"{"trustedKeys":["00ff"],"receiptKey":"x"}"#).unwrap_err();
    let paths: Vec<&str> = bad.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["trustedKeys[0]", "receiptKey"]);
    assert_eq!(
        LoadOptions::from_json(r#"{"trusted":[]}"#).unwrap_err()[0].code,
        "invalid_options"
    );
}
