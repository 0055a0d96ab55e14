//! The plans' measurable targets for a catalogue (承诺时限压缩, 即办件占比, 网上可办率, 全程网办率 …),
//! measured on the compiled matters in force on a date, per region and level.
//!
//! Every figure is a count or an exact decimal: shares compare `numerator × 100` with
//! `target × denominator` in integers, so a catalogue exactly at a target meets it. Each
//! indicator's definition is in `rules/README.md` ("Indicators").

use alloc::vec::Vec;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::common::{Limit, Text};
use crate::matter::{LEVELS, Matter};

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
    /// The region; `None` for every region. Its figures count the implementations of the
    /// regions within it too (by 行政区划代码, see [`crate::region`]), unless `alone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Text>,
    /// The region's 行政区划代码, where its implementations give one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_code: Option<Text>,
    /// Whether the figure counts the region's own implementations alone, none of the regions
    /// within it (given only for a region with regions within it).
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub alone: bool,
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
    /// How many of the matters counted are counted on a mark made for an example (a 高频 mark
    /// no published list backs): the figure is then an example too.
    #[serde(skip_serializing_if = "is_zero")]
    pub illustrative: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
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
const SHAANXI: &str = "陕西省加快推进政务服务标准化规范化便利化大力提升“秦务员”政务服务能力实施方案（陕政办发〔2023〕1号）";

/// The percentage a share must reach, and what each matter adds to it.
enum Measure {
    /// Matters that pass `test` among those counted: `Some(Ok)` passes, `Some(Err)` pulls
    /// the share down with its reason, `None` is not counted; and which counted matters are
    /// counted on an example mark.
    Share(
        fn(&Matter) -> Option<Result<(), alloc::string::String>>,
        fn(&Matter) -> bool,
    ),
    /// The mean of each counted matter's compression, `(statutory − promised) / statutory`.
    Compression,
    /// Items (materials or steps) removed against the earlier version or, for a matter with
    /// none, against the base item it implements, over the items there.
    Reduction(Items),
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

fn definitions() -> [Definition; 10] {
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
            measure: Measure::Share(
                |m| {
                    share(m.info.visits <= 1, || {
                        alloc::format!("到办事现场 {} 次", m.info.visits)
                    })
                },
                never,
            ),
        },
        Definition {
            id: "immediate",
            name: "即办事项占比",
            measure_text: "办件类型为即办件的事项 / 全部事项",
            target: Target::Percent(50),
            document: XIXIAN,
            clause: "任务1",
            text: "即办事项占比不低于50%",
            measure: Measure::Share(
                |m| {
                    share(&*m.info.handling == "即办件", || {
                        alloc::format!(
                            "{}，承诺 {}",
                            m.info.handling,
                            limit_text(m.info.promised_limit)
                        )
                    })
                },
                never,
            ),
        },
        Definition {
            id: "materials-reduction",
            name: "办件材料精减",
            measure_text: "(现有材料数 − 现行材料数) / 现有材料数：有前一版本的事项以前一版本为现有，实施清单事项以其基本目录事项为现有；材料数不计直接取消的材料",
            target: Target::Percent(20),
            document: XIXIAN,
            clause: "任务1",
            text: "办件材料在现有基础上精减20%",
            measure: Measure::Reduction(Items::Materials),
        },
        Definition {
            id: "steps-reduction",
            name: "办理环节精减",
            measure_text: "(现有环节数 − 现行环节数) / 现有环节数：有前一版本的事项以前一版本为现有，实施清单事项以其基本目录事项为现有；两者都写明办理流程的才计",
            target: Target::Percent(10),
            document: XIXIAN,
            clause: "任务1",
            text: "政务服务事项办理环节大幅减少，在现有基础上精减10%",
            measure: Measure::Reduction(Items::Steps),
        },
        Definition {
            id: "online",
            name: "网上可办率",
            measure_text: "办理形式含网上办理的事项 / 全部事项",
            target: Target::Percent(95),
            document: XIXIAN,
            clause: "任务1",
            text: "政务服务事项网上可办率不低于95%",
            measure: Measure::Share(online, never),
        },
        Definition {
            id: "fully-online",
            name: "全程网办事项占比",
            measure_text: "到办事现场次数为0的事项 / 全部事项",
            target: Target::Percent(70),
            document: XIXIAN,
            clause: "任务1",
            text: "全程网办事项占比不低于70%",
            measure: Measure::Share(fully_online, never),
        },
        Definition {
            id: "fully-online-baqiao",
            name: "全程网办率",
            measure_text: "到办事现场次数为0的事项 / 全部事项",
            target: Target::Percent(85),
            document: BAQIAO,
            clause: "一（二）",
            text: "政务服务事项全程网办率达到85%以上",
            measure: Measure::Share(fully_online, never),
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
        Definition {
            id: "high-frequency-online",
            name: "高频事项网办率",
            measure_text: "标记为高频的事项中办理形式含网上办理的 / 标记为高频的事项",
            target: Target::Percent(90),
            document: SHAANXI,
            clause: "一（二）",
            text: "高频事项网办率达到90%以上",
            measure: Measure::Share(
                |m| {
                    if m.info.high_frequency {
                        online(m)
                    } else {
                        None
                    }
                },
                |m| m.info.high_frequency && m.info.high_frequency_list.is_none(),
            ),
        },
    ]
}

