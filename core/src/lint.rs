//! `banshi lint`: rules that compile but that the policies forbid or discourage, each warning
//! at its key path with the clause it holds the rules to. Warnings never stop rules from
//! loading; an office's CI can make them fail (`banshi lint --deny`).
//!
//! Each check and its clause is listed in `rules/README.md` ("Lint").

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::RuleSetSource;
#[cfg(feature = "catalogue")]
use crate::SourceFile;
use crate::error::SourcePath;
#[cfg(feature = "catalogue")]
use crate::source::{BaseSource, ImplementationSource};
use crate::source::{BasisSource, LimitSource, MaterialSource, MatterSource, RetainedProofsSource};

/// The ranks of legal documents (效力位阶), highest first; the first [`RULE_RANKS`] are 法律,
/// 法规 or 规章.
pub const RANKS: [&str; 8] = [
    "法律",
    "行政法规",
    "地方性法规",
    "自治条例",
    "单行条例",
    "部门规章",
    "地方政府规章",
    "规范性文件",
];

/// How many of [`RANKS`] are 规章 or above.
pub const RULE_RANKS: usize = 7;

/// A policy a warning holds the rules to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A material a government department issues, with neither sharing nor an e-licence.
    IssuedNotSpared,
    /// A promised limit equal to the statutory one.
    PromisedIsStatutory,
    /// A proof outside the retained-proof catalogue.
    ProofNotRetained,
    /// A proof cancelled or kept on a basis below 规章.
    BasisBelowRule,
    /// No paper route: online only, or a material only taken electronically.
    NoPaperRoute,
}

impl Check {
    /// The check's name, as `banshi lint` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Check::IssuedNotSpared => "issued-not-spared",
            Check::PromisedIsStatutory => "promised-is-statutory",
            Check::ProofNotRetained => "proof-not-retained",
            Check::BasisBelowRule => "basis-below-rule",
            Check::NoPaperRoute => "no-paper-route",
        }
    }

    /// The clause it holds the rules to: document, clause and its words.
    pub fn clause(self) -> (&'static str, &'static str, &'static str) {
        const SHAANXI: &str = "陕政办发〔2023〕1号";
        const XIAN: &str = "市政办发〔2021〕36号";
        const XIXIAN: &str = "西咸新区政务服务能力提升“百日攻坚”行动方案";
        match self {
            Check::IssuedNotSpared => (
                SHAANXI,
                "任务17",
                "推动实现政府部门核发的材料一律免于提交,能够提供电子证照的一律免于提交实体证照",
            ),
            Check::PromisedIsStatutory => (
                XIXIAN,
                "任务1",
                "全区平均行政许可事项承诺时限在法定时限基础上压缩70%以上",
            ),
            Check::ProofNotRetained => {
                (XIAN, "第十三条", "所需证明类材料应在全市保留证明事项目录内")
            }
            Check::BasisBelowRule => (XIXIAN, "任务6", "对无法律、法规依据的证明事项一律取消"),
            Check::NoPaperRoute => (
                SHAANXI,
                "任务13",
                "凡涉及线下办理,不得拒收办事群众提交的纸质资料,不得拒收现金,不得强制线上办理",
            ),
        }
    }
}

/// One warning: where, which check, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The file, as the sources name it.
    pub file: String,
    /// Where in it.
    pub path: SourcePath,
    /// The check.
    pub check: Check,
    /// What is wrong, naming the material or the limits.
    pub message: String,
}

/// Every warning for the rules `src` (already compiled without errors) and, where the rules
/// have one, their retained-proof catalogue (`proofs`, from `file`), in file order.
pub fn lint(src: &RuleSetSource, proofs: Option<(&str, &RetainedProofsSource)>) -> Vec<Warning> {
    let mut out = Vec::new();
    let retained: Option<BTreeSet<&str>> =
        proofs.map(|(_, p)| p.proofs.iter().map(|x| x.name.as_str()).collect());
    for file in &src.matters {
        matter(&file.file, &file.source, retained.as_ref(), &mut out);
    }
    #[cfg(feature = "catalogue")]
    {
        let tiers = Tiers::new(&src.implementations);
        for file in &src.bases {
            base(
                &file.file,
                &file.source,
                retained.as_ref(),
                &tiers,
                &mut out,
            );
        }
        for n in 0..src.implementations.len() {
            implementation(n, &src.bases, &tiers, &mut out);
        }
    }
    if let Some((file, catalogue)) = proofs {
        for (i, proof) in catalogue.proofs.iter().enumerate() {
            let ranked = proof.basis.iter().any(|b| at_least_rule(&b.rank));
            if !ranked {
                out.push(Warning {
                    file: file.into(),
                    path: SourcePath::root().key("proofs").index(i).key("basis"),
                    check: Check::BasisBelowRule,
                    message: alloc::format!(
                        "the retained proof `{}` is kept on no law, regulation or rule (规章)",
                        proof.name
                    ),
                });
            }
        }
    }
    out
}

fn at_least_rule(rank: &str) -> bool {
    RANKS.iter().take(RULE_RANKS).any(|r| *r == rank)
}

