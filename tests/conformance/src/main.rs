//! `banshi-corpus`: writes the cross-channel conformance corpus with the native answers.
//!
//! ```text
//! cargo run -q -p banshi-conformance --release -- --rules rules --fixtures tests/conformance/fixtures --keys tests/keys --out DIR
//! ```
//!
//! The bundles are signed with the test key `DIR/test-signing.key` of `--keys` (test-only keys,
//! see tests/keys/README.md), and the corpus's `options` are the load options every channel
//! uses: that key's public key trusted, and the test receipt key.
//!
//! The corpus is every rule case (`rules/*/cases/*.json`) plus cases from a seeded generator
//! ([`generate`]) over each matter's facts schema: every fact type, missing facts, invalid facts,
//! decimals as JS numbers, dates around holidays and outside the calendar. Each case is decided
//! natively twice, through [`Engine`] loaded from the bundle's bytes (the answer the other
//! channels must reproduce byte for byte) and from rules compiled straight from the TOML files,
//! and the two must agree. `DIR/corpus.json` then holds the bundles and the cases with their
//! expected envelopes, for the Node and Chromium runs (`tests/conformance/run-node.mjs`,
//! `run-browser.mjs`).

mod generate;

use std::path::{Path, PathBuf};
use std::time::Instant;

use banshi_cli::keys;
use banshi_core::ffi::{Engine, LoadOptions, failure};
use banshi_core::{RuleSet, bundle};
use banshi_loader::{Located, TextFile};
use serde::Serialize;
use serde_json::Value;

use generate::{Case, TAMPERED};

/// The seed of the generated cases; change it only together with a look at the new corpus.
const SEED: u64 = 0x6261_6e73_6869_0005;

/// One rule set the corpus decides against: its bundle text, what every channel loads, and the
/// same catalogue split (its header line, and each matter's file by its hash), which every
/// channel also decides every case of the bundle with.
#[derive(Serialize)]
struct BundleOut {
    name: String,
    hash: String,
    text: String,
    header: String,
    matters: std::collections::BTreeMap<String, String>,
}

impl BundleOut {
    /// A catalogue in both its forms: the one file, and the header with each line under the hash
    /// its index gives (so a tampered line is served under the genuine hash).
    fn new(name: &str, hash: &str, catalogue: &bundle::Catalogue) -> BundleOut {
        BundleOut {
            name: name.to_string(),
            hash: hash.to_string(),
            header: catalogue.header.clone(),
            text: catalogue.one_file(),
            matters: catalogue.lines.iter().cloned().collect(),
        }
    }
}

#[derive(Serialize)]
struct Corpus<'a> {
    seed: String,
    /// The load options every channel loads the bundles with (JSON text).
    options: &'a str,
    bundles: &'a [BundleOut],
    cases: &'a [Case],
}

struct Args {
    rules: PathBuf,
    keys: PathBuf,
    fixtures: Option<PathBuf>,
    out: PathBuf,
    per_matter: usize,
}

fn args() -> Result<Args, String> {
    let mut rules = PathBuf::from("rules");
    let mut keys = PathBuf::from("tests/keys");
    let mut fixtures = None;
    let mut out = None;
    let mut per_matter = 300;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--rules" => rules = PathBuf::from(value()?),
            "--keys" => keys = PathBuf::from(value()?),
            "--fixtures" => fixtures = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--per-matter" => {
                per_matter = value()?.parse().map_err(|e| format!("--per-matter: {e}"))?;
            }
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    Ok(Args {
        rules,
        keys,
        fixtures,
        out: out.ok_or("--out DIR is required")?,
        per_matter,
    })
}

/// The test keys of `--keys`.
struct TestKeys {
    trusted: Vec<ed25519_compact::KeyPair>,
    other: Vec<ed25519_compact::KeyPair>,
    receipt: String,
}

impl TestKeys {
    fn read(dir: &Path) -> Result<TestKeys, String> {
        let receipt_file = dir.join("test-receipt.key");
        let text = std::fs::read_to_string(&receipt_file)
            .map_err(|e| format!("{}: {e}", receipt_file.display()))?;
        let receipt = text
            .lines()
            .find_map(|l| l.strip_prefix("receipt-key "))
            .ok_or_else(|| format!("{}: no receipt key", receipt_file.display()))?;
        Ok(TestKeys {
            trusted: vec![keys::read_signing_key(&dir.join("test-signing.key"))?],
            other: vec![keys::read_signing_key(&dir.join("other-signing.key"))?],
            receipt: receipt.trim().to_string(),
        })
    }

