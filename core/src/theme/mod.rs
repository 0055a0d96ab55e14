//! 一件事一次办: several matters of one life or business event handled as one theme, with one
//! interview, one set of materials, one acceptance and one 一次性告知.
//!
//! A theme file names its matters by 基本编码 (the implementation of the region a decision is
//! for: one file serves every region that implements them) or by 实施编码, which of them waits
//! for which (审批前置关系:
//! 市政办发〔2021〕36号第十八条, "具有审批前置关系的审批事项 … 没有审批前置关系的审批事项，应执行
//! 并联审批"), the facts two matters name differently and the materials several matters need.
//! Facts of the same name in two matters are one fact (their types must agree, which the check
//! enforces); materials are one material only where the theme file says so, never by their
//! names.
//!
//! This module holds the compiled theme ([`Theme`]), its check, and (in `decide`) the theme
//! decision, built from each matter's own decision: the matter modules know nothing of themes.

mod decide;

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::SourceFile;
use crate::checker::Checker;
use crate::common::{Citation, Text};
use crate::deadline::PROCEDURES_FACT;
use crate::deferral::MISSING_FACT;
use crate::error::{RuleError, SourcePath};
#[cfg(feature = "catalogue")]
use crate::facts::{FactDef, FactKind};
use crate::matter::Matter;
use crate::source::{ThemeMatterSource, ThemeSource};

pub use decide::{
    ThemeAcceptance, ThemeDeadline, ThemeDecision, ThemeFees, ThemeMaterial, ThemeMaterialStatus,
    ThemeMatterDecision, ThemeMatterDue, ThemeMatterFee, ThemeNoticeItem, ThemeServe,
};

/// The facts a theme never takes from the applicant as one fact: `缺少材料` is asked once for
/// the combined list (by theme material id), `特别程序` is each agency's own record.
const NOT_SHARED: [&str; 2] = [MISSING_FACT, PROCEDURES_FACT];

/// A theme in a listing and in its decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeInfo {
    /// The theme's code.
    pub code: Text,
    /// Its name.
    pub name: Text,
    /// The plans that make it one 一件事, article by article.
    pub basis: Vec<Citation>,
    /// Its matters as the theme names them (a 基本编码, resolved per region, or a 实施编码), in
    /// the theme's order.
    pub matters: Vec<Text>,
    /// The regions the theme is offered in, as its file declares them (checked to have exactly
    /// one implementation of every matter). A decision may be for another region that
    /// implements them all too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Text>,
}

/// One matter of a compiled theme.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ThemeMatter {
    pub key: Text,
    /// The 实施编码, or the 基本编码 when `by_base`.
    pub code: Text,
    pub by_base: bool,
    /// Numbers (in `Theme::matters`) of the matters it waits for.
    pub after: Vec<usize>,
    /// Facts its prerequisites settle, by the matter's fact name.
    pub supplies: Vec<(String, Value)>,
    /// (matter fact name, theme fact name), where the theme renames. Pairs rather than a map:
    /// a few entries, and each map type costs the WebAssembly module its own code.
    pub renamed: Vec<(String, String)>,
}

/// A material the theme file names.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NamedMaterial {
    pub id: Text,
    pub name: Text,
    pub produced_by: Option<usize>,
}

/// A theme's rules, compiled and checked against the matters it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Code, name, basis and matters.
    pub info: ThemeInfo,
    /// The file the theme came from.
    pub file: String,
    /// In an order where every matter follows the matters it waits for.
    pub(crate) matters: Vec<ThemeMatter>,
    /// (theme fact name, question) the theme words itself.
    pub(crate) questions: Vec<(String, String)>,
    pub(crate) materials: Vec<NamedMaterial>,
    /// (matter number, material id, the number of its material in `materials`).
    pub(crate) material_of: Vec<(usize, String, usize)>,
}

