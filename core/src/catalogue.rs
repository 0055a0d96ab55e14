//! The province's catalogue in two tiers: a base item (基本目录, `base.toml`) per matter, and
//! implementations (实施清单) per region and level that inherit it and may only reduce.
//!
//! 陕政办发〔2023〕1号 任务2 has 名称、编码、依据、类型、受理条件、服务对象、办理流程、申请材料、
//! 法定办结时限、办理结果 "在全省范围内统一"; 任务4 lets each level only 压减 受理条件、申请材料、
//! 中介服务、办理时限; 任务6 (and the 咸阳 plan's 任务7) forbids "额外增加或变相增加办理环节或申请
//! 资料". So an implementation may shorten the promised limit, lower 到办事现场次数, exempt or
//! cancel materials, ask fewer copies, offer 容缺 or 告知承诺 where what it inherits allows them,
//! lower prices, waive fees and drop steps; anything else it writes is an error naming the clause.
//!
//! An implementation is compiled by applying it (and the implementations it inherits, from the
//! base down) to the base's source, then compiling the result as one matter. The reduce-only
//! checks run on the way down, each against what the implementation inherits, and the compiled
//! matter's own problems are moved back to the implementation file's keys.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::SourceFile;
use crate::checker::Checker;
use crate::common::Text;
use crate::error::{PathSegment, RuleError, RuleErrorKind, SourcePath};
use crate::facts::codes;
pub use crate::matter::Implementation;
use crate::matter::{self, Matter};
use crate::source::{
    BaseSource, CatalogueMark, ImplementationSource, LimitSource, MatterInfoSource, MatterSource,
    Names,
};

mod apply;

/// 陕政办发〔2023〕1号 任务2.
pub const UNIFIED: &str = "陕政办发〔2023〕1号 任务2: 名称、编码、依据、类型、受理条件、服务对象、办理流程、申请材料、法定办结时限、办理结果等要素在全省范围内统一";
/// 陕政办发〔2023〕1号 任务4.
pub const ONLY_REDUCE: &str = "陕政办发〔2023〕1号 任务4: 在法律法规规章允许范围内，对压减受理条件、申请材料、中介服务、办理时限等优化调整";
/// 陕政办发〔2023〕1号 任务6 and the 咸阳 plan's 任务7.
pub const NO_ADDITION: &str = "陕政办发〔2023〕1号 任务6: 不得额外增加或变相增加办理环节或申请资料; 咸阳市实施方案 任务7: 不得增加办理环节和申请材料";

/// The 行使层级 and their digit in a 实施编码.
const LEVEL_DIGITS: [(&str, char); 6] = [
    ("国家级", '1'),
    ("省级", '2'),
    ("市级", '3'),
    ("县级", '4'),
    ("乡级", '5'),
    ("村级", '6'),
];

/// A base file's matter elements as a complete matter's: the implementation's own elements are
/// stand-ins (the base's code and name), so that the base compiles and is checked alone.
fn base_as_matter(b: &BaseSource) -> MatterSource {
    let i = &b.base;
    let promised = i
        .promised_limit
        .clone()
        .unwrap_or_else(|| i.statutory_limit.clone());
    let zero = promised.working_days == Some(0) || promised.days == Some(0);
    MatterSource {
        matter: MatterInfoSource {
            basic_code: i.basic_code.clone(),
            implementation_code: i.basic_code.clone(),
            name: i.name.clone(),
            kind: i.kind.clone(),
            agency: i.name.clone(),
            levels: i.levels.clone(),
            basis: i.basis.clone(),
            statutory_limit: i.statutory_limit.clone(),
            promised_limit: promised,
            handling: if zero { "即办件" } else { "承诺件" }.to_string(),
            service_objects: i.service_objects.clone(),
            visits: i.visits.unwrap_or(0),
            modes: ["窗口办理".to_string()].into(),
            restricted_domains: i.restricted_domains.clone(),
            verified: i.verified.clone(),
            high_frequency: i.high_frequency,
            high_frequency_list: i.high_frequency_list.clone(),
        },
        version: b.version.clone(),
        basis: b.basis.clone(),
        facts: b.facts.clone(),
        situations: b.situations.clone(),
        conditions: b.conditions.clone(),
        materials: b.materials.clone(),
        special_procedures: b.special_procedures.clone(),
        extension: b.extension.clone(),
        deferral: b.deferral.clone(),
        commitment: b.commitment.clone(),
        fees: b.fees.clone(),
        guide: b.guide.clone(),
        catalogue: None,
        time_limits: b.time_limits.clone(),
        tongban: b.tongban.clone(),
    }
}

