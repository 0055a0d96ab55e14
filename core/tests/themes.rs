//! Themes (一件事一次办) over the shipped rules: properties every theme decision keeps, and the
//! errors a theme's facts can have.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use banshi_core::facts::{FactDef, FactKind};
use banshi_core::theme::ThemeDecision;
use banshi_core::{DecideError, FactErrorKind, NaiveDate, RuleSet, Status};
use chrono::Duration;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        banshi_loader::compile(&common::rule_files()).unwrap_or_else(|problems| {
            panic!("the shipped rules do not check: {problems:?}");
        })
    })
}

/// A theme and a region it is decided for: every theme in every region that implements it.
type Call = (String, Option<String>);

fn codes() -> Vec<Call> {
    let mut calls = Vec::new();
    for t in rules().themes().unwrap() {
        if t.regions.is_empty() {
            calls.push((t.code.to_string(), None));
        }
        for region in &t.regions {
            calls.push((t.code.to_string(), Some(region.to_string())));
        }
    }
    calls
}

fn valid_value(fact: &FactDef) -> BoxedStrategy<Value> {
    match fact.kind {
        FactKind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FactKind::Integer | FactKind::Decimal => {
            let min = fact
                .min
                .and_then(|d| i64::try_from(d.trunc().mantissa()).ok())
                .unwrap_or(0);
            let max = fact
                .max
                .and_then(|d| i64::try_from(d.trunc().mantissa()).ok())
                .unwrap_or(1000)
                .max(min);
            (min..=max).prop_map(|n| json!(n)).boxed()
        }
        FactKind::Text => "[a-z]{1,8}".prop_map(Value::String).boxed(),
        FactKind::Enum => proptest::sample::select(fact.options.clone())
            .prop_map(Value::String)
            .boxed(),
        FactKind::Date => (0i64..20_000)
            .prop_map(|d| {
                let date = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + Duration::days(d);
                Value::String(date.to_string())
            })
            .boxed(),
        FactKind::EnumList => {
            proptest::sample::subsequence(fact.options.clone(), 0..=fact.options.len())
                .prop_map(|items| Value::Array(items.into_iter().map(Value::String).collect()))
                .boxed()
        }
        FactKind::Procedures => Just(Value::Array(Vec::new())).boxed(),
    }
}

/// A theme, a full valid assignment of its facts (and of `缺少材料`), two nested masks of which
/// to keep, and a date in 2026 (the shipped calendar's last year).
#[allow(clippy::type_complexity)]
fn scenario() -> impl Strategy<Value = (Call, Map<String, Value>, Vec<bool>, Vec<bool>, NaiveDate)>
{
    proptest::sample::select(codes()).prop_flat_map(|code| {
        let on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let facts: Vec<FactDef> = rules()
            .theme_facts(&code.0, code.1.as_deref(), on)
            .unwrap()
            .into_iter()
            .filter(|f| f.format.is_none())
            .collect();
        let ids: Vec<String> = rules()
            .evaluate_theme(&code.0, code.1.as_deref(), &Map::new(), on)
            .unwrap()
            .materials
            .iter()
            .map(|m| m.id.to_string())
            .collect();
        let mut values: Vec<BoxedStrategy<(String, Value)>> = facts
            .iter()
            .map(|f| {
                let name = f.name.clone();
                valid_value(f).prop_map(move |v| (name.clone(), v)).boxed()
            })
            .collect();
        values.push(
            proptest::sample::subsequence(ids.clone(), 0..=ids.len().min(3))
                .prop_map(|ids| {
                    (
                        "缺少材料".to_string(),
                        Value::Array(ids.into_iter().map(Value::String).collect()),
                    )
                })
                .boxed(),
        );
        let n = values.len();
        (
            Just(code),
            values.prop_map(|pairs| pairs.into_iter().collect::<Map<String, Value>>()),
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::vec(any::<bool>(), n),
            (0i64..365)
                .prop_map(|d| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(d)),
        )
    })
}

fn subset(full: &Map<String, Value>, keep: &[bool]) -> Map<String, Value> {
    full.iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|((name, value), _)| (name.clone(), value.clone()))
        .collect()
}