    fn trusted_public(&self) -> String {
        self.trusted.iter().map(keys::public_hex).collect()
    }
}

/// The rules of `files` twice over: compiled from the TOML sources, and loaded with `options`
/// from the catalogue written from them and signed with the trusted test key (returned too).
fn engines(
    files: &[TextFile],
    test_keys: &TestKeys,
    options: &str,
) -> Result<(Engine, Engine, bundle::Catalogue), String> {
    let located = |problems: Vec<Located>| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let compiled: RuleSet = banshi_loader::compile(files).map_err(located)?;
    let (source, problems) = banshi_loader::sources(files);
    if !problems.is_empty() {
        return Err(located(problems));
    }
    let catalogue = bundle::write_catalogue(&source, keys::signer(&test_keys.trusted))
        .map_err(|e| format!("{} rule problem(s)", e.len()))?;
    let options = LoadOptions::from_json(options).map_err(|e| failure(&e))?;
    let loaded = Engine::load(&catalogue.one_file(), &options).map_err(|e| failure(&e))?;
    let receipt_key = options.receipt_key.unwrap_or_default();
    Ok((
        loaded,
        Engine::from_rules(compiled.with_receipt_key(receipt_key)),
        catalogue,
    ))
}

/// Rule cases: `(matter code, file name, case JSON)` for every `cases/*.json` of a matter
/// folder, sorted by path; a case's matter is its `matter`, else its folder's one matter.
fn rule_cases(rules: &Path, files: &[TextFile]) -> Result<Vec<(String, String, Value)>, String> {
    let (source, _) = banshi_loader::sources(files);
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(rules)
        .map_err(|e| format!("{}: {e}", rules.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.join("cases").is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let folder_code = banshi_loader::folder_matter(&source, folder);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for file in cases {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let case: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let code = case
                .get("matter")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| folder_code.clone())
                .ok_or_else(|| format!("{}: name the case's `matter`", file.display()))?;
            out.push((code, file.display().to_string(), case));
        }
    }
    Ok(out)
}

/// Theme cases: `(theme code, file name, case JSON)` for every `themes/*/cases/*.json`,
/// sorted by path.
fn theme_rule_cases(
    rules: &Path,
    files: &[TextFile],
) -> Result<Vec<(String, String, Value)>, String> {
    let (source, _) = banshi_loader::sources(files);
    let themes = rules.join("themes");
    let mut out = Vec::new();
    let Ok(listing) = std::fs::read_dir(&themes) else {
        return Ok(out);
    };
    let mut dirs: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.join("theme.toml").is_file() && p.join("cases").is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let key = format!(
            "themes/{}/theme.toml",
            dir.file_name().and_then(|n| n.to_str()).unwrap_or_default()
        );
        let code = source
            .themes
            .iter()
            .find(|t| t.file == key)
            .map(|t| t.source.theme.code.clone())
            .ok_or_else(|| format!("{key} is not among the rule files read"))?;
        let mut cases: Vec<PathBuf> = std::fs::read_dir(dir.join("cases"))
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        for case_file in cases {
            let text = std::fs::read_to_string(&case_file)
                .map_err(|e| format!("{}: {e}", case_file.display()))?;
            let case: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", case_file.display()))?;
            out.push((code.clone(), case_file.display().to_string(), case));
        }
    }
    Ok(out)
}

