//! Catalogues: opened from their index without compiling, each matter compiled when first
//! decided and checked against its hash then; the same decisions whichever way the rules
//! arrived (one file, index and matter files, rules compiled at once).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::bundle::{self, BundleError};
use banshi_core::ffi::{Engine, LoadOptions};
use banshi_core::index::{MatterError, MatterErrorKind};
use banshi_core::{DecideError, RuleSet, RuleSetSource, Trust};

const SHOP: &str = "11610100000000000X4000131128000";
const ON: &str = "2026-03-02";

/// The repository's rules as complete matter files (the tiers flattened), the shape compiled
/// on first use; the licences and calendar as shipped.
fn source() -> RuleSetSource {
    let (source, problems) = banshi_loader::sources(&common::rule_files());
    assert!(problems.is_empty(), "{problems:?}");
    RuleSetSource {
        matters: banshi_core::catalogue::flatten(&source),
        bases: Vec::new(),
        implementations: Vec::new(),
        ..source
    }
}

/// `n` matters made from the first of `source()`, each under its own 实施编码 (and no theme):
/// a catalogue of several pages.
fn many(n: usize) -> RuleSetSource {
    let mut src = source();
    let first = src.matters[0].clone();
    src.themes.clear();
    src.matters = (0..n)
        .map(|i| {
            let mut m = first.clone();
            let rest = m.source.matter.implementation_code[18..].to_string();
            m.source.matter.implementation_code = format!("11610100{i:09}X{rest}");
            m.file = format!("generated/{i}.toml");
            m
        })
        .collect();
    src
}

fn on() -> banshi_core::NaiveDate {
    banshi_core::facts::parse_date(ON).unwrap()
}

/// Every matter's decision for no facts, as the channels write it.
fn decisions(rules: &RuleSet) -> Vec<String> {
    let engine = Engine::from_rules(rules.clone());
    rules
        .matters()
        .unwrap()
        .iter()
        .map(|m| engine.decide(&m.code, "{}", ON))
        .collect()
}