/// A base's compile errors at its own keys: `matter.x` is `base.x`.
fn base_path(path: &SourcePath) -> SourcePath {
    match path.segments() {
        [PathSegment::Key("matter"), rest @ ..] => rebuild(SourcePath::root().key("base"), rest),
        _ => path.clone(),
    }
}

fn rebuild(mut at: SourcePath, rest: &[PathSegment]) -> SourcePath {
    for segment in rest {
        at = match segment {
            PathSegment::Key(k) => at.key(k),
            PathSegment::Index(i) => at.index(*i),
        };
    }
    at
}

/// One implementation's state while the catalogue resolves inheritance.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unvisited,
    InProgress,
    Failed,
}

/// What an implementation resolved to: the root base's 基本编码 and, per base version, the
/// effective source and the reductions.
#[derive(Clone)]
struct Resolved {
    basic_code: String,
    levels: Vec<String>,
    /// Per version of the base: the effective source, the reductions of the whole chain, and
    /// what that version of the base asks.
    versions: Vec<(MatterSource, Vec<Text>, BaseCounts)>,
}

/// What a base version asks.
#[derive(Clone, Copy)]
struct BaseCounts {
    materials: u32,
    steps: u32,
}

/// What a base version asks, counted as `banshi indicators` counts a matter: materials not
/// cancelled (直接取消), and the steps of its 办理流程.
fn base_counts(src: &MatterSource) -> BaseCounts {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    BaseCounts {
        materials: count(
            src.materials
                .iter()
                .filter(|m| m.cancelled.is_empty())
                .count(),
        ),
        steps: count(src.guide.as_ref().map_or(0, |g| g.steps.len())),
    }
}

/// Everything the catalogue compiles.
pub(crate) struct Catalogue<'s> {
    bases: &'s [SourceFile<BaseSource>],
    implementations: &'s [SourceFile<ImplementationSource>],
    licences: &'s [String],
    /// 基本编码 to the base files (one per version).
    by_basic: BTreeMap<&'s str, Vec<usize>>,
    /// 实施编码 to the implementation file.
    by_code: BTreeMap<&'s str, usize>,
    state: Vec<State>,
    resolved: BTreeMap<usize, Resolved>,
    errors: Vec<RuleError>,
}

