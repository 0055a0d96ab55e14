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
