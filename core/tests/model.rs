//! Rule-model features checked on small inline matters.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use banshi_core::facts::parse_date;
use banshi_core::{Decision, MaterialStatus, RuleSet};
use banshi_loader::{Located, TextFile};
use proptest::prelude::*;
use serde_json::{Value, json};

const HEAD: &str = r#"
[matter]
basic_code = "000000000002"
implementation_code = "MODEL-TEST"
name = "模型测试事项"
type = "公共服务"
agency = "测试局"
levels = ["市级"]
basis = ["b"]
statutory_limit = { working_days = 5 }
promised_limit = { working_days = 1 }
handling = "承诺件"
service_objects = ["自然人"]
visits = 0
modes = ["网上办理"]

[version]
id = "t"
effective = "2025-01-01"

[[basis]]
id = "b"
document = "测试规则"
article = "第一条"
"#;

fn compile(body: &str) -> Result<RuleSet, Vec<Located>> {
    let mut files = vec![TextFile {
        name: "model/matter.toml".into(),
        key: "model/matter.toml".into(),
        text: format!("{HEAD}{body}"),
    }];
    files.extend(
        common::rule_files()
            .into_iter()
            .filter(|f| f.name.ends_with("licences.toml") || f.name.contains("calendar/")),
    );
    banshi_loader::compile(&files)
}

