//! The plans' measurable targets for a catalogue (承诺时限压缩, 即办件占比, 网上可办率, 全程网办率 …),
//! measured on the compiled matters in force on a date, per region and level.
//!
//! Every figure is a count or an exact decimal: shares compare `numerator × 100` with
//! `target × denominator` in integers, so a catalogue exactly at a target meets it. Each
//! indicator's definition is in `rules/README.md` ("Indicators").

use alloc::vec::Vec;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::common::{Limit, Text};
use crate::matter::Matter;

/// A clause of a plan, quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// The plan.
    pub document: Text,
    /// The clause, for example 任务1.
    pub clause: Text,
    /// Its words on this target.
    pub text: Text,
}

/// What an indicator must reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// At least this percentage (`numerator / denominator`).
    Percent(u32),
    /// At least this many matters (the numerator; the denominator is the target).
    Count(u32),
}

/// Which figures to report: all of them when both are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this region.
    pub region: Option<alloc::string::String>,
    /// Only this level (行使层级).
    pub level: Option<alloc::string::String>,
}

impl Filter {
    /// Reads `{"region"?, "level"?}` (each text or null); `None` for anything else.
    pub fn from_json(text: &str) -> Option<Filter> {
        let serde_json::Value::Object(map) = serde_json::from_str(text).ok()? else {
            return None;
        };
        let mut filter = Filter::default();
        for (key, value) in map {
            let value = match value {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Null => None,
                _ => return None,
            };
            match key.as_str() {
                "region" => filter.region = value,
                "level" => filter.level = value,
                _ => return None,
            }
        }
        Some(filter)
    }
}

/// Every indicator, measured on the matters in force on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The date whose versions were measured.
    pub on: NaiveDate,
    /// The indicators, in the plans' order.
    pub indicators: Vec<Indicator>,
}

/// One indicator and its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// A stable id, for example `immediate`.
    pub id: Text,
    /// Its name in the plan.
    pub name: Text,
    /// What is counted, in one line.
    pub measure: Text,
    /// The target.
    pub target: Target,
    /// Where the plan sets it.
    pub clause: Clause,
    /// The whole catalogue first (no region, no level), then each region and level.
    pub figures: Vec<Figure>,
}

/// An indicator measured on one region and level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// The region; `None` for every region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// The level (行使层级); `None` for every level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    /// What was counted: matters, materials or steps; for 承诺时限压缩 the sum of the matters'
    /// compressions (rounded to 4 decimals here; the comparison uses the exact sum).
    #[serde(with = "rust_decimal::serde::str")]
    pub numerator: Decimal,
    /// Out of how many (matters, materials or steps; for a count target, the target).
    pub denominator: u64,
    /// `numerator / denominator` as a percentage, half away from zero to one decimal;
    /// `None` when there is nothing to measure.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub percent: Option<Decimal>,
    /// Whether the target is met; `None` when there is nothing to measure.
    pub met: Option<bool>,
    /// The matters that pull the figure below the target, in code order.
    pub pulling_down: Vec<Pull>,
}

/// A matter that pulls an indicator down, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pull {
    /// 实施编码.
    pub code: Text,
    /// 事项名称.
    pub name: Text,
    /// What it has, for example `承诺 10 / 法定 10 工作日`.
    pub why: Text,
}

const XIXIAN: &str = "西咸新区政务服务能力提升“百日攻坚”行动方案";
const BAQIAO: &str =
    "西安市灞桥区加快推进政务服务标准化规范化便利化工作实施方案（灞政办发〔2023〕27号）";