/// Compiles the bases (checked alone, never decided with) and the implementations (one matter
/// per implementation and base version). `codes` are the 实施编码 of the complete matter files,
/// which an implementation may not repeat.
pub(crate) fn compile(
    bases: &[SourceFile<BaseSource>],
    implementations: &[SourceFile<ImplementationSource>],
    licences: &[String],
    codes: &BTreeMap<&str, &str>,
) -> (Vec<Matter>, Vec<RuleError>) {
    let mut cat = Catalogue {
        bases,
        implementations,
        licences,
        by_basic: BTreeMap::new(),
        by_code: BTreeMap::new(),
        state: alloc::vec![State::Unvisited; implementations.len()],
        resolved: BTreeMap::new(),
        errors: Vec::new(),
    };
    let mut good_bases = BTreeMap::new();
    for (n, b) in bases.iter().enumerate() {
        if cat.check_base(b) {
            good_bases.insert(n, ());
        }
        cat.by_basic
            .entry(b.source.base.basic_code.as_str())
            .or_default()
            .push(n);
    }
    for list in cat.by_basic.values_mut() {
        list.retain(|n| good_bases.contains_key(n));
    }
    for (n, f) in implementations.iter().enumerate() {
        let code = f.source.implementation.code.as_str();
        let at = SourcePath::root().key("implementation").key("code");
        let other = cat
            .by_code
            .get(code)
            .and_then(|&o| implementations.get(o))
            .map(|o| o.file.as_str())
            .or_else(|| codes.get(code).copied());
        match other {
            Some(other) => cat.push(
                &f.file,
                at,
                RuleErrorKind::Invalid {
                    message: alloc::format!("the 实施编码 `{code}` is also the code of {other}"),
                },
            ),
            None => {
                cat.by_code.insert(code, n);
            }
        }
    }
    check_regions(&mut cat);
    let mut matters = Vec::new();
    for n in 0..implementations.len() {
        if cat.by_code.values().any(|&m| m == n) {
            cat.resolve(n);
        }
    }
    for (n, resolved) in core::mem::take(&mut cat.resolved) {
        let Some(f) = implementations.get(n) else {
            continue;
        };
        for (effective, _, _) in &resolved.versions {
            match matter::compile(&f.file, effective, licences) {
                Ok(m) => matters.push(m),
                Err(errors) => {
                    for e in errors {
                        let path = implementation_path(&e.path, effective, &f.source);
                        cat.errors.push(RuleError { path, ..e });
                    }
                }
            }
        }
    }
    let mut errors = cat.errors;
    // One implementation over several base versions reports a problem of its own once.
    let mut seen = BTreeMap::new();
    errors.retain(|e| {
        seen.insert((e.file.clone(), e.path.clone(), e.kind.to_string()), ())
            .is_none()
    });
    (matters, errors)
}

/// One region, one 行政区划代码: a code names the same region in every implementation, and a
/// region gives the same code (or none) in each, so that its figures count the same files.
fn check_regions(cat: &mut Catalogue<'_>) {
    let mut by_code: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut by_name: BTreeMap<&str, (Option<&str>, &str)> = BTreeMap::new();
    let mut problems = Vec::new();
    for f in cat.implementations {
        let i = &f.source.implementation;
        let code = i.region_code.as_deref();
        let message = match by_name.get(i.region.as_str()) {
            Some(&(other, file)) if other != code => Some(alloc::format!(
                "{} has the 行政区划代码 {} in {file}, not {} here",
                i.region,
                other.map_or("(none)".into(), |o| alloc::format!("`{o}`")),
                code.map_or("(none)".into(), |o| alloc::format!("`{o}`")),
            )),
            _ => code.and_then(|code| match by_code.get(code) {
                Some(&(name, file)) if name != i.region => Some(alloc::format!(
                    "the 行政区划代码 `{code}` is {name}'s in {file}, not {}'s",
                    i.region
                )),
                _ => None,
            }),
        };
        match message {
            Some(message) => problems.push((f.file.as_str(), message)),
            None => {
                by_name
                    .entry(i.region.as_str())
                    .or_insert((code, f.file.as_str()));
                if let Some(code) = code {
                    by_code
                        .entry(code)
                        .or_insert((i.region.as_str(), f.file.as_str()));
                }
            }
        }
    }
    for (file, message) in problems {
        let at = SourcePath::root().key("implementation").key("region_code");
        cat.push(file, at, RuleErrorKind::Invalid { message });
    }
}

fn mark(src: &ImplementationSource, reduced: &[Text], base: BaseCounts) -> CatalogueMark {
    let i = &src.implementation;
    CatalogueMark {
        region_code: i.region_code.clone(),
        base_materials: Some(base.materials),
        base_steps: Some(base.steps),
        region: i.region.clone(),
        level: i.level.clone(),
        illustrative: i.illustrative,
        inherits: i.inherits.clone(),
        business_item: i.business_item.clone(),
        reduced: reduced.iter().map(ToString::to_string).collect(),
    }
}

/// The sources as a bundle carries them: every implementation written out as one complete
/// matter ([`flatten`]), so that a channel loads them without the catalogue, and a rule set's
/// hash is the same whether compiled from the folder or from its bundle.
pub fn published(src: &crate::RuleSetSource) -> alloc::borrow::Cow<'_, crate::RuleSetSource> {
    if src.bases.is_empty() && src.implementations.is_empty() {
        return alloc::borrow::Cow::Borrowed(src);
    }
    alloc::borrow::Cow::Owned(crate::RuleSetSource {
        licences: src.licences.clone(),
        matters: flatten(src),
        calendar: src.calendar.clone(),
        bases: Vec::new(),
        implementations: Vec::new(),
        themes: src.themes.clone(),
        retained_proofs: src.retained_proofs.clone(),
    })
}

