//! Condition text → `banshi_core::expr::parse`, then type-checked (`Scope::condition` and
//! `Scope::number`) against a scope chosen by the first byte: a fixed one with a fact of every
//! type and two situations, or a shipped matter's facts and situations. Then evaluated in three
//! environments (nothing answered, everything, every other fact), with `Node::missing` where
//! the result is unknown. Spans must lie inside the text.

#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use banshi_core::expr::{Env, Node, Scope, parse};
use banshi_core::facts::{FactDef, FactKind, FactSourceKind, FactValue, Pause};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

struct Fixed {
    facts: Vec<FactDef>,
    fact_index: BTreeMap<String, u16>,
    situations: BTreeMap<String, u16>,
    situation_nodes: Vec<(String, Node)>,
    values: Vec<Vec<Option<FactValue>>>,
}

fn fact(name: &str, kind: FactKind, options: &[&str]) -> FactDef {
    FactDef {
        name: name.into(),
        kind,
        question: format!("{name}？"),
        options: options.iter().map(|o| (*o).to_string()).collect(),
        source: FactSourceKind::Applicant,
        format: None,
        min: None,
        max: None,
    }
}

fn date(text: &str) -> NaiveDate {
    banshi_core::facts::parse_date(text).expect("a date")
}

/// A value of every kind, for the environment where everything is answered.
fn value_for(def: &FactDef) -> FactValue {
    match def.kind {
        FactKind::Bool => FactValue::Bool(true),
        FactKind::Integer => FactValue::Number(Decimal::from(30)),
        FactKind::Decimal => FactValue::Number(Decimal::new(12345, 2)),
        FactKind::Text => FactValue::Text("张三".into()),
        FactKind::Enum => FactValue::Enum(1.min(def.options.len().saturating_sub(1) as u16)),
        FactKind::Date => FactValue::Date(date("1990-02-28")),
        FactKind::EnumList => FactValue::List(if def.options.len() > 2 {
            vec![0, 2]
        } else {
            vec![0]
        }),
        FactKind::Procedures => FactValue::Procedures(vec![Pause {
            procedure: 0,
            from: date("2026-03-03"),
            to: date("2026-03-05"),
        }]),
    }
}

/// A scope over `facts` with the situations `(name, condition)` compiled in order.
fn make(facts: Vec<FactDef>, situations: &[(String, String)]) -> Fixed {
    let fact_index = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.clone(), u16::try_from(i).expect("few")))
        .collect();
    let mut fixed = Fixed {
        facts,
        fact_index,
        situations: BTreeMap::new(),
        situation_nodes: Vec::new(),
        values: Vec::new(),
    };
    for (name, text) in situations {
        let Ok(ast) = parse(text) else { continue };
        let Ok(node) = scope(&fixed).condition(&ast) else {
            continue;
        };
        let n = u16::try_from(fixed.situation_nodes.len()).expect("few");
        fixed.situations.insert(name.clone(), n);
        fixed.situation_nodes.push((name.clone(), node));
    }
    let all: Vec<Option<FactValue>> = fixed.facts.iter().map(|f| Some(value_for(f))).collect();
    let half = all
        .iter()
        .enumerate()
        .map(|(i, v)| if i % 2 == 0 { v.clone() } else { None })
        .collect();
    fixed.values = vec![vec![None; all.len()], all, half];
    fixed
}

/// The scopes: the fixed one first, then each shipped matter's (in file order).
fn scopes() -> &'static [Fixed] {
    static SCOPES: OnceLock<Vec<Fixed>> = OnceLock::new();
    SCOPES.get_or_init(|| {
        let mut scopes = vec![make(
            vec![
                fact("年龄", FactKind::Integer, &[]),
                fact("金额", FactKind::Decimal, &[]),
                fact("姓名", FactKind::Text, &[]),
                fact(
                    "申请人类型",
                    FactKind::Enum,
                    &["个体经营者", "企业", "其他"],
                ),
                fact("出生日期", FactKind::Date, &[]),
                fact("准驾车型", FactKind::EnumList, &["C1", "C2", "D"]),
                fact("同意", FactKind::Bool, &[]),
                fact("特别程序", FactKind::Procedures, &["检验", "听证"]),
            ],
            &[
                ("成年同意".into(), "同意 and 年龄 >= 18".into()),
                (
                    "企业或成年同意".into(),
                    "成年同意 or 申请人类型 == \"企业\"".into(),
                ),
            ],
        )];
        let rules = banshi_fuzz::rules();
        for file in &banshi_fuzz::sources().matters {
            let source = &file.source;
            let Some(matter) = rules.matters().into_iter().find(|m| {
                *m.code == *source.matter.implementation_code && *m.version == *source.version.id
            }) else {
                continue;
            };
            let Ok(compiled) = rules.matter(&matter.code, matter.effective) else {
                continue;
            };
            let situations: Vec<(String, String)> = source
                .situations
                .iter()
                .map(|s| (s.name.clone(), s.when.clone()))
                .collect();
            scopes.push(make(compiled.facts().to_vec(), &situations));
        }
        scopes
    })
}

fn scope(fixed: &Fixed) -> Scope<'_> {
    Scope {
        facts: &fixed.facts,
        fact_index: &fixed.fact_index,
        situations: &fixed.situations,
    }
}

fn evaluate(fixed: &Fixed, node: &Node) {
    let mut facts_used = vec![false; fixed.facts.len()];
    node.mark_facts(&mut facts_used);
    let mut situations_used = vec![false; fixed.situation_nodes.len()];
    node.mark_situations(&mut situations_used);
    node.walk(&mut |_| {});
    for values in &fixed.values {
        let mut situations = Vec::new();
        for (_, s) in &fixed.situation_nodes {
            let env = Env {
                facts: values,
                situations: &situations,
                situation_nodes: &fixed.situation_nodes,
                today: date("2026-03-02"),
            };
            let value = s.truth(&env).unwrap_or(None);
            situations.push(value);
        }
        let env = Env {
            facts: values,
            situations: &situations,
            situation_nodes: &fixed.situation_nodes,
            today: date("2026-03-02"),
        };
        let _ = node.eval(&env);
        if let Ok(None) = node.truth(&env) {
            let mut missing = vec![false; fixed.facts.len()];
            if node.missing(&env, &mut missing).is_ok() {
                // Only unanswered facts are asked.
                for (asked, value) in missing.iter().zip(values.iter()) {
                    assert!(!(*asked && value.is_some()), "an answered fact asked again");
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let ast = match parse(text) {
        Ok(ast) => ast,
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end <= text.len(),
                "{e:?}"
            );
            return;
        }
    };
    let scopes = scopes();
    let Some(fixed) = scopes.get(usize::from(*which) % scopes.len()) else {
        return;
    };
    let scope = scope(fixed);
    for compiled in [scope.condition(&ast), scope.number(&ast)] {
        match compiled {
            Ok(node) => evaluate(fixed, &node),
            Err((span, _)) => {
                assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            }
        }
    }
});