fn same_limit(a: &LimitSource, b: &LimitSource) -> Option<u32> {
    match (a.working_days, a.days, b.working_days, b.days) {
        (Some(x), None, Some(y), None) | (None, Some(x), None, Some(y)) if x == y => Some(x),
        _ => None,
    }
}

/// Where warnings go: the file they are in.
struct Sink<'a> {
    file: &'a str,
    out: &'a mut Vec<Warning>,
}

impl Sink<'_> {
    fn warn(&mut self, path: SourcePath, check: Check, message: String) {
        self.out.push(Warning {
            file: self.file.into(),
            path,
            check,
            message,
        });
    }

    /// A promised limit equal to the statutory one, at `at.promised_limit`.
    fn limits(&mut self, at: &SourcePath, promised: Option<&LimitSource>, statutory: &LimitSource) {
        if let Some(n) = promised.and_then(|p| same_limit(p, statutory))
            && n > 0
        {
            self.warn(
                at.key("promised_limit"),
                Check::PromisedIsStatutory,
                alloc::format!(
                    "the promised limit ({n}) is the statutory limit: nothing is compressed"
                ),
            );
        }
    }

    /// Whether `modes` have a paper route; a warning at `at.modes` when not.
    fn modes(&mut self, at: &SourcePath, modes: &[String]) -> bool {
        let paper = modes.iter().any(|m| m == "窗口办理" || m == "快递申请");
        if !paper {
            self.warn(
                at.key("modes"),
                Check::NoPaperRoute,
                "the matter can only be handled online: add 窗口办理 or 快递申请".into(),
            );
        }
        paper
    }
}

fn matter(
    file: &str,
    src: &MatterSource,
    retained: Option<&BTreeSet<&str>>,
    out: &mut Vec<Warning>,
) {
    let mut sink = Sink { file, out };
    let at = SourcePath::root().key("matter");
    let info = &src.matter;
    sink.limits(&at, Some(&info.promised_limit), &info.statutory_limit);
    let paper = sink.modes(&at, &info.modes);
    materials(
        &mut sink,
        &src.materials,
        &src.basis,
        paper,
        retained,
        &|_| false,
    );
}

#[cfg(feature = "catalogue")]
/// The implementations of a rule set, by 实施编码, with the 基本编码 each comes down from.
struct Tiers<'a> {
    files: &'a [SourceFile<ImplementationSource>],
    by_code: BTreeMap<&'a str, usize>,
    /// Per implementation, what the top of its chain inherits: a 基本编码 (or, for a chain
    /// that loops, a 实施编码 no base has).
    roots: Vec<Option<&'a str>>,
    /// The implementations under each root.
    under: BTreeMap<&'a str, Vec<usize>>,
}

#[cfg(feature = "catalogue")]
impl<'a> Tiers<'a> {
    fn new(files: &'a [SourceFile<ImplementationSource>]) -> Tiers<'a> {
        let by_code: BTreeMap<&str, usize> = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.source.implementation.code.as_str(), n))
            .collect();
        let mut tiers = Tiers {
            files,
            by_code,
            roots: Vec::new(),
            under: BTreeMap::new(),
        };
        tiers.roots = (0..files.len())
            .map(|n| {
                tiers
                    .chain(n)
                    .last()
                    .map(|f| f.implementation.inherits.as_str())
            })
            .collect();
        for (n, root) in tiers.roots.iter().enumerate() {
            if let Some(root) = root {
                tiers.under.entry(root).or_default().push(n);
            }
        }
        tiers
    }

    /// Implementation `n` and those it inherits, nearest first; at most every file once, so an
    /// inheritance loop (which `banshi check` reports) ends.
    fn chain(&self, n: usize) -> impl Iterator<Item = &'a ImplementationSource> + '_ {
        let mut at = Some(n);
        (0..self.files.len()).map_while(move |_| {
            let f = at.and_then(|i| self.files.get(i))?;
            at = self
                .by_code
                .get(f.source.implementation.inherits.as_str())
                .copied();
            Some(&f.source)
        })
    }

    /// Whether implementation `n`, or one it inherits, spares material `id` by a route of its
    /// own (sharing, an e-licence or 直接取消).
    fn spares(&self, n: usize, id: &str) -> bool {
        self.chain(n).any(|i| {
            i.materials.iter().any(|m| {
                m.id == id
                    && (m.sharing.is_some() || m.licence.is_some() || !m.cancelled.is_empty())
            })
        })
    }

    /// The implementations that come down from the base `basic_code`.
    fn of(&self, basic_code: &str) -> impl Iterator<Item = usize> + '_ {
        self.under.get(basic_code).into_iter().flatten().copied()
    }
}