/// The percentage a share must reach, and what each matter adds to it.
enum Measure {
    /// Matters that pass `test` among those `counted`: `Some(true)` passes, `Some(false)`
    /// pulls the share down with its reason, `None` is not counted.
    Share(fn(&Matter) -> Option<Result<(), alloc::string::String>>),
    /// The mean of each counted matter's compression, `(statutory − promised) / statutory`.
    Compression,
    /// Items (materials or steps) removed against the earlier version, over the earlier
    /// version's items.
    Reduction(fn(&Matter) -> Option<u64>, &'static str),
    /// Matters that pass `test`, against a count.
    Count(fn(&Matter) -> bool),
}

struct Definition {
    id: &'static str,
    name: &'static str,
    measure_text: &'static str,
    target: Target,
    document: &'static str,
    clause: &'static str,
    text: &'static str,
    measure: Measure,
}

fn definitions() -> [Definition; 9] {
    [
        Definition {
            id: "promise-compression",
            name: "行政许可事项承诺时限压缩",
            measure_text: "行政许可事项（法定时限大于0、承诺与法定同单位）的 (法定 − 承诺) / 法定 的平均数",
            target: Target::Percent(70),
            document: XIXIAN,
            clause: "任务1",
            text: "全区平均行政许可事项承诺时限在法定时限基础上压缩70%以上",
            measure: Measure::Compression,
        },
        Definition {
            id: "at-most-one-visit",
            name: "“最多跑一次”事项占比",
            measure_text: "到办事现场次数为0或1的事项 / 全部事项",
            target: Target::Percent(95),
            document: XIXIAN,
            clause: "任务1",
            text: "“最多跑一次”事项占比不低于95%",
            measure: Measure::Share(|m| {
                share(m.info.visits <= 1, || {
                    alloc::format!("到办事现场 {} 次", m.info.visits)
                })
            }),
        },
        Definition {
            id: "immediate",
            name: "即办事项占比",
            measure_text: "办件类型为即办件的事项 / 全部事项",
            target: Target::Percent(50),
            document: XIXIAN,
            clause: "任务1",
            text: "即办事项占比不低于50%",
            measure: Measure::Share(|m| {
                share(&*m.info.handling == "即办件", || {
                    alloc::format!(
                        "{}，承诺 {}",
                        m.info.handling,
                        limit_text(m.info.promised_limit)
                    )
                })
            }),
        },
        Definition {
            id: "materials-reduction",
            name: "办件材料精减",
            measure_text: "有前一版本的事项：(前一版本材料数 − 现行材料数) / 前一版本材料数，材料数不计直接取消的材料",
            target: Target::Percent(20),
            document: XIXIAN,
            clause: "任务1",
            text: "办件材料在现有基础上精减20%",
            measure: Measure::Reduction(material_count, "材料"),
        },
        Definition {
            id: "steps-reduction",
            name: "办理环节精减",
            measure_text: "有前一版本且两版本都写明办理流程的事项：(前一版本环节数 − 现行环节数) / 前一版本环节数",
            target: Target::Percent(10),
            document: XIXIAN,
            clause: "任务1",
            text: "政务服务事项办理环节大幅减少，在现有基础上精减10%",
            measure: Measure::Reduction(step_count, "环节"),
        },
        Definition {
            id: "online",
            name: "网上可办率",
            measure_text: "办理形式含网上办理的事项 / 全部事项",
            target: Target::Percent(95),
            document: XIXIAN,
            clause: "任务1",
            text: "政务服务事项网上可办率不低于95%",
            measure: Measure::Share(|m| {
                share(m.info.modes.iter().any(|x| x == "网上办理"), || {
                    alloc::format!("办理形式 {}", m.info.modes.join("、"))
                })
            }),
        },
        Definition {
            id: "fully-online",
            name: "全程网办事项占比",
            measure_text: "到办事现场次数为0的事项 / 全部事项",
            target: Target::Percent(70),
            document: XIXIAN,
            clause: "任务1",
            text: "全程网办事项占比不低于70%",
            measure: Measure::Share(fully_online),
        },
        Definition {
            id: "fully-online-baqiao",
            name: "全程网办率",
            measure_text: "到办事现场次数为0的事项 / 全部事项",
            target: Target::Percent(85),
            document: BAQIAO,
            clause: "一（二）",
            text: "政务服务事项全程网办率达到85%以上",
            measure: Measure::Share(fully_online),
        },
        Definition {
            id: "public-service-guides",
            name: "公共服务事项办事指南发布数量",
            measure_text: "事项类型为公共服务的事项（每个事项一份办事指南）",
            target: Target::Count(500),
            document: XIXIAN,
            clause: "任务14",
            text: "公共服务事项办事指南发布数量不少于500项",
            measure: Measure::Count(|m| &*m.info.kind == "公共服务"),
        },
    ]
}

fn share(
    passes: bool,
    why: impl FnOnce() -> alloc::string::String,
) -> Option<Result<(), alloc::string::String>> {
    Some(if passes { Ok(()) } else { Err(why()) })
}

fn fully_online(m: &Matter) -> Option<Result<(), alloc::string::String>> {
    share(m.info.visits == 0, || {
        alloc::format!("到办事现场 {} 次", m.info.visits)
    })
}

/// Materials an applicant may be asked for: every listed one not cancelled (直接取消).
fn material_count(m: &Matter) -> Option<u64> {
    let n = m.materials.iter().filter(|x| x.cancelled.is_none()).count();
    u64::try_from(n).ok()
}

/// The 办理环节 of the matter's 办理流程 (`[[guide.steps]]`), when its rules give them.
fn step_count(m: &Matter) -> Option<u64> {
    let steps = m.guide().steps.len();
    (steps > 0).then(|| u64::try_from(steps).ok()).flatten()
}

fn limit_text(limit: Limit) -> alloc::string::String {
    match limit {
        Limit::WorkingDays(n) => alloc::format!("{n} 工作日"),
        Limit::Days(n) => alloc::format!("{n} 日"),
    }
}

/// Where a matter is counted: each (region, level) it is implemented at. Regions come with
/// regional implementations; until a matter names one, it is counted at its levels alone.
fn placements(m: &Matter) -> impl Iterator<Item = (Option<&str>, &str)> {
    m.info.levels.iter().map(|level| (None, level.as_str()))
}

/// A matter version in force and the version before it.
pub(crate) struct Measured<'m> {
    pub current: &'m Matter,
    pub earlier: Option<&'m Matter>,
}

