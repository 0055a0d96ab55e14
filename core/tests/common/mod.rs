//! What the core's behaviour tests share: the repository's rule files, and the invariants every
//! decision keeps.

#![allow(dead_code)]

use std::path::Path;

use banshi_core::source::MatterSource;
use banshi_core::{RuleError, RuleSet, RuleSetSource, SourceFile};
use banshi_loader::TextFile;
use serde_json::{Value, json};

use banshi_core::calendar::Calendar;
use banshi_core::{Decision, MaterialStatus};
use rust_decimal::Decimal;

/// Fees add up and are never negative; deferred materials fall due on working days.
pub fn check_invariants(decision: &Decision, calendar: &Calendar) -> Result<(), String> {
    if let Some(fees) = &decision.fees {
        // Every amount is rounded to the fen and shows both decimals.
        let cents = [&fees.total].into_iter().chain(
            fees.items
                .iter()
                .flat_map(|i| [&i.unit_price, &i.amount, &i.reduction, &i.payable]),
        );
        if let Some(odd) = cents.flatten().find(|d| d.scale() != 2) {
            return Err(format!("{odd} is not in yuan with two decimals"));
        }
        let mut sum = Decimal::ZERO;
        for item in &fees.items {
            if let Some(payable) = item.payable {
                if payable.is_sign_negative() && !payable.is_zero() {
                    return Err(format!("fee `{}` is negative: {payable}", item.id));
                }
                let amount = item.amount.unwrap_or(payable);
                let reduction = item.reduction.unwrap_or(Decimal::ZERO);
                if amount - reduction != payable
                    || reduction.is_sign_negative() && !reduction.is_zero()
                {
                    return Err(format!(
                        "fee `{}`: {amount} - {reduction} != {payable}",
                        item.id
                    ));
                }
                sum += payable;
            }
        }
        if let Some(total) = fees.total
            && total != sum
        {
            return Err(format!("total {total} is not the sum of the items, {sum}"));
        }
    }
    for material in &decision.materials {
        if material.status == MaterialStatus::Deferred
            && let Some(due) = material.due
            && calendar.is_working_day(due) != Ok(true)
        {
            return Err(format!(
                "deferred `{}` due on {due}, not a working day",
                material.id
            ));
        }
    }
    Ok(())
}

/// The repository's `rules/` folder, read as `banshi check rules` reads it.
pub fn rule_files() -> Vec<TextFile> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    banshi_loader::read_rules(&rules, &[]).expect("the repository's rules are readable")
}

/// Rules of one small matter, `A1`, in force from 2026-01-01 under a 2026 calendar without
/// holidays: one fact, `年龄`, and one condition on it, with the sections in `extra` (an object)
/// put in their place. For tests that build matters in code rather than in TOML.
pub fn source(extra: Value) -> RuleSetSource {
    let mut base = json!({
        "matter": {"basic_code": "1", "implementation_code": "A1", "name": "示例事项",
            "type": "公共服务", "agency": "示例局", "levels": ["市级"], "basis": ["b1"],
            "statutory_limit": {"working_days": 20}, "promised_limit": {"working_days": 5},
            "handling": "承诺件", "service_objects": ["自然人"], "visits": 0,
            "modes": ["网上办理"]},
        "version": {"id": "1", "effective": "2026-01-01"},
        "basis": [{"id": "b1", "document": "示例条例", "article": "第一条"}],
        "facts": [{"name": "年龄", "type": "integer", "question": "年龄？"}],
        "conditions": [{"id": "adult", "require": "年龄 >= 18", "message": "须年满18周岁",
            "basis": ["b1"]}]
    });
    if let (Value::Object(base), Value::Object(extra)) = (&mut base, extra) {
        base.extend(extra);
    }
    let matter: MatterSource = serde_json::from_value(base).expect("a matter source");
    let calendar = serde_json::from_value(json!({"year": 2026,
        "notice": {"title": "国务院办公厅关于2026年部分节假日安排的通知",
            "number": "国办发明电〔2025〕7号", "published": "2025-11-04"},
        "holidays": []}))
    .expect("a calendar source");
    RuleSetSource {
        matters: vec![SourceFile::new("a1/matter.toml", matter)],
        ..RuleSetSource::new(
            SourceFile::new("licences.toml", Default::default()),
            vec![SourceFile::new("calendar/2026.toml", calendar)],
        )
    }
}

/// [`source`], compiled.
pub fn compile(extra: Value) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::compile(&source(extra))
}