/// A theme of a rule set: its file, and its compiled form, made when the rules are compiled
/// from their sources or, in an opened catalogue, when the theme is first asked for (its
/// matters are compiled then).
#[derive(Debug, Clone)]
pub(crate) struct ThemeSlot {
    pub file: SourceFile<ThemeSource>,
    pub compiled: once_cell::race::OnceBox<Theme>,
}

impl ThemeSlot {
    /// A theme compiled when first asked for.
    pub fn lazy(file: SourceFile<ThemeSource>) -> ThemeSlot {
        ThemeSlot {
            file,
            compiled: once_cell::race::OnceBox::new(),
        }
    }

    /// The theme's code as its file writes it.
    pub fn code(&self) -> &str {
        &self.file.source.theme.code
    }
}

/// Compiles every theme file against `matters` (sorted by code, every version of each), a
/// second theme with one code an error.
pub(crate) fn compile_all(
    files: &[SourceFile<ThemeSource>],
    matters: &[&Matter],
    errors: &mut Vec<RuleError>,
) -> Vec<ThemeSlot> {
    let mut slots = Vec::with_capacity(files.len());
    let mut codes = BTreeMap::new();
    for file in files {
        match compile(&file.file, &file.source, matters) {
            Ok(t) => {
                if codes.insert(t.info.code.clone(), ()).is_some() {
                    errors.push(RuleError {
                        file: file.file.clone(),
                        path: SourcePath::root().key("theme").key("code"),
                        span: None,
                        kind: crate::error::RuleErrorKind::Duplicate {
                            what: "theme",
                            id: t.info.code.to_string(),
                        },
                    });
                }
                let slot = ThemeSlot::lazy(file.clone());
                // Fresh, so it takes the value.
                let _ = slot.compiled.set(alloc::boxed::Box::new(t));
                slots.push(slot);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    slots
}

/// What a `[[matters]]` entry names: (the code, whether it is a 基本编码); `None` when it gives
/// neither `code` nor `base`.
fn reference(m: &ThemeMatterSource) -> Option<(&str, bool)> {
    match (&m.code, &m.base) {
        (Some(code), _) => Some((code, false)),
        (None, Some(base)) => Some((base, true)),
        (None, None) => None,
    }
}

/// Every version of every matter a `[[matters]]` entry may stand for, among `matters` (sorted
/// by code): the one matter with its 实施编码, or every implementation of its base.
fn versions<'m>(matters: &[&'m Matter], m: &ThemeMatterSource) -> Vec<&'m Matter> {
    let mut out = Vec::new();
    match reference(m) {
        None => {}
        Some((code, false)) => {
            let from = matters.partition_point(|m| *m.info.code < *code);
            let rest = matters.get(from..).unwrap_or_default();
            let count = rest.partition_point(|m| *m.info.code == *code);
            for &v in rest.get(..count).unwrap_or_default() {
                out.push(v);
            }
        }
        Some((base, true)) => {
            for &v in matters {
                if *v.info.basic_code == *base && v.implementation.is_some() {
                    out.push(v);
                }
            }
        }
    }
    out
}

/// Checks that each region the theme is offered in (`[theme] regions`) has exactly one
/// implementation of every matter, each problem at the region's place in the list. A check of
/// the tiers, so only where they compile: bundles are checked when written.
#[cfg(feature = "catalogue")]
fn check_regions(c: &mut Checker<'_>, src: &ThemeSource, matters: &[&Matter]) {
    for (i, region) in src.theme.regions.iter().enumerate() {
        c.text(
            SourcePath::root().key("theme").key("regions").index(i),
            region,
        );
    }
    for m in &src.matters {
        let named = versions(matters, m);
        for (i, region) in src.theme.regions.iter().enumerate() {
            let mut codes: Vec<&str> = Vec::new();
            for v in &named {
                let here = v
                    .implementation
                    .as_ref()
                    .is_some_and(|i| *i.region == **region);
                if here && !codes.contains(&&*v.info.code) {
                    codes.push(&v.info.code);
                }
            }
            let problem = match codes.len() {
                1 => continue,
                0 => "has no implementation of",
                _ => "has more than one implementation of",
            };
            let (code, _) = reference(m).unwrap_or_default();
            c.invalid(
                SourcePath::root().key("theme").key("regions").index(i),
                alloc::format!("region `{region}` {problem} matter `{}` ({code})", m.key),
            );
        }
    }
}