fn never(_: &Matter) -> bool {
    false
}

fn online(m: &Matter) -> Option<Result<(), alloc::string::String>> {
    share(m.info.modes.iter().any(|x| x == "网上办理"), || {
        alloc::format!("办理形式 {}", m.info.modes.join("、"))
    })
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

/// What a reduction counts.
#[derive(Clone, Copy)]
enum Items {
    /// Materials an applicant may be asked for: every listed one not cancelled (直接取消).
    Materials,
    /// The 办理环节 of the matter's 办理流程 (`[[guide.steps]]`), when its rules give them.
    Steps,
}

impl Items {
    fn name(self) -> &'static str {
        match self {
            Items::Materials => "材料",
            Items::Steps => "环节",
        }
    }

    fn of(self, m: &Matter) -> Option<u64> {
        let n = match self {
            Items::Materials => m.materials.iter().filter(|x| x.cancelled.is_none()).count(),
            Items::Steps => m.guide().steps.len(),
        };
        u64::try_from(n)
            .ok()
            .filter(|&n| n > 0 || matches!(self, Items::Materials))
    }

    /// What the base item of an implementation asks, counted the same way (the catalogue
    /// counts it when it compiles the implementation).
    fn of_base(self, m: &Matter) -> Option<u64> {
        let (materials, steps) = m.implementation.as_ref()?.base?;
        match self {
            Items::Materials => Some(materials.into()),
            Items::Steps => (steps > 0).then_some(steps.into()),
        }
    }
}

fn limit_text(limit: Limit) -> alloc::string::String {
    match limit {
        Limit::WorkingDays(n) => alloc::format!("{n} 工作日"),
        Limit::Days(n) => alloc::format!("{n} 日"),
    }
}

/// A region as its implementations name it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Region<'a> {
    /// Coded regions first, in code order: `(false, code)`; then the others, `(true, "")`.
    order: (bool, &'a str),
    name: &'a str,
    code: Option<&'a str>,
}

fn region_of(m: &Matter) -> Option<Region<'_>> {
    let i = m.implementation.as_ref()?;
    let code = i.region_code.as_deref();
    Some(Region {
        order: (code.is_none(), code.unwrap_or_default()),
        name: &i.region,
        code,
    })
}

impl Region<'_> {
    /// Whether `m` is implemented in this region itself.
    fn owns(&self, m: &Matter) -> bool {
        m.implementation
            .as_ref()
            .is_some_and(|i| *i.region == *self.name)
    }

    /// Whether `m` is implemented in this region or in one within it.
    fn holds(&self, m: &Matter) -> bool {
        self.owns(m)
            || region_of(m)
                .and_then(|r| r.code.zip(self.code))
                .is_some_and(|(inner, outer)| crate::region::within(inner, outer))
    }
}

/// A matter version in force and the version before it.
pub(crate) struct Measured<'m> {
    pub current: &'m Matter,
    pub earlier: Option<&'m Matter>,
}

