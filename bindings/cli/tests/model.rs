//! Rule-model features checked on small inline matters.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use banshi_cli::load::{self, Located, TextFile};
use banshi_core::facts::parse_date;
use banshi_core::{Decision, MaterialStatus, RuleSet};
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
    files.extend(load::embedded().into_iter().filter(|f| !f.name.ends_with("matter.toml")));
    load::compile(&files)
}

fn decide(rules: &RuleSet, facts: Value) -> Decision {
    rules
        .decide("MODEL-TEST", facts.as_object().unwrap(), parse_date("2026-03-02").unwrap())
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
    let status = |d: &Decision| d.materials.iter().map(|m| (m.status, m.via.clone())).collect::<Vec<_>>();
    // The applicant's 社会保障卡 proves identity; the agent's licences are the agent's own.
    let d = decide(&rules, json!({"电子证照": ["社会保障卡"], "代理人电子证照": []}));
    assert_eq!(
        status(&d),
        [(MaterialStatus::Exempt, Some("社会保障卡".into())), (MaterialStatus::Submit, None)]
    );
    let d = decide(&rules, json!({"电子证照": [], "代理人电子证照": ["居民身份证"]}));
    assert_eq!(
        status(&d),
        [(MaterialStatus::Submit, None), (MaterialStatus::Exempt, Some("居民身份证".into()))]
    );
    // Until the channel has looked, the agent's material is open and the question names the list.
    let d = decide(&rules, json!({"电子证照": []}));
    assert_eq!(d.materials[1].status, MaterialStatus::Undetermined);
    assert_eq!(d.questions.iter().map(|q| q.fact.as_str()).collect::<Vec<_>>(), ["代理人电子证照"]);
    // The holder's options are the licence catalogue.
    let matter = rules.matter("MODEL-TEST", parse_date("2026-03-02").unwrap()).unwrap();
    assert_eq!(matter.fact("代理人电子证照").unwrap().options, rules.licences());
}

#[test]
fn a_licence_holder_must_be_a_licence_list() {
    let body = AGENT.replace(
        "[[facts]]\nname = \"代理人电子证照\"\ntype = \"enum_list\"\nsource = \"e_licence\"",
        "[[facts]]\nname = \"代理人电子证照\"\ntype = \"enum_list\"\noptions = [\"甲\"]",
    );
    let problems = compile(&body).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("is not a list of electronic licences"), "{problems:?}");
    let body = AGENT.replace("licence = [\"居民身份证\", \"社会保障卡\"]", "licence = [\"居民身份证\", \"社保卡\"]");
    let problems = compile(&body).unwrap_err();
    assert!(problems[0].message.contains("unknown electronic licence type `社保卡`"), "{problems:?}");
}
