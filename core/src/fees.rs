//! Fees (收费标准) and fee waivers, in exact decimals.
//!
//! The rounding rule, the only one: each item's payable amount (after its waiver) is rounded to
//! 0.01 yuan, half away from zero (四舍五入); the total is the sum of the rounded items. Amounts
//! are computed exactly before that one rounding; a decision carries them as decimals with
//! two places (scale 2), which JSON shows as strings (`"80.00"`).
//!
//! Waivers do not stack: of the waivers that apply to an item, the one that takes most off is
//! used, and no waiver takes an item below zero.

use alloc::string::String;
use alloc::vec::Vec;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::Text;
use crate::checker::Checker;
use crate::common::{Citation, Citations, short_citations};
use crate::error::SourcePath;
use crate::expr::{Env, Node, Overflow, Scope, Val};
use crate::source::{FeeItemSource, FeesSource};

/// How each item is rounded, stated in every fee block.
pub const ROUNDING: &str = "each item rounded to 0.01 yuan, half away from zero (四舍五入); the total is the sum of the rounded items";

#[derive(Debug, Clone, PartialEq)]
enum Charge {
    PerUnit(Decimal),
    Flat(Decimal),
}

#[derive(Debug, Clone, PartialEq)]
struct Tier {
    up_to: Option<Decimal>,
    charge: Charge,
}

#[derive(Debug, Clone, PartialEq)]
enum Reduction {
    /// Percent off, 0 to 100.
    Percent(Decimal),
    /// Yuan off.
    Amount(Decimal),
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    id: Text,
    name: Text,
    basis: Citations,
    when: Option<Node>,
    quantity: Option<Node>,
    unit: Option<Text>,
    tiers: Vec<Tier>,
}

#[derive(Debug, Clone, PartialEq)]
struct Waiver {
    id: Text,
    name: Text,
    when: Node,
    /// Item indexes; every item when empty.
    items: Vec<usize>,
    reduction: Reduction,
    basis: Citations,
}

/// A matter's compiled fees.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fees {
    free: bool,
    basis: Citations,
    /// [`ROUNDING`], shared by every decision rather than copied into each.
    rounding: Text,
    items: Vec<Item>,
    waivers: Vec<Waiver>,
}

/// The fee block of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeesDecision {
    /// Whether the matter is free of charge.
    pub free: bool,
    /// Why it charges, or why it is free.
    pub basis: Citations,
    /// Each item, in rule-file order.
    pub items: Vec<FeeLine>,
    /// The sum of the payable amounts; absent while an item is undetermined.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub total: Option<Decimal>,
    /// The rounding rule.
    pub rounding: Text,
}

/// Whether an item is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeStatus {
    /// Charged (possibly reduced).
    Charged,
    /// Fully waived.
    Waived,
    /// Not charged in this situation.
    NotApplicable,
    /// Depends on a fact not yet answered.
    Undetermined,
}

/// One fee item in a decision.
///
/// Amounts (`unit_price`, `amount`, `reduction`, `payable`, and the block's `total`) are in
/// yuan with exactly two decimals (scale 2); `quantity` is as given, trailing zeros dropped. In
/// JSON every decimal is a string (see `decimal_text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeLine {
    /// The item's id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// Whether it is charged.
    pub status: FeeStatus,
    /// The quantity, for per-unit and tiered items.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub quantity: Option<Decimal>,
    /// The unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Text>,
    /// The price per unit applied, for per-unit items.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub unit_price: Option<Decimal>,
    /// The amount before any waiver, rounded.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub amount: Option<Decimal>,
    /// The waiver used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverLine>,
    /// What is taken off (`amount - reduction == payable`).
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub reduction: Option<Decimal>,
    /// What the applicant pays.
    #[serde(
        default,
        with = "crate::decimal_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub payable: Option<Decimal>,
    /// The item's basis.
    pub basis: Citations,
}

/// The waiver applied to an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverLine {
    /// Its id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// Its basis.
    pub basis: Citations,
}

/// Rounds to 0.01 yuan by the one rule, with two decimals always shown.
pub fn round_yuan(amount: Decimal) -> Decimal {
    let mut rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded
}

/// [`round_yuan`], for an amount a decision shows: one too large to carry two decimals (beyond
/// about 10^26 yuan) is an overflow rather than an amount shown without its cents.
fn yuan(amount: Decimal) -> Result<Decimal, Overflow> {
    let rounded = round_yuan(amount);
    if rounded.scale() == 2 {
        Ok(rounded)
    } else {
        Err(Overflow)
    }
}

