//! 容缺受理 and acceptance: whether an application can be accepted with the materials at hand,
//! which non-key materials may follow later and by when, and the one-time notice (一次性告知)
//! of everything missing when it cannot be accepted.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::checker::Checker;
use crate::commitment;
use crate::common::{Citation, Citations, Limit, Text, citations};
use crate::eligibility::Status;
use crate::error::SourcePath;
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue};
use crate::materials::{MaterialDecision, MaterialStatus};
use crate::source::MatterSource;

/// The name of the fact listing the materials an applicant lacks at acceptance (by name).
pub const MISSING_FACT: &str = "缺少材料";

/// 容缺受理 as the rules allow it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deferral {
    /// How long after acceptance deferred materials are due.
    pub period: Limit,
    /// What the applicant signs.
    pub commitment: String,
    /// Its basis.
    pub basis: Vec<Citation>,
    /// The ids of the materials that may be deferred.
    pub materials: Vec<String>,
    /// Whether a serious dishonesty record (严重失信) rules 容缺 out.
    pub dishonest_excluded: bool,
}

/// Whether the application can be accepted with the materials at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceStatus {
    /// Everything needed is there.
    Accepted,
    /// Accepted with non-key materials to follow (容缺受理).
    AcceptedWithDeferral,
    /// Cannot be accepted; see `reason` and the one-time notice.
    NotAccepted,
    /// Depends on facts not yet answered.
    Pending,
}

/// The acceptance block: present when the facts say which materials are missing (`缺少材料`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The outcome.
    pub status: AcceptanceStatus,
    /// Why not accepted: `ineligible` or `missing_materials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Materials missing that prevent acceptance.
    pub missing: Vec<Text>,
    /// Materials deferred under 容缺受理.
    pub deferred: Vec<Text>,
    /// The commitment the applicant signs for deferred materials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral: Option<Deferral>,
    /// Why 容缺 was withheld although the missing materials are deferrable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferral_refused: Option<String>,
    /// Why the deferred materials' due date cannot be given (outside the calendar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_error: Option<crate::calendar::CalendarError>,
    /// 一次性告知: everything missing, key and non-key, when not accepted for want of materials.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notice: Vec<NoticeItem>,
}

/// One line of the one-time notice (一次性告知单).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    /// The material's id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// 原件, 复印件 or 原件和复印件.
    pub form: Text,
    /// 纸质, 电子 or 纸质或电子.
    pub medium: Text,
    /// Copies.
    pub copies: u32,
    /// Whether it is a key material.
    pub key: bool,
    /// Its basis.
    pub basis: Citations,
}

/// A matter's acceptance rules, compiled: its 容缺 policy and the facts acceptance reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rules {
    pub deferral: Option<Deferral>,
    /// `缺少材料`.
    pub missing_fact: u16,
    /// `严重失信`, where a matter defines it.
    pub dishonesty_fact: Option<u16>,
}

/// The `缺少材料` fact: its options are the materials' names, in rule-file order.
pub(crate) fn missing_fact(src: &MatterSource) -> FactDef {
    FactDef {
        name: MISSING_FACT.to_string(),
        kind: FactKind::EnumList,
        question: "受理时申请人暂缺哪些材料？".to_string(),
        options: src.materials.iter().map(|m| m.name.clone()).collect(),
        source: FactSourceKind::Applicant,
        format: None,
        min: None,
        max: None,
    }
}

/// Whether the `[deferral]` section checks the credit record (严重失信).
pub(crate) fn checks_credit(src: &MatterSource) -> bool {
    src.deferral.as_ref().is_some_and(|d| d.dishonest_excluded)
}