/// Checks and compiles one theme file against the compiled matters (sorted by code, every
/// version of each).
pub(crate) fn compile(
    file: &str,
    src: &ThemeSource,
    matters: &[&Matter],
) -> Result<Theme, Vec<RuleError>> {
    let mut c = Checker::new(file);
    let root = SourcePath::root();
    let mut basis_index = BTreeMap::new();
    let mut cited = Vec::with_capacity(src.basis.len());
    for (i, b) in src.basis.iter().enumerate() {
        let path = root.key("basis").index(i);
        if basis_index.insert(b.id.as_str(), i).is_some() {
            c.duplicate(path.key("id"), "basis id", &b.id);
        }
        c.text(path.key("document"), &b.document);
        c.text(path.key("article"), &b.article);
        cited.push(Citation {
            document: b.document.as_str().into(),
            article: b.article.as_str().into(),
            excerpt: b.excerpt.as_deref().map(Into::into),
            unverified: b.verified.is_none(),
        });
    }
    let tp = root.key("theme");
    c.text(tp.key("code"), &src.theme.code);
    c.text(tp.key("name"), &src.theme.name);
    let basis = c.basis_refs(&tp.key("basis"), &src.theme.basis, &basis_index, true);
    c.count(
        root.key("matters"),
        src.matters.len(),
        crate::limits::MAX_ENTRIES,
    );
    if src.matters.len() < 2 {
        c.invalid(
            root.key("matters"),
            "a theme joins at least 2 matters (主题服务套餐内不少于2个独立事项)",
        );
    }

    let keys = matter_keys(&mut c, src, matters);
    #[cfg(feature = "catalogue")]
    check_regions(&mut c, src, matters);
    let order = prerequisite_order(&mut c, src, &keys);
    let mut compiled: Vec<ThemeMatter> = src
        .matters
        .iter()
        .map(|m| ThemeMatter {
            key: m.key.as_str().into(),
            code: reference(m).unwrap_or_default().0.into(),
            by_base: reference(m).is_some_and(|(_, base)| base),
            after: m
                .after
                .iter()
                .filter_map(|k| keys.get(k.as_str()).copied())
                .collect(),
            supplies: m
                .supplies
                .iter()
                .map(|s| (s.fact.clone(), s.value.clone()))
                .collect(),
            renamed: Vec::new(),
        })
        .collect();
    let questions = renamed_facts(&mut c, src, &keys, &mut compiled);
    // Checks of the theme against its matters' facts: where rules are authored and bundles
    // written (a bundle's themes were checked then), not in the channels that only load them,
    // whose WebAssembly module they would grow.
    #[cfg(feature = "catalogue")]
    {
        check_supplies(&mut c, src, matters);
        check_fact_types(&mut c, src, matters, &compiled);
    }
    let (named, material_of) = named_materials(&mut c, src, &keys, matters);

    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    // Renumber everything into prerequisite order.
    let mut position = alloc::vec![0usize; compiled.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(p) = position.get_mut(old) {
            *p = new;
        }
    }
    let renumber = |i: usize| position.get(i).copied().unwrap_or(i);
    let mut slots: Vec<Option<ThemeMatter>> = compiled.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    for &old in &order {
        if let Some(mut m) = slots.get_mut(old).and_then(Option::take) {
            m.after = m.after.iter().map(|&a| renumber(a)).collect();
            ordered.push(m);
        }
    }
    let materials = named
        .into_iter()
        .map(|m| NamedMaterial {
            produced_by: m.produced_by.map(renumber),
            ..m
        })
        .collect();
    let material_of = material_of
        .into_iter()
        .map(|(m, id, n)| (renumber(m), id, n))
        .collect();
    Ok(Theme {
        info: ThemeInfo {
            code: src.theme.code.as_str().into(),
            name: src.theme.name.as_str().into(),
            basis: crate::common::citations(&cited, &basis),
            matters: ordered.iter().map(|m| m.code.clone()).collect(),
            regions: src
                .theme
                .regions
                .iter()
                .map(|r| r.as_str().into())
                .collect(),
        },
        file: file.to_string(),
        matters: ordered,
        questions,
        materials,
        material_of,
    })
}

