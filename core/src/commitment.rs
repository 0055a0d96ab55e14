//! 告知承诺制: a proof replaced by the applicant's signed commitment, where the matter offers it
//! and the applicant has no serious dishonesty record (国发〔2021〕7号; 陕政办发〔2023〕1号).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::checker::Checker;
use crate::common::{Citation, Limit, Text, citations};
use crate::error::SourcePath;
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue};
use crate::source::{CommitmentSource, MatterSource};
use chrono::NaiveDate;

/// The name of the applicant's choice of 告知承诺制, for matters that offer it.
pub const COMMITMENT_FACT: &str = "告知承诺";

/// The name of the data-sharing fact on serious dishonesty (严重失信), for matters that offer
/// 告知承诺制.
pub const DISHONESTY_FACT: &str = "严重失信";

/// Domains where a signed commitment may not replace proofs (告知承诺制的除外领域).
pub const RESTRICTED_DOMAINS: [&str; 8] = [
    "国家安全",
    "国家秘密",
    "公共安全",
    "金融审慎监管",
    "生态环境保护",
    "人身健康",
    "生命财产安全",
    "重要涉外",
];

/// A commitment that replaces a proof (告知承诺制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// What the applicant commits to.
    pub text: Text,
    /// What follows a false commitment.
    pub consequence: Text,
    /// For a commitment to supply the proof later: how long after acceptance it is due; the
    /// material's `due` gives the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<Limit>,
}

/// Whether 告知承诺制 is offered to this applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentDecision {
    /// Offered (`false` for a serious dishonesty record); absent until that is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offered: Option<bool>,
    /// The applicant's choice; absent until answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<bool>,
    /// Why it is not offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The policy's basis.
    pub basis: Vec<Citation>,
}

/// A matter's 告知承诺制 policy, compiled: its basis and the facts that decide it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Policy {
    pub basis: Vec<Citation>,
    /// The applicant's choice (`告知承诺`).
    pub choice: u16,
    /// The credit record (`严重失信`).
    pub dishonesty: u16,
}

/// What the applicant's answers make of a material a commitment could replace.
pub(crate) enum Choice {
    /// Bring the proof: the applicant declined, or may not commit.
    Submit,
    /// The signed commitment replaces it.
    Committed,
    /// Not known yet: the fact numbered here is still to be asked.
    Open(u16),
}

/// The value of a yes/no fact, if answered.
pub(crate) fn fact_bool(facts: &[Option<FactValue>], index: u16) -> Option<bool> {
    match facts.get(usize::from(index)) {
        Some(Some(FactValue::Bool(b))) => Some(*b),
        _ => None,
    }
}

/// The choice fact, defined for matters where a material offers a commitment.
pub(crate) fn choice_fact() -> FactDef {
    FactDef {
        name: COMMITMENT_FACT.to_string(),
        kind: FactKind::Bool,
        question: "是否选择以告知承诺方式办理（签署承诺书代替相关证明）？".to_string(),
        options: Vec::new(),
        source: FactSourceKind::Applicant,
        format: None,
        min: None,
        max: None,
    }
}

/// The credit-record fact, defined where 告知承诺 or 容缺 checks it.
pub(crate) fn dishonesty_fact() -> FactDef {
    FactDef {
        name: DISHONESTY_FACT.to_string(),
        kind: FactKind::Bool,
        question: "申请人是否被列入严重失信主体名单或曾作出虚假承诺？".to_string(),
        options: Vec::new(),
        source: FactSourceKind::DataSharing,
        format: None,
        min: None,
        max: None,
    }
}

/// A material's `commitment`, checked: texts given, and no commitment in a restricted domain.
pub(crate) fn compile_offer(
    c: &mut Checker<'_>,
    path: &SourcePath,
    offer: &CommitmentSource,
    src: &MatterSource,
) -> Commitment {
    c.text(path.key("commitment").key("text"), &offer.text);
    c.text(
        path.key("commitment").key("consequence"),
        &offer.consequence,
    );
    if let Some(domain) = src.matter.restricted_domains.first() {
        c.invalid(
            path.key("commitment"),
            alloc::format!(
                "告知承诺制 cannot replace proofs in a matter touching {domain} (restricted_domains)"
            ),
        );
    }
    Commitment {
        text: offer.text.as_str().into(),
        consequence: offer.consequence.as_str().into(),
        within: offer
            .within
            .as_ref()
            .map(|l| c.limit(path.key("commitment").key("within"), l)),
    }
}

impl Commitment {
    /// For a commitment to supply the proof later, the day it is due after acceptance on
    /// `accepted`, counted as 容缺 due dates are (the day itself not counted; working days on the
    /// official calendar, natural days moved off a rest day).
    pub(crate) fn due(
        &self,
        calendar: &Calendar,
        accepted: NaiveDate,
    ) -> Option<Result<NaiveDate, crate::calendar::CalendarError>> {
        self.within
            .map(|limit| crate::deadline::due_date(calendar, accepted, limit, &[]))
    }
}
/// The matter's `[commitment]` policy, which must go with materials that offer a commitment;
/// `facts` are the choice and credit-record facts, defined when one does.
pub(crate) fn compile_policy(
    c: &mut Checker<'_>,
    src: &MatterSource,
    facts: Option<(u16, u16)>,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Option<Policy> {
    let root = SourcePath::root();
    for (i, domain) in src.matter.restricted_domains.iter().enumerate() {
        c.one_of(
            root.key("matter").key("restricted_domains").index(i),
            domain,
            &RESTRICTED_DOMAINS,
        );
    }
    match (&src.commitment, facts) {
        (Some(policy), Some((choice, dishonesty))) => {
            let ids = c.basis_refs(
                &root.key("commitment").key("basis"),
                &policy.basis,
                basis_index,
                true,
            );
            Some(Policy {
                basis: citations(cited, &ids),
                choice,
                dishonesty,
            })
        }
        (Some(_), None) => {
            c.invalid(
                root.key("commitment"),
                "no material has a `commitment` to offer",
            );
            None
        }
        (None, Some(_)) => {
            let at = src
                .materials
                .iter()
                .position(|m| m.commitment.is_some())
                .unwrap_or(0);
            c.invalid(
                root.key("materials").index(at).key("commitment"),
                "a commitment needs the matter's `[commitment]` section with the policy's basis",
            );
            None
        }
        (None, None) => None,
    }
}

impl Policy {
    /// What the answers make of a proof the applicant would otherwise bring.
    pub(crate) fn choice(&self, facts: &[Option<FactValue>]) -> Choice {
        match (
            fact_bool(facts, self.choice),
            fact_bool(facts, self.dishonesty),
        ) {
            (Some(false), _) | (Some(true), Some(true)) => Choice::Submit,
            (Some(true), Some(false)) => Choice::Committed,
            (None, _) => Choice::Open(self.choice),
            (Some(true), None) => Choice::Open(self.dishonesty),
        }
    }

    /// The decision's `commitment` block.
    pub(crate) fn decide(&self, facts: &[Option<FactValue>]) -> CommitmentDecision {
        let offered = fact_bool(facts, self.dishonesty).map(|dishonest| !dishonest);
        CommitmentDecision {
            offered,
            chosen: fact_bool(facts, self.choice),
            reason: (offered == Some(false)).then(|| {
                "申请人有严重失信记录或曾作出虚假承诺，在信用修复前不适用告知承诺制".to_string()
            }),
            basis: self.basis.clone(),
        }
    }
}