impl<'s> Catalogue<'s> {
    fn push(&mut self, file: &str, path: SourcePath, kind: RuleErrorKind) {
        self.errors.push(RuleError {
            file: file.to_string(),
            path,
            span: None,
            kind,
        });
    }

    /// Checks a base alone; whether it compiled.
    fn check_base(&mut self, b: &SourceFile<BaseSource>) -> bool {
        let code = &b.source.base.basic_code;
        let mut ok = true;
        if code.len() != 12 || !code.bytes().all(|c| c.is_ascii_digit()) {
            self.push(
                &b.file,
                SourcePath::root().key("base").key("basic_code"),
                RuleErrorKind::Invalid {
                    message: alloc::format!("a 基本编码 is 12 digits, not `{code}`"),
                },
            );
            ok = false;
        }
        if let Err(errors) = matter::compile(&b.file, &base_as_matter(&b.source), self.licences) {
            for e in errors {
                let path = base_path(&e.path);
                self.errors.push(RuleError { path, ..e });
            }
            ok = false;
        }
        ok
    }

    /// Resolves implementation `n` and those it inherits, reporting loops and missing bases.
    fn resolve(&mut self, n: usize) -> Option<Resolved> {
        if let Some(r) = self.resolved.get(&n) {
            return Some(r.clone());
        }
        let f = self.implementations.get(n)?;
        match self.state.get(n).copied() {
            Some(State::Unvisited) => {}
            Some(State::InProgress) => {
                self.push(
                    &f.file,
                    SourcePath::root().key("implementation").key("inherits"),
                    RuleErrorKind::Invalid {
                        message: alloc::format!(
                            "inheritance loops: `{}` inherits, through `{}`, from itself",
                            f.source.implementation.code,
                            f.source.implementation.inherits
                        ),
                    },
                );
                self.set(n, State::Failed);
                return None;
            }
            _ => return None,
        }
        self.set(n, State::InProgress);
        let inherits = f.source.implementation.inherits.as_str();
        let parent = if let Some(&p) = self.by_code.get(inherits) {
            let parent = self.resolve(p);
            if self.state.get(n).copied() == Some(State::Failed) {
                return None;
            }
            parent
        } else if let Some(list) = self.by_basic.get(inherits) {
            let versions: Vec<(MatterSource, Vec<Text>, BaseCounts)> = list
                .iter()
                .filter_map(|&b| self.bases.get(b))
                .map(|b| {
                    let src = base_as_matter(&b.source);
                    let counts = base_counts(&src);
                    (src, Vec::new(), counts)
                })
                .collect();
            let levels = list
                .first()
                .and_then(|&b| self.bases.get(b))
                .map(|b| b.source.base.levels.clone())
                .unwrap_or_default();
            // A base that failed its own checks has no versions left: its problems are reported.
            (!versions.is_empty()).then(|| Resolved {
                basic_code: inherits.to_string(),
                levels,
                versions,
            })
        } else {
            let base_exists = self
                .bases
                .iter()
                .any(|b| b.source.base.basic_code == inherits);
            if !base_exists {
                self.push(
                    &f.file,
                    SourcePath::root().key("implementation").key("inherits"),
                    RuleErrorKind::Invalid {
                        message: alloc::format!(
                            "inherits `{inherits}`, which is neither a base's 基本编码 nor an implementation's 实施编码"
                        ),
                    },
                );
            }
            None
        };
        let Some(parent) = parent else {
            self.set(n, State::Failed);
            return None;
        };
        let mut c = Checker::new(&f.file);
        check_code(&mut c, &f.source, &parent.basic_code, &parent.levels);
        let versions = parent
            .versions
            .iter()
            .map(|(src, reduced, counts)| {
                let mut reduced = reduced.clone();
                let mut effective = apply::apply(&mut c, src, &f.source, &mut reduced);
                effective.catalogue = Some(mark(&f.source, &reduced, *counts));
                (effective, reduced, *counts)
            })
            .collect();
        let failed = !c.errors.is_empty();
        self.errors.append(&mut c.errors);
        if failed {
            self.set(n, State::Failed);
            return None;
        }
        let resolved = Resolved { versions, ..parent };
        self.resolved.insert(n, resolved.clone());
        Some(resolved)
    }