/// For each matter (by code), the version in force on `on` and the one before it. `matters`
/// is sorted by code, then by effective date.
pub(crate) fn in_force(matters: &[Matter], on: NaiveDate) -> Vec<Measured<'_>> {
    let mut out: Vec<Measured<'_>> = Vec::new();
    for m in matters.iter().filter(|m| m.version.effective <= on) {
        match out.last_mut() {
            Some(last) if last.current.info.code == m.info.code => {
                last.earlier = Some(last.current);
                last.current = m;
            }
            _ => out.push(Measured {
                current: m,
                earlier: None,
            }),
        }
    }
    out
}

/// Measures every indicator on `matters` (sorted by code, then effective date) in force on `on`.
pub(crate) fn measure(matters: &[Matter], on: NaiveDate, filter: &Filter) -> Report {
    let measured = in_force(matters, on);
    // Each group: (region, level) and the matters counted there, the whole catalogue first. A
    // few groups at most (regions × levels): looked up by a linear search, in first-seen order.
    type Key<'a> = (Option<&'a str>, Option<&'a str>);
    let mut groups: Vec<(Key<'_>, Vec<&Measured<'_>>)> = Vec::new();
    for m in &measured {
        let keys = core::iter::once((None, None))
            .chain(placements(m.current).map(|(region, level)| (region, Some(level))));
        for key in keys {
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(m),
                None => groups.push((key, alloc::vec![m])),
            }
        }
    }
    let wanted = |(region, level): Key<'_>| {
        let region_ok = filter.region.as_deref().is_none_or(|r| region == Some(r));
        let level_ok = filter.level.as_deref().is_none_or(|l| level == Some(l));
        region_ok && level_ok
    };
    // The whole catalogue, then each region (first seen first), and in each its levels from 国家级
    // down; a level outside the list (none compiles) last.
    let mut regions: Vec<Option<&str>> = Vec::new();
    for ((region, _), _) in &groups {
        if !regions.contains(region) {
            regions.push(*region);
        }
    }
    let mut ordered: Vec<&(Key<'_>, Vec<&Measured<'_>>)> = Vec::with_capacity(groups.len());
    for region in regions {
        let whole = groups
            .iter()
            .filter(|((r, l), _)| *r == region && l.is_none());
        let levels = LEVELS.iter().flat_map(|level| {
            groups
                .iter()
                .filter(move |((r, l), _)| *r == region && *l == Some(*level))
        });
        let others = groups
            .iter()
            .filter(|((r, l), _)| *r == region && l.is_some_and(|l| !LEVELS.contains(&l)));
        ordered.extend(
            whole
                .chain(levels)
                .chain(others)
                .filter(|(k, _)| wanted(*k)),
        );
    }
    let indicators = definitions()
        .into_iter()
        .map(|d| {
            let figures = ordered
                .iter()
                .map(|((region, level), members)| {
                    let mut figure = figure(&d, members);
                    figure.region = region.map(Into::into);
                    figure.level = level.map(Into::into);
                    figure
                })
                .collect();
            Indicator {
                id: d.id.into(),
                name: d.name.into(),
                measure: d.measure_text.into(),
                target: d.target,
                clause: Clause {
                    document: d.document.into(),
                    clause: d.clause.into(),
                    text: d.text.into(),
                },
                figures,
            }
        })
        .collect();
    Report { on, indicators }
}

const LEVELS: [&str; 6] = ["国家级", "省级", "市级", "县级", "乡级", "村级"];

fn pull(m: &Matter, why: alloc::string::String) -> Pull {
    Pull {
        code: m.info.code.clone(),
        name: m.info.name.clone(),
        why: why.into(),
    }
}

/// `numerator / denominator` as a percentage to one decimal, half away from zero.
fn percent(numerator: Decimal, denominator: u64) -> Option<Decimal> {
    if denominator == 0 {
        return None;
    }
    numerator
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(Decimal::from(denominator))
        .map(|p| {
            let mut p = p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
            p.rescale(1);
            p
        })
}