fn decide((code, region): &Call, facts: &Map<String, Value>, on: NaiveDate) -> ThemeDecision {
    rules()
        .decide_theme(code, region.as_deref(), facts, on)
        .unwrap_or_else(|e| {
            panic!(
                "valid facts refused for {code} in {region:?}: {e}\n{}",
                Value::Object(facts.clone())
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The combined list holds every material of every matter exactly once: none lost, none
    /// duplicated.
    #[test]
    fn materials_are_the_union_of_the_matters((code, full, keep, _, on) in scenario()) {
        let d = decide(&code, &subset(&full, &keep), on);
        let mut listed: BTreeMap<(String, String), usize> = BTreeMap::new();
        for m in &d.materials {
            for s in &m.serves {
                *listed.entry((s.matter.to_string(), s.material.to_string())).or_default() += 1;
            }
        }
        let mut own: BTreeMap<(String, String), usize> = BTreeMap::new();
        for m in &d.matters {
            for line in &m.decision.materials {
                *own.entry((m.key.to_string(), line.id.to_string())).or_default() += 1;
            }
        }
        prop_assert_eq!(&listed, &own);
        prop_assert!(listed.values().all(|&n| n == 1));
    }

    /// The theme is due no earlier than any of its matters, counted from the one acceptance or
    /// from its prerequisites.
    #[test]
    fn theme_due_is_never_earlier_than_a_matter((code, full, keep, _, on) in scenario()) {
        let d = decide(&code, &subset(&full, &keep), on);
        for (m, due) in d.matters.iter().zip(&d.deadline.matters) {
            let own = m.decision.deadline.as_ref();
            for (theme, mine, alone) in [
                (d.deadline.promised_due, due.promised_due, own.and_then(|o| o.promised.due)),
                (d.deadline.statutory_due, due.statutory_due, own.and_then(|o| o.statutory.due)),
            ] {
                if let Some(theme) = theme {
                    prop_assert!(mine.is_some_and(|m| m <= theme));
                    prop_assert!(alone.is_none_or(|a| a <= theme));
                }
                // A matter that waits for nothing is counted as if alone.
                if m.after.is_empty() {
                    prop_assert_eq!(mine, alone);
                }
            }
        }
    }

    /// Answering more facts never turns a matter's decided outcome back into `needs_facts`, nor
    /// changes it; nor the theme's.
    #[test]
    fn more_facts_never_undecide((code, full, keep, more, on) in scenario()) {
        let fewer: Vec<bool> = keep.iter().zip(&more).map(|(k, m)| *k && *m).collect();
        let before = decide(&code, &subset(&full, &fewer), on);
        let after = decide(&code, &subset(&full, &keep), on);
        for (b, a) in before.matters.iter().zip(&after.matters) {
            if b.decision.status != Status::NeedsFacts {
                prop_assert_eq!(b.decision.status, a.decision.status, "{}", b.key);
            }
        }
        if before.status != Status::NeedsFacts {
            prop_assert_eq!(before.status, after.status);
        }
    }
}

const BOOKSHOP: &str = "610100-QYZY-SHUDIAN";

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn fact_errors(code: &str, facts: Value) -> Vec<(String, FactErrorKind)> {
    match rules().decide_theme_json(code, None, &facts.to_string(), on()) {
        Err(DecideError::Facts { errors }) => {
            errors.into_iter().map(|e| (e.path, e.kind)).collect()
        }
        other => panic!("expected fact errors, got {other:?}"),
    }
}

#[test]
fn a_matters_name_for_a_theme_fact_is_refused() {
    // Both names for the premises' district, answered differently, would be two answers to one
    // question: the matters' names are refused, never merged silently.
    let errors = fact_errors(
        BOOKSHOP,
        json!({"经营场所在本登记机关辖区": true, "经营场所在本辖区": false}),
    );
    assert_eq!(
        errors,
        vec![
            (
                "经营场所在本登记机关辖区".to_string(),
                FactErrorKind::AskedAs {
                    name: "经营场所在本区县".into()
                }
            ),
            (
                "经营场所在本辖区".to_string(),
                FactErrorKind::AskedAs {
                    name: "经营场所在本区县".into()
                }
            ),
        ]
    );
}

#[test]
fn a_settled_or_unknown_fact_is_refused() {
    // 已完成工商注册登记 is settled by the registration in this theme: not the applicant's to give.
    let errors = fact_errors(
        BOOKSHOP,
        json!({"已完成工商注册登记": false, "无此事实": 1}),
    );
    assert_eq!(
        errors,
        vec![
            ("已完成工商注册登记".to_string(), FactErrorKind::NotInTheme),
            ("无此事实".to_string(), FactErrorKind::NotInTheme),
        ]
    );
}

#[test]
fn an_option_only_one_matter_accepts_is_refused_under_the_theme_name() {
    // The registration accepts online premises, the licence does not: the theme offers only the
    // options both accept, and the licence's refusal names the theme's fact.
    let errors = fact_errors(
        BOOKSHOP,
        json!({"经营场所类型": "电子商务平台提供的网络经营场所"}),
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "经营场所类型");
    assert!(matches!(errors[0].1, FactErrorKind::NotAnOption { .. }));
    let facts = rules().theme_facts(BOOKSHOP, None, on()).unwrap();
    let kind = facts.iter().find(|f| f.name == "经营场所类型").unwrap();
    assert_eq!(kind.options, ["自有房产", "租赁或借用他人房产"]);
}

#[test]
fn a_renamed_fact_error_names_the_theme_fact() {
    let errors = fact_errors(BOOKSHOP, json!({"经营场所在本区县": "是"}));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "经营场所在本区县");
    assert!(matches!(errors[0].1, FactErrorKind::WrongType { .. }));
}

#[test]
fn missing_materials_are_theme_material_ids() {
    let errors = fact_errors(
        BOOKSHOP,
        json!({"缺少材料": ["经营场所租赁（借用）协议", "lease", "lease"]}),
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, "缺少材料[0]");
    assert!(matches!(errors[0].1, FactErrorKind::NotAnOption { .. }));
    assert_eq!(
        errors[1],
        (
            "缺少材料[2]".to_string(),
            FactErrorKind::Repeated {
                option: "lease".into()
            }
        )
    );
}

#[test]
fn an_unknown_theme_is_a_typed_error() {
    assert_eq!(
        rules().decide_theme_json("NO-SUCH-THEME", None, "{}", on()),
        Err(DecideError::UnknownTheme {
            code: "NO-SUCH-THEME".into()
        })
    );
}

const RESTAURANT: &str = "610000-QYZY-CANGUAN";

#[test]
fn one_theme_file_serves_every_region_implementing_its_bases() {
    let regions = |code: &str| -> Vec<String> {
        let theme = rules()
            .themes()
            .unwrap()
            .into_iter()
            .find(|t| *t.code == *code);
        theme
            .unwrap()
            .regions
            .iter()
            .map(|r| r.to_string())
            .collect()
    };
    assert_eq!(
        regions(RESTAURANT),
        ["西安市", "咸阳市秦都区", "西咸新区沣东新城"]
    );
    // 出版物零售 has only 西安's implementation.
    assert_eq!(regions(BOOKSHOP), ["西安市"]);
    let listed: Vec<String> = rules()
        .themes_in("咸阳市秦都区")
        .unwrap()
        .iter()
        .map(|t| t.code.to_string())
        .collect();
    assert_eq!(listed, [RESTAURANT]);
    for (region, prefix) in [
        ("西安市", "11610100"),
        ("咸阳市秦都区", "11610402"),
        ("西咸新区沣东新城", "11611100"),
    ] {
        let d = rules()
            .decide_theme(RESTAURANT, Some(region), &Map::new(), on())
            .unwrap();
        assert_eq!(d.theme.region.as_deref(), Some(region));
        for m in &d.matters {
            assert!(
                m.decision.matter.code.starts_with(prefix),
                "{region}: {}",
                m.decision.matter.code
            );
        }
    }
}

#[test]
fn a_region_lacking_a_matter_of_the_theme_is_a_typed_error() {
    assert_eq!(
        rules().decide_theme_json(BOOKSHOP, Some("咸阳市秦都区"), "{}", on()),
        Err(DecideError::NotInRegion {
            theme: BOOKSHOP.into(),
            region: "咸阳市秦都区".into(),
            matter: "publication".into(),
        })
    );
    // No region anywhere implements it (宝鸡市 by its code): the first matter is the one named.
    assert!(matches!(
        rules().theme_facts(RESTAURANT, Some("610300"), on()),
        Err(DecideError::NotInRegion { matter, .. }) if matter == "registration"
    ));
    // A name no implementation gives, and no code: the catalogue cannot place it.
    assert_eq!(
        rules().theme_facts(RESTAURANT, Some("宝鸡市"), on()),
        Err(DecideError::UnknownRegion {
            region: "宝鸡市".into()
        })
    );
}

#[test]
fn a_theme_several_regions_implement_needs_a_region() {
    let Err(e) = rules().decide_theme_json(RESTAURANT, None, "{}", on()) else {
        panic!("decided without a region");
    };
    assert_eq!(
        e,
        DecideError::RegionNeeded {
            theme: RESTAURANT.into(),
            regions: vec![
                "西安市".into(),
                "咸阳市秦都区".into(),
                "西咸新区沣东新城".into()
            ],
        }
    );
    assert_eq!(
        e.to_string(),
        "theme `610000-QYZY-CANGUAN` is decided for a region: give one of 西安市, 咸阳市秦都区, 西咸新区沣东新城"
    );
    // The theme's only region is the default.
    let d = rules()
        .decide_theme_json(BOOKSHOP, None, "{}", on())
        .unwrap();
    assert_eq!(d.theme.region.as_deref(), Some("西安市"));
}

/// Offered in 西安市: 西安市雁塔区 (610113) lies within it, by GB/T 2260, and 西安市's
/// implementation list is what applies there.
#[test]
fn a_district_gets_its_city_s_implementations_and_themes() {
    let d = rules()
        .decide_theme(RESTAURANT, Some("610113"), &Map::new(), on())
        .unwrap();
    assert_eq!(d.theme.region.as_deref(), Some("610113"));
    let city = rules()
        .decide_theme(RESTAURANT, Some("西安市"), &Map::new(), on())
        .unwrap();
    for (m, c) in d.matters.iter().zip(&city.matters) {
        assert!(m.decision.matter.code.starts_with("11610100"));
        assert_eq!(m.decision, c.decision);
    }
    let listed = |region: &str| -> Vec<String> {
        rules()
            .themes_in(region)
            .unwrap()
            .iter()
            .map(|t| t.code.to_string())
            .collect()
    };
    // Every theme is offered in 西安市, so in 雁塔区; 秦都区 (610402) has the restaurant alone,
    // by its name or its code; a name the catalogue does not give matches nothing.
    assert_eq!(listed("610113"), listed("西安市"));
    assert_eq!(listed("610113").len(), rules().themes().unwrap().len());
    assert_eq!(listed("610402"), [RESTAURANT]);
    assert_eq!(listed("咸阳市秦都区"), [RESTAURANT]);
    assert!(listed("西安市雁塔区").is_empty());
    assert!(listed("620100").is_empty());
}

#[test]
fn a_region_resolves_to_the_nearest_enclosing_implementation() {
    let code = |base: &str, region: &str| rules().code_in_region(base, region);
    // 个体工商户设立登记: 西安市's in 雁塔区, 秦都区's own in 秦都区 and below it.
    let registration = "000131128000";
    assert_eq!(
        code(registration, "610113").unwrap(),
        code(registration, "西安市").unwrap()
    );
    assert!(
        code(registration, "610402001")
            .unwrap()
            .starts_with("11610402")
    );
    // 不动产转移登记: 咸阳市's (610400) in 秦都区, which has none of its own.
    assert_eq!(
        code("000107027000", "咸阳市秦都区").unwrap(),
        code("000107027000", "咸阳市").unwrap()
    );
    // Outside every implementation: refused, naming the base and the region.
    assert_eq!(
        code(registration, "620100"),
        Err(DecideError::NoImplementation {
            base: registration.into(),
            region: "620100".into(),
        })
    );
    // 沣东新城 and 西咸新区 have no code: each is matched by its name only, never by a prefix
    // of it (西咸新区 implements 不动产转移登记, not this).
    assert!(
        code(registration, "西咸新区沣东新城")
            .unwrap()
            .starts_with("11611100")
    );
    assert_eq!(
        code(registration, "西咸新区"),
        Err(DecideError::NoImplementation {
            base: registration.into(),
            region: "西咸新区".into(),
        })
    );
    assert_eq!(
        code(registration, "雁塔区"),
        Err(DecideError::UnknownRegion {
            region: "雁塔区".into(),
        })
    );
    // A theme outside every implementation of one of its matters: not offered there.
    assert!(matches!(
        rules().decide_theme_json(BOOKSHOP, Some("620100"), "{}", on()),
        Err(DecideError::NotInRegion { .. })
    ));
}
