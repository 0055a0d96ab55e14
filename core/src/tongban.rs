//! 通办: an application handed in outside the deciding agency's area, received there and
//! passed on, instead of refused (陕政办发〔2023〕1号任务十、十六; 咸阳 plan 任务15; 西咸新区
//! plan 任务11).
//!
//! A matter declares how far its 通办 reaches (全市, 全省, 跨省), the enum fact that says where
//! the applicant stands, and how far outside each of its options is. An applicant within the
//! scope is routed: the receiving office, how it forwards, and, where the rules give a
//! forwarding limit, the day the deciding agency has it, from which the limits run. One beyond
//! the scope is told to apply to the deciding agency: a question of where to apply, not of
//! eligibility.

use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};
use crate::checker::Checker;
use crate::common::{Citation, Limit, Text, citations};
use crate::error::SourcePath;
use crate::expr::Scope;
use crate::facts::{FactKind, FactValue};
use crate::source::MatterSource;

/// How far from the deciding agency's area, nearest first.
const DISTANCES: [&str; 3] = ["全市", "全省", "跨省"];

/// A matter's 通办, compiled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tongban {
    /// The scope, as a number of [`DISTANCES`].
    scope: usize,
    /// The fact saying where the applicant stands.
    fact: u16,
    /// Options of `fact` outside the area and their distances (numbers of [`DISTANCES`]).
    areas: Vec<(u16, usize)>,
    receiving: Text,
    forwarding: Text,
    forwarding_limit: Option<Limit>,
    basis: Vec<Citation>,
}

/// Where an application goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutingStatus {
    /// The applicant is in the deciding agency's area: apply there.
    Local,
    /// Handed in elsewhere within the 通办 scope and passed on to the deciding agency.
    Routed,
    /// Outside the 通办 scope: apply to the deciding agency.
    OutsideScope,
    /// Depends on where the applicant stands, not yet answered.
    Pending,
}

/// The routing block of a decision, for matters with 通办.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// Where the application goes.
    pub status: RoutingStatus,
    /// The matter's 通办 scope: 全市, 全省 or 跨省.
    pub scope: Text,
    /// How far outside the deciding agency's area the applicant stands, when outside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance: Option<Text>,
    /// The agency that decides.
    pub deciding: Text,
    /// For `routed`: who receives the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving: Option<Text>,
    /// For `routed`: how it is passed on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<Text>,
    /// For `routed` with a forwarding limit: how long forwarding may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding_limit: Option<Limit>,
    /// For `routed` with a forwarding limit: the day the deciding agency has the application,
    /// from which the limits run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded_by: Option<NaiveDate>,
    /// Why that day cannot be given (outside the calendar).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<CalendarError>,
    /// The 通办 basis.
    pub basis: Vec<Citation>,
}

/// Compiles `[tongban]`.
pub(crate) fn compile(
    c: &mut Checker<'_>,
    src: &MatterSource,
    scope: &Scope<'_>,
    basis_index: &alloc::collections::BTreeMap<&str, usize>,
    cited: &[Citation],
) -> Option<Tongban> {
    let t = src.tongban.as_ref()?;
    let path = SourcePath::root().key("tongban");
    c.one_of(path.key("scope"), &t.scope, &DISTANCES);
    c.text(path.key("receiving"), &t.receiving);
    c.text(path.key("forwarding"), &t.forwarding);
    let basis = c.basis_refs(&path.key("basis"), &t.basis, basis_index, true);
    let forwarding_limit = t
        .forwarding_limit
        .as_ref()
        .map(|l| c.limit(path.key("forwarding_limit"), l));
    let distance = |d: &str| DISTANCES.iter().position(|x| *x == d);
    let fact = scope.fact_index.get(&t.fact).copied();
    let def = fact.and_then(|i| scope.facts.get(usize::from(i)));
    let Some((fact, def)) = fact.zip(def).filter(|(_, d)| d.kind == FactKind::Enum) else {
        c.invalid(
            path.key("fact"),
            alloc::format!("`{}` is not an enum fact of this matter", t.fact),
        );
        return None;
    };
    let mut areas = Vec::with_capacity(t.areas.len());
    if t.areas.is_empty() {
        c.invalid(
            path.key("areas"),
            "name the options of the fact outside the deciding agency's area",
        );
    }
    for (i, area) in t.areas.iter().enumerate() {
        let at = path.key("areas").index(i);
        c.one_of(at.key("distance"), &area.distance, &DISTANCES);
        let option = def.options.iter().position(|o| *o == area.option);
        match option.and_then(|o| u16::try_from(o).ok()) {
            Some(o) if areas.iter().any(|(x, _)| *x == o) => {
                c.duplicate(at.key("option"), "area", &area.option);
            }
            Some(o) => areas.push((o, distance(&area.distance).unwrap_or(0))),
            None => c.invalid(
                at.key("option"),
                alloc::format!("`{}` is not an option of `{}`", area.option, t.fact),
            ),
        }
    }
    Some(Tongban {
        scope: distance(&t.scope).unwrap_or(0),
        fact,
        areas,
        receiving: t.receiving.as_str().into(),
        forwarding: t.forwarding.as_str().into(),
        forwarding_limit,
        basis: citations(cited, &basis),
    })
}

impl Tongban {
    /// The routing block for an application handed in on `on`, and the day the deciding agency
    /// has it (from which the limits run). The fact, when unanswered, is marked in `missing`.
    pub(crate) fn route(
        &self,
        facts: &[Option<FactValue>],
        on: NaiveDate,
        deciding: &Text,
        calendar: &Calendar,
        missing: &mut [bool],
    ) -> (Routing, NaiveDate) {
        let mut routing = Routing {
            status: RoutingStatus::Local,
            scope: DISTANCES
                .get(self.scope)
                .copied()
                .unwrap_or_default()
                .into(),
            distance: None,
            deciding: deciding.clone(),
            receiving: None,
            forwarding: None,
            forwarding_limit: None,
            forwarded_by: None,
            error: None,
            basis: self.basis.clone(),
        };
        let option = match facts.get(usize::from(self.fact)) {
            Some(Some(FactValue::Enum(option))) => *option,
            _ => {
                if let Some(slot) = missing.get_mut(usize::from(self.fact)) {
                    *slot = true;
                }
                routing.status = RoutingStatus::Pending;
                return (routing, on);
            }
        };
        let Some(&(_, distance)) = self.areas.iter().find(|(o, _)| *o == option) else {
            return (routing, on);
        };
        routing.distance = DISTANCES.get(distance).map(|d| Text::from(*d));
        if distance > self.scope {
            routing.status = RoutingStatus::OutsideScope;
            return (routing, on);
        }
        routing.status = RoutingStatus::Routed;
        routing.receiving = Some(self.receiving.clone());
        routing.forwarding = Some(self.forwarding.clone());
        routing.forwarding_limit = self.forwarding_limit;
        let mut arrives = on;
        if let Some(limit) = self.forwarding_limit {
            match crate::deadline::due_date(calendar, on, limit, &[]) {
                Ok(date) => {
                    routing.forwarded_by = Some(date);
                    arrives = date;
                }
                Err(error) => routing.error = Some(error),
            }
        }
        (routing, arrives)
    }
}