#[cfg(feature = "catalogue")]
/// A base item (`base.toml`): its promised limit, when it sets one, and its materials as the
/// base writes them. A government-issued material the base spares by no route is the base's
/// to change only while no implementation spares it either; once one does, the others are
/// told (see [`implementation`]).
fn base(
    file: &str,
    src: &BaseSource,
    retained: Option<&BTreeSet<&str>>,
    tiers: &Tiers<'_>,
    out: &mut Vec<Warning>,
) {
    let mut sink = Sink { file, out };
    let info = &src.base;
    let at = SourcePath::root().key("base");
    sink.limits(&at, info.promised_limit.as_ref(), &info.statutory_limit);
    let spared = |id: &str| tiers.of(&info.basic_code).any(|n| tiers.spares(n, id));
    materials(
        &mut sink,
        &src.materials,
        &src.basis,
        true,
        retained,
        &spared,
    );
}

#[cfg(feature = "catalogue")]
/// An implementation: its promised limit against its base's statutory one, its modes, and the
/// government-issued materials of its base that another implementation spares and it does not.
fn implementation(
    n: usize,
    bases: &[SourceFile<BaseSource>],
    tiers: &Tiers<'_>,
    out: &mut Vec<Warning>,
) {
    let Some(f) = tiers.files.get(n) else { return };
    let mut sink = Sink { file: &f.file, out };
    let info = &f.source.implementation;
    let at = SourcePath::root().key("implementation");
    let root = tiers.roots.get(n).copied().flatten();
    let inherited = bases
        .iter()
        .find(|b| b.source.base.basic_code == info.inherits);
    if let Some(b) = inherited {
        sink.limits(
            &at,
            info.promised_limit.as_ref(),
            &b.source.base.statutory_limit,
        );
    }
    sink.modes(&at, &info.modes);
    let mut told = BTreeSet::new();
    let versions = bases
        .iter()
        .filter(|b| Some(b.source.base.basic_code.as_str()) == root);
    for b in versions {
        for m in &b.source.materials {
            let bare = m.issuer.is_some()
                && m.sharing.is_none()
                && m.licence.is_none()
                && m.cancelled.is_empty();
            if !bare || tiers.spares(n, &m.id) || told.contains(m.id.as_str()) {
                continue;
            }
            let Some(other) = root
                .into_iter()
                .flat_map(|r| tiers.of(r))
                .find(|&o| tiers.spares(o, &m.id))
                .and_then(|o| tiers.files.get(o))
            else {
                continue;
            };
            told.insert(m.id.as_str());
            let path = match f.source.materials.iter().position(|c| c.id == m.id) {
                Some(j) => SourcePath::root().key("materials").index(j).key("id"),
                None => at.clone(),
            };
            sink.warn(
                path,
                Check::IssuedNotSpared,
                alloc::format!(
                    "material `{}` is issued by {} and {} spares it by a route of its own, but this implementation does not: give it `sharing` or a `licence` here",
                    m.id,
                    m.issuer.as_deref().unwrap_or_default(),
                    other.file
                ),
            );
        }
    }
}

/// The warnings on `materials`, whose bases are `basis`; `paper` when the matter takes paper;
/// `spared_below` tells which materials an implementation spares (a base's only).
fn materials(
    sink: &mut Sink<'_>,
    materials: &[MaterialSource],
    basis: &[BasisSource],
    paper: bool,
    retained: Option<&BTreeSet<&str>>,
    spared_below: &dyn Fn(&str) -> bool,
) {
    let basis: BTreeMap<&str, Option<&str>> = basis
        .iter()
        .map(|b| (b.id.as_str(), b.rank.as_deref()))
        .collect();
    for (i, m) in materials.iter().enumerate() {
        let at = SourcePath::root().key("materials").index(i);
        let cancelled = !m.cancelled.is_empty();
        let shared = m.sharing.is_some();
        if let Some(issuer) = &m.issuer
            && !cancelled
            && !shared
            && m.licence.is_none()
            && !spared_below(&m.id)
        {
            sink.warn(
                at.key("issuer"),
                Check::IssuedNotSpared,
                alloc::format!(
                    "material `{}` is issued by {issuer} but has neither a `sharing` route nor a `licence`",
                    m.id
                ),
            );
        }
        if paper && m.medium == "电子" && !cancelled && !shared {
            sink.warn(
                at.key("medium"),
                Check::NoPaperRoute,
                alloc::format!(
                    "material `{}` is taken only electronically (medium = \"电子\")",
                    m.id
                ),
            );
        }
        if let (Some(proof), Some(retained)) = (&m.proof, retained)
            && !cancelled
            && !retained.contains(proof.as_str())
        {
            sink.warn(
                at.key("proof"),
                Check::ProofNotRetained,
                alloc::format!("the proof `{proof}` is not in the retained-proof catalogue"),
            );
        }
        if cancelled {
            let ranks: Vec<Option<&str>> = m
                .cancelled
                .iter()
                .filter_map(|id| basis.get(id.as_str()).copied())
                .collect();
            let why = if ranks.iter().flatten().any(|r| at_least_rule(r)) {
                None
            } else if ranks.iter().all(Option::is_none) {
                Some("by a basis whose `rank` is not given: give it")
            } else {
                Some("on no law, regulation or rule (规章)")
            };
            if let Some(why) = why {
                sink.warn(
                    at.key("cancelled"),
                    Check::BasisBelowRule,
                    alloc::format!("material `{}` is cancelled {why}", m.id),
                );
            }
        }
    }
}