/// Checks `[[matters]]` keys and codes; the keys' numbers.
fn matter_keys<'s>(
    c: &mut Checker<'_>,
    src: &'s ThemeSource,
    matters: &[&Matter],
) -> BTreeMap<&'s str, usize> {
    let mut keys = BTreeMap::new();
    let mut codes = BTreeMap::new();
    for (i, m) in src.matters.iter().enumerate() {
        let path = SourcePath::root().key("matters").index(i);
        c.identifier(path.key("key"), &m.key);
        if keys.insert(m.key.as_str(), i).is_some() {
            c.duplicate(path.key("key"), "matter key", &m.key);
        }
        let Some((code, by_base)) = reference(m) else {
            c.invalid(
                path,
                "names its matter by `base` (基本编码) or `code` (实施编码)",
            );
            continue;
        };
        let at = path.key(if by_base { "base" } else { "code" });
        if m.code.is_some() && m.base.is_some() {
            c.invalid(path.key("base"), "give `base` or `code`, not both");
        } else if versions(matters, m).is_empty() {
            let what = if by_base {
                "no implementation of 基本编码"
            } else {
                "no matter with 实施编码"
            };
            c.invalid(at, alloc::format!("{what} `{code}` in these rules"));
        } else if codes.insert(code, i).is_some() {
            c.duplicate(at, "matter", code);
        }
    }
    keys
}

/// Checks `after` and orders the matters so that each follows those it waits for (file order
/// otherwise); a cycle is an error at an `after` on it.
fn prerequisite_order(
    c: &mut Checker<'_>,
    src: &ThemeSource,
    keys: &BTreeMap<&str, usize>,
) -> Vec<usize> {
    let n = src.matters.len();
    // For each matter, the matters it waits for.
    let mut waits_on: Vec<Vec<usize>> = alloc::vec![Vec::new(); n];
    for (i, m) in src.matters.iter().enumerate() {
        for (j, key) in m.after.iter().enumerate() {
            let path = SourcePath::root()
                .key("matters")
                .index(i)
                .key("after")
                .index(j);
            match keys.get(key.as_str()) {
                None => c.invalid(
                    path,
                    alloc::format!("no matter with key `{key}` in this theme"),
                ),
                Some(&a) if a == i => c.invalid(path, "a matter cannot wait for itself"),
                Some(&a) => {
                    if let Some(w) = waits_on.get_mut(i) {
                        w.push(a);
                    }
                }
            }
        }
    }
    // Depth first in file order: each matter after the matters it waits for, file order
    // otherwise. `state`: 0 unvisited, 1 on the current path, 2 placed.
    let mut state = alloc::vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        let mut stack: Vec<(usize, usize)> = alloc::vec![(root, 0)];
        while let Some((i, next)) = stack.pop() {
            if next == 0 && state.get(i) != Some(&0) {
                continue;
            }
            if let Some(st) = state.get_mut(i) {
                *st = 1;
            }
            let before = then_before(&waits_on, i);
            match before.get(next) {
                Some(&a) => {
                    stack.push((i, next.saturating_add(1)));
                    if state.get(a) == Some(&0) {
                        stack.push((a, 0));
                    }
                }
                None => {
                    if let Some(st) = state.get_mut(i) {
                        *st = 2;
                    }
                    order.push(i);
                }
            }
        }
    }
    let cyclic = cycle(&waits_on);
    if let Some(cycle) = cyclic {
        let stuck: Vec<&str> = cycle
            .iter()
            .filter_map(|&i| src.matters.get(i).map(|m| m.key.as_str()))
            .collect();
        let first = cycle.iter().copied().min().unwrap_or(0);
        c.invalid(
            SourcePath::root().key("matters").index(first).key("after"),
            alloc::format!(
                "prerequisite cycle: {} wait for each other",
                stuck.join(", ")
            ),
        );
    }
    order
}