    fn set(&mut self, n: usize, state: State) {
        if let Some(s) = self.state.get_mut(n) {
            *s = state;
        }
    }
}

/// Checks the 实施编码: the agency's 统一社会信用代码 (18 symbols, GB 32100-2015 check character
/// unless the code is marked illustrative), the level's digit, and the base's 基本编码.
fn check_code(
    c: &mut Checker<'_>,
    src: &ImplementationSource,
    basic_code: &str,
    levels: &[String],
) {
    let i = &src.implementation;
    let at = SourcePath::root().key("implementation");
    if let Some(region) = &i.region_code
        && !crate::region::is_code(region)
    {
        c.invalid(
            at.key("region_code"),
            alloc::format!(
                "a 行政区划代码 is 6 digits (省 2, 市 2, 县 2; GB/T 2260), or 9 or 12 with 乡 and 村, not `{region}`"
            ),
        );
    }
    let code = i.code.as_bytes();
    let digit = LEVEL_DIGITS
        .iter()
        .find(|(l, _)| *l == i.level)
        .map(|&(_, d)| d);
    match digit {
        None => c.one_of(at.key("level"), &i.level, &LEVEL_DIGITS.map(|(l, _)| l)),
        Some(_) if !levels.contains(&i.level) => c.invalid(
            at.key("level"),
            alloc::format!(
                "the base is exercised at {} (行使层级), not at {}",
                levels.join("、"),
                i.level
            ),
        ),
        Some(_) => {}
    }
    let expected_len = 18usize.saturating_add(1).saturating_add(basic_code.len());
    let shape = code.len() == expected_len
        && code
            .get(..18)
            .is_some_and(|u| u.iter().all(|&b| codes::credit_code_value(b).is_some()));
    if !shape {
        c.invalid(
            at.key("code"),
            alloc::format!(
                "a 实施编码 is the agency's 18-character 统一社会信用代码, the 行使层级 digit and the 基本编码 `{basic_code}`: {expected_len} characters, not `{}`",
                i.code
            ),
        );
        return;
    }
    let (uscc, rest) = i.code.split_at(18);
    let level_digit = rest.chars().next();
    if digit.is_some() && level_digit != digit {
        c.invalid(
            at.key("code"),
            alloc::format!(
                "the 实施编码's 19th character is the 行使层级 digit: `{}` for {}, not `{}`",
                digit.unwrap_or('?'),
                i.level,
                level_digit.unwrap_or('?')
            ),
        );
    }
    if rest.get(1..) != Some(basic_code) {
        c.invalid(
            at.key("code"),
            alloc::format!("the 实施编码 must end in the 基本编码 it inherits, `{basic_code}`"),
        );
    }
    let check = codes::credit_code_check(uscc.as_bytes().get(..17).unwrap_or_default());
    let last = uscc.as_bytes().get(17).copied();
    if !i.illustrative && check != last {
        c.invalid(
            at.key("code"),
            alloc::format!(
                "the 统一社会信用代码 `{uscc}` in the 实施编码 ends in `{}`, but its check character is `{}` (GB 32100-2015); mark a made-up code `illustrative = true`",
                last.map(char::from).unwrap_or('?'),
                check.map(char::from).unwrap_or('?'),
            ),
        );
    }
}

