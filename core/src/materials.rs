//! 申请材料 and 免证办: which materials an application needs in the applicant's situation, and
//! which of them need not be brought because they were abolished (直接取消), are fetched by data
//! sharing (数据共享) or are held as an electronic licence (电子证照), or are replaced by a
//! signed commitment (告知承诺制, see [`crate::commitment`]).

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::commitment::{self, Choice, Commitment, Policy};
use crate::common::{Citation, Citations, Text, short_citations};
use crate::error::{DecideError, RuleErrorKind, SourcePath};
use crate::expr::{Env, Node, Overflow, Scope};
use crate::facts::{FactDef, FactKind, FactSourceKind, FactValue};
use crate::source::{MatterSource, Names};

/// The name of the channel fact listing the applicant's electronic licences.
pub const LICENCE_FACT: &str = "电子证照";

const FORMS: [&str; 3] = ["原件", "复印件", "原件和复印件"];
const MEDIA: [&str; 3] = ["纸质", "电子", "纸质或电子"];
/// Names that say nothing about what to bring (第十三条: no catch-all materials).
const VAGUE: [&str; 6] = [
    "其他",
    "其它",
    "有关材料",
    "相关材料",
    "其他材料",
    "其他相关材料",
];

/// What the applicant does about a material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialStatus {
    /// Bring it.
    Submit,
    /// Not needed: see `route`.
    Exempt,
    /// The applicant's situation does not call for it.
    NotApplicable,
    /// Depends on a fact not yet answered.
    Undetermined,
    /// Missing at acceptance and accepted under 容缺受理: due later, see `due`.
    Deferred,
    /// Replaced by the applicant's signed commitment (告知承诺制), see `commitment`.
    Committed,
}

/// Why a material is exempt (免证办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// 直接取消: the material was abolished.
    Cancelled,
    /// 数据共享: the department fetches it from the issuing department.
    DataSharing,
    /// 电子证照: the applicant holds the electronic licence.
    ELicence,
}

/// One material in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialDecision {
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
    /// Its legal basis.
    pub basis: Citations,
    /// What the applicant does.
    pub status: MaterialStatus,
    /// For `exempt`: how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    /// For `exempt`: the sharing route, the licence, or the cancelling basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Text>,
    /// The issuing department, for government-issued materials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// A note for the applicant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// 关键材料: the application cannot be accepted without it.
    pub key: bool,
    /// For `deferred`, and `committed` with a commitment to supply it later: the day it must
    /// be supplied by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Why that day cannot be given (outside the calendar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_error: Option<crate::calendar::CalendarError>,
    /// For `committed`: the commitment signed instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Commitment>,
}

/// A compiled material.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Material {
    pub id: Text,
    pub name: Text,
    pub form: Text,
    pub medium: Text,
    pub copies: u32,
    /// Its basis as decisions cite it (document and article).
    pub basis: Citations,
    pub when: Option<Node>,
    pub issuer: Option<Text>,
    pub sharing: Option<Text>,
    /// The licence types that replace it (option numbers in the catalogue, and names).
    pub licence: Vec<(u16, Text)>,
    /// The list fact that holds the licences to look in.
    pub licence_holder: u16,
    /// For a cancelled material (直接取消), the cancelling basis as `《document》article`.
    pub cancelled: Option<Text>,
    pub note: Option<Text>,
    /// 关键材料: without it the application cannot be accepted.
    pub key: bool,
    pub commitment: Option<Commitment>,
}

/// What a material's compilation needs beyond its own source.
pub(crate) struct Context<'a> {
    pub scope: &'a Scope<'a>,
    pub basis_index: &'a BTreeMap<&'a str, usize>,
    pub cited: &'a [Citation],
    /// The licence catalogue.
    pub licences: &'a [String],
    /// The channel's licence fact, where licences are looked up unless a material names
    /// another holder.
    pub licence_fact: u16,
}