fn decide(rules: &RuleSet, facts: Value) -> Decision {
    rules
        .decide(
            "MODEL-TEST",
            facts.as_object().unwrap(),
            parse_date("2026-03-02").unwrap(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
}

const AGENT: &str = r#"
[[facts]]
name = "代理人电子证照"
type = "enum_list"
source = "e_licence"
question = "渠道为代理人查到的电子证照"

[[materials]]
id = "applicant-id"
name = "申请人身份证明"
form = "原件"
medium = "纸质"
copies = 1
basis = ["b"]
licence = ["居民身份证", "社会保障卡"]

[[materials]]
id = "agent-id"
name = "代理人居民身份证"
form = "原件"
medium = "纸质"
copies = 1
basis = ["b"]
licence = "居民身份证"
licence_holder = "代理人电子证照"
"#;

#[test]
fn each_material_looks_in_its_holders_licences() {
    let rules = compile(AGENT).unwrap_or_else(|p| panic!("{p:?}"));
    let status = |d: &Decision| {
        d.materials
            .iter()
            .map(|m| (m.status, m.via.clone()))
            .collect::<Vec<_>>()
    };
    // The applicant's 社会保障卡 proves identity; the agent's licences are the agent's own.
    let d = decide(
        &rules,
        json!({"电子证照": ["社会保障卡"], "代理人电子证照": []}),
    );
    assert_eq!(
        status(&d),
        [
            (MaterialStatus::Exempt, Some("社会保障卡".into())),
            (MaterialStatus::Submit, None)
        ]
    );
    let d = decide(
        &rules,
        json!({"电子证照": [], "代理人电子证照": ["居民身份证"]}),
    );
    assert_eq!(
        status(&d),
        [
            (MaterialStatus::Submit, None),
            (MaterialStatus::Exempt, Some("居民身份证".into()))
        ]
    );
    // Until the channel has looked, the agent's material is open and the question names the list.
    let d = decide(&rules, json!({"电子证照": []}));
    assert_eq!(d.materials[1].status, MaterialStatus::Undetermined);
    assert_eq!(
        d.questions
            .iter()
            .map(|q| q.fact.as_str())
            .collect::<Vec<_>>(),
        ["代理人电子证照"]
    );
    // The holder's options are the licence catalogue.
    let matter = rules
        .matter("MODEL-TEST", parse_date("2026-03-02").unwrap())
        .unwrap();
    assert_eq!(
        matter.fact("代理人电子证照").unwrap().options,
        rules.licences()
    );
}

#[test]
fn a_licence_holder_must_be_a_licence_list() {
    let body = AGENT.replace(
        "[[facts]]\nname = \"代理人电子证照\"\ntype = \"enum_list\"\nsource = \"e_licence\"",
        "[[facts]]\nname = \"代理人电子证照\"\ntype = \"enum_list\"\noptions = [\"甲\"]",
    );
    let problems = compile(&body).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .message
            .contains("is not a list of electronic licences"),
        "{problems:?}"
    );
    let body = AGENT.replace(
        "licence = [\"居民身份证\", \"社会保障卡\"]",
        "licence = [\"居民身份证\", \"社保卡\"]",
    );
    let problems = compile(&body).unwrap_err();
    assert!(
        problems[0]
            .message
            .contains("unknown electronic licence type `社保卡`"),
        "{problems:?}"
    );
}

const WAIVERS: &str = r#"
[[basis]]
id = "deferral-policy"
document = "测试容缺受理办法"
article = "第三条"

[[basis]]
id = "commitment-policy"
document = "国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见"
article = "二、(三)"

[[facts]]
name = "企业类型"
type = "enum"
question = "申请人是否为小微企业？"
options = ["小微企业", "其他"]

[[facts]]
name = "证书本数"
type = "integer"
question = "需要几本证书？"
min = 1

[[facts]]
name = "面积"
type = "decimal"
question = "面积（平方米）？"
min = 0

[[materials]]
id = "application"
name = "申请书"
form = "原件"
medium = "纸质"
copies = 1
basis = ["b"]

[[materials]]
id = "lease"
name = "场所使用证明"
form = "复印件"
medium = "纸质"
copies = 1
basis = ["b"]
key = false
commitment = { text = "本人承诺对经营场所享有使用权", consequence = "承诺不实的，依法撤销登记并记入信用记录" }

[[materials]]
id = "photo"
name = "照片"
form = "原件"
medium = "纸质"
copies = 2
basis = ["b"]
key = false

[deferral]
period = { working_days = 5 }
commitment = "本人承诺在受理后5个工作日内补齐容缺材料"
basis = ["deferral-policy"]

[commitment]
basis = ["commitment-policy"]

[fees]
basis = ["b"]

[[fees.items]]
id = "registration"
name = "登记费"
basis = ["b"]
price = "80"
unit = "件"

[[fees.items]]
id = "certificate"
name = "证书工本费"
basis = ["b"]
price = "10"
quantity = "证书本数 - 1"
unit = "本"

[[fees.items]]
id = "survey"
name = "测绘费"
basis = ["b"]
quantity = "面积"
unit = "平方米"
tiers = [
  { up_to = "100", price = "1.36" },
  { up_to = "200", price = "1.2" },
  { amount = "300" },
]

[[fees.waivers]]
id = "small-business"
name = "小微企业免收登记费"
when = '企业类型 == "小微企业"'
items = ["registration"]
reduction = "100%"
basis = ["b"]
"#;

fn acceptance_of(d: &Decision) -> (String, Vec<String>, Vec<String>, Vec<String>) {
    let a = d.acceptance.as_ref().expect("an acceptance block");
    let status = serde_json::to_value(a.status)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let texts = |v: &[banshi_core::Text]| v.iter().map(ToString::to_string).collect();
    let notice = a.notice.iter().map(|n| n.id.to_string()).collect();
    (status, texts(&a.missing), texts(&a.deferred), notice)
}

fn base(extra: Value) -> Value {
    let mut facts = json!({"企业类型": "其他", "证书本数": 1, "面积": 50, "告知承诺": false, "严重失信": false});
    for (k, v) in extra.as_object().unwrap() {
        facts[k] = v.clone();
    }
    facts
}

#[test]
fn deferral_accepts_without_non_key_materials_and_notices_everything_missing() {
    let rules = compile(WAIVERS).unwrap_or_else(|p| panic!("{p:?}"));
    let on = parse_date("2026-02-13").unwrap();
    let decide_on = |facts: Value| {
        rules
            .decide("MODEL-TEST", facts.as_object().unwrap(), on)
            .unwrap()
    };
    // Nothing missing.
    let d = decide_on(base(json!({"缺少材料": []})));
    assert_eq!(
        acceptance_of(&d),
        ("accepted".into(), vec![], vec![], vec![])
    );
    // Only a non-key material missing: accepted, due 5 working days later: Sat 02-14 (调休, 1),
    // 02-24 (2), 02-25 (3), 02-26 (4), 02-27 (5).
    let d = decide_on(base(json!({"缺少材料": ["场所使用证明"]})));
    assert_eq!(
        acceptance_of(&d),
        (
            "accepted_with_deferral".into(),
            vec![],
            vec!["lease".into()],
            vec![]
        )
    );
    assert_eq!(d.materials[1].status, MaterialStatus::Deferred);
    assert_eq!(d.materials[1].due.unwrap().to_string(), "2026-02-27");
    assert!(
        d.acceptance
            .as_ref()
            .unwrap()
            .deferral
            .as_ref()
            .unwrap()
            .commitment
            .contains("补齐")
    );
    // A key material missing too: not accepted, and the one-time notice lists everything missing.
    let d = decide_on(base(json!({"缺少材料": ["照片", "申请书"]})));
    assert_eq!(
        acceptance_of(&d),
        (
            "not_accepted".into(),
            vec!["application".into()],
            vec![],
            vec!["application".into(), "photo".into()]
        )
    );
    assert_eq!(d.materials[2].status, MaterialStatus::Submit);
    // Without 缺少材料 there is no acceptance block at all.
    assert!(decide_on(base(json!({}))).acceptance.is_none());
}

#[test]
fn commitments_replace_proofs_except_for_serious_dishonesty() {
    let rules = compile(WAIVERS).unwrap_or_else(|p| panic!("{p:?}"));
    let d = decide(&rules, base(json!({"告知承诺": true, "严重失信": false})));
    assert_eq!(d.materials[1].status, MaterialStatus::Committed);
    assert!(
        d.materials[1]
            .commitment
            .as_ref()
            .unwrap()
            .consequence
            .contains("撤销")
    );
    let c = d.commitment.as_ref().unwrap();
    assert_eq!((c.offered, c.chosen), (Some(true), Some(true)));
    // A 失信 record: the proof is required, and the decision says why.
    let d = decide(&rules, base(json!({"告知承诺": true, "严重失信": true})));
    assert_eq!(d.materials[1].status, MaterialStatus::Submit);
    let c = d.commitment.as_ref().unwrap();
    assert_eq!(c.offered, Some(false));
    assert!(c.reason.as_ref().unwrap().contains("严重失信"));
    // Until the applicant chooses, the checklist waits for the choice.
    let mut facts = base(json!({}));
    facts.as_object_mut().unwrap().remove("告知承诺");
    let d = decide(&rules, facts);
    assert_eq!(d.materials[1].status, MaterialStatus::Undetermined);
    assert_eq!(
        d.questions
            .iter()
            .map(|q| q.fact.as_str())
            .collect::<Vec<_>>(),
        ["告知承诺"]
    );
}

#[test]
fn fees_are_exact_tiered_waived_and_rounded_once() {
    let rules = compile(WAIVERS).unwrap_or_else(|p| panic!("{p:?}"));
    // As text, so that the two decimals every amount shows are checked too.
    let text = |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string());
    let payable = |d: &Decision| {
        let f = d.fees.as_ref().unwrap();
        (
            f.items
                .iter()
                .map(|i| text(i.payable).unwrap_or_default())
                .collect::<Vec<_>>(),
            text(f.total),
        )
    };
    // 80 + 10 × (2 − 1) + 1.2 × 150.5 (second band) = 80 + 10 + 180.60 = 270.60.
    let d = decide(&rules, base(json!({"证书本数": 2, "面积": 150.5})));
    assert_eq!(
        payable(&d),
        (
            vec!["80.00".into(), "10.00".into(), "180.60".into()],
            Some("270.60".into())
        )
    );
    // A small business pays no registration fee: 0.00 + 10.00 + 180.60.
    let d = decide(
        &rules,
        base(json!({"企业类型": "小微企业", "证书本数": 2, "面积": 150.5})),
    );
    assert_eq!(payable(&d).1, Some("190.60".into()));
    let line = &d.fees.as_ref().unwrap().items[0];
    assert_eq!(serde_json::to_value(line.status).unwrap(), "waived");
    assert_eq!(
        (text(line.amount), text(line.reduction)),
        (Some("80.00".into()), Some("80.00".into()))
    );
    // The half cent: 1.36 × 10.0625 = 13.685 exactly, rounded half away from zero to 13.69
    // (a binary float would hold 13.684999… and round down).
    let d = decide(&rules, base(json!({"面积": 10.0625})));
    assert_eq!(payable(&d).0[2], "13.69");
    // The last band is flat; the first copy of the certificate is free.
    let d = decide(&rules, base(json!({"面积": 1000})));
    assert_eq!(
        payable(&d),
        (
            vec!["80.00".into(), "0.00".into(), "300.00".into()],
            Some("380.00".into())
        )
    );
    // An unanswered quantity leaves the total open and asks for it.
    let mut facts = base(json!({}));
    facts.as_object_mut().unwrap().remove("面积");
    let d = decide(&rules, facts);
    assert_eq!(payable(&d).1, None);
    assert!(d.questions.iter().any(|q| q.fact == "面积"));
}

