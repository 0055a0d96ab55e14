//! The lists the plans ask offices to publish, drawn from the matters in force on a date:
//! “两个免于提交”事项清单 and “一证通办”清单 (灞桥区 plan 任务19), and the 政务数据资源供需对接清单
//! (西咸新区 plan 任务9). Each definition is in `rules/README.md` ("Lists").

use alloc::vec::Vec;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::common::Text;
use crate::indicators::in_force;
use crate::materials::{Material, Route};
use crate::matter::Matter;

/// Names of the applicant's own identity card as materials call it.
const ID_CARD: [&str; 4] = [
    "居民身份证",
    "本人居民身份证",
    "申请人居民身份证",
    "原居民身份证",
];
/// Names of the forms an applicant fills in at the counter or online (申请书, 申请表, 登记表):
/// nothing to bring from elsewhere.
const FORMS: [&str; 3] = ["申请书", "申请表", "登记表"];

/// One row of the “两个免于提交” list: a material a government department issues that need not
/// be submitted, and how it is spared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exemption {
    /// 实施编码.
    pub code: Text,
    /// 事项名称.
    pub matter: Text,
    /// The material's name.
    pub material: Text,
    /// The department that issues it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// `data_sharing` (政府部门核发的材料免于提交) or `e_licence` (电子证照免于提交实体证照).
    pub route: Route,
    /// The sharing route, or the licence types (any one of them).
    pub via: Text,
    /// Whether the material is needed only in some situation (情形).
    pub situational: bool,
}

/// One matter in the “一证通办” list: whether the 居民身份证 alone finishes it, and if not,
/// what else is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneCard {
    /// 实施编码.
    pub code: Text,
    /// 事项名称.
    pub matter: Text,
    /// Whether every material, in every situation, is spared (直接取消, 数据共享 or any
    /// electronic licence), the applicant's 居民身份证, or a form filled in on the spot.
    pub qualifies: bool,
    /// The materials that stop it, in file order.
    pub other_materials: Vec<Text>,
}

/// One row of the 数据供需对接清单: a matter's material that a sharing route or an electronic
/// licence type must supply, and the department that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supply {
    /// `data_sharing` or `e_licence`.
    pub route: Route,
    /// The sharing route or the licence type.
    pub resource: Text,
    /// The department that issues the material (供给方).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<Text>,
    /// The matter's agency (需求方).
    pub agency: Text,
    /// 实施编码.
    pub code: Text,
    /// 事项名称.
    pub matter: Text,
    /// The material's name.
    pub material: Text,
}

fn current<'m>(matters: &[&'m Matter], on: NaiveDate) -> impl Iterator<Item = &'m Matter> {
    in_force(matters, on).into_iter().map(|m| m.current)
}

fn licences(m: &Material) -> Text {
    let names: Vec<&str> = m.licence.iter().map(|(_, name)| &**name).collect();
    names.join("、").into()
}

/// The “两个免于提交” list, by matter code and file order.
pub(crate) fn exemptions(matters: &[&Matter], on: NaiveDate) -> Vec<Exemption> {
    let mut out = Vec::new();
    for matter in current(matters, on) {
        for m in matter.materials.iter().filter(|m| m.cancelled.is_none()) {
            let row = |route, via| Exemption {
                code: matter.info.code.clone(),
                matter: matter.info.name.clone(),
                material: m.name.clone(),
                issuer: m.issuer.clone(),
                route,
                via,
                situational: m.when.is_some(),
            };
            if let (Some(_), Some(sharing)) = (&m.issuer, &m.sharing) {
                out.push(row(Route::DataSharing, sharing.clone()));
            }
            if !m.licence.is_empty() {
                out.push(row(Route::ELicence, licences(m)));
            }
        }
    }
    out
}

/// The “一证通办” list: every matter, whether it qualifies, and what stops it.
pub(crate) fn one_card(matters: &[&Matter], on: NaiveDate) -> Vec<OneCard> {
    current(matters, on)
        .map(|matter| {
            let other_materials: Vec<Text> = matter
                .materials
                .iter()
                .filter(|m| {
                    let spared = m.cancelled.is_some()
                        || m.issuer.is_some() && m.sharing.is_some()
                        || !m.licence.is_empty();
                    let id_card = ID_CARD.contains(&&*m.name);
                    let form = FORMS.iter().any(|f| m.name.contains(f));
                    !(spared || id_card || form)
                })
                .map(|m| m.name.clone())
                .collect();
            OneCard {
                code: matter.info.code.clone(),
                matter: matter.info.name.clone(),
                qualifies: other_materials.is_empty(),
                other_materials,
            }
        })
        .collect()
}

/// The 数据供需对接清单, by route, resource, matter code and file order.
pub(crate) fn supply(matters: &[&Matter], on: NaiveDate) -> Vec<Supply> {
    let mut out = Vec::new();
    for matter in current(matters, on) {
        for m in matter.materials.iter().filter(|m| m.cancelled.is_none()) {
            let row = |route, resource: Text| Supply {
                route,
                resource,
                provider: m.issuer.clone(),
                agency: matter.info.agency.clone(),
                code: matter.info.code.clone(),
                matter: matter.info.name.clone(),
                material: m.name.clone(),
            };
            if let (Some(_), Some(sharing)) = (&m.issuer, &m.sharing) {
                out.push(row(Route::DataSharing, sharing.clone()));
            }
            for (_, licence) in &m.licence {
                out.push(row(Route::ELicence, licence.clone()));
            }
        }
    }
    let rank = |r: Route| matches!(r, Route::ELicence);
    out.sort_by(|a, b| {
        (rank(a.route), &a.resource, &a.code).cmp(&(rank(b.route), &b.resource, &b.code))
    });
    out
}
