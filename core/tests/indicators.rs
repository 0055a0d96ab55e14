//! The plans' indicators on a small catalogue counted by hand, with figures exactly at their
//! targets (which meet them) and matters that pull figures down.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::indicators::{Figure, Filter, Report, Target};
use banshi_core::source::MatterSource;
use banshi_core::{Decimal, NaiveDate, RuleSet, RuleSetSource, SourceFile};
use serde_json::{Value, json};

struct Spec {
    code: &'static str,
    kind: &'static str,
    levels: &'static [&'static str],
    limits: (u32, u32),
    visits: u8,
    modes: &'static [&'static str],
    effective: &'static str,
    /// Materials listed, and how many of them are cancelled (直接取消).
    materials: (usize, usize),
    /// Steps (办理环节) of its 办理流程; 0 for none given.
    steps: usize,
}

fn matter(s: &Spec) -> SourceFile<MatterSource> {
    let materials: Vec<Value> = (0..s.materials.0)
        .map(|i| {
            let mut m = json!({"id": format!("m{i}"), "name": format!("材料{i}"), "form": "原件",
                "medium": "纸质", "copies": 1, "basis": ["b1"]});
            if i < s.materials.1 {
                m["cancelled"] = json!(["b1"]);
            }
            m
        })
        .collect();
    let handling = if s.limits.1 == 0 {
        "即办件"
    } else {
        "承诺件"
    };
    let source = json!({
        "matter": {"basic_code": s.code, "implementation_code": s.code, "name": format!("事项{}", s.code),
            "type": s.kind, "agency": "示例局", "levels": s.levels, "basis": ["b1"],
            "statutory_limit": {"working_days": s.limits.0},
            "promised_limit": {"working_days": s.limits.1},
            "handling": handling, "service_objects": ["自然人"], "visits": s.visits,
            "modes": s.modes},
        "version": {"id": s.effective, "effective": s.effective},
        "basis": [{"id": "b1", "document": "示例条例", "article": "第一条"}],
        "materials": materials,
        "guide": {"steps": (0..s.steps).map(|i| json!({"name": format!("环节{i}")})).collect::<Vec<_>>()},
    });
    let source: MatterSource = serde_json::from_value(source).expect("a matter source");
    SourceFile::new(format!("{}-{}/matter.toml", s.code, s.effective), source)
}

const PERMIT: &str = "行政许可";
const BOTH: &[&str] = &["窗口办理", "网上办理"];