/// Compiles `[fees]`: items priced per unit or in rising bands, and waivers that reduce
/// named items by a percentage or an amount.
pub(crate) fn compile(
    c: &mut Checker<'_>,
    src: &FeesSource,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
    scope: &Scope<'_>,
) -> Fees {
    let root = SourcePath::root().key("fees");
    // Citations are made once here, so that a decision shares them instead of building them.
    let cite = |c: &mut Checker<'_>, path: &SourcePath, ids: &[String]| {
        short_citations(cited, &c.basis_refs(path, ids, basis_index, true))
    };
    let basis = cite(c, &root.key("basis"), &src.basis);
    if src.free && !src.items.is_empty() {
        c.invalid(root.key("items"), "a free matter has no fee items");
    }
    if !src.free && src.items.is_empty() {
        c.invalid(
            root.key("free"),
            "give the fee items, or `free = true` with the basis for charging nothing",
        );
    }
    // Item ids to their numbers (the first of a repeated id), for duplicates and waivers.
    let mut item_index = alloc::collections::BTreeMap::new();
    let mut items = Vec::with_capacity(src.items.len());
    for (i, item) in src.items.iter().enumerate() {
        let path = root.key("items").index(i);
        if item_index.contains_key(item.id.as_str()) {
            c.duplicate(path.key("id"), "fee item id", &item.id);
        } else {
            item_index.insert(item.id.as_str(), i);
        }
        c.text(path.key("name"), &item.name);
        let item_basis = cite(c, &path.key("basis"), &item.basis);
        let when = item
            .when
            .as_ref()
            .and_then(|w| c.condition(path.key("when"), w, scope));
        let quantity = item
            .quantity
            .as_ref()
            .and_then(|q| c.number(path.key("quantity"), q, scope));
        let tiers = compile_charges(c, &path, item);
        items.push(Item {
            id: item.id.as_str().into(),
            name: item.name.as_str().into(),
            basis: item_basis,
            when,
            quantity,
            unit: item.unit.as_deref().map(Into::into),
            tiers,
        });
    }
    let mut waivers = Vec::with_capacity(src.waivers.len());
    for (i, w) in src.waivers.iter().enumerate() {
        let path = root.key("waivers").index(i);
        if src.free {
            c.invalid(path.clone(), "a free matter has nothing to waive");
        }
        c.text(path.key("name"), &w.name);
        let when = c.condition(path.key("when"), &w.when, scope);
        let mut targets = Vec::with_capacity(w.items.len());
        for (j, id) in w.items.iter().enumerate() {
            match item_index.get(id.as_str()) {
                Some(&p) => targets.push(p),
                None => c.invalid(
                    path.key("items").index(j),
                    alloc::format!("unknown fee item `{id}`"),
                ),
            }
        }
        let reduction = compile_reduction(c, &path, &w.reduction);
        let basis = cite(c, &path.key("basis"), &w.basis);
        if let (Some(when), Some(reduction)) = (when, reduction) {
            waivers.push(Waiver {
                id: w.id.as_str().into(),
                name: w.name.as_str().into(),
                when,
                items: targets,
                reduction,
                basis,
            });
        }
    }
    Fees {
        free: src.free,
        basis,
        rounding: ROUNDING.into(),
        items,
        waivers,
    }
}

