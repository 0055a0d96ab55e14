//! `banshi indicators` and `banshi lists` on the shipped rules, whose figures were counted by
//! hand from the rule files: 西安市's 7 implementations in force on 2026-03-02 (the
//! driving-licence renewal has an earlier version, 2022), beside the illustrative ones of 咸阳市
//! and 西咸新区.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn banshi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("banshi runs")
}

fn json(args: &[&str]) -> Value {
    let output = banshi(args);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// `(numerator, denominator, percent, met)` of 西安市's figure (every level) of `id`.
fn whole(report: &Value, id: &str) -> (String, u64, String, bool) {
    let indicator = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap();
    let f = indicator["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["region"] == "西安市" && f.get("level").is_none())
        .unwrap();
    (
        f["numerator"].as_str().unwrap().to_string(),
        f["denominator"].as_u64().unwrap(),
        f["percent"].as_str().unwrap().to_string(),
        f["met"].as_bool().unwrap(),
    )
}

#[test]
fn the_shipped_set_measures_as_counted_by_hand() {
    let report = json(&[
        "indicators",
        "--on",
        "2026-03-02",
        "--json",
        "--rules",
        "rules",
    ]);
    // 行政许可: driving licence 1 → 0 (100 %), food 10 → 10 (0), individual business 3 → 1
    // (2/3), publication 20 → 20 (0): (1 + 0 + 2/3 + 0) / 4 = 41.7 %.
    assert_eq!(
        whole(&report, "promise-compression"),
        ("1.6667".into(), 4, "41.7".into(), false)
    );
    // 即办件: the driving licence, 《出生医学证明》首次签发 and 出生登记.
    assert_eq!(
        whole(&report, "immediate"),
        ("3".into(), 9, "33.3".into(), false)
    );
    // 网上办理 in every matter's modes but the ID card's and the two 新生儿出生 matters'.
    assert_eq!(
        whole(&report, "online"),
        ("6".into(), 9, "66.7".into(), false)
    );
    // visits 0: driving licence, individual business, unemployment benefit.
    assert_eq!(
        whole(&report, "fully-online"),
        ("3".into(), 9, "33.3".into(), false)
    );
    assert_eq!(
        whole(&report, "at-most-one-visit"),
        ("9".into(), 9, "100.0".into(), true)
    );
    // Against the earlier version for the driving licence (5 materials in 2022 and 2025), against
    // the base for the eight others, none of whose 西安市 implementations cancels a material:
    // 5 + 8 (food) + 11 (individual business) + 6 (publication) + 12 (real estate) + 4 (ID
    // card) + 5 (unemployment benefit: 6 listed, 1 cancelled in the base) + 5 (出生医学证明) + 5
    // (出生登记) = 61, none removed.
    assert_eq!(
        whole(&report, "materials-reduction"),
        ("0".into(), 61, "0.0".into(), false)
    );
    // 办理流程, none shortened: 3 (driving licence, both versions) + 5 + 4 + 5 + 5 + 4 + 4 = 30
    // (the two 新生儿出生 matters write no 办理流程, so they are not counted).
    assert_eq!(
        whole(&report, "steps-reduction"),
        ("0".into(), 30, "0.0".into(), false)
    );
    // 高频 (example marks): driving licence, individual business, unemployment benefit online,
    // the ID card at the counter only: 3 of 4, every one on an example mark.
    assert_eq!(
        whole(&report, "high-frequency-online"),
        ("3".into(), 4, "75.0".into(), false)
    );
    // 公共服务: the ID card and the two 新生儿出生 matters.
    assert_eq!(
        whole(&report, "public-service-guides"),
        ("3".into(), 500, "0.6".into(), false)
    );
}

#[test]
fn a_bundle_measures_the_same() {
    let dir = std::env::temp_dir().join(format!("banshi-indicators-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bundle = dir.join("rules.bundle.json");
    let made = banshi(&["bundle", "rules", "-o", bundle.to_str().unwrap()]);
    assert!(made.status.success(), "{made:?}");
    let args = ["indicators", "--on", "2026-03-02", "--json"];
    let from_rules = json(&[&args[..], &["--rules", "rules"]].concat());
    let from_bundle = json(&[&args[..], &["--dev", "--bundle", bundle.to_str().unwrap()]].concat());
    assert_eq!(from_rules, from_bundle);
    let csv = |extra: &[&str]| {
        let output = banshi(&[&["lists", "supply", "--on", "2026-03-02"][..], extra].concat());
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(
        csv(&["--rules", "rules"]),
        csv(&["--dev", "--bundle", bundle.to_str().unwrap()])
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn filters_and_text() {
    let report = json(&[
        "indicators",
        "--on",
        "2026-03-02",
        "--json",
        "--rules",
        "rules",
        "--region",
        "西安市",
        "--level",
        "市级",
    ]);
    // 西安市 市级: driving licence, real-estate transfer, unemployment benefit.
    let f = &report["indicators"][2]["figures"];
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(
        (&f[0]["region"], &f[0]["level"]),
        (&"西安市".into(), &"市级".into())
    );
    assert_eq!(
        (f[0]["numerator"].as_str(), f[0]["denominator"].as_u64()),
        (Some("1"), Some(3))
    );
    let text = banshi(&["indicators", "--on", "2026-03-02", "--rules", "rules"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("即办事项占比 ≥ 50%"), "{text}");
    assert!(
        text.contains("  西安市 610100: 3/9 = 33.3%  missed (−16.7 points)\n"),
        "{text}"
    );
    // Every implementation, 西安市's 9 and the 6 illustrative ones: 4 即办件 (the driving licence
    // and the two 新生儿出生 matters in 西安市, 个体工商户设立登记 in 咸阳市秦都区).
    assert!(
        text.contains("  全部: 4/15 = 26.7%  missed (−23.3 points)\n"),
        "{text}"
    );
    assert!(
        text.contains("    - 11610100000000000X4000172901000 居民身份证换领: 办理形式 窗口办理\n"),
        "{text}"
    );
}

#[test]
fn the_html_report_stands_alone() {
    let dir = std::env::temp_dir().join(format!("banshi-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.html");
    let output = banshi(&[
        "indicators",
        "--on",
        "2026-03-02",
        "--rules",
        "rules",
        "--html",
        file.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&file).unwrap();
    // One chart per indicator, each with its target line; nothing loaded from elsewhere.
    assert_eq!(html.matches("<svg").count(), 10);
    assert_eq!(html.matches("class=\"target\"").count(), 10);
    // The only address is the SVG namespace, which is a name, not a request.
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!html.contains("https://") && !html.contains("<script") && !html.contains("<link"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn lists_print_csv_and_markdown() {
    let output = banshi(&[
        "lists",
        "one-card",
        "--on",
        "2026-03-02",
        "--rules",
        "rules",
    ]);
    let csv = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "实施编码,事项名称,一证通办,另需的材料");
    assert_eq!(lines.len(), 16);
    // The one matter whose only other material is in a situation (监护人 for a minor).
    assert!(
        lines.contains(&"11610100000000000X4000172901000,居民身份证换领,否,监护人的居民身份证")
    );
    let output = banshi(&[
        "lists",
        "exemptions",
        "--format",
        "md",
        "--on",
        "2026-03-02",
        "--rules",
        "rules",
    ]);
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(md.starts_with(
        "| 实施编码 | 事项名称 | 材料 | 核发部门 | 免于提交方式 | 途径 | 情形 |\n| --- |"
    ));
}

#[test]
fn a_city_takes_in_its_districts() {
    let report = json(&[
        "indicators",
        "--on",
        "2026-03-02",
        "--json",
        "--rules",
        "rules",
        "--region",
        "610400",
    ]);
    let immediate = report["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "immediate")
        .unwrap();
    let rows: Vec<(String, bool, String, u64)> = immediate["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                format!(
                    "{} {}",
                    f["region"].as_str().unwrap(),
                    f["level"].as_str().unwrap_or("")
                ),
                f["alone"].as_bool().unwrap_or(false),
                f["numerator"].as_str().unwrap().to_string(),
                f["denominator"].as_u64().unwrap(),
            )
        })
        .collect();
    // 咸阳市 (610400) implements the real-estate transfer itself (市级, 承诺件); 咸阳市秦都区
    // (610402) the food licence (承诺件) and the individual business registration (即办件).
    assert_eq!(
        rows,
        vec![
            ("咸阳市 ".to_string(), false, "1".to_string(), 3),
            ("咸阳市 ".to_string(), true, "0".to_string(), 1),
            ("咸阳市 市级".to_string(), false, "0".to_string(), 1),
            ("咸阳市 县级".to_string(), false, "1".to_string(), 2),
        ]
    );
}