/// For each matter (by code), the version in force on `on` and the one before it. `matters`
/// is sorted by code, then by effective date.
pub(crate) fn in_force<'m>(matters: &[&'m Matter], on: NaiveDate) -> Vec<Measured<'m>> {
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

/// One row of figures: which matters it counts.
struct Group<'a, 'm> {
    region: Option<Region<'a>>,
    level: Option<&'a str>,
    alone: bool,
    members: Vec<&'a Measured<'m>>,
}

/// The rows, in order: the whole catalogue; for matters written in one file, each level they
/// list, in no region; then each region (coded ones in code order, then the others by name)
/// with the regions within it, the region alone when regions lie within it, and the region
/// with those within it at each level, from 国家级 down.
fn groups<'a, 'm>(measured: &'a [Measured<'m>]) -> Vec<Group<'a, 'm>> {
    let mut out = Vec::new();
    // Each row's members are chosen by one function (a `dyn` predicate: one copy of the
    // choosing code in the WebAssembly module, not one per row kind).
    let mut row = |region: Option<Region<'a>>,
                   level: Option<&'a str>,
                   alone: bool,
                   pick: &dyn Fn(&Matter) -> bool| {
        let members: Vec<&'a Measured<'m>> = measured.iter().filter(|m| pick(m.current)).collect();
        if !members.is_empty() || out.is_empty() {
            out.push(Group {
                region,
                level,
                alone,
                members,
            });
        }
    };
    let level_of = |m: &Matter, level: &str| match &m.implementation {
        Some(i) => *i.level == *level,
        None => false,
    };
    row(None, None, false, &|_| true);
    // Few regions: kept in order by insertion, without a sort (each sort of a new type adds its
    // own copy of the sorting code to the WebAssembly module).
    let mut regions: Vec<Region<'a>> = Vec::new();
    for m in measured {
        if let Some(region) = region_of(m.current)
            && !regions.contains(&region)
        {
            let at = regions
                .iter()
                .position(|r| *r > region)
                .unwrap_or(regions.len());
            regions.insert(at, region);
        }
    }
    for level in LEVELS {
        row(None, Some(level), false, &|m| {
            m.implementation.is_none() && m.info.levels.iter().any(|l| l == level)
        });
    }
    for region in regions {
        let nested = measured
            .iter()
            .any(|m| region.holds(m.current) && !region.owns(m.current));
        row(Some(region), None, false, &|m| region.holds(m));
        if nested {
            row(Some(region), None, true, &|m| region.owns(m));
        }
        for level in LEVELS {
            row(Some(region), Some(level), false, &|m| {
                region.holds(m) && level_of(m, level)
            });
        }
    }
    out
}

