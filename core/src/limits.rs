//! The bounds on what the core accepts, in one place.
//!
//! They protect a kiosk or a server from hostile or broken input: with them, compiling a matter
//! and deciding with it take time linear (or n·log n) in the matter file's size, and a decision
//! a few microseconds per condition and material. Each is generous for a real matter: the
//! largest shipped matter has 24 facts, 13 conditions and 16 materials. Exceeding one is a typed
//! error at `banshi check` and when a bundle loads ([`crate::RuleErrorKind::TooMany`],
//! [`crate::RuleErrorKind::TooLong`]), or for facts [`crate::FactErrorKind::TooLarge`].

use alloc::string::String;

use crate::checker::Checker;
use crate::error::SourcePath;
use crate::source::MatterSource;

/// Facts larger than this (JSON text, in bytes) are refused before they are read.
pub const MAX_FACTS_BYTES: usize = 256 * 1024;

/// Bytes of one matter file's canonical text in a catalogue: refused before it is hashed or
/// read. The largest shipped matter is about 16 KB; a catalogue as a whole has no limit, since
/// it is opened from its index and each matter is read alone (see [`crate::index`]).
pub const MAX_MATTER_BYTES: usize = 8 * 1024 * 1024;

/// Entries in one list of a matter file: `[[basis]]`, `[[facts]]`, `[[situations]]`,
/// `[[conditions]]`, `[[materials]]`, `[[special_procedures]]`, `[[guide.steps]]`, and the options
/// of one fact.
pub const MAX_ENTRIES: usize = 2_000;

/// Fee items, waivers, and the items one waiver names: every waiver is weighed for every item,
/// so these multiply.
pub const MAX_FEE_ENTRIES: usize = 100;

/// Bytes of one text of a rule file (a name, a question, a message, an excerpt, an option).
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// Bytes of one condition (`require`, `when`, a fee quantity).
pub const MAX_CONDITION_BYTES: usize = crate::expr::MAX_LEN;

/// Bytes of all the conditions of one matter together: its situations', conditions',
/// materials' and fees' expressions. Compiling and evaluating them is linear in their length,
/// and this keeps the worst matter within 100 ms to compile (tests/bench/README.md).
pub const MAX_MATTER_CONDITION_BYTES: usize = 256 * 1024;

/// Levels of nesting in one condition.
pub const MAX_CONDITION_DEPTH: usize = crate::expr::MAX_DEPTH;

/// Types in the electronic licence catalogue.
pub const MAX_LICENCES: usize = 10_000;