fn run() -> Result<(), String> {
    let args = args()?;
    let started = Instant::now();
    let test_keys = TestKeys::read(&args.keys)?;
    let trusted_public = test_keys.trusted_public();
    let other = keys::signer(&test_keys.other);
    let load_keys = generate::Keys {
        other: &other,
        trusted_public: &trusted_public,
        receipt: &test_keys.receipt,
    };
    let options = generate::options(&load_keys);
    let mut bundles = Vec::new();
    let mut cases = Vec::new();

    let shipped = banshi_loader::read_tree(&args.rules).map_err(|e| e.to_string())?;
    let mut sets = vec![("rules".to_string(), shipped.clone())];
    if let Some(fixtures) = &args.fixtures {
        // The fixture matters join the shipped rules (they need its licences and calendar).
        let mut files = shipped;
        files.extend(banshi_loader::read_tree(fixtures).map_err(|e| e.to_string())?);
        sets.push(("fixtures".to_string(), files));
    }

    let mut covered: Vec<String> = Vec::new();
    let mut differences = 0usize;
    let mut decided = 0usize;
    for (index, (name, files)) in sets.iter().enumerate() {
        let (engine, from_toml, catalogue) = engines(files, &test_keys, &options)?;
        if engine.hash() != from_toml.hash() {
            return Err(format!(
                "{name}: the bundle's hash {} is not the sources' {}",
                engine.hash(),
                from_toml.hash()
            ));
        }
        let mut set_cases = Vec::new();
        let mut examples = Vec::new();
        for (code, file, case) in rule_cases(&args.rules, files)? {
            let facts = case.get("facts").and_then(Value::as_object).cloned();
            examples.push((code.clone(), facts.unwrap_or_default()));
            if index == 0 {
                set_cases.push(generate::rule_case(&code, &file, &case));
            }
        }
        // The fixtures' own cases (a version that ends, forwarding days) join their set.
        if let (Some(fixtures), true) = (&args.fixtures, index > 0) {
            for (code, file, case) in rule_cases(fixtures, files)? {
                let facts = case.get("facts").and_then(Value::as_object).cloned();
                examples.push((code.clone(), facts.unwrap_or_default()));
                set_cases.push(generate::rule_case(&code, &file, &case));
            }
        }
        if index == 0 {
            let (source, _) = banshi_loader::sources(files);
            set_cases.extend(generate::load_cases(
                &catalogue.one_file(),
                &source,
                &load_keys,
            ));
            for (code, file, case) in theme_rule_cases(&args.rules, files)? {
                set_cases.extend(generate::theme_case(&code, &file, &case));
            }
            set_cases.extend(generate::theme_cases(&engine));
        }
        let seed = SEED ^ (index as u64);
        let (source, _) = banshi_loader::sources(files);
        set_cases.extend(generate::generated(
            &engine,
            &source,
            seed,
            args.per_matter,
            &examples,
            &covered,
        ));
        covered.extend(
            engine
                .rules()
                .matters()
                .map_err(|e| e.to_string())?
                .into_iter()
                .map(|m| m.code.to_string()),
        );
        for case in &mut set_cases {
            case.bundle.clone_from(name);
            case.expect = case.answer(&engine, &options);
            let again = case.answer(&from_toml, &options);
            decided += 1;
            if again != case.expect {
                differences += 1;
                eprintln!(
                    "native difference in {}: {}\n  bundle: {}\n  toml:   {}",
                    case.id, case.title, case.expect, again
                );
            }
        }
        let tampered = (index == 0).then(|| generate::tampered(&catalogue, &engine, &options));
        bundles.push(BundleOut::new(name, engine.hash(), &catalogue));
        cases.extend(set_cases);
        if let Some((tampered, tampered_cases)) = tampered {
            bundles.push(BundleOut::new(TAMPERED, engine.hash(), &tampered));
            cases.extend(tampered_cases);
        }
    }
    for (i, case) in cases.iter_mut().enumerate() {
        case.id = format!("{:04}-{}", i + 1, case.id);
    }

    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let corpus = serde_json::to_string(&Corpus {
        seed: format!("{SEED:#x}"),
        options: &options,
        bundles: &bundles,
        cases: &cases,
    })
    .map_err(|e| e.to_string())?;
    let path = args.out.join("corpus.json");
    std::fs::write(&path, &corpus).map_err(|e| format!("{}: {e}", path.display()))?;
    for b in &bundles {
        let path = args.out.join(format!("bundle-{}.json", b.name));
        std::fs::write(&path, &b.text).map_err(|e| format!("{}: {e}", path.display()))?;
    }

    let summary = generate::summary(&cases);
    println!(
        "corpus: {} cases ({summary}) against {} bundle(s), seed {SEED:#x}, corpus sha256 {}",
        cases.len(),
        bundles.len(),
        bundle::sha256(corpus.as_bytes()).trim_start_matches("sha256:")
    );
    println!(
        "native: {decided} cases decided from the bundle and from the TOML sources in {:.1}s, {differences} differences",
        started.elapsed().as_secs_f64()
    );
    if differences == 0 {
        Ok(())
    } else {
        Err(format!("{differences} native difference(s)"))
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("banshi-corpus: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