/// An item's charge: one `price` per unit, or `tiers`, bands rising by `up_to` with the last
/// open-ended, each priced per unit or as a flat amount.
fn compile_charges(c: &mut Checker<'_>, path: &SourcePath, item: &FeeItemSource) -> Vec<Tier> {
    let mut tiers = Vec::new();
    match (&item.price, item.tiers.is_empty()) {
        (Some(price), true) => {
            if let Some(price) = non_negative(c, path.key("price"), price) {
                tiers.push(Tier {
                    up_to: None,
                    charge: Charge::PerUnit(price),
                });
            }
        }
        (None, false) => {
            if item.quantity.is_none() {
                c.invalid(
                    path.key("tiers"),
                    "a tiered fee needs the `quantity` that picks its band",
                );
            }
            let mut last: Option<Decimal> = None;
            for (j, tier) in item.tiers.iter().enumerate() {
                let tpath = path.key("tiers").index(j);
                let is_last = j.saturating_add(1) == item.tiers.len();
                let up_to = tier
                    .up_to
                    .as_ref()
                    .and_then(|u| non_negative(c, tpath.key("up_to"), u));
                match (up_to, is_last) {
                    (None, false) => {
                        c.invalid(tpath.key("up_to"), "every band but the last needs `up_to`")
                    }
                    (Some(_), true) => c.invalid(
                        tpath.key("up_to"),
                        "the last band has no `up_to`: it takes every larger quantity",
                    ),
                    _ => {}
                }
                if let (Some(bound), Some(previous)) = (up_to, last)
                    && bound <= previous
                {
                    c.invalid(tpath.key("up_to"), "bands must rise");
                }
                last = up_to.or(last);
                let charge = match (&tier.price, &tier.amount) {
                    (Some(p), None) => non_negative(c, tpath.key("price"), p).map(Charge::PerUnit),
                    (None, Some(a)) => non_negative(c, tpath.key("amount"), a).map(Charge::Flat),
                    _ => {
                        c.invalid(
                            tpath.clone(),
                            "give exactly one of `price` (per unit) or `amount` (flat)",
                        );
                        None
                    }
                };
                if let Some(charge) = charge {
                    tiers.push(Tier { up_to, charge });
                }
            }
        }
        _ => c.invalid(path.clone(), "give exactly one of `price` or `tiers`"),
    }
    tiers
}

/// A waiver's `reduction`: `"50%"` (above 0 and at most 100) or an amount in yuan.
fn compile_reduction(c: &mut Checker<'_>, path: &SourcePath, text: &str) -> Option<Reduction> {
    let text = text.trim();
    match text.strip_suffix('%') {
        Some(percent) => c.decimal(path.key("reduction"), percent).and_then(|p| {
            if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED {
                c.invalid(
                    path.key("reduction"),
                    "a percentage above 0% and at most 100%",
                );
                None
            } else {
                Some(Reduction::Percent(p))
            }
        }),
        None => non_negative(c, path.key("reduction"), text).map(Reduction::Amount),
    }
}

fn non_negative(c: &mut Checker<'_>, path: SourcePath, text: &str) -> Option<Decimal> {
    let value = c.decimal(path.clone(), text)?;
    if value.is_sign_negative() && !value.is_zero() {
        c.invalid(path, "amounts are not negative");
        return None;
    }
    Some(value)
}

/// The waivers weighed for one item: the most favourable known one with what it takes off,
/// and those still open.
type Weighed<'w> = (Option<(&'w Waiver, Decimal)>, Vec<&'w Waiver>);

/// Evaluation results: the block, and whether anything is undetermined.
pub(crate) struct Evaluated {
    pub block: FeesDecision,
    pub pending: bool,
}