/// Measures every indicator on `matters` (sorted by code, then effective date) in force on `on`.
pub(crate) fn measure(matters: &[&Matter], on: NaiveDate, filter: &Filter) -> Report {
    let measured = in_force(matters, on);
    let wanted = |g: &Group<'_, '_>| {
        let region_ok = filter.region.as_deref().is_none_or(|r| {
            g.region
                .is_some_and(|region| region.name == r || region.code == Some(r))
        });
        let level_ok = filter.level.as_deref().is_none_or(|l| g.level == Some(l));
        region_ok && level_ok
    };
    let ordered: Vec<Group<'_, '_>> = groups(&measured)
        .into_iter()
        .filter(|g| wanted(g))
        .collect();
    let indicators = definitions()
        .into_iter()
        .map(|d| {
            let figures = ordered
                .iter()
                .map(|g| {
                    let mut figure = figure(&d, &g.members);
                    figure.region = g.region.map(|r| r.name.into());
                    figure.region_code = g.region.and_then(|r| r.code).map(Into::into);
                    figure.alone = g.alone;
                    figure.level = g.level.map(Into::into);
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

fn pull(m: &Matter, why: alloc::string::String) -> Pull {
    Pull {
        code: m.info.code.clone(),
        name: m.info.name.clone(),
        why: why.into(),
    }
}

/// An exact value `sign × magnitude / over` (`over` > 0): a share, a mean or a reduction.
#[derive(Clone, Copy)]
struct Fraction {
    negative: bool,
    magnitude: u128,
    over: u128,
}

impl Fraction {
    fn new(numerator: u128, denominator: u128) -> Option<Fraction> {
        (denominator > 0).then_some(Fraction {
            negative: false,
            magnitude: numerator,
            over: denominator,
        })
    }

    /// `round(self × scale)`, half away from zero, as a decimal with `digits` decimals.
    fn scaled(self, scale: u128, digits: u32) -> Option<Decimal> {
        let twice = self.magnitude.checked_mul(scale)?.checked_mul(2)?;
        let rounded = twice
            .checked_add(self.over)?
            .checked_div(self.over.checked_mul(2)?)?;
        let value = i64::try_from(rounded).ok()?;
        let value = if self.negative {
            value.checked_neg()?
        } else {
            value
        };
        Some(Decimal::new(value, digits))
    }

    /// The percentage to one decimal, half away from zero.
    fn percent(self) -> Option<Decimal> {
        self.scaled(1000, 1)
    }

    /// Whether it reaches `target` percent: `value × 100 ≥ target`, in integers.
    fn reaches(self, target: u32) -> Option<bool> {
        if self.negative {
            return Some(self.magnitude == 0 && target == 0);
        }
        let left = self.magnitude.checked_mul(100)?;
        Some(left >= u128::from(target).checked_mul(self.over)?)
    }
}

fn figure(d: &Definition, members: &[&Measured<'_>]) -> Figure {
    let target = match d.target {
        Target::Percent(p) | Target::Count(p) => p,
    };
    let mut illustrative = 0u64;
    // The numerator as shown, the denominator, the value compared with the target, the pulls.
    let (numerator, denominator, value, pulling_down) = match d.measure {
        Measure::Share(test, example) => {
            let (mut passed, mut counted, mut pulls) = (0u64, 0u64, Vec::new());
            for m in members {
                match test(m.current) {
                    Some(Ok(())) => passed = passed.saturating_add(1),
                    Some(Err(why)) => pulls.push(pull(m.current, why)),
                    None => continue,
                }
                counted = counted.saturating_add(1);
                if example(m.current) {
                    illustrative = illustrative.saturating_add(1);
                }
            }
            let value = Fraction::new(passed.into(), counted.into());
            (Some(Decimal::from(passed)), counted, value, pulls)
        }
        Measure::Compression => compression(members, target),
        Measure::Reduction(items) => reduction(members, items, target),
        Measure::Count(test) => {
            let n = members.iter().filter(|m| test(m.current)).count();
            let n = u64::try_from(n).unwrap_or(u64::MAX);
            let value = Fraction::new(n.into(), target.into());
            (Some(Decimal::from(n)), u64::from(target), value, Vec::new())
        }
    };
    let met = match d.target {
        Target::Percent(p) => value.and_then(|v| v.reaches(p)),
        Target::Count(c) => value.map(|v| v.magnitude >= u128::from(c)),
    };
    Figure {
        region: None,
        region_code: None,
        alone: false,
        level: None,
        numerator: numerator.unwrap_or_default(),
        denominator,
        percent: value.and_then(Fraction::percent),
        met,
        pulling_down,
        illustrative,
    }
}

type Parts = (Option<Decimal>, u64, Option<Fraction>, Vec<Pull>);

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a.checked_rem(b).unwrap_or(0));
    }
    a
}

/// The sum of each 行政许可 matter's compression `(statutory − promised) / statutory`, over
/// the number of such matters, as an exact fraction; a matter whose limits are in different
/// units, or whose statutory limit is 0, cannot be compressed and is not counted. (A sum whose
/// denominator outgrows 128 bits, which takes dozens of distinct large limits, is not
/// measured: no percentage, no verdict.)
fn compression(members: &[&Measured<'_>], target: u32) -> Parts {
    let (mut sum, mut counted, mut pulls) = (Some((0u128, 1u128)), 0u64, Vec::new());
    for m in members {
        let info = &m.current.info;
        if &*info.kind != "行政许可" {
            continue;
        }
        let (s, p) = match (info.statutory_limit, info.promised_limit) {
            (Limit::WorkingDays(s), Limit::WorkingDays(p)) | (Limit::Days(s), Limit::Days(p)) => {
                (u128::from(s), u128::from(p))
            }
            _ => continue,
        };
        let Some(ratio) = Fraction::new(s.saturating_sub(p), s) else {
            continue;
        };
        if ratio.reaches(target) == Some(false) {
            let why = alloc::format!(
                "承诺 {} / 法定 {}，压缩 {}%",
                limit_text(info.promised_limit),
                limit_text(info.statutory_limit),
                ratio.percent().unwrap_or_default()
            );
            pulls.push(pull(m.current, why));
        }
        // a/b + c/s = (a·s + c·b) / (b·s), reduced.
        sum = sum.and_then(|(a, b): (u128, u128)| {
            let top = a
                .checked_mul(s)?
                .checked_add(ratio.magnitude.checked_mul(b)?)?;
            let bottom = b.checked_mul(s)?;
            let g = gcd(top, bottom).max(1);
            Some((top.checked_div(g)?, bottom.checked_div(g)?))
        });
        counted = counted.saturating_add(1);
    }
    let Some((a, b)) = sum else {
        return (None, counted, None, pulls);
    };
    let shown = Fraction::new(a, b).and_then(|f| f.scaled(10_000, 4).map(|d| d.normalize()));
    let mean = b
        .checked_mul(counted.into())
        .and_then(|over| Fraction::new(a, over));
    (shown, counted, mean, pulls)
}

/// Items removed against each matter's earlier version or, for a matter with none, the base
/// item it implements (西咸新区 plan 任务1: “在现有基础上精减”), over the items there.
fn reduction(members: &[&Measured<'_>], items: Items, target: u32) -> Parts {
    let (mut removed, mut added, mut before, mut pulls) = (0u64, 0u64, 0u64, Vec::new());
    for m in members {
        let (old, against) = match m.earlier {
            Some(earlier) => (
                items.of(earlier),
                alloc::format!("前一版本 {}", earlier.version.id),
            ),
            None => (
                items.of_base(m.current),
                alloc::format!("基本目录 {}", m.current.info.basic_code),
            ),
        };
        let (Some(old), Some(new)) = (old, items.of(m.current)) else {
            continue;
        };
        if old == 0 {
            continue;
        }
        let cut = Fraction::new(old.saturating_sub(new).into(), old.into());
        if cut.and_then(|c| c.reaches(target)) == Some(false) {
            let why = alloc::format!("{} {old} → {new}（{against}）", items.name());
            pulls.push(pull(m.current, why));
        }
        removed = removed.saturating_add(old.saturating_sub(new));
        added = added.saturating_add(new.saturating_sub(old));
        before = before.saturating_add(old);
    }
    let negative = added > removed;
    let net = removed.abs_diff(added);
    let value = Fraction::new(net.into(), before.into()).map(|f| Fraction { negative, ..f });
    let shown = i64::try_from(net)
        .ok()
        .map(|n| Decimal::from(if negative { n.saturating_neg() } else { n }));
    (shown, before, value, pulls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent(negative: bool, magnitude: u128, over: u128) -> alloc::string::String {
        let f = Fraction {
            negative,
            magnitude,
            over,
        };
        alloc::format!("{}", f.percent().unwrap())
    }

    #[test]
    fn percentages_round_half_away_from_zero() {
        assert_eq!(percent(false, 1, 16), "6.3"); // 6.25
        assert_eq!(percent(true, 1, 16), "-6.3");
        assert_eq!(percent(false, 2, 3), "66.7");
        assert_eq!(percent(false, 1, 6), "16.7");
        assert_eq!(percent(false, 5, 12), "41.7");
        assert_eq!(percent(false, 0, 5), "0.0");
        assert_eq!(percent(false, 7, 7), "100.0");
    }

    #[test]
    fn targets_compare_exactly() {
        let at = |m, o| Fraction::new(m, o).unwrap().reaches(70);
        assert_eq!(at(7, 10), Some(true));
        assert_eq!(at(699_999, 1_000_000), Some(false));
        assert_eq!(at(2, 3), Some(false));
    }
}