/// Five matters in force on 2026-06-01 (and three earlier versions, one later one):
///
/// | code | type | level | 法定→承诺 | compression | 即办 | 网上 | visits | materials before → now | steps |
/// | P1 | 行政许可 | 县级 | 20 → 6 | 70 % | no | yes | 0 | 5 → 4 | 10 → 9 |
/// | P2 | 行政许可 | 县级 | 10 → 3 | 70 % | no | yes | 0 | 4 → 3 (4 listed, 1 cancelled) | none → 3 |
/// | P3 | 行政许可 | 市级 | 1 → 0 | 100 % | yes | yes | 0 | (a 2027 version not yet in force) | - |
/// | P4 | 行政许可 | 市级 | 10 → 10 | 0 % | no | no (窗口) | 1 | 2 → 2 | 3 → 3 |
/// | S1 | 公共服务 | 县级 | 20 → 5 | (not a permit) | no | yes | 0 | - | - |
fn catalogue() -> RuleSet {
    let county: &[&str] = &["县级"];
    let city: &[&str] = &["市级"];
    let specs = [
        Spec {
            code: "P1",
            kind: PERMIT,
            levels: county,
            limits: (20, 10),
            visits: 1,
            modes: BOTH,
            effective: "2025-01-01",
            materials: (5, 0),
            steps: 10,
        },
        Spec {
            code: "P1",
            kind: PERMIT,
            levels: county,
            limits: (20, 6),
            visits: 0,
            modes: BOTH,
            effective: "2026-01-01",
            materials: (4, 0),
            steps: 9,
        },
        Spec {
            code: "P2",
            kind: PERMIT,
            levels: county,
            limits: (10, 10),
            visits: 0,
            modes: BOTH,
            effective: "2025-01-01",
            materials: (4, 0),
            steps: 0,
        },
        Spec {
            code: "P2",
            kind: PERMIT,
            levels: county,
            limits: (10, 3),
            visits: 0,
            modes: BOTH,
            effective: "2026-01-01",
            materials: (4, 1),
            steps: 3,
        },
        Spec {
            code: "P3",
            kind: PERMIT,
            levels: city,
            limits: (1, 0),
            visits: 0,
            modes: BOTH,
            effective: "2026-01-01",
            materials: (1, 0),
            steps: 0,
        },
        Spec {
            code: "P3",
            kind: PERMIT,
            levels: city,
            limits: (1, 1),
            visits: 2,
            modes: &["窗口办理"],
            effective: "2027-01-01",
            materials: (1, 0),
            steps: 0,
        },
        Spec {
            code: "P4",
            kind: PERMIT,
            levels: city,
            limits: (10, 10),
            visits: 1,
            modes: &["窗口办理"],
            effective: "2025-01-01",
            materials: (2, 0),
            steps: 3,
        },
        Spec {
            code: "P4",
            kind: PERMIT,
            levels: city,
            limits: (10, 10),
            visits: 1,
            modes: &["窗口办理"],
            effective: "2026-01-01",
            materials: (2, 0),
            steps: 3,
        },
        Spec {
            code: "S1",
            kind: "公共服务",
            levels: county,
            limits: (20, 5),
            visits: 0,
            modes: &["网上办理"],
            effective: "2026-01-01",
            materials: (1, 0),
            steps: 0,
        },
    ];
    let mut source: RuleSetSource = common::source(json!({}));
    source.matters = specs.iter().map(matter).collect();
    RuleSet::compile(&source).expect("the catalogue compiles")
}

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).expect("a date")
}

type Row = (String, String, u64, String, Option<bool>, Vec<String>);

/// `(group, numerator, denominator, percent, met, codes pulling down)` of one indicator.
fn figures(report: &Report, id: &str) -> Vec<Row> {
    let indicator = report
        .indicators
        .iter()
        .find(|i| &*i.id == id)
        .expect("the indicator");
    indicator.figures.iter().map(row).collect()
}

fn row(f: &Figure) -> Row {
    (
        f.level.as_deref().unwrap_or("全部").to_string(),
        f.numerator.normalize().to_string(),
        f.denominator,
        f.percent.map(|p| p.to_string()).unwrap_or_default(),
        f.met,
        f.pulling_down.iter().map(|p| p.code.to_string()).collect(),
    )
}

