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

/// Entries in one list of a matter file: `[[basis]]`, `[[facts]]`, `[[situations]]`,
/// `[[conditions]]`, `[[materials]]`, `[[special_procedures]]`, and the options of one fact.
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
    let mut lists = [
        ("basis", src.basis.len()),
        ("facts", src.facts.len()),
        ("situations", src.situations.len()),
        ("conditions", src.conditions.len()),
        ("materials", src.materials.len()),
        ("special_procedures", src.special_procedures.len()),
    ]
    .map(|(key, count)| (root.key(key), count))
    .to_vec();
    if let Some(fees) = &src.fees {
        let at = root.key("fees");
        let waiver_items = fees
            .waivers
            .iter()
            .enumerate()
            .map(|(i, w)| (at.key("waivers").index(i).key("items"), w.items.len()));
        let fee_lists = [
            (at.key("items"), fees.items.len()),
            (at.key("waivers"), fees.waivers.len()),
        ]
        .into_iter()
        .chain(waiver_items);
        for (path, count) in fee_lists {
            c.count(path, count, MAX_FEE_ENTRIES);
        }
    }
    for (i, fact) in src.facts.iter().enumerate() {
        lists.push((
            root.key("facts").index(i).key("options"),
            fact.options.len(),
        ));
    }
    for (path, count) in lists {
        c.count(path, count, MAX_ENTRIES);
    }
    let texts = src
        .basis
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            let at = root.key("basis").index(i);
            [
                (at.key("document"), b.document.as_str()),
                (at.key("article"), b.article.as_str()),
                (at.key("excerpt"), b.excerpt.as_deref().unwrap_or("")),
            ]
        })
        .chain(src.facts.iter().enumerate().flat_map(|(i, f)| {
            let at = root.key("facts").index(i);
            let options = f
                .options
                .iter()
                .enumerate()
                .map(move |(j, o)| (at.key("options").index(j), o.as_str()));
            [
                (root.key("facts").index(i).key("name"), f.name.as_str()),
                (
                    root.key("facts").index(i).key("question"),
                    f.question.as_str(),
                ),
            ]
            .into_iter()
            .chain(options)
        }))
        .chain(src.conditions.iter().enumerate().map(|(i, k)| {
            (
                root.key("conditions").index(i).key("message"),
                k.message.as_str(),
            )
        }))
        .chain(src.materials.iter().enumerate().flat_map(|(i, m)| {
            let at = root.key("materials").index(i);
            [
                (at.key("name"), m.name.as_str()),
                (at.key("note"), m.note.as_deref().unwrap_or("")),
            ]
        }));
    for (path, text) in texts {
        c.length(path, text.len(), MAX_TEXT_BYTES);
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