/// The matters `i` waits for.
fn then_before(waits_on: &[Vec<usize>], i: usize) -> &[usize] {
    waits_on.get(i).map(Vec::as_slice).unwrap_or_default()
}

/// A prerequisite cycle, if there is one: its matters, in file order. Found by removing, again
/// and again, the matters that wait for nothing left (each removal visits its waiters once).
fn cycle(waits_on: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = waits_on.len();
    let mut count: Vec<usize> = waits_on.iter().map(Vec::len).collect();
    let mut waiters: Vec<Vec<usize>> = alloc::vec![Vec::new(); n];
    for (i, before) in waits_on.iter().enumerate() {
        for &a in before {
            if let Some(w) = waiters.get_mut(a) {
                w.push(i);
            }
        }
    }
    let mut free: Vec<usize> = (0..n).filter(|&i| count.get(i) == Some(&0)).collect();
    let mut removed = 0usize;
    while let Some(i) = free.pop() {
        removed = removed.saturating_add(1);
        for &w in waiters.get(i).map(Vec::as_slice).unwrap_or_default() {
            if let Some(c) = count.get_mut(w) {
                *c = c.saturating_sub(1);
                if *c == 0 {
                    free.push(w);
                }
            }
        }
    }
    (removed < n).then(|| (0..n).filter(|&i| count.get(i) != Some(&0)).collect())
}

/// Checks `[[facts]]` and records each matter's renamed facts; the theme's own questions.
fn renamed_facts(
    c: &mut Checker<'_>,
    src: &ThemeSource,
    keys: &BTreeMap<&str, usize>,
    compiled: &mut [ThemeMatter],
) -> Vec<(String, String)> {
    let mut questions = Vec::new();
    let mut names = BTreeMap::new();
    for (i, f) in src.facts.iter().enumerate() {
        let path = SourcePath::root().key("facts").index(i);
        c.identifier(path.key("name"), &f.name);
        if names.insert(f.name.as_str(), ()).is_some() {
            c.duplicate(path.key("name"), "theme fact", &f.name);
        }
        if NOT_SHARED.contains(&f.name.as_str()) {
            c.invalid(
                path.key("name"),
                alloc::format!("`{}` is not a fact a theme asks once", f.name),
            );
        }
        if let Some(q) = &f.question {
            c.text(path.key("question"), q);
            questions.push((f.name.clone(), q.clone()));
        }
        if f.of.is_empty() {
            c.invalid(path.key("of"), "names no matter's fact");
        }
        for (j, r) in f.of.iter().enumerate() {
            let rp = path.key("of").index(j);
            let Some(&m) = keys.get(r.matter.as_str()) else {
                c.invalid(
                    rp.key("matter"),
                    alloc::format!("no matter with key `{}` in this theme", r.matter),
                );
                continue;
            };
            let Some(tm) = compiled.get_mut(m) else {
                continue;
            };
            if tm.renamed.iter().any(|(m, _)| *m == r.fact) {
                c.invalid(
                    rp.key("fact"),
                    alloc::format!("`{}` of `{}` is mapped twice", r.fact, r.matter),
                );
            } else {
                tm.renamed.push((r.fact.clone(), f.name.clone()));
            }
        }
    }
    questions
}