fn r(group: &str, num: &str, den: u64, pct: &str, met: Option<bool>, pulls: &[&str]) -> Row {
    (
        group.into(),
        num.into(),
        den,
        pct.into(),
        met,
        pulls.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn compression_is_the_mean_and_exactly_70_meets() {
    let report = catalogue().indicators(on(), &Filter::default()).unwrap();
    // 全部: (0.7 + 0.7 + 1 + 0) / 4 = 60 %; 市级: (1 + 0) / 2; 县级: (0.7 + 0.7) / 2 = 70 %, met.
    assert_eq!(
        figures(&report, "promise-compression"),
        vec![
            r("全部", "2.4", 4, "60.0", Some(false), &["P4"]),
            r("市级", "1", 2, "50.0", Some(false), &["P4"]),
            r("县级", "1.4", 2, "70.0", Some(true), &[]),
        ]
    );
}

#[test]
fn shares_count_matters_in_force() {
    let report = catalogue().indicators(on(), &Filter::default()).unwrap();
    // P3's 2027 version (a 承诺件 with 2 visits) is not yet in force: P3 is a 即办件.
    assert_eq!(
        figures(&report, "immediate"),
        vec![
            r(
                "全部",
                "1",
                5,
                "20.0",
                Some(false),
                &["P1", "P2", "P4", "S1"]
            ),
            r("市级", "1", 2, "50.0", Some(true), &["P4"]),
            r("县级", "0", 3, "0.0", Some(false), &["P1", "P2", "S1"]),
        ]
    );
    assert_eq!(
        figures(&report, "online"),
        vec![
            r("全部", "4", 5, "80.0", Some(false), &["P4"]),
            r("市级", "1", 2, "50.0", Some(false), &["P4"]),
            r("县级", "3", 3, "100.0", Some(true), &[]),
        ]
    );
    // 全程网办 (visits 0): 4 of 5 meets 西咸新区's 70 % and misses 灞桥区's 85 %.
    assert_eq!(
        figures(&report, "fully-online")[0],
        r("全部", "4", 5, "80.0", Some(true), &["P4"])
    );
    assert_eq!(
        figures(&report, "fully-online-baqiao")[0],
        r("全部", "4", 5, "80.0", Some(false), &["P4"])
    );
    assert_eq!(
        figures(&report, "at-most-one-visit")[0],
        r("全部", "5", 5, "100.0", Some(true), &[])
    );
    assert_eq!(
        figures(&report, "public-service-guides")[0],
        r("全部", "1", 500, "0.2", Some(false), &[])
    );
}

#[test]
fn reductions_are_against_the_earlier_version() {
    let report = catalogue().indicators(on(), &Filter::default()).unwrap();
    // P1 5 → 4 (20 %, exactly the target), P2 4 → 3 (a cancelled material is not asked
    // for), P4 2 → 2: (1 + 1 + 0) / (5 + 4 + 2) = 18.2 %.
    assert_eq!(
        figures(&report, "materials-reduction"),
        vec![
            r("全部", "2", 11, "18.2", Some(false), &["P4"]),
            r("市级", "0", 2, "0.0", Some(false), &["P4"]),
            r("县级", "2", 9, "22.2", Some(true), &[]),
        ]
    );
    // Steps: P1 10 → 9 (10 %, exactly the target), P4 3 → 3; P2's earlier version gives no
    // steps, so P2 is not counted: (1 + 0) / (10 + 3) = 7.7 %.
    assert_eq!(
        figures(&report, "steps-reduction"),
        vec![
            r("全部", "1", 13, "7.7", Some(false), &["P4"]),
            r("市级", "0", 3, "0.0", Some(false), &["P4"]),
            r("县级", "1", 10, "10.0", Some(true), &[]),
        ]
    );
}

#[test]
fn a_filter_keeps_its_figures_and_dates_choose_versions() {
    let rules = catalogue();
    let county = Filter {
        level: Some("县级".into()),
        region: None,
    };
    let report = rules.indicators(on(), &county).unwrap();
    assert!(report.indicators.iter().all(|i| i.figures.len() == 1));
    assert_eq!(
        figures(&report, "online"),
        vec![r("县级", "3", 3, "100.0", Some(true), &[])]
    );
    // In 2027 P3's new version (承诺件, 窗口办理, 2 visits) replaces the 即办件.
    let later = rules
        .indicators(
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a date"),
            &Filter::default(),
        )
        .unwrap();
    assert_eq!(
        figures(&later, "immediate")[0],
        r(
            "全部",
            "0",
            5,
            "0.0",
            Some(false),
            &["P1", "P2", "P3", "P4", "S1"]
        )
    );
    // Before 2026 only the 2025 versions are in force, and none has an earlier one.
    let earlier = rules
        .indicators(
            NaiveDate::from_ymd_opt(2025, 6, 1).expect("a date"),
            &Filter::default(),
        )
        .unwrap();
    assert_eq!(
        figures(&earlier, "materials-reduction")[0],
        r("全部", "0", 0, "", None, &[])
    );
    assert_eq!(
        figures(&earlier, "online")[0],
        r("全部", "2", 3, "66.7", Some(false), &["P4"])
    );
}

#[test]
fn the_ffi_answers_the_same_report() {
    let rules = catalogue();
    let engine = banshi_core::ffi::Engine::from_rules(rules.clone());
    let answer: Value = serde_json::from_str(&engine.indicators("2026-06-01", "{}")).expect("json");
    let report =
        serde_json::to_value(rules.indicators(on(), &Filter::default()).unwrap()).expect("json");
    assert_eq!(answer["ok"], json!(true));
    assert_eq!(answer["indicators"], report);
    // Decimals leave as strings, never JSON numbers.
    assert_eq!(
        answer["indicators"]["indicators"][0]["figures"][0]["percent"],
        json!("60.0")
    );
    assert_eq!(
        answer["indicators"]["indicators"][0]["target"],
        json!({"percent": 70})
    );
    let bad: Value = serde_json::from_str(&engine.indicators("2026-06-01", r#"{"levle":"县级"}"#))
        .expect("json");
    assert_eq!(bad["errors"][0]["code"], json!("invalid_filter"));
    let bad: Value = serde_json::from_str(&engine.indicators("2026-02-30", "{}")).expect("json");
    assert_eq!(bad["errors"][0]["code"], json!("invalid_date"));
}

#[test]
fn targets_are_typed() {
    let report = catalogue().indicators(on(), &Filter::default()).unwrap();
    let guides = report
        .indicators
        .iter()
        .find(|i| &*i.id == "public-service-guides")
        .expect("it");
    assert_eq!(guides.target, Target::Count(500));
    let exact = report.indicators[0].figures[2].numerator;
    assert_eq!(exact, Decimal::new(14, 1));
}

/// A two-tier catalogue (`tests/indicators/tiers/`), counted by hand on 2026-06-01:
///
/// | implementation | region (code) | level | 网上 | visits | materials | steps |
/// | 示例许可 P-西安 | 西安市 (610100) | 市级 | yes | 0 | 5 → 4 against the 2025 version (m1 cancelled) | 5 → 4 |
/// | 示例许可 P-雁塔 | 西安市雁塔区 (610113) | 县级 | no | 1 | 6 → 5 against the 2025 version | 3 → 3 (its own 3 steps) |
/// | 示例服务 S-雁塔 | 西安市雁塔区 (610113) | 县级 | yes | 0 | 4 → 2 against the base (n1, n2 cancelled) | 3 → 3 |
/// | 示例服务 S-秦都 | 咸阳市秦都区 (610402) | 县级 | no | 1 | 4 → 4 against the base | 3 → 2 |
/// | 示例服务 S-测试 | 测试区 (no code) | 县级 | yes | 0 | 4 → 3 against the base | 3 → 3 |
///
/// 示例许可 has two versions, so its implementations are measured against their 2025 version
/// (against the 2026 base, P-西安's materials would be 5 → 4 too, but P-雁塔's 5 → 5 and its
/// steps 4 → 3); 示例服务 has one, so against its base. 示例许可 2026 is 高频 by a list, 示例服务
/// by an example mark; the 2025 version is not marked.
fn tiers() -> RuleSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/indicators/tiers");
    banshi_loader::load_rules(&dir, &common::rule_files()).expect("the fixture catalogue compiles")
}

/// `(group, numerator, denominator, percent, met, codes pulling down)` with the group as
/// `region[ code][ alone][ level]`.
fn tier_rows(report: &Report, id: &str) -> Vec<Row> {
    let indicator = report
        .indicators
        .iter()
        .find(|i| &*i.id == id)
        .expect("the indicator");
    indicator
        .figures
        .iter()
        .map(|f| {
            let mut group = f.region.as_deref().unwrap_or("全部").to_string();
            if let Some(code) = &f.region_code {
                group = format!("{group} {code}");
            }
            if f.alone {
                group.push_str(" alone");
            }
            if let Some(level) = &f.level {
                group = format!("{group} {level}");
            }
            (group, row(f).1, f.denominator, row(f).3, f.met, row(f).5)
        })
        .collect()
}

const P_YANTA: &str = "11610113000000000X4000000000101";
const S_YANTA: &str = "11610113000000000X4000000000102";
const S_QINDU: &str = "11610402000000000X4000000000102";
const S_TEST: &str = "11000000000000000X4000000000102";

#[test]
fn reductions_are_against_the_base_or_the_earlier_version() {
    let report = tiers().indicators(on(), &Filter::default()).unwrap();
    // Materials: removed 1 + 1 + 2 + 0 + 1 = 5 of 5 + 6 + 4 + 4 + 4 = 23: 21.7 %, met; 西安市
    // alone 1 of 5 is exactly 20 %, met; P-雁塔 (1 of 6) and S-秦都 (0 of 4) pull down.
    assert_eq!(
        tier_rows(&report, "materials-reduction"),
        vec![
            r("全部", "5", 23, "21.7", Some(true), &[P_YANTA, S_QINDU]),
            r("西安市 610100", "4", 15, "26.7", Some(true), &[P_YANTA]),
            r("西安市 610100 alone", "1", 5, "20.0", Some(true), &[]),
            r("西安市 610100 市级", "1", 5, "20.0", Some(true), &[]),
            r(
                "西安市 610100 县级",
                "3",
                10,
                "30.0",
                Some(true),
                &[P_YANTA]
            ),
            r(
                "西安市雁塔区 610113",
                "3",
                10,
                "30.0",
                Some(true),
                &[P_YANTA]
            ),
            r(
                "西安市雁塔区 610113 县级",
                "3",
                10,
                "30.0",
                Some(true),
                &[P_YANTA]
            ),
            r(
                "咸阳市秦都区 610402",
                "0",
                4,
                "0.0",
                Some(false),
                &[S_QINDU]
            ),
            r(
                "咸阳市秦都区 610402 县级",
                "0",
                4,
                "0.0",
                Some(false),
                &[S_QINDU]
            ),
            r("测试区", "1", 4, "25.0", Some(true), &[]),
            r("测试区 县级", "1", 4, "25.0", Some(true), &[]),
        ]
    );
    // Steps: removed 1 (P-西安 5 → 4) + 1 (S-秦都 3 → 2) of 5 + 3 + 3 + 3 + 3 = 17: 11.8 %;
    // 西安市 with 雁塔区 1 of 11 = 9.1 %, missed, though 西安市 alone (1 of 5) meets it.
    let steps = tier_rows(&report, "steps-reduction");
    assert_eq!(
        steps[0],
        r(
            "全部",
            "2",
            17,
            "11.8",
            Some(true),
            &[S_TEST, P_YANTA, S_YANTA]
        )
    );
    assert_eq!(
        steps[1],
        r(
            "西安市 610100",
            "1",
            11,
            "9.1",
            Some(false),
            &[P_YANTA, S_YANTA]
        )
    );
    assert_eq!(
        steps[2],
        r("西安市 610100 alone", "1", 5, "20.0", Some(true), &[])
    );
    assert_eq!(
        steps[7],
        r("咸阳市秦都区 610402", "1", 3, "33.3", Some(true), &[])
    );
    let why: Vec<String> = report.indicators[4].figures[0]
        .pulling_down
        .iter()
        .map(|p| p.why.to_string())
        .collect();
    assert_eq!(
        why,
        [
            "环节 3 → 3（基本目录 000000000102）",
            "环节 3 → 3（前一版本 2025）",
            "环节 3 → 3（基本目录 000000000102）"
        ]
    );
}

#[test]
fn a_city_counts_the_regions_within_it() {
    let rules = tiers();
    let report = rules.indicators(on(), &Filter::default()).unwrap();
    // 网上办理: P-西安, S-雁塔, S-测试 of 5; 西安市 (610100) takes in 雁塔区 (610113), not 秦都区
    // (610402) nor 测试区 (no code).
    assert_eq!(
        tier_rows(&report, "online")[..4],
        [
            r("全部", "3", 5, "60.0", Some(false), &[P_YANTA, S_QINDU]),
            r("西安市 610100", "2", 3, "66.7", Some(false), &[P_YANTA]),
            r("西安市 610100 alone", "1", 1, "100.0", Some(true), &[]),
            r("西安市 610100 市级", "1", 1, "100.0", Some(true), &[]),
        ]
    );
    // The filter takes a region's name or its code, and keeps its rows.
    for region in ["西安市", "610100"] {
        let only = rules
            .indicators(
                on(),
                &Filter {
                    region: Some(region.into()),
                    level: None,
                },
            )
            .unwrap();
        assert_eq!(
            tier_rows(&only, "online"),
            vec![
                r("西安市 610100", "2", 3, "66.7", Some(false), &[P_YANTA]),
                r("西安市 610100 alone", "1", 1, "100.0", Some(true), &[]),
                r("西安市 610100 市级", "1", 1, "100.0", Some(true), &[]),
                r(
                    "西安市 610100 县级",
                    "1",
                    2,
                    "50.0",
                    Some(false),
                    &[P_YANTA]
                ),
            ]
        );
    }
}

#[test]
fn high_frequency_matters_online() {
    let rules = tiers();
    let report = rules.indicators(on(), &Filter::default()).unwrap();
    let rows = tier_rows(&report, "high-frequency-online");
    // All five are marked 高频 in 2026 (the three of 示例服务 by an example mark): 3 of 5 online.
    assert_eq!(
        rows[0],
        r("全部", "3", 5, "60.0", Some(false), &[P_YANTA, S_QINDU])
    );
    let indicator = report
        .indicators
        .iter()
        .find(|i| &*i.id == "high-frequency-online")
        .unwrap();
    assert_eq!(indicator.target, Target::Percent(90));
    assert_eq!(indicator.clause.clause.to_string(), "一（二）");
    let examples: Vec<u64> = indicator.figures.iter().map(|f| f.illustrative).collect();
    assert_eq!(examples[..4], [3, 1, 0, 0]);
    // In 2025 only 示例许可's first version is in force, and it is not marked: nothing to measure,
    // though 网上可办率 counts it.
    let earlier = rules
        .indicators(
            NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
            &Filter::default(),
        )
        .unwrap();
    assert_eq!(
        tier_rows(&earlier, "high-frequency-online")[0],
        r("全部", "0", 0, "", None, &[])
    );
    assert_eq!(
        tier_rows(&earlier, "online")[0],
        r("全部", "1", 2, "50.0", Some(false), &[P_YANTA])
    );
}

/// `tests/indicators/boundary/`, counted by hand: one base item of 10 materials and 10 steps;
/// 西安市 (610100) cancels 2 materials and keeps 9 steps, exactly 20 % and 10 %, which meet the
/// targets; 西安市雁塔区 (610113) cancels 1 and keeps all 10, and pulls 西安市's figures down.
#[test]
fn reductions_exactly_at_the_targets_meet_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/indicators/boundary");
    let rules = banshi_loader::load_rules(&dir, &common::rule_files()).expect("it compiles");
    let report = rules.indicators(on(), &Filter::default()).unwrap();
    let yanta = "11610113000000000X4000000000201";
    assert_eq!(
        tier_rows(&report, "materials-reduction"),
        vec![
            r("全部", "3", 20, "15.0", Some(false), &[yanta]),
            r("西安市 610100", "3", 20, "15.0", Some(false), &[yanta]),
            r("西安市 610100 alone", "2", 10, "20.0", Some(true), &[]),
            r("西安市 610100 市级", "2", 10, "20.0", Some(true), &[]),
            r("西安市 610100 县级", "1", 10, "10.0", Some(false), &[yanta]),
            r(
                "西安市雁塔区 610113",
                "1",
                10,
                "10.0",
                Some(false),
                &[yanta]
            ),
            r(
                "西安市雁塔区 610113 县级",
                "1",
                10,
                "10.0",
                Some(false),
                &[yanta]
            ),
        ]
    );
    assert_eq!(
        tier_rows(&report, "steps-reduction"),
        vec![
            r("全部", "1", 20, "5.0", Some(false), &[yanta]),
            r("西安市 610100", "1", 20, "5.0", Some(false), &[yanta]),
            r("西安市 610100 alone", "1", 10, "10.0", Some(true), &[]),
            r("西安市 610100 市级", "1", 10, "10.0", Some(true), &[]),
            r("西安市 610100 县级", "0", 10, "0.0", Some(false), &[yanta]),
            r("西安市雁塔区 610113", "0", 10, "0.0", Some(false), &[yanta]),
            r(
                "西安市雁塔区 610113 县级",
                "0",
                10,
                "0.0",
                Some(false),
                &[yanta]
            ),
        ]
    );
}