/// Compiles `[[materials]]`.
pub(crate) fn compile(c: &mut Checker<'_>, src: &MatterSource, cx: &Context<'_>) -> Vec<Material> {
    let mut ids = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut materials = Vec::with_capacity(src.materials.len());
    for (i, m) in src.materials.iter().enumerate() {
        let path = SourcePath::root().key("materials").index(i);
        if ids.insert(m.id.as_str(), ()).is_some() {
            c.duplicate(path.key("id"), "material id", &m.id);
        }
        if names.insert(m.name.as_str(), ()).is_some() {
            c.duplicate(path.key("name"), "material name", &m.name);
        }
        c.text(path.key("name"), &m.name);
        if VAGUE
            .iter()
            .any(|v| m.name.trim() == *v || m.name.trim().ends_with(&alloc::format!("{v}等")))
        {
            c.invalid(path.key("name"), alloc::format!("`{}` does not say what to bring; name the material (no catch-all 其他/有关材料)", m.name));
        }
        if let Some(proof) = &m.proof {
            c.text(path.key("proof"), proof);
        }
        c.one_of(path.key("form"), &m.form, &FORMS);
        c.one_of(path.key("medium"), &m.medium, &MEDIA);
        if m.copies == 0 {
            c.invalid(path.key("copies"), "at least one copy");
        }
        let basis = c.basis_refs(&path.key("basis"), &m.basis, cx.basis_index, true);
        let when = m
            .when
            .as_ref()
            .and_then(|w| c.condition(path.key("when"), w, cx.scope));
        if m.sharing.is_some() && m.issuer.is_none() {
            c.invalid(
                path.key("sharing"),
                "data sharing supplies materials issued by a government department: give `issuer`",
            );
        }
        let licence = licence_types(c, &path, m.licence.as_ref(), cx.licences);
        let licence_holder = licence_holder(c, &path, m, cx);
        let cancelled = c.basis_refs(&path.key("cancelled"), &m.cancelled, cx.basis_index, false);
        materials.push(Material {
            id: m.id.as_str().into(),
            name: m.name.as_str().into(),
            form: m.form.as_str().into(),
            medium: m.medium.as_str().into(),
            copies: m.copies,
            basis: short_citations(cx.cited, &basis),
            when,
            issuer: m.issuer.as_deref().map(Into::into),
            sharing: m.sharing.as_deref().map(Into::into),
            licence,
            licence_holder,
            cancelled: cancelled
                .first()
                .and_then(|&i| cx.cited.get(i))
                .map(|c| alloc::format!("《{}》{}", c.document, c.article).into()),
            note: m.note.as_deref().map(Into::into),
            key: m.key.unwrap_or(true),
            commitment: m
                .commitment
                .as_ref()
                .map(|k| commitment::compile_offer(c, &path, k, src)),
        });
    }
    materials
}

/// The licence types that replace a material, as option numbers of the catalogue.
fn licence_types(
    c: &mut Checker<'_>,
    path: &SourcePath,
    given: Option<&Names>,
    licences: &[String],
) -> Vec<(u16, Text)> {
    let names = given.map(Names::as_slice).unwrap_or_default();
    let mut licence = Vec::with_capacity(names.len());
    for (j, name) in names.iter().enumerate() {
        let at = if matches!(given, Some(Names::Many(_))) {
            path.key("licence").index(j)
        } else {
            path.key("licence")
        };
        match licences
            .iter()
            .position(|l| l == name)
            .and_then(|p| u16::try_from(p).ok())
        {
            Some(p) => licence.push((p, Text::from(name.as_str()))),
            None => c.push(
                at,
                None,
                RuleErrorKind::UnknownLicence { name: name.clone() },
            ),
        }
    }
    licence
}

/// The list fact a material's licences are looked up in.
fn licence_holder(
    c: &mut Checker<'_>,
    path: &SourcePath,
    m: &crate::source::MaterialSource,
    cx: &Context<'_>,
) -> u16 {
    let Some(holder) = &m.licence_holder else {
        return cx.licence_fact;
    };
    let found = cx.scope.fact_index.get(holder).copied().filter(|&i| {
        cx.scope.facts.get(usize::from(i)).is_some_and(|f| {
            f.kind == FactKind::EnumList
                && f.source == FactSourceKind::ELicence
                && f.options.as_slice() == cx.licences
        })
    });
    if found.is_none() {
        c.invalid(
            path.key("licence_holder"),
            alloc::format!("`{holder}` is not a list of electronic licences (an enum_list fact with source = \"e_licence\" and no options)"),
        );
    }
    if m.licence.is_none() {
        c.invalid(
            path.key("licence_holder"),
            "give the `licence` types to look for",
        );
    }
    found.unwrap_or(cx.licence_fact)
}