#[cfg(feature = "catalogue")]
/// Checks that every supplied fact exists in every version of its matter and that its value
/// is one the matter accepts.
fn check_supplies(c: &mut Checker<'_>, src: &ThemeSource, matters: &[&Matter]) {
    for (i, m) in src.matters.iter().enumerate() {
        for version in versions(matters, m) {
            for (j, s) in m.supplies.iter().enumerate() {
                let path = SourcePath::root()
                    .key("matters")
                    .index(i)
                    .key("supplies")
                    .index(j);
                if version.fact(&s.fact).is_none() {
                    c.invalid(
                        path.key("fact"),
                        alloc::format!(
                            "matter `{}` (version {}) has no fact `{}`",
                            version.info.code,
                            version.version.id,
                            s.fact
                        ),
                    );
                    continue;
                }
                let mut one = serde_json::Map::new();
                one.insert(s.fact.clone(), s.value.clone());
                if let Err(errors) = version.check_facts(&one) {
                    for e in errors {
                        c.invalid(path.key("value"), alloc::format!("{e}"));
                    }
                }
            }
        }
    }
}

/// The theme name of a matter's fact, or `None` when the theme does not ask it (supplied by a
/// prerequisite, or the matter's own `缺少材料`/`特别程序`).
pub(crate) fn theme_name<'a>(matter: &'a ThemeMatter, fact: &'a str) -> Option<&'a str> {
    if NOT_SHARED.contains(&fact) || matter.supplies.iter().any(|(f, _)| f == fact) {
        return None;
    }
    Some(
        matter
            .renamed
            .iter()
            .find(|(m, _)| m == fact)
            .map_or(fact, |(_, t)| t.as_str()),
    )
}

#[cfg(feature = "catalogue")]
/// Whether two matters' definitions of one theme fact can take one answer: the same type and,
/// for enums, an option in common.
fn compatible(a: &FactDef, b: &FactDef) -> Result<(), String> {
    if a.kind != b.kind {
        return Err(alloc::format!(
            "is {} in one matter and {} in another",
            a.kind.name(),
            b.kind.name()
        ));
    }
    let enumerated = matches!(a.kind, FactKind::Enum | FactKind::EnumList);
    if enumerated
        && !a.options.is_empty()
        && !b.options.is_empty()
        && !a.options.iter().any(|o| b.options.contains(o))
    {
        return Err("has no option in common between its matters".into());
    }
    if a.format != b.format {
        return Err("has another text format in another matter".into());
    }
    Ok(())
}

#[cfg(feature = "catalogue")]
/// Checks that every theme fact means one type in every version of every matter asking it.
fn check_fact_types(
    c: &mut Checker<'_>,
    src: &ThemeSource,
    matters: &[&Matter],
    compiled: &[ThemeMatter],
) {
    // Theme fact name to the number of its first definition in `first` (with the matter it
    // came from).
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut first: Vec<(&FactDef, usize)> = Vec::new();
    for (i, (m, tm)) in src.matters.iter().zip(compiled).enumerate() {
        for version in versions(matters, m) {
            for def in version.facts() {
                let Some(name) = theme_name(tm, &def.name) else {
                    continue;
                };
                match seen.get(name).and_then(|&n| first.get(n)).copied() {
                    None => {
                        seen.insert(name, first.len());
                        first.push((def, i));
                    }
                    Some((earlier, from)) if from != i => {
                        if let Err(problem) = compatible(earlier, def) {
                            let other = src.matters.get(from).map_or("", |m| m.key.as_str());
                            c.invalid(
                                fact_path(src, i, &def.name),
                                alloc::format!(
                                    "fact `{name}` {problem} (`{other}` and `{}`): map them to different names in [[facts]]",
                                    m.key
                                ),
                            );
                        }
                    }
                    Some(_) => {}
                }
            }
        }
    }
}

#[cfg(feature = "catalogue")]
/// Where to point at a problem with a matter's fact: its `[[facts]]` mapping if the theme has
/// one, else the matter's `code`.
fn fact_path(src: &ThemeSource, matter: usize, fact: &str) -> SourcePath {
    let key = src.matters.get(matter).map(|m| m.key.as_str());
    for (i, f) in src.facts.iter().enumerate() {
        for (j, r) in f.of.iter().enumerate() {
            if Some(r.matter.as_str()) == key && r.fact == fact {
                return SourcePath::root().key("facts").index(i).key("of").index(j);
            }
        }
    }
    let by_base = src
        .matters
        .get(matter)
        .and_then(reference)
        .is_some_and(|(_, base)| base);
    let at = if by_base { "base" } else { "code" };
    SourcePath::root().key("matters").index(matter).key(at)
}

