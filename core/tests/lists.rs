//! The lists the plans ask offices to publish, on one small matter checked by hand.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::{NaiveDate, Route};
use serde_json::json;

fn material(id: &str, name: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut m = json!({"id": id, "name": name, "form": "原件", "medium": "纸质", "copies": 1,
        "basis": ["b1"]});
    m.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    m
}

/// A matter with a form, the applicant's ID card (no licence: the card itself), a shared
/// material, one spared by an e-licence, one by both, a cancelled one, and, in a situation, one
/// with no route at all.
fn rules(blocked: bool) -> banshi_core::RuleSet {
    let mut materials = vec![
        material("form", "登记申请表", json!({})),
        material("id", "居民身份证", json!({"issuer": "公安机关"})),
        material(
            "hukou",
            "居民户口簿",
            json!({"issuer": "公安机关", "sharing": "人口信息系统"}),
        ),
        material(
            "licence",
            "营业执照",
            json!({"issuer": "市场监管部门", "licence": "营业执照"}),
        ),
        material(
            "deed",
            "不动产权证书",
            json!({"issuer": "不动产登记机构",
            "sharing": "不动产登记信息", "licence": ["不动产权证书"]}),
        ),
        material("old", "旧证明", json!({"cancelled": ["b1"]})),
    ];
    if blocked {
        materials.push(material("lease", "租赁协议", json!({"when": "年龄 >= 60"})));
    }
    let mut source = common::source(json!({"materials": materials}));
    source.licences.source = serde_json::from_value(json!({"licences": [
        {"name": "营业执照", "issuer": "市场监管部门"},
        {"name": "不动产权证书", "issuer": "不动产登记机构"}]}))
    .unwrap();
    banshi_core::RuleSet::compile(&source).expect("compiles")
}

fn on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

#[test]
fn two_exemptions_list_each_route_of_each_issued_material() {
    let rows: Vec<(String, Route, String)> = rules(false)
        .exemptions(on())
        .unwrap()
        .iter()
        .map(|r| (r.material.to_string(), r.route, r.via.to_string()))
        .collect();
    // Not the form, not the ID card (issued but spared by neither route), not the cancelled
    // proof; the deed twice, once per route.
    assert_eq!(
        rows,
        vec![
            (
                "居民户口簿".into(),
                Route::DataSharing,
                "人口信息系统".into()
            ),
            ("营业执照".into(), Route::ELicence, "营业执照".into()),
            (
                "不动产权证书".into(),
                Route::DataSharing,
                "不动产登记信息".into()
            ),
            (
                "不动产权证书".into(),
                Route::ELicence,
                "不动产权证书".into()
            ),
        ]
    );
}

#[test]
fn one_card_needs_every_situation_covered() {
    let open = rules(false).one_card(on()).unwrap();
    assert!(open[0].qualifies, "{open:?}");
    assert!(open[0].other_materials.is_empty());
    // A lease with no route, even only for applicants of 60 or more, stops it.
    let blocked = rules(true).one_card(on()).unwrap();
    assert!(!blocked[0].qualifies);
    assert_eq!(blocked[0].other_materials, vec!["租赁协议".into()]);
}

#[test]
fn supply_is_by_route_then_resource() {
    let rows: Vec<(Route, String, Option<String>, String)> = rules(false)
        .supply_list(on())
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.route,
                r.resource.to_string(),
                r.provider.as_deref().map(str::to_string),
                r.material.to_string(),
            )
        })
        .collect();
    // Resources in code-point order: 不 (U+4E0D) before 人 (U+4EBA); 不动产权证书 before 营业执照.
    assert_eq!(
        rows,
        vec![
            (
                Route::DataSharing,
                "不动产登记信息".into(),
                Some("不动产登记机构".into()),
                "不动产权证书".into()
            ),
            (
                Route::DataSharing,
                "人口信息系统".into(),
                Some("公安机关".into()),
                "居民户口簿".into()
            ),
            (
                Route::ELicence,
                "不动产权证书".into(),
                Some("不动产登记机构".into()),
                "不动产权证书".into()
            ),
            (
                Route::ELicence,
                "营业执照".into(),
                Some("市场监管部门".into()),
                "营业执照".into()
            ),
        ]
    );
}
