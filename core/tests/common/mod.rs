//! What the core's behaviour tests share: the repository's rule files, and the invariants every
//! decision keeps.

#![allow(dead_code)]

use std::path::Path;

use banshi_loader::TextFile;

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