#[test]
fn check_rejects_commitments_in_restricted_domains_and_unknown_materials() {
    let head_with_domain = HEAD.replace(
        "modes = [\"网上办理\"]",
        "modes = [\"网上办理\"]\nrestricted_domains = [\"人身健康\"]",
    );
    let mut files = vec![TextFile {
        name: "model/matter.toml".into(),
        key: "model/matter.toml".into(),
        text: format!("{head_with_domain}{WAIVERS}"),
    }];
    files.extend(
        common::rule_files()
            .into_iter()
            .filter(|f| f.name.ends_with("licences.toml") || f.name.contains("calendar/")),
    );
    let problems = banshi_loader::compile(&files).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let text = &files[0].text;
    let line = text
        .lines()
        .position(|l| l.starts_with("commitment = { text"))
        .unwrap()
        + 1;
    assert_eq!(
        (problems[0].line, problems[0].column),
        (line, 14),
        "{problems:?}"
    );
    assert!(problems[0].message.contains("人身健康"), "{problems:?}");

    let body = WAIVERS.replace(
        "basis = [\"deferral-policy\"]",
        "basis = [\"deferral-policy\"]\nmaterials = [\"photo\", \"fotos\", \"application\"]",
    );
    let problems = compile(&body).unwrap_err();
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown material `fotos`",
            "`application` is a key material (关键材料) and cannot be deferred; mark it `key = false` if the law allows"
        ]
    );
    let text = format!("{HEAD}{body}");
    let line = text
        .lines()
        .position(|l| l.starts_with("materials = [\"photo\""))
        .unwrap()
        + 1;
    // `materials = [` is 13 characters; `"fotos"` opens at 23, `"application"` at 32.
    assert_eq!((problems[0].line, problems[0].column), (line, 23));
    assert_eq!((problems[1].line, problems[1].column), (line, 32));
}