/// Checks the length of every list and text of a matter file against the limits.
pub(crate) fn check_matter(c: &mut Checker<'_>, src: &MatterSource) {
    let root = SourcePath::root();
    let lists = [
        ("basis", src.basis.len()),
        ("facts", src.facts.len()),
        ("situations", src.situations.len()),
        ("conditions", src.conditions.len()),
        ("materials", src.materials.len()),
        ("special_procedures", src.special_procedures.len()),
    ];
    for (key, count) in lists {
        c.count(root.key(key), count, MAX_ENTRIES);
    }
    if let Some(guide) = &src.guide {
        let at = root.key("guide").key("steps");
        c.count(at.clone(), guide.steps.len(), MAX_ENTRIES);
        for (i, s) in guide.steps.iter().enumerate() {
            let step = at.index(i);
            text(c, &step, "name", &s.name);
            text(
                c,
                &step,
                "description",
                s.description.as_deref().unwrap_or(""),
            );
        }
        guide_lists(c, guide);
    }
    if let Some(fees) = &src.fees {
        let at = root.key("fees");
        c.count(at.key("items"), fees.items.len(), MAX_FEE_ENTRIES);
        c.count(at.key("waivers"), fees.waivers.len(), MAX_FEE_ENTRIES);
        for (i, w) in fees.waivers.iter().enumerate() {
            let path = at.key("waivers").index(i).key("items");
            c.count(path, w.items.len(), MAX_FEE_ENTRIES);
        }
    }
    for (i, b) in src.basis.iter().enumerate() {
        let at = root.key("basis").index(i);
        text(c, &at, "document", &b.document);
        text(c, &at, "article", &b.article);
        text(c, &at, "excerpt", b.excerpt.as_deref().unwrap_or(""));
    }
    for (i, f) in src.facts.iter().enumerate() {
        let at = root.key("facts").index(i);
        text(c, &at, "name", &f.name);
        text(c, &at, "question", &f.question);
        let options = at.key("options");
        c.count(options.clone(), f.options.len(), MAX_ENTRIES);
        for (j, option) in f.options.iter().enumerate() {
            c.length(options.index(j), option.len(), MAX_TEXT_BYTES);
        }
    }
    for (i, k) in src.conditions.iter().enumerate() {
        text(c, &root.key("conditions").index(i), "message", &k.message);
    }
    for (i, m) in src.materials.iter().enumerate() {
        let at = root.key("materials").index(i);
        text(c, &at, "name", &m.name);
        text(c, &at, "note", m.note.as_deref().unwrap_or(""));
        text(c, &at, "proof", m.proof.as_deref().unwrap_or(""));
        for (key, value) in [
            ("spec", &m.spec),
            ("sample", &m.sample),
            ("blank", &m.blank),
        ] {
            text(c, &at, key, value.as_deref().unwrap_or(""));
        }
    }
    let together = condition_bytes(src);
    if together > MAX_MATTER_CONDITION_BYTES {
        c.invalid(
            root,
            alloc::format!(
                "the matter's conditions are {together} bytes together, more than the {MAX_MATTER_CONDITION_BYTES} accepted"
            ),
        );
    }
}

/// The service information of `[guide]`: each list and text within the limits.
fn guide_lists(c: &mut Checker<'_>, guide: &crate::source::GuideSource) {
    let g = SourcePath::root().key("guide");
    let lists = [
        ("places", &guide.places),
        ("consultation", &guide.consultation),
        ("complaints", &guide.complaints),
        ("delivery", &guide.delivery),
        ("intermediary", &guide.intermediary),
    ];
    for (key, list) in lists {
        c.count(g.key(key), list.len(), MAX_ENTRIES);
        for (i, t) in list.iter().enumerate() {
            c.length(g.key(key).index(i), t.len(), MAX_TEXT_BYTES);
        }
    }
    c.count(g.key("faq"), guide.faq.len(), MAX_ENTRIES);
    for (i, f) in guide.faq.iter().enumerate() {
        text(c, &g.key("faq").index(i), "question", &f.question);
        text(c, &g.key("faq").index(i), "answer", &f.answer);
    }
    for (key, value) in [
        ("result", &guide.result),
        ("result_sample", &guide.result_sample),
        ("hours", &guide.hours),
    ] {
        text(c, &g, key, value.as_deref().unwrap_or(""));
    }
}

/// Checks one text, `key` under `path`, against [`MAX_TEXT_BYTES`].
fn text(c: &mut Checker<'_>, path: &SourcePath, key: &'static str, value: &str) {
    c.length(path.key(key), value.len(), MAX_TEXT_BYTES);
}

/// The length of every expression of a matter file, together.
fn condition_bytes(src: &MatterSource) -> usize {
    let situations = src.situations.iter().map(|s| s.when.len());
    let conditions = src.conditions.iter().map(|k| {
        k.require
            .len()
            .saturating_add(k.when.as_ref().map_or(0, String::len))
    });
    let materials = src
        .materials
        .iter()
        .map(|m| m.when.as_ref().map_or(0, String::len));
    let fees = src.fees.iter().flat_map(|f| {
        let items = f.items.iter().map(|i| {
            let when = i.when.as_ref().map_or(0, String::len);
            when.saturating_add(i.quantity.as_ref().map_or(0, String::len))
        });
        items.chain(f.waivers.iter().map(|w| w.when.len()))
    });
    situations
        .chain(conditions)
        .chain(materials)
        .chain(fees)
        .fold(0, usize::saturating_add)
}