impl Fees {
    pub(crate) fn evaluate(
        &self,
        env: &Env<'_>,
        missing: &mut [bool],
    ) -> Result<Evaluated, Overflow> {
        let mut lines = Vec::with_capacity(self.items.len());
        // Each waiver's condition, evaluated the first time an item weighs it.
        let mut truths: Vec<Option<Option<bool>>> = alloc::vec![None; self.waivers.len()];
        let mut total = Decimal::ZERO;
        let mut pending = false;
        for (index, item) in self.items.iter().enumerate() {
            let mut line = FeeLine {
                id: item.id.clone(),
                name: item.name.clone(),
                status: FeeStatus::Undetermined,
                quantity: None,
                unit: item.unit.clone(),
                unit_price: None,
                amount: None,
                waiver: None,
                reduction: None,
                payable: None,
                basis: item.basis.clone(),
            };
            let applies = match &item.when {
                None => Some(true),
                Some(node) => node.truth(env)?,
            };
            match applies {
                Some(false) => {
                    line.status = FeeStatus::NotApplicable;
                    lines.push(line);
                    continue;
                }
                None => {
                    if let Some(node) = &item.when {
                        node.missing(env, missing)?;
                    }
                    pending = true;
                    lines.push(line);
                    continue;
                }
                Some(true) => {}
            }
            let quantity = match &item.quantity {
                None => Some(Decimal::ONE),
                Some(node) => match node.eval(env)? {
                    // A negative count charges nothing rather than paying the applicant.
                    Some(Val::Number(n)) => Some(n.max(Decimal::ZERO)),
                    _ => {
                        node.missing(env, missing)?;
                        None
                    }
                },
            };
            let Some(quantity) = quantity else {
                pending = true;
                lines.push(line);
                continue;
            };
            if item.quantity.is_some() {
                line.quantity = Some(quantity.normalize());
            }
            let tier = item
                .tiers
                .iter()
                .find(|t| t.up_to.is_none_or(|bound| quantity <= bound));
            let gross = match tier.map(|t| &t.charge) {
                Some(Charge::PerUnit(price)) => {
                    line.unit_price = Some(yuan(*price)?);
                    price.checked_mul(quantity).ok_or(Overflow)?
                }
                Some(Charge::Flat(amount)) => *amount,
                None => Decimal::ZERO,
            };

            // The most favourable applicable waiver; an open one keeps the item open unless a
            // known waiver already takes everything off.
            let (best, open) = self.waivers_for(index, gross, env, &mut truths)?;
            let reduction = best.map_or(Decimal::ZERO, |(_, off)| off);
            if !open.is_empty() && reduction < gross {
                for waiver in open {
                    waiver.when.missing(env, missing)?;
                }
                pending = true;
                lines.push(line);
                continue;
            }
            let payable = yuan(gross.checked_sub(reduction).ok_or(Overflow)?)?;
            let amount = yuan(gross)?;
            // Each amount is in range, their sum need not be: a total beyond the decimal range
            // is an overflow of the fees, not a wrapped or panicking sum.
            total = total.checked_add(payable).ok_or(Overflow)?;
            line.amount = Some(amount);
            line.payable = Some(payable);
            if let Some((waiver, _)) = best {
                line.waiver = Some(WaiverLine {
                    id: waiver.id.clone(),
                    name: waiver.name.clone(),
                    basis: waiver.basis.clone(),
                });
                line.reduction = Some(yuan(amount.checked_sub(payable).ok_or(Overflow)?)?);
            }
            line.status = if payable.is_zero() && best.is_some() {
                FeeStatus::Waived
            } else {
                FeeStatus::Charged
            };
            lines.push(line);
        }
        Ok(Evaluated {
            block: FeesDecision {
                free: self.free,
                basis: self.basis.clone(),
                items: lines,
                total: if pending { None } else { Some(yuan(total)?) },
                rounding: self.rounding.clone(),
            },
            pending,
        })
    }

    /// The waivers that apply to item `index` of `gross` yuan: the most favourable known one
    /// with what it takes off, and those still open. `truths` keeps each waiver's condition once
    /// evaluated, for the other items.
    fn waivers_for<'w>(
        &'w self,
        index: usize,
        gross: Decimal,
        env: &Env<'_>,
        truths: &mut [Option<Option<bool>>],
    ) -> Result<Weighed<'w>, Overflow> {
        let mut best: Option<(&Waiver, Decimal)> = None;
        let mut open: Vec<&Waiver> = Vec::new();
        for (number, waiver) in self.waivers.iter().enumerate() {
            if !waiver.items.is_empty() && !waiver.items.contains(&index) {
                continue;
            }
            let truth = match truths.get(number).copied().flatten() {
                Some(known) => known,
                None => {
                    let truth = waiver.when.truth(env)?;
                    if let Some(slot) = truths.get_mut(number) {
                        *slot = Some(truth);
                    }
                    truth
                }
            };
            match truth {
                Some(true) => {
                    let off = match &waiver.reduction {
                        Reduction::Percent(p) => gross
                            .checked_mul(*p)
                            .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                            .ok_or(Overflow)?,
                        Reduction::Amount(a) => *a,
                    }
                    .min(gross);
                    if best.is_none_or(|(_, current)| off > current) {
                        best = Some((waiver, off));
                    }
                }
                Some(false) => {}
                None => open.push(waiver),
            }
        }
        Ok((best, open))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn half_cents_round_away_from_zero() {
        let d = |s: &str| crate::facts::parse_decimal(s).unwrap();
        assert_eq!(round_yuan(d("0.005")).to_string(), "0.01");
        assert_eq!(round_yuan(d("0.0049999")).to_string(), "0.00");
        assert_eq!(round_yuan(d("2.675")).to_string(), "2.68");
        assert_eq!(round_yuan(d("2.665")).to_string(), "2.67");
        assert_eq!(round_yuan(d("80")).to_string(), "80.00");
        assert_eq!(round_yuan(d("12.3")).to_string(), "12.30");
    }
}