proptest! {
    /// Over generated applicants: fees add up and never go negative, deferred materials fall due
    /// on working days, and nothing panics.
    #[test]
    fn fee_and_deferral_invariants(
        small in any::<bool>(),
        copies in 1u32..6,
        cents in 0u64..20_000_000,
        lacking in proptest::sample::subsequence(vec!["申请书", "场所使用证明", "照片"], 0..=3),
        chosen in any::<bool>(),
        dishonest in any::<bool>(),
        day in 0i64..730,
    ) {
        static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        let rules = RULES.get_or_init(|| compile(WAIVERS).unwrap_or_else(|p| panic!("{p:?}")));
        let area = format!("{}.{:02}", cents / 100, cents % 100);
        let facts = json!({
            "企业类型": if small { "小微企业" } else { "其他" },
            "证书本数": copies,
            "面积": serde_json::from_str::<Value>(&area).unwrap(),
            "缺少材料": lacking,
            "告知承诺": chosen,
            "严重失信": dishonest,
        });
        let on = parse_date("2025-01-01").unwrap() + chrono::Duration::days(day);
        let d = rules.decide("MODEL-TEST", facts.as_object().unwrap(), on).unwrap();
        prop_assert!(d.fees.as_ref().unwrap().total.is_some());
        if let Err(problem) = common::check_invariants(&d, rules.calendar()) {
            prop_assert!(false, "{problem}\n{}", facts);
        }
    }
}