/// Compiles `[deferral]`: only non-key materials (关键材料 never) may be deferred.
pub(crate) fn compile(
    c: &mut Checker<'_>,
    src: &MatterSource,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Option<Deferral> {
    let d = src.deferral.as_ref()?;
    let path = SourcePath::root().key("deferral");
    c.text(path.key("commitment"), &d.commitment);
    let basis = c.basis_refs(&path.key("basis"), &d.basis, basis_index, true);
    let period = c.limit(path.key("period"), &d.period);
    if src.materials.iter().all(|m| m.key != Some(false)) {
        c.invalid(
            path.clone(),
            "容缺 defers non-key materials: mark some material `key = false`",
        );
    }
    let by_id: alloc::collections::BTreeMap<&str, &crate::source::MaterialSource> = src
        .materials
        .iter()
        .rev()
        .map(|m| (m.id.as_str(), m))
        .collect();
    for (j, id) in d.materials.iter().enumerate() {
        match by_id.get(id.as_str()) {
            None => c.invalid(path.key("materials").index(j), alloc::format!("unknown material `{id}`")),
            Some(m) if m.key != Some(false) => c.invalid(
                path.key("materials").index(j),
                alloc::format!("`{id}` is a key material (关键材料) and cannot be deferred; mark it `key = false` if the law allows"),
            ),
            Some(_) => {}
        }
    }
    let materials = if d.materials.is_empty() {
        src.materials
            .iter()
            .filter(|m| m.key == Some(false))
            .map(|m| m.id.clone())
            .collect()
    } else {
        d.materials.clone()
    };
    Some(Deferral {
        period,
        commitment: d.commitment.clone(),
        basis: citations(cited, &basis),
        materials,
        dishonest_excluded: d.dishonest_excluded,
    })
}

impl Rules {
    /// The acceptance block, when the facts say which materials are missing; marks deferred
    /// materials with their due dates.
    ///
    /// Returns `None` without `缺少材料`; the block is `pending` when an unanswered fact (the
    /// credit record that decides 容缺) is marked in `missing`.
    pub(crate) fn acceptance(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        status: Status,
        calendar: &Calendar,
        materials: &mut [MaterialDecision],
        missing: &mut [bool],
    ) -> Option<Acceptance> {
        let Some(Some(FactValue::List(lacking))) = facts.get(usize::from(self.missing_fact)) else {
            return None;
        };
        // `缺少材料` lists materials by name, in rule-file order: option i is material i.
        let lacks = |i: usize| u16::try_from(i).is_ok_and(|i| lacking.binary_search(&i).is_ok());
        let mut acceptance = Acceptance {
            status: AcceptanceStatus::Accepted,
            reason: None,
            missing: Vec::new(),
            deferred: Vec::new(),
            deferral: None,
            deferral_refused: None,
            due_error: None,
            notice: Vec::new(),
        };
        let listed = |m: &MaterialDecision| {
            self.deferral
                .as_ref()
                .is_some_and(|d| d.materials.iter().any(|id| **id == *m.id))
        };
        // While acceptance is pending, a material the applicant lacks that 容缺 could defer is
        // neither to submit nor deferred yet: which one depends on what is still unanswered.
        let pending = |materials: &mut [MaterialDecision], mut acceptance: Acceptance| {
            for (i, m) in materials.iter_mut().enumerate() {
                if m.status == MaterialStatus::Submit && lacks(i) && listed(m) {
                    m.status = MaterialStatus::Undetermined;
                }
            }
            acceptance.status = AcceptanceStatus::Pending;
            Some(acceptance)
        };
        match status {
            Status::Ineligible => {
                acceptance.status = AcceptanceStatus::NotAccepted;
                acceptance.reason = Some("ineligible".into());
                return Some(acceptance);
            }
            Status::NeedsFacts => return pending(materials, acceptance),
            Status::Eligible => {}
        }
        let needed: Vec<usize> = materials
            .iter()
            .enumerate()
            .filter(|(i, m)| m.status == MaterialStatus::Submit && lacks(*i))
            .map(|(i, _)| i)
            .collect();
        // 容缺 is withheld from serious dishonesty where the rules say so; until the record is
        // known, whether a deferrable material can wait is open.
        let credit_checked = self.deferral.as_ref().is_some_and(|d| d.dishonest_excluded);
        let dishonest = self
            .dishonesty_fact
            .and_then(|i| commitment::fact_bool(facts, i));
        let wants_deferral = needed.iter().any(|&i| materials.get(i).is_some_and(listed));
        // A missing key material stops acceptance whatever the credit record says.
        let key_missing = needed
            .iter()
            .any(|&i| materials.get(i).is_some_and(|m| !listed(m)));
        if credit_checked && wants_deferral && dishonest.is_none() && !key_missing {
            if let Some(slot) = self
                .dishonesty_fact
                .and_then(|i| missing.get_mut(usize::from(i)))
            {
                *slot = true;
            }
            return pending(materials, acceptance);
        }
        let refused = credit_checked && dishonest == Some(true);
        if refused && wants_deferral {
            acceptance.deferral_refused =
                Some("申请人有严重失信记录或曾作出虚假承诺，不适用容缺受理".to_string());
        }
        let deferrable = |m: &MaterialDecision| listed(m) && !refused;
        let blocking: Vec<usize> = needed
            .iter()
            .copied()
            .filter(|&i| materials.get(i).is_some_and(|m| !deferrable(m)))
            .collect();
        if !blocking.is_empty() {
            acceptance.status = AcceptanceStatus::NotAccepted;
            acceptance.reason = Some("missing_materials".into());
            acceptance.missing = blocking
                .iter()
                .filter_map(|&i| materials.get(i))
                .map(|m| m.id.clone())
                .collect();
            acceptance.notice = needed
                .iter()
                .filter_map(|&i| materials.get(i))
                .map(|m| NoticeItem {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    form: m.form.clone(),
                    medium: m.medium.clone(),
                    copies: m.copies,
                    key: m.key,
                    basis: m.basis.clone(),
                })
                .collect();
            return Some(acceptance);
        }
        if let (Some(deferral), false) = (&self.deferral, needed.is_empty()) {
            let due = match crate::deadline::due_date(calendar, on, deferral.period, &[]) {
                Ok(date) => Some(date),
                Err(error) => {
                    acceptance.due_error = Some(error);
                    None
                }
            };
            for &i in &needed {
                if let Some(m) = materials.get_mut(i) {
                    m.status = MaterialStatus::Deferred;
                    m.due = due;
                    acceptance.deferred.push(m.id.clone());
                }
            }
            acceptance.status = AcceptanceStatus::AcceptedWithDeferral;
            acceptance.deferral = Some(deferral.clone());
        }
        Some(acceptance)
    }
}
