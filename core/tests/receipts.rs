//! Keyed receipts (issue 16, item 5). A receipt's facts fingerprint was the plain SHA-256 of the
//! canonical facts: with the birth date and region known, an 18-digit ID number was recovered
//! from a receipt by trying the rest. It is now HMAC-SHA256 with the deployment's receipt key,
//! and a receipt says which key (`development` for the public development key).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::bundle;
use banshi_core::facts::codes::id_number_check;
use banshi_core::facts::parse_date;
use banshi_core::ffi::Engine;
use banshi_core::{ReceiptKey, RuleSet};
use serde_json::json;

fn rules() -> RuleSet {
    common::compile(json!({
        "facts": [
            {"name": "身份证号", "type": "text", "format": "居民身份证号", "question": "身份证号？"},
            {"name": "年龄", "type": "integer", "min": 0, "max": 150, "question": "年龄？"}
        ]
    }))
    .unwrap()
}

/// The ID number of region 610102, born 1985-06-15, with sequence number `sequence`.
fn id_number(sequence: u32) -> String {
    let first17 = format!("61010219850615{sequence:03}");
    let check = id_number_check(first17.as_bytes()).unwrap();
    format!("{first17}{}", char::from(check))
}

fn facts(id: &str) -> String {
    json!({"身份证号": id, "年龄": 40}).to_string()
}

/// The receipt's facts fingerprint for `id` under `rules`' receipt key.
fn fingerprint(rules: &RuleSet, id: &str) -> String {
    let on = parse_date("2026-03-02").unwrap();
    rules
        .decide_json("A1", &facts(id), on)
        .unwrap()
        .receipt
        .unwrap()
        .facts
}

/// What an attacker who knows the birth date and the region tries: the 1,000 sequence numbers,
/// fingerprinted as `guess` does. The ID whose fingerprint is `target`'s, if any.
fn recover(target: &str, guess: impl Fn(&str) -> String) -> Option<String> {
    (0..1000).map(id_number).find(|id| guess(id) == target)
}

/// The unkeyed fingerprint the receipts had: SHA-256 of the canonical facts.
fn unkeyed(rules: &RuleSet, id: &str) -> String {
    let on = parse_date("2026-03-02").unwrap();
    let matter = rules.matter("A1", on).unwrap();
    let values = matter.read_facts(&facts(id)).unwrap();
    bundle::sha256(matter.canonical_facts(&values).unwrap().as_bytes())
}

const SECRET: [u8; 32] = [0x5a; 32];

#[test]
fn a_keyed_receipt_does_not_give_the_id_number_away() {
    let applicant = id_number(417);
    let deployment = rules().with_receipt_key(ReceiptKey::new(&SECRET));
    let target = fingerprint(&deployment, &applicant);
    assert!(target.starts_with("hmac-sha256:"), "{target}");

    // The attack as it worked: guesses hashed as the receipt used to hash them.
    let public = rules();
    assert_eq!(recover(&target, |id| unkeyed(&public, id)), None);
    // Or with the public development key.
    assert_eq!(recover(&target, |id| fingerprint(&public, id)), None);
    // Whoever holds the key can (the search does cover the applicant): the key is the secret.
    assert_eq!(
        recover(&target, |id| fingerprint(&deployment, id)),
        Some(applicant)
    );
}