/// Checks `[[materials]]`: each names materials that exist in every version of their matter,
/// each matter's material at most once, and a producing matter that every matter using the
/// material waits for.
#[allow(clippy::type_complexity)]
fn named_materials(
    c: &mut Checker<'_>,
    src: &ThemeSource,
    keys: &BTreeMap<&str, usize>,
    matters: &[&Matter],
) -> (Vec<NamedMaterial>, Vec<(usize, String, usize)>) {
    let mut named = Vec::with_capacity(src.materials.len());
    let mut material_of: Vec<(usize, String, usize)> = Vec::new();
    let mut ids = BTreeMap::new();
    for (i, t) in src.materials.iter().enumerate() {
        let path = SourcePath::root().key("materials").index(i);
        c.text(path.key("id"), &t.id);
        c.text(path.key("name"), &t.name);
        if ids.insert(t.id.as_str(), ()).is_some() {
            c.duplicate(path.key("id"), "theme material", &t.id);
        }
        let produced_by = t.produced_by.as_deref().and_then(|p| {
            let found = keys.get(p).copied();
            if found.is_none() {
                c.invalid(
                    path.key("produced_by"),
                    alloc::format!("no matter with key `{p}` in this theme"),
                );
            }
            found
        });
        if t.of.is_empty() {
            c.invalid(path.key("of"), "names no matter's material");
        }
        for (j, r) in t.of.iter().enumerate() {
            let rp = path.key("of").index(j);
            let Some(&m) = keys.get(r.matter.as_str()) else {
                c.invalid(
                    rp.key("matter"),
                    alloc::format!("no matter with key `{}` in this theme", r.matter),
                );
                continue;
            };
            let named = src.matters.get(m).map(|m| versions(matters, m));
            for version in named.unwrap_or_default() {
                if !version.materials.iter().any(|x| *x.id == *r.material) {
                    c.invalid(
                        rp.key("material"),
                        alloc::format!(
                            "matter `{}` (version {}) has no material `{}`",
                            r.matter,
                            version.version.id,
                            r.material
                        ),
                    );
                }
            }
            if material_of
                .iter()
                .any(|(mm, id, _)| *mm == m && *id == r.material)
            {
                c.invalid(
                    rp.key("material"),
                    alloc::format!(
                        "material `{}` of `{}` is in the theme twice",
                        r.material,
                        r.matter
                    ),
                );
            } else {
                material_of.push((m, r.material.clone(), i));
            }
            if let Some(p) = produced_by
                && !waits_for(src, keys, m, p)
            {
                c.invalid(
                    rp.key("matter"),
                    alloc::format!(
                        "`{}` uses what `{}` produces but does not wait for it (add it to `after`)",
                        r.matter,
                        t.produced_by.as_deref().unwrap_or_default()
                    ),
                );
            }
        }
        named.push(NamedMaterial {
            id: t.id.as_str().into(),
            name: t.name.as_str().into(),
            produced_by,
        });
    }
    (named, material_of)
}

/// Whether matter `m` waits, directly or through others, for matter `p`.
fn waits_for(src: &ThemeSource, keys: &BTreeMap<&str, usize>, m: usize, p: usize) -> bool {
    let mut seen = alloc::vec![false; src.matters.len()];
    let mut stack = alloc::vec![m];
    while let Some(i) = stack.pop() {
        let Some(matter) = src.matters.get(i) else {
            continue;
        };
        for key in &matter.after {
            let Some(&a) = keys.get(key.as_str()) else {
                continue;
            };
            if a == p {
                return true;
            }
            if let Some(s) = seen.get_mut(a)
                && !*s
            {
                *s = true;
                stack.push(a);
            }
        }
    }
    false
}
