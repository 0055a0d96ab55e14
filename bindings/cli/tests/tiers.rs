//! Two tiers: an implementation that only reduces, decided beside the base it inherits.
//!
//! `tests/check/impl-accepted/` holds a base (`base.toml`, promised 10 working days, two copies
//! of the form, a 10 yuan certificate) and one city implementation that shortens the promise to
//! 5 working days, exempts the ID card by data sharing, asks one copy of the form, waives the
//! certificate for 低保对象 and drops the step 审查. Every expectation below was read off those
//! two files; the snapshot is the whole decision, reviewed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const CITY: &str = "11610100MB1234567A3000000000001";

fn banshi(args: &[&str], stdin: &str) -> String {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_banshi"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("banshi runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("banshi finishes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn an_implementation_decides_with_its_reductions() {
    let facts = r#"{"年龄": 30, "委托办理": false, "低保对象": true, "电子证照": []}"#;
    let text = banshi(
        &[
            "decide",
            "--rules",
            "tests/check/impl-accepted",
            "--matter",
            CITY,
            "--facts",
            "-",
            "--on",
            "2026-03-02",
        ],
        facts,
    );
    let d: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(d["matter"]["region"], "测试市");
    assert_eq!(d["matter"]["level"], "市级");
    assert_eq!(d["matter"]["agency"], "测试市测试局");
    assert_eq!(d["status"], "eligible");
    // id-card: the base has no route; the city's sharing route exempts it.
    assert_eq!(d["materials"][0]["status"], "exempt");
    assert_eq!(d["materials"][0]["route"], "data_sharing");
    // form: two copies in the base, one in the city.
    assert_eq!(d["materials"][1]["copies"], 1);
    assert_eq!(d["materials"][1]["status"], "submit");
    // The city's waiver takes the whole 10 yuan off for 低保对象.
    assert_eq!(d["fees"]["total"], "0.00");
    // Accepted Monday 2026-03-02: 5 working days (no holiday in March 2026) end Monday 03-09;
    // the statutory 20 end Monday 03-30.
    assert_eq!(d["deadline"]["promised"]["due"], "2026-03-09");
    assert_eq!(d["deadline"]["statutory"]["due"], "2026-03-30");
    // Without the receipt, whose bundle hash would change with the built-in calendar.
    let mut bare = d.clone();
    bare.as_object_mut().unwrap().remove("receipt");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("tiers");
    settings.bind(|| {
        insta::assert_snapshot!(
            "impl-accepted-decision",
            serde_json::to_string_pretty(&bare).unwrap()
        )
    });
}

#[test]
fn matters_lists_the_implementation_with_its_region() {
    let text = banshi(
        &["matters", "--rules", "tests/check/impl-accepted", "--json"],
        "",
    );
    let list: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["code"], CITY);
    assert_eq!(list[0]["region"], "测试市");
}

#[test]
fn guide_of_a_region_replaces_the_service_information_it_gives() {
    let text = banshi(
        &[
            "guide",
            "--matter",
            "000131128000",
            "--region",
            "咸阳市秦都区",
            "--on",
            "2026-03-10",
            "--rules",
            "../../rules",
        ],
        "",
    );
    let g: Value = serde_json::from_str(&text).unwrap();
    // The base's four steps and its result, hotlines and FAQ are inherited …
    assert_eq!(g["steps"].as_array().unwrap().len(), 4);
    assert_eq!(g["steps"][2]["name"], "登记");
    assert_eq!(g["complaints"][1], "12315市场监管投诉举报热线");
    assert_eq!(g["faq"].as_array().unwrap().len(), 1);
    // … the places, hours and delivery are 秦都区's own.
    assert_eq!(g["places"][0], "咸阳市秦都区政务服务中心市场监管窗口");
    assert_eq!(g["delivery"][0], "窗口当场领取");
    assert_eq!(g["materials"][0]["id"], "application-form");
}

#[test]
fn catalogue_prints_each_implementation_with_what_it_reduced() {
    let text = banshi(&["catalogue", "--rules", "../../rules"], "");
    let start = text.find("000131128000 个体工商户设立登记").unwrap();
    let ibr = &text[start..];
    let ibr = &ibr[..ibr.find("\n0").unwrap_or(ibr.len())];
    assert!(ibr.contains("11610402000000000X4000131128000 (示例编码) 咸阳市秦都区 县级"));
    assert!(ibr.contains("- 承诺办结时限 1 个工作日 → 0 个工作日"));
    assert!(ibr.contains("- `agent-id`: 数据共享免提交"));
    assert!(ibr.contains("11610100000000000X4000131128000 (示例编码) 西安市 县级"));
}