/// The development key keys nothing, and its receipts say so.
#[test]
fn a_development_receipt_says_it_is_not_keyed() {
    let applicant = id_number(23);
    let development = rules();
    let on = parse_date("2026-03-02").unwrap();
    let receipt = development
        .decide_json("A1", &facts(&applicant), on)
        .unwrap()
        .receipt
        .unwrap();
    assert_eq!(receipt.key, "development");
    // Anyone can recompute it: it resists nothing, as its `key` says.
    assert_eq!(
        recover(&receipt.facts, |id| {
            ReceiptKey::development().fingerprint(
                {
                    let matter = development.matter("A1", on).unwrap();
                    matter
                        .canonical_facts(&matter.read_facts(&facts(id)).unwrap())
                        .unwrap()
                }
                .as_bytes(),
            )
        }),
        Some(applicant)
    );
    let keyed = rules().with_receipt_key(ReceiptKey::new(&SECRET));
    let keyed_receipt = keyed
        .decide_json("A1", &facts(&id_number(23)), on)
        .unwrap()
        .receipt
        .unwrap();
    assert_ne!(keyed_receipt.key, "development");
    assert_eq!(keyed_receipt.key.len(), 16);
    assert_eq!(keyed_receipt.key, ReceiptKey::new(&SECRET).id());
    // The id reveals nothing of the key: it is not the key's hex, nor its start.
    assert!(!"5a".repeat(32).contains(&keyed_receipt.key));
    // The decision fingerprint is not keyed: it is what the decision itself says.
    assert_eq!(keyed_receipt.decision, receipt.decision);
    assert_eq!(keyed_receipt.bundle, receipt.bundle);
    // The receipt's JSON: the key beside the facts fingerprint it keys.
    let text = serde_json::to_string(&keyed_receipt).unwrap();
    let keys: Vec<&str> = ["\"bundle\"", "\"facts\"", "\"key\"", "\"decision\""]
        .into_iter()
        .filter(|k| text.contains(k))
        .collect();
    assert_eq!(keys.len(), 4, "{text}");
    assert!(
        text.find("\"facts\"") < text.find("\"key\"")
            && text.find("\"key\"") < text.find("\"decision\"")
    );
}

/// `verify` compares like with like: a receipt made with another key (or the development
/// key) is a `key` mismatch, never a facts comparison across keys, and never valid.
#[test]
fn verify_compares_receipts_made_with_the_same_key() {
    let on = "2026-03-02";
    let facts = facts(&id_number(5));
    let engine = |key: Option<[u8; 32]>| {
        let rules = rules();
        Engine::from_rules(match key {
            Some(bytes) => rules.with_receipt_key(ReceiptKey::new(&bytes)),
            None => rules,
        })
    };
    let receipt = |engine: &Engine| {
        let answer: serde_json::Value =
            serde_json::from_str(&engine.decide("A1", &facts, on)).unwrap();
        answer["decision"]["receipt"].clone()
    };
    let mismatches = |engine: &Engine, receipt: &serde_json::Value| {
        let answer: serde_json::Value =
            serde_json::from_str(&engine.verify("A1", &facts, on, &receipt.to_string())).unwrap();
        let list: Vec<String> = answer["mismatches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap().to_string())
            .collect();
        (answer["valid"].as_bool().unwrap(), list)
    };
    let (keyed, other, development) = (engine(Some(SECRET)), engine(Some([1; 32])), engine(None));
    assert_eq!(mismatches(&keyed, &receipt(&keyed)), (true, vec![]));
    assert_eq!(
        mismatches(&development, &receipt(&development)),
        (true, vec![])
    );
    assert_eq!(
        mismatches(&keyed, &receipt(&development)),
        (false, vec!["key".to_string()])
    );
    assert_eq!(
        mismatches(&development, &receipt(&keyed)),
        (false, vec!["key".to_string()])
    );
    assert_eq!(
        mismatches(&keyed, &receipt(&other)),
        (false, vec!["key".to_string()])
    );
    // A development receipt relabelled with the deployment's key id: the facts differ.
    let mut relabelled = receipt(&development);
    relabelled["key"] = receipt(&keyed)["key"].clone();
    assert_eq!(
        mismatches(&keyed, &relabelled),
        (false, vec!["facts".to_string()])
    );
    // A receipt from before keys (no `key`) is not a receipt.
    let mut old = receipt(&keyed);
    old.as_object_mut().unwrap().remove("key");
    let answer = keyed.verify("A1", &facts, on, &old.to_string());
    assert!(answer.contains(r#""code":"invalid_receipt""#), "{answer}");
}