/// The channel's licence fact: the electronic licences the channel found for the applicant.
pub(crate) fn licence_fact(name: &str, licences: &[String]) -> FactDef {
    FactDef {
        name: name.to_string(),
        kind: FactKind::EnumList,
        question: "渠道为申请人查到的电子证照".to_string(),
        options: licences.to_vec(),
        source: FactSourceKind::ELicence,
        format: None,
        min: None,
        max: None,
    }
}

/// Marks the fact numbered `index` as still to be asked.
fn ask(missing: &mut [bool], index: usize) {
    if let Some(slot) = missing.get_mut(index) {
        *slot = true;
    }
}

impl Material {
    /// This material in a decision: whether it applies, then whether a 免证办 route or a
    /// commitment (under `policy`) spares the applicant bringing it. Facts it still waits for
    /// are marked in `missing`.
    pub(crate) fn decide(
        &self,
        env: &Env<'_>,
        policy: Option<&Policy>,
        missing: &mut [bool],
    ) -> Result<MaterialDecision, DecideError> {
        let overflow = |Overflow| DecideError::overflow(&self.id);
        let applies = match &self.when {
            None => Some(true),
            Some(node) => node.truth(env).map_err(overflow)?,
        };
        // A cancelled material is exempt where it would be asked for, and not applicable where
        // its situation does not arise: the cancellation does not widen its `when`.
        let (mut status, route, via) = match (&self.cancelled, applies) {
            (_, Some(false)) => (MaterialStatus::NotApplicable, None, None),
            (Some(by), Some(true)) => (
                MaterialStatus::Exempt,
                Some(Route::Cancelled),
                Some(by.clone()),
            ),
            (_, None) => {
                if let Some(node) = &self.when {
                    node.missing(env, missing).map_err(overflow)?;
                }
                (MaterialStatus::Undetermined, None, None)
            }
            (None, Some(true)) => self.route(env.facts, missing),
        };
        // A proof the applicant would bring may be replaced by a signed commitment.
        let mut commitment = None;
        if let (MaterialStatus::Submit, Some(offer), Some(policy)) =
            (status, &self.commitment, policy)
        {
            status = match policy.choice(env.facts) {
                Choice::Submit => MaterialStatus::Submit,
                Choice::Committed => {
                    commitment = Some(offer.clone());
                    MaterialStatus::Committed
                }
                Choice::Open(fact) => {
                    ask(missing, usize::from(fact));
                    MaterialStatus::Undetermined
                }
            };
        }
        Ok(MaterialDecision {
            id: self.id.clone(),
            name: self.name.clone(),
            form: self.form.clone(),
            medium: self.medium.clone(),
            copies: self.copies,
            basis: self.basis.clone(),
            status,
            route,
            via,
            issuer: self.issuer.clone(),
            note: self.note.clone(),
            key: self.key,
            due: None,
            due_error: None,
            commitment,
        })
    }

    /// For a material the situation calls for: exempt by data sharing or an electronic licence
    /// the applicant holds, or to submit.
    fn route(
        &self,
        facts: &[Option<FactValue>],
        missing: &mut [bool],
    ) -> (MaterialStatus, Option<Route>, Option<Text>) {
        if self.issuer.is_some() && self.sharing.is_some() {
            return (
                MaterialStatus::Exempt,
                Some(Route::DataSharing),
                self.sharing.clone(),
            );
        }
        if self.licence.is_empty() {
            return (MaterialStatus::Submit, None, None);
        }
        let holder = usize::from(self.licence_holder);
        match facts.get(holder).and_then(Option::as_ref) {
            Some(FactValue::List(held)) => {
                let found = self
                    .licence
                    .iter()
                    .find(|(option, _)| held.binary_search(option).is_ok());
                match found {
                    Some((_, name)) => (
                        MaterialStatus::Exempt,
                        Some(Route::ELicence),
                        Some(name.clone()),
                    ),
                    None => (MaterialStatus::Submit, None, None),
                }
            }
            Some(_) => (MaterialStatus::Submit, None, None),
            None => {
                ask(missing, holder);
                (MaterialStatus::Undetermined, None, None)
            }
        }
    }
}