/// Where a problem of an implementation's compiled matter is in the implementation file.
fn implementation_path(
    path: &SourcePath,
    effective: &MatterSource,
    src: &ImplementationSource,
) -> SourcePath {
    let root = SourcePath::root();
    let imp = root.key("implementation");
    let segments = path.segments();
    let key = |k: &'static str| imp.key(k);
    match segments {
        [PathSegment::Key("matter"), PathSegment::Key(k), rest @ ..] => match *k {
            "implementation_code" => key("code"),
            "levels" => key("level"),
            "promised_limit" if src.implementation.promised_limit.is_some() => {
                rebuild(key("promised_limit"), rest)
            }
            "agency" | "handling" | "visits" | "modes" => rebuild(key(k), rest),
            _ => imp,
        },
        [
            PathSegment::Key(list @ ("basis" | "facts")),
            PathSegment::Index(i),
            rest @ ..,
        ] => {
            let own = if *list == "basis" {
                src.basis.len()
            } else {
                src.facts.len()
            };
            let total = if *list == "basis" {
                effective.basis.len()
            } else {
                effective.facts.len()
            };
            let first_own = total.saturating_sub(own);
            match i.checked_sub(first_own) {
                Some(j) => rebuild(root.key(list).index(j), rest),
                None => imp,
            }
        }
        [
            PathSegment::Key("materials"),
            PathSegment::Index(i),
            rest @ ..,
        ] => {
            let id = effective.materials.get(*i).map(|m| m.id.as_str());
            match src.materials.iter().position(|m| Some(m.id.as_str()) == id) {
                Some(j) => rebuild(root.key("materials").index(j), rest),
                None => imp,
            }
        }
        [
            PathSegment::Key(k @ ("deferral" | "commitment" | "guide")),
            ..,
        ] => {
            let own = match *k {
                "deferral" => src.deferral.is_some(),
                "commitment" => src.commitment.is_some(),
                _ => src.guide.is_some(),
            };
            if own { path.clone() } else { imp }
        }
        [
            PathSegment::Key("fees"),
            PathSegment::Key("waivers"),
            PathSegment::Index(i),
            rest @ ..,
        ] => {
            let own = src.fees.as_ref().map_or(0, |f| f.waivers.len());
            let total = effective.fees.as_ref().map_or(0, |f| f.waivers.len());
            match i.checked_sub(total.saturating_sub(own)) {
                Some(j) => rebuild(root.key("fees").key("waivers").index(j), rest),
                None => imp,
            }
        }
        _ => imp,
    }
}

/// A limit's unit and length, for comparing.
pub(crate) fn limit_parts(l: &LimitSource) -> Option<(bool, u32)> {
    match (l.working_days, l.days) {
        (Some(n), None) => Some((true, n)),
        (None, Some(n)) => Some((false, n)),
        _ => None,
    }
}

/// The licence names of a material, as a list.
pub(crate) fn names(n: Option<&Names>) -> Vec<String> {
    n.map(|n| n.as_slice().to_vec()).unwrap_or_default()
}

/// Every matter of `src` written as one complete matter file: the complete matter files as
/// they are, then each implementation applied to each version of its base (file named after the
/// implementation file). Implementations with problems are left out: this is for tools that
/// work on complete matter sources (generators, fuzzing seeds), after the rules have compiled.
pub fn flatten(src: &crate::RuleSetSource) -> Vec<SourceFile<MatterSource>> {
    let mut out = src.matters.clone();
    let mut cat = Catalogue {
        bases: &src.bases,
        implementations: &src.implementations,
        licences: &[],
        by_basic: BTreeMap::new(),
        by_code: BTreeMap::new(),
        state: alloc::vec![State::Unvisited; src.implementations.len()],
        resolved: BTreeMap::new(),
        errors: Vec::new(),
    };
    for (n, b) in src.bases.iter().enumerate() {
        cat.by_basic
            .entry(b.source.base.basic_code.as_str())
            .or_default()
            .push(n);
    }
    for (n, f) in src.implementations.iter().enumerate() {
        cat.by_code
            .entry(f.source.implementation.code.as_str())
            .or_insert(n);
    }
    for n in 0..src.implementations.len() {
        cat.resolve(n);
    }
    for (n, resolved) in cat.resolved {
        let Some(f) = src.implementations.get(n) else {
            continue;
        };
        out.extend(
            resolved
                .versions
                .into_iter()
                .map(|(effective, _, _)| SourceFile::new(f.file.clone(), effective)),
        );
    }
    out
}