/// Whether `numerator / denominator` reaches `target` percent, exactly.
fn reaches(numerator: Decimal, denominator: u64, target: u32) -> Option<bool> {
    if denominator == 0 {
        return None;
    }
    let left = numerator.checked_mul(Decimal::ONE_HUNDRED)?;
    let right = Decimal::from(target).checked_mul(Decimal::from(denominator))?;
    Some(left >= right)
}

fn figure(d: &Definition, members: &[&Measured<'_>]) -> Figure {
    let target = match d.target {
        Target::Percent(p) | Target::Count(p) => p,
    };
    let (numerator, denominator, pulling_down, exact) = match d.measure {
        Measure::Share(test) => {
            let (mut passed, mut counted, mut pulls) = (0u64, 0u64, Vec::new());
            for m in members {
                match test(m.current) {
                    Some(Ok(())) => passed = passed.saturating_add(1),
                    Some(Err(why)) => pulls.push(pull(m.current, why)),
                    None => continue,
                }
                counted = counted.saturating_add(1);
            }
            (Decimal::from(passed), counted, pulls, None)
        }
        Measure::Compression => compression(members, target),
        Measure::Reduction(count, what) => reduction(members, count, what, target),
        Measure::Count(test) => {
            let n = members.iter().filter(|m| test(m.current)).count();
            let n = u64::try_from(n).unwrap_or(u64::MAX);
            (Decimal::from(n), u64::from(target), Vec::new(), None)
        }
    };
    let exact = exact.unwrap_or(numerator);
    let met = match d.target {
        Target::Percent(p) => reaches(exact, denominator, p),
        Target::Count(c) => Some(exact >= Decimal::from(c)),
    };
    Figure {
        region: None,
        level: None,
        numerator: numerator.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero),
        denominator,
        percent: percent(exact, denominator),
        met,
        pulling_down,
    }
}

type Parts = (Decimal, u64, Vec<Pull>, Option<Decimal>);

/// The sum of each 行政许可 matter's compression `(statutory − promised) / statutory`, over
/// the number of such matters; a matter whose limits are in different units, or whose
/// statutory limit is 0, cannot be compressed and is not counted.
fn compression(members: &[&Measured<'_>], target: u32) -> Parts {
    let (mut sum, mut counted, mut pulls) = (Decimal::ZERO, 0u64, Vec::new());
    for m in members {
        let info = &m.current.info;
        if &*info.kind != "行政许可" {
            continue;
        }
        let (s, p) = match (info.statutory_limit, info.promised_limit) {
            (Limit::WorkingDays(s), Limit::WorkingDays(p)) | (Limit::Days(s), Limit::Days(p)) => {
                (s, p)
            }
            _ => continue,
        };
        if s == 0 {
            continue;
        }
        let ratio = Decimal::from(s.saturating_sub(p))
            .checked_div(Decimal::from(s))
            .unwrap_or(Decimal::ZERO);
        if reaches(ratio, 1, target) == Some(false) {
            let why = alloc::format!(
                "承诺 {} / 法定 {}，压缩 {}%",
                limit_text(info.promised_limit),
                limit_text(info.statutory_limit),
                percent(ratio, 1).unwrap_or_default()
            );
            pulls.push(pull(m.current, why));
        }
        sum = sum.checked_add(ratio).unwrap_or(sum);
        counted = counted.saturating_add(1);
    }
    // The share is the mean: sum / counted, so numerator = sum over counted matters.
    (sum, counted, pulls, Some(sum))
}

/// Items removed against each matter's earlier version, over the earlier versions' items.
fn reduction(
    members: &[&Measured<'_>],
    count: fn(&Matter) -> Option<u64>,
    what: &str,
    target: u32,
) -> Parts {
    let (mut removed, mut before, mut pulls) = (Decimal::ZERO, 0u64, Vec::new());
    for m in members {
        let Some(earlier) = m.earlier else { continue };
        let (Some(old), Some(new)) = (count(earlier), count(m.current)) else {
            continue;
        };
        if old == 0 {
            continue;
        }
        let cut = Decimal::from(old)
            .checked_sub(Decimal::from(new))
            .unwrap_or_default();
        if reaches(cut, old, target) == Some(false) {
            let why = alloc::format!("{what} {old} → {new}（前一版本 {}）", earlier.version.id);
            pulls.push(pull(m.current, why));
        }
        removed = removed.checked_add(cut).unwrap_or(removed);
        before = before.saturating_add(old);
    }
    (removed, before, pulls, None)
}