/// `RuleSet::version_index` numbers one version of one matter: the one in force on the date, none
/// before the first version.
#[test]
fn a_matter_number_is_the_version_in_force() {
    let version = |id: &str, effective: &str| TextFile {
        name: format!("model/{id}.toml"),
        key: format!("model/{id}.toml"),
        text: HEAD.replace(
            "id = \"t\"\neffective = \"2025-01-01\"",
            &format!("id = \"{id}\"\neffective = \"{effective}\""),
        ),
    };
    let mut files = vec![version("t", "2025-01-01"), version("u", "2026-01-01")];
    files.extend(common::rule_files());
    let rules = banshi_loader::compile(&files).unwrap_or_else(|p| panic!("{p:?}"));
    let day = |d: &str| parse_date(d).unwrap();
    let index = |on: &str| rules.version_index("MODEL-TEST", day(on)).unwrap();
    let (t, u) = (index("2025-06-01"), index("2026-03-02"));
    assert_eq!(rules.matter_at(t).unwrap().version.id.as_ref(), "t");
    assert_eq!(rules.matter_at(u).unwrap().version.id.as_ref(), "u");
    assert_eq!(index("2025-12-31"), t);
    assert_eq!(index("2026-01-01"), u);
    assert!(
        rules
            .version_index("MODEL-TEST", day("2024-12-31"))
            .is_err()
    );
    // Numbers run over every version of every matter in the set.
    let other = rules
        .version_index("11610100000000000X4000131128000", day("2026-03-02"))
        .unwrap();
    assert_eq!(
        rules.matter_at(other).unwrap().info.code.as_ref(),
        "11610100000000000X4000131128000"
    );
    assert!(rules.matter_at(usize::MAX).is_err());
}

/// `[[guide.steps]]` reach the compiled matter in file order, with their limits.
#[test]
fn guide_steps_in_order() {
    let rules = compile(
        r#"
[guide]

[[guide.steps]]
name = "受理"
description = "窗口受理"

[[guide.steps]]
name = "审查"
limit = { working_days = 3 }

[[guide.steps]]
name = "发证"
limit = { days = 10 }
"#,
    )
    .unwrap();
    let matter = rules
        .matter("MODEL-TEST", parse_date("2026-03-02").unwrap())
        .unwrap();
    let steps = &matter.guide().steps;
    let names: Vec<&str> = steps.iter().map(|s| &*s.name).collect();
    assert_eq!(names, ["受理", "审查", "发证"]);
    assert_eq!(steps[0].description.as_deref(), Some("窗口受理"));
    assert_eq!(steps[0].limit, None);
    assert_eq!(steps[1].limit, Some(banshi_core::Limit::WorkingDays(3)));
    assert_eq!(steps[2].limit, Some(banshi_core::Limit::Days(10)));
    let empty = compile("").unwrap();
    let matter = empty
        .matter("MODEL-TEST", parse_date("2026-03-02").unwrap())
        .unwrap();
    assert!(matter.guide().steps.is_empty());
}