#[test]
fn a_catalogue_opens_without_compiling_and_decides_as_the_rules_compiled_at_once() {
    let src = source();
    let eager = RuleSet::compile(&src).unwrap();
    let text = bundle::write(&src).unwrap();
    let lazy = bundle::load(&text, &Trust::development()).unwrap();
    // One hash for the folder and the catalogue made from it: receipts agree.
    assert_eq!(lazy.hash(), eager.hash());
    assert_eq!(lazy.matters().unwrap(), eager.matters().unwrap());
    let count = lazy.matters().unwrap().len();
    assert!((0..count).all(|i| !lazy.is_compiled(i)), "opening compiled");
    // One decision compiles one matter.
    let index = lazy.version_index(SHOP, on()).unwrap();
    lazy.decide_json(SHOP, "{}", on()).unwrap();
    assert!(lazy.is_compiled(index));
    assert_eq!((0..count).filter(|&i| lazy.is_compiled(i)).count(), 1);
    assert_eq!(decisions(&lazy), decisions(&eager));
    // The header line is the catalogue's; the index's one page (fewer than 64 versions) and
    // the matters follow, one a line.
    let (header, rest) = text.split_once('\n').unwrap();
    assert!(header.starts_with(r#"{"format":"banshi-catalogue/2","hash":"sha256:"#));
    assert_eq!(rest.lines().count(), 1 + src.matters.len());
}

/// A matter file replaced after signing (every 受理条件 `true`, the same length) is refused when
/// it is compiled, naming the matter; the other matters decide.
#[test]
fn a_tampered_matter_is_refused_when_compiled_and_named() {
    let src = source();
    let text = bundle::write(&src).unwrap();
    let shop = src
        .matters
        .iter()
        .find(|m| m.source.matter.implementation_code == SHOP)
        .unwrap();
    let genuine = banshi_core::index::matter_text(&shop.source).unwrap();
    // A question's full-width mark (three bytes) made three ASCII ones: the length stays, the
    // hash does not.
    let tampered = genuine.replacen("？", "?!!", 1);
    assert_ne!(tampered, genuine);
    assert_eq!(tampered.len(), genuine.len());
    let text = text.replacen(&genuine, &tampered, 1);
    let rules = bundle::load(&text, &Trust::development()).unwrap();
    let refused = rules.decide_json(SHOP, "{}", on()).unwrap_err();
    let DecideError::Matter(error) = &refused else {
        panic!("{refused:?}")
    };
    assert_eq!(error.code, SHOP);
    assert_eq!(error.file, shop.file);
    assert!(matches!(error.kind, MatterErrorKind::HashMismatch { .. }));
    assert!(refused.to_string().contains(SHOP), "{refused}");
    // Refused every time, not only the first.
    assert!(rules.decide_json(SHOP, "{}", on()).is_err());
    let engine = Engine::from_rules(rules.clone());
    let envelope = engine.decide(SHOP, "{}", ON);
    assert!(
        envelope.starts_with(r#"{"ok":false,"errors":[{"code":"hash_mismatch","#),
        "{envelope}"
    );
    let others: Vec<_> = rules
        .matters()
        .unwrap()
        .into_iter()
        .filter(|m| &*m.code != SHOP)
        .collect();
    assert!(!others.is_empty());
    for m in others {
        rules.decide_json(&m.code, "{}", m.effective).unwrap();
    }
}

/// Split delivery: the header line alone opens; the matter's page of the index, then the matter
/// itself, are handed in by their hashes, checked, and it decides byte for byte as in the
/// one-file catalogue.
#[test]
fn split_delivery_decides_the_same_bytes() {
    let src = source();
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let options = LoadOptions::from_parts([], true, None).unwrap();
    let one = Engine::load(&catalogue.one_file(), &options).unwrap();
    let split = Engine::load(&catalogue.header, &options).unwrap();
    assert_eq!(split.hash(), one.hash());
    let before = split.decide(SHOP, "{}", ON);
    assert!(
        before.starts_with(r#"{"ok":false,"errors":[{"code":"not_loaded","#),
        "{before}"
    );
    let rest = catalogue.one_file()[catalogue.header.len() + 1..].to_string();
    let mut handed = 0;
    loop {
        let pending: serde_json::Value = serde_json::from_str(&split.pending(SHOP, ON)).unwrap();
        let pending = &pending["pending"];
        if pending.is_null() {
            break;
        }
        let hash = pending["hash"].as_str().unwrap();
        let index = pending["index"].as_u64().unwrap() as usize;
        let position = pending["position"].as_u64().unwrap() as usize;
        assert_eq!(
            pending["file"].as_str().unwrap(),
            format!("{}.json", &hash[7..])
        );
        // Its line in the one-file catalogue: the `position`th after the header, at `start`.
        let (_, text) = &catalogue.lines[position];
        assert_eq!(&catalogue.lines[position].0, hash);
        assert_eq!(rest.split('\n').nth(position).unwrap(), text);
        let start = pending["start"].as_u64().unwrap() as usize;
        assert_eq!(&rest[start..start + text.len()], text);
        // Another line's text is refused for this one.
        let (_, other) = catalogue.lines.iter().find(|(h, _)| h != hash).unwrap();
        let refused = split.supply(index, other);
        assert!(
            refused.starts_with(r#"{"ok":false,"errors":[{"code":"hash_mismatch","#),
            "{refused}"
        );
        assert_eq!(split.supply(index, text), r#"{"ok":true,"supplied":true}"#);
        handed += 1;
        assert!(handed <= 2, "more than a page and the matter");
    }
    // Its page of the index, then the matter.
    assert_eq!(handed, 2);
    assert_eq!(split.decide(SHOP, "{}", ON), one.decide(SHOP, "{}", ON));
    let facts = r#"{"经营者身份类型":"内地居民"}"#;
    assert_eq!(split.decide(SHOP, facts, ON), one.decide(SHOP, facts, ON));
    // The listing needs every page (here the one, read already).
    assert!(supply_pending(&split, &catalogue, "#", ON).is_empty());
    assert_eq!(split.matters(), one.matters());
}

/// The index is what is hashed and signed: an entry edited (its hash replaced by another
/// matter's) is a hash mismatch of the whole catalogue.
#[test]
fn an_edited_index_is_refused_at_open() {
    let src = source();
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let (first, _) = &catalogue.lines[0];
    let (second, _) = &catalogue.lines[1];
    let edited = catalogue.header.replacen(first, second, 1);
    assert!(matches!(
        bundle::load(&edited, &Trust::development()),
        Err(BundleError::HashMismatch { .. })
    ));
}

/// The sources of a catalogue read back as written, every matter checked.
#[test]
fn sources_read_back() {
    let src = source();
    let text = bundle::write(&src).unwrap();
    assert_eq!(
        bundle::sources(&text, &Trust::development()).unwrap(),
        bundle::published(&src).into_owned()
    );
    let shop = &src
        .matters
        .iter()
        .find(|m| m.source.matter.implementation_code == SHOP)
        .unwrap()
        .source;
    let genuine = banshi_core::index::matter_text(shop).unwrap();
    let tampered = text.replacen(&genuine, &genuine.replacen("？", "?", 1), 1);
    assert!(matches!(
        bundle::sources(&tampered, &Trust::development()),
        Err(BundleError::Matter(m)) if matches!(*m, MatterError { kind: MatterErrorKind::HashMismatch { .. }, .. })
    ));
}

/// A server may compile every matter at start-up, and share the rules across threads.
#[test]
fn compile_all_and_share() {
    let src = source();
    let text = bundle::write(&src).unwrap();
    let rules = bundle::load(&text, &Trust::development()).unwrap();
    rules.compile_all().unwrap();
    let count = rules.matters().unwrap().len();
    assert!((0..count).all(|i| rules.is_compiled(i)));
    fn shared<T: Send + Sync>(_: &T) {}
    shared(&rules);
}

/// A bundle of the format before catalogues (one document with every rule) is another format:
/// refused with the advice to rebuild it, on every channel alike.
#[test]
fn a_bundle_of_the_format_before_catalogues_is_another_format() {
    let src = source();
    let rules = serde_json::to_string(&src).unwrap();
    let old = format!(
        "{{\"format\":\"banshi-bundle/1\",\"hash\":\"{}\",\"signatures\":[],\"rules\":{rules}}}\n",
        bundle::sha256(rules.as_bytes())
    );
    let refused = bundle::load(&old, &Trust::development()).unwrap_err();
    assert!(
        matches!(&refused, BundleError::Format { found } if found == "banshi-bundle/1"),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("rebuild it"), "{refused}");
}

/// Matters in tiers (bases and implementations) travel as complete matters, each implementation
/// written out with its base, compile when first asked for and decide as the rules compiled
/// from the folder; their listing names their region.
#[test]
fn tiers_travel_in_the_index_and_decide_alike() {
    let (src, problems) = banshi_loader::sources(&common::rule_files());
    assert!(problems.is_empty(), "{problems:?}");
    assert!(!src.implementations.is_empty());
    let eager = RuleSet::compile(&src).unwrap();
    let text = bundle::write(&src).unwrap();
    let opened = bundle::load(&text, &Trust::development()).unwrap();
    assert_eq!(opened.hash(), eager.hash());
    assert_eq!(opened.matters().unwrap(), eager.matters().unwrap());
    assert!(opened.matters().unwrap().iter().any(|m| m.region.is_some()));
    assert_eq!(decisions(&opened), decisions(&eager));
    assert_eq!(
        bundle::sources(&text, &Trust::development()).unwrap(),
        bundle::published(&src).into_owned()
    );
}

/// A catalogue of several pages: opening reads the page list alone; a matter's first decision
/// reads its page and its own text, nothing else; the listing reads every page; split, each is
/// fetched by its hash; a page that is not the index's is refused, naming it.
#[test]
fn pages_are_read_when_first_needed() {
    let src = many(150);
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let header: serde_json::Value = serde_json::from_str(&catalogue.header).unwrap();
    let pages = header["index"]["pages"].as_array().unwrap().len();
    assert_eq!(pages, 3, "150 matters, 64 a page");
    assert_eq!(catalogue.lines.len(), pages + 150);
    let options = LoadOptions::from_parts([], true, None).unwrap();
    let one = Engine::load(&catalogue.one_file(), &options).unwrap();
    let split = Engine::load(&catalogue.header, &options).unwrap();
    let last = src.matters[149].source.matter.implementation_code.clone();
    let on = src.matters[149].source.version.effective.clone();
    let handed = supply_pending(&split, &catalogue, &last, &on);
    // The last page, then the matter's own line.
    assert_eq!(handed, vec![2, pages + 149]);
    assert_eq!(split.decide(&last, "{}", &on), one.decide(&last, "{}", &on));
    // The listing reads the other two pages, and compiles nothing.
    assert!(
        split
            .matters()
            .starts_with(r#"{"ok":false,"errors":[{"code":"not_loaded","#)
    );
    let listed = supply_pending(&split, &catalogue, "#", &on);
    assert_eq!(listed, vec![0, 1]);
    assert_eq!(split.matters(), one.matters());
    // Natively, a one-file catalogue: a spoiled page is refused when first read, naming it.
    let text = catalogue.one_file();
    let page = &catalogue.lines[1].1;
    let spoiled = text.replacen(page, &page.replacen("generated/", "generatex/", 1), 1);
    let rules = bundle::load(&spoiled, &Trust::development()).unwrap();
    let in_page_1 = src.matters[100].source.matter.implementation_code.clone();
    let Err(DecideError::Matter(refused)) = rules.decide_json(&in_page_1, "{}", on_date(&on))
    else {
        panic!("a spoiled page was read");
    };
    assert_eq!(refused.file, "page 1 of the index");
    assert!(matches!(refused.kind, MatterErrorKind::HashMismatch { .. }));
    // The pages before and after still decide.
    rules.decide_json(&last, "{}", on_date(&on)).unwrap();
}

fn on_date(text: &str) -> banshi_core::NaiveDate {
    banshi_core::facts::parse_date(text).unwrap()
}

/// Hands `split` every line it asks for before `code` can be decided on `on`, from the
/// catalogue's lines; their numbers, in the order asked.
fn supply_pending(
    split: &Engine,
    catalogue: &bundle::Catalogue,
    code: &str,
    on: &str,
) -> Vec<usize> {
    let mut handed = Vec::new();
    loop {
        let v: serde_json::Value = serde_json::from_str(&split.pending(code, on)).unwrap();
        let Some(index) = v["pending"]["index"].as_u64() else {
            return handed;
        };
        let position = v["pending"]["position"].as_u64().unwrap();
        let (_, text) = &catalogue.lines[position as usize];
        assert_eq!(
            split.supply(index as usize, text),
            r#"{"ok":true,"supplied":true}"#
        );
        handed.push(index as usize);
        assert!(
            handed.len() <= catalogue.lines.len(),
            "asked again and again"
        );
    }
}

/// `catalogue` with the entries of its page `page` changed by `edit`, the page's hash and length
/// in the index and the index's hash made to match, and signed again by `key`: a catalogue the
/// agency itself would have signed.
fn forged(
    catalogue: &bundle::Catalogue,
    page: usize,
    edit: impl Fn(&mut Vec<banshi_core::index::Entry>),
    key: &ed25519_compact::KeyPair,
) -> String {
    let (hash, text) = &catalogue.lines[page];
    let mut entries: Vec<banshi_core::index::Entry> = serde_json::from_str(text).unwrap();
    edit(&mut entries);
    let changed = serde_json::to_string(&entries).unwrap();
    let index_at = catalogue.header.find(r#","index":"#).unwrap() + r#","index":"#.len();
    let index = catalogue.header[index_at..catalogue.header.len() - 1].replacen(
        &format!(r#""hash":"{hash}","bytes":{}"#, text.len()),
        &format!(
            r#""hash":"{}","bytes":{}"#,
            bundle::sha256(changed.as_bytes()),
            changed.len()
        ),
        1,
    );
    let digest = bundle::sha256(index.as_bytes());
    let hex = |bytes: &[u8]| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
    let signature = key
        .sk
        .sign(bundle::signed_message(&digest).as_bytes(), None);
    let mut out = format!(
        r#"{{"format":"{}","hash":"{digest}","signatures":[{{"key":"{}","signature":"{}"}}],"index":{index}}}"#,
        bundle::FORMAT,
        hex(&*key.pk),
        hex(&*signature)
    );
    for (n, (_, line)) in catalogue.lines.iter().enumerate() {
        out.push('\n');
        out.push_str(if n == page { &changed } else { line });
    }
    out.push('\n');
    out
}

/// The refusal of deciding `code` with `text`, opened as `key`'s, natively and through the
/// channels' calls: a matter error, never a panic or a decision.
fn refusal(text: &str, key: &ed25519_compact::KeyPair, code: &str) -> MatterError {
    let trust = Trust::keys([banshi_core::PublicKey::from_bytes(*key.pk)]);
    let rules = bundle::load(text, &trust).unwrap();
    let hex = hex_of(key);
    let engine = Engine::load(
        text,
        &LoadOptions::from_parts([hex.as_str()], false, Some(&"07".repeat(32))).unwrap(),
    )
    .unwrap();
    let on = rules
        .matters()
        .map(|m| m.iter().find(|m| &*m.code == code).unwrap().effective)
        .unwrap_or_else(|_| on());
    let refused = match rules.decide_json(code, "{}", on) {
        Err(DecideError::Matter(e)) => *e,
        other => panic!("{code} decided with a forged position: {other:?}"),
    };
    let envelope = engine.decide(code, "{}", &on.to_string());
    assert!(
        envelope.starts_with(r#"{"ok":false,"errors":[{"#)
            && envelope.contains(&format!("matter `{}`", refused.code)),
        "{envelope}"
    );
    refused
}

fn hex_of(key: &ed25519_compact::KeyPair) -> String {
    key.pk.iter().map(|b| format!("{b:02x}")).collect()
}

/// A signed catalogue whose index puts a matter's line where it is not (past the text, on
/// another's line, at another matter's text): each is refused when the matter is first needed,
/// naming it; nothing decides on a text that is not the matter's.
#[test]
fn a_forged_position_is_refused_naming_the_matter() {
    use banshi_core::index::Entry;
    let key = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new([5; 32]));
    let src = source();
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let page: Vec<Entry> = serde_json::from_str(&catalogue.lines[0].1).unwrap();
    // Within a page, a line where the lines around it say it cannot be: refused with the page,
    // naming the matter.
    let first = page.iter().find(|e| e.line == 0).unwrap().clone();
    let shop = page.iter().find(|e| &*e.code == SHOP).unwrap();
    assert_ne!(shop.line, 0);
    for (name, edit) in [
        (
            "on another's line",
            Box::new(|e: &mut Entry| (e.line, e.offset) = (first.line, first.offset))
                as Box<dyn Fn(&mut Entry)>,
        ),
        (
            "past the last line",
            Box::new(|e: &mut Entry| e.line = 10_000),
        ),
        (
            "at an offset that overflows",
            Box::new(|e: &mut Entry| e.offset = usize::MAX),
        ),
        (
            "off its line's start",
            Box::new(|e: &mut Entry| e.offset += 1),
        ),
        (
            "past the text",
            Box::new(|e: &mut Entry| e.offset += 1 << 30),
        ),
    ] {
        let text = forged(
            &catalogue,
            0,
            |es| edit(es.iter_mut().find(|e| &*e.code == SHOP).unwrap()),
            &key,
        );
        let refused = refusal(&text, &key, SHOP);
        assert!(
            matches!(&refused.kind, MatterErrorKind::Malformed { message } if message.contains("its line")),
            "{name}: {refused:?}"
        );
        assert!(
            [SHOP, &*first.code].contains(&refused.code.as_str()),
            "{name}: {refused:?}"
        );
    }
    // Across pages, a position that fits its own page but is another page's matter: its text
    // is read and refused by its hash, naming the matter; past the text, it is not there.
    let src = many(150);
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let header: serde_json::Value = serde_json::from_str(&catalogue.header).unwrap();
    let pages = header["index"]["pages"].as_array().unwrap().len();
    let on_last: Vec<Entry> = serde_json::from_str(&catalogue.lines[pages - 1].1).unwrap();
    let elsewhere = on_last.last().unwrap().clone();
    let page: Vec<Entry> = serde_json::from_str(&catalogue.lines[0].1).unwrap();
    let moved = page[10].clone();
    assert_eq!(moved.bytes, elsewhere.bytes, "generated matters alike");
    let text = forged(
        &catalogue,
        0,
        |es| (es[10].line, es[10].offset) = (elsewhere.line, elsewhere.offset),
        &key,
    );
    let refused = refusal(&text, &key, &moved.code);
    assert_eq!(refused.code, &*moved.code);
    assert!(
        matches!(refused.kind, MatterErrorKind::HashMismatch { .. }),
        "{refused:?}"
    );
    // The matter whose line it is still decides.
    let trust = Trust::keys([banshi_core::PublicKey::from_bytes(*key.pk)]);
    let rules = bundle::load(&text, &trust).unwrap();
    rules
        .decide_json(&elsewhere.code, "{}", elsewhere.effective)
        .unwrap();
    let past = forged(
        &catalogue,
        0,
        |es| (es[10].line, es[10].offset) = (elsewhere.line, 1 << 40),
        &key,
    );
    let refused = refusal(&past, &key, &moved.code);
    assert_eq!(refused.code, &*moved.code);
    assert!(
        matches!(refused.kind, MatterErrorKind::Unavailable { .. }),
        "{refused:?}"
    );
}

/// A theme that names its matters by 实施编码 and is offered in a region is decided in that
/// region, which is placed from every page of the index: a channel that fetches pages itself is
/// asked for them too, and decides as the one-file catalogue does.
#[test]
fn a_theme_named_by_code_in_a_region_is_decided_in_a_split_catalogue() {
    let mut src = source();
    // Enough matters for several pages, and the bookshop theme naming 西安市's implementations.
    // The copies as matters of no region, so that none ties with the region's own.
    let mut extra = many(150).matters;
    for m in &mut extra {
        m.source.catalogue = None;
    }
    let code_of = |m: &banshi_core::SourceFile<banshi_core::source::MatterSource>| {
        m.source.matter.implementation_code.clone()
    };
    extra.retain(|m| !src.matters.iter().any(|o| code_of(o) == code_of(m)));
    src.matters.extend(extra);
    let theme = src
        .themes
        .iter_mut()
        .find(|t| !t.source.theme.regions.is_empty() && t.source.matters.len() >= 2)
        .unwrap();
    let code = theme.source.theme.code.clone();
    let region = theme.source.theme.regions[0].clone();
    for m in &mut theme.source.matters {
        let base = m.base.take().unwrap();
        let implementation = src
            .matters
            .iter()
            .find(|f| {
                f.source.matter.basic_code == base
                    && f.source.catalogue.as_ref().map(|c| c.region.as_str())
                        == Some(region.as_str())
            })
            .unwrap();
        m.code = Some(implementation.source.matter.implementation_code.clone());
    }
    let catalogue = bundle::write_catalogue(&src, |_| Vec::new()).unwrap();
    let options = LoadOptions::from_parts([], true, None).unwrap();
    let one = Engine::load(&catalogue.one_file(), &options).unwrap();
    let expected = one.theme("decide", &code, "", "{}", ON);
    assert!(expected.starts_with(r#"{"ok":true"#), "{expected}");
    let split = Engine::load(&catalogue.header, &options).unwrap();
    let handed = supply_pending(&split, &catalogue, &code, ON);
    let pages = catalogue.lines.len() - src.matters.len();
    assert!(pages >= 2, "{pages} page(s)");
    assert!((0..pages).all(|p| handed.contains(&p)), "{handed:?}");
    assert_eq!(split.theme("decide", &code, "", "{}", ON), expected);
    assert_eq!(split.theme("decide", &code, &region, "{}", ON), expected);
}
