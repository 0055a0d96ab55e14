//! The rule files as written: the serde model of `matter.toml` and `licences.toml`.
//!
//! These types only describe shape. [`crate::RuleSet::compile`] checks meaning (references,
//! condition syntax and types) and reports problems by their path in the file, so any format that
//! deserializes into these types (TOML for authors, JSON inside a bundle) gets the same checks.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// One matter's rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatterSource {
    /// The national elements of the implementation list.
    pub matter: MatterInfoSource,
    /// The version of these rules and the day they take effect.
    pub version: VersionSource,
    /// Legal basis citations, article by article.
    #[serde(default)]
    pub basis: Vec<BasisSource>,
    /// The facts schema, in interview order.
    #[serde(default)]
    pub facts: Vec<FactSource>,
    /// Named situations (情形).
    #[serde(default)]
    pub situations: Vec<SituationSource>,
    /// Eligibility conditions (受理条件).
    #[serde(default)]
    pub conditions: Vec<ConditionSource>,
    /// Application materials (申请材料).
    #[serde(default)]
    pub materials: Vec<MaterialSource>,
    /// Procedures whose time does not count toward the limits (行政许可法第四十五条).
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedureSource>,
    /// The statutory extension of the limit, where the law allows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionSource>,
    /// 容缺受理: accepting with non-key materials to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralSource>,
    /// 告知承诺制: the policy under which commitments replace proofs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentPolicySource>,
    /// 收费标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<FeesSource>,
    /// 办事指南: the service information a front end shows beside the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideSource>,
}

/// `[guide]`: the 办事指南 of a matter (市政办发〔2021〕36号第十二条).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSource {
    /// 办理流程: `[[guide.steps]]`, in the order they happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<GuideStepSource>,
}

/// One step (办理环节) of the 办理流程.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideStepSource {
    /// The step's name, for example 受理.
    pub name: String,
    /// What happens in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How long it takes at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<LimitSource>,
}

/// 容缺受理 for a matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeferralSource {
    /// How long after acceptance deferred materials are due.
    pub period: LimitSource,
    /// What the applicant signs.
    pub commitment: String,
    /// Basis ids.
    pub basis: Vec<String>,
    /// The ids of the materials that may be deferred; every non-key material when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<String>,
    /// Whether an applicant with a serious dishonesty record (严重失信) is refused 容缺.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub dishonest_excluded: bool,
}

/// 告知承诺制 for a matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentPolicySource {
    /// Basis ids: the policy that allows commitments and withholds them from serious dishonesty.
    pub basis: Vec<String>,
}

/// A commitment that replaces one proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentSource {
    /// What the applicant commits to.
    pub text: String,
    /// What follows a false commitment.
    pub consequence: String,
}

/// 收费标准.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeesSource {
    /// Whether the matter is free of charge.
    #[serde(default)]
    pub free: bool,
    /// Basis ids: why it charges, or why it is free.
    pub basis: Vec<String>,
    /// Fee items.
    #[serde(default)]
    pub items: Vec<FeeItemSource>,
    /// Waivers and reductions.
    #[serde(default)]
    pub waivers: Vec<WaiverSource>,
}

/// One fee item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItemSource {
    /// A stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Basis ids.
    pub basis: Vec<String>,
    /// When it is charged; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The price of one unit, in yuan, as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// How many units (a number expression, e.g. a fact); 1 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// The unit, e.g. 件, 本, 平方米.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Prices by quantity band, instead of `price`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiers: Vec<TierSource>,
}

/// One band of a tiered fee: up to `up_to` units (the last band has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierSource {
    /// The band's upper bound, included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to: Option<String>,
    /// The price per unit in this band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// A flat amount for the band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}

/// A fee waiver or reduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverSource {
    /// A stable id.
    pub id: String,
    /// Its name, e.g. 小微企业免收.
    pub name: String,
    /// Who qualifies.
    pub when: String,
    /// The items it applies to; all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
    /// `"100%"`, `"50%"`, or an amount in yuan off each item.
    pub reduction: String,
    /// Basis ids.
    pub basis: Vec<String>,
}

/// A procedure that stops the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialProcedureSource {
    /// One of 现场勘验, 技术审查, 听证, 招标, 拍卖, 检验, 检测, 检疫, 鉴定, 专家评审, 补正, 公告.
    pub procedure: String,
    /// Basis ids: the law that excludes its time from the limit.
    pub basis: Vec<String>,
    /// The time box of the procedure itself, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<LimitSource>,
}

/// A statutory extension (延长).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionSource {
    /// How much longer the statutory limit may become.
    pub limit: LimitSource,
    /// Who must approve it, for example 经本行政机关负责人批准.
    pub approval: String,
    /// Basis ids.
    pub basis: Vec<String>,
}

/// The national elements of a matter (实施清单要素).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatterInfoSource {
    /// 基本编码.
    pub basic_code: String,
    /// 实施编码.
    pub implementation_code: String,
    /// 事项名称.
    pub name: String,
    /// 事项类型.
    #[serde(rename = "type")]
    pub kind: String,
    /// 实施机构.
    pub agency: String,
    /// 行使层级.
    pub levels: Vec<String>,
    /// 设定依据: ids of `[[basis]]` entries.
    pub basis: Vec<String>,
    /// 法定办结时限.
    pub statutory_limit: LimitSource,
    /// 承诺办结时限.
    pub promised_limit: LimitSource,
    /// 办件类型: 即办件 or 承诺件.
    pub handling: String,
    /// 服务对象.
    pub service_objects: Vec<String>,
    /// 到办事现场次数.
    pub visits: u8,
    /// 办理形式.
    pub modes: Vec<String>,
    /// Domains where 告知承诺制 is not allowed that the matter touches (国家安全, 人身健康 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted_domains: Vec<String>,
}

/// A time limit as written: exactly one of the two keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSource {
    /// Working days (工作日) on the official calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u32>,
    /// Natural days (自然日).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
}

/// A rule version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSource {
    /// The version's name, for example `2026-01`.
    pub id: String,
    /// The first day in force, `YYYY-MM-DD`.
    pub effective: String,
}

/// One legal-basis citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasisSource {
    /// The id other entries refer to.
    pub id: String,
    /// The law, regulation or normative document.
    pub document: String,
    /// The article, for example 第二十九条.
    pub article: String,
    /// The text cited, optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
}

/// One fact of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSource {
    /// The identifier used in conditions and in the facts JSON.
    pub name: String,
    /// bool, integer, decimal, text, enum, date or enum_list.
    #[serde(rename = "type")]
    pub kind: String,
    /// The question put to the applicant, in Chinese.
    pub question: String,
    /// The options of an enum or enum_list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Who supplies the fact: applicant, data_sharing or e_licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A checked identifier format for text facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The least value of a number fact, as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<NumberSource>,
    /// The greatest value of a number fact, as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<NumberSource>,
}

/// A number bound written as a TOML integer or a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NumberSource {
    /// An integer.
    Integer(i64),
    /// A decimal in text, for example `"0.5"`.
    Text(String),
}

/// A named situation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationSource {
    /// The name, usable in later conditions.
    pub name: String,
    /// The condition that defines it.
    pub when: String,
}

/// One eligibility condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionSource {
    /// A stable id, reported when the condition fails.
    pub id: String,
    /// What must hold.
    pub require: String,
    /// The situation in which the condition applies; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// What the applicant is told when it fails.
    pub message: String,
    /// Basis ids.
    pub basis: Vec<String>,
}

/// One application material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialSource {
    /// A stable id.
    pub id: String,
    /// The name shown to the applicant.
    pub name: String,
    /// 原件, 复印件 or 原件和复印件.
    pub form: String,
    /// 纸质, 电子 or 纸质或电子.
    pub medium: String,
    /// Number of copies.
    pub copies: u32,
    /// Basis ids.
    pub basis: Vec<String>,
    /// The situation that needs it; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The government department that issues it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The data-sharing route that supplies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing: Option<String>,
    /// The electronic licence type (or types, any of which will do) that replaces it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<Names>,
    /// Whose licences to look in: an `e_licence` list fact; `电子证照` (the applicant's) when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence_holder: Option<String>,
    /// Basis ids by which it is cancelled (直接取消).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<String>,
    /// A note for the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the application cannot be accepted without it (关键材料); key unless `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<bool>,
    /// The commitment that may replace it (告知承诺制).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentSource>,
}

/// One name or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Names {
    /// A single name.
    One(String),
    /// Several names.
    Many(Vec<String>),
}

impl Names {
    /// The names, in the order written.
    pub fn as_slice(&self) -> &[String] {
        match self {
            Names::One(name) => core::slice::from_ref(name),
            Names::Many(names) => names,
        }
    }
}

/// `licences.toml`: the electronic licence types channels may report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicencesSource {
    /// The catalogue, in the order the file gives.
    #[serde(default)]
    pub licences: Vec<LicenceSource>,
}

/// One electronic licence type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceSource {
    /// The type's name, for example 居民身份证.
    pub name: String,
    /// The department that issues it.
    pub issuer: String,
}

/// `base.toml`: a 基本目录 item, the province's one standard for a matter (名称, 编码, 依据,
/// 类型, 受理条件, 服务对象, 办理流程, 申请材料, 法定办结时限 …), which implementations inherit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseSource {
    /// The elements every implementation shares.
    pub base: BaseInfoSource,
    /// The version of these rules and the day they take effect.
    pub version: VersionSource,
    /// Legal basis citations, article by article.
    #[serde(default)]
    pub basis: Vec<BasisSource>,
    /// The facts schema, in interview order.
    #[serde(default)]
    pub facts: Vec<FactSource>,
    /// Named situations (情形).
    #[serde(default)]
    pub situations: Vec<SituationSource>,
    /// Eligibility conditions (受理条件).
    #[serde(default)]
    pub conditions: Vec<ConditionSource>,
    /// Application materials (申请材料).
    #[serde(default)]
    pub materials: Vec<MaterialSource>,
    /// Procedures whose time does not count toward the limits.
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedureSource>,
    /// The statutory extension of the limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionSource>,
    /// 容缺受理, offered wherever the base is implemented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralSource>,
    /// 告知承诺制, offered wherever the base is implemented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentPolicySource>,
    /// 收费标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<FeesSource>,
    /// 办事指南.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideSource>,
}

/// `[base]`: the elements of a 基本目录 item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseInfoSource {
    /// 基本编码.
    pub basic_code: String,
    /// 事项名称.
    pub name: String,
    /// 事项类型.
    #[serde(rename = "type")]
    pub kind: String,
    /// 行使层级: the levels at which it may be implemented.
    pub levels: Vec<String>,
    /// 设定依据: ids of `[[basis]]` entries.
    pub basis: Vec<String>,
    /// 法定办结时限.
    pub statutory_limit: LimitSource,
    /// 承诺办结时限 the province promises; implementations may only shorten it. The statutory
    /// limit when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_limit: Option<LimitSource>,
    /// 服务对象.
    pub service_objects: Vec<String>,
    /// 到办事现场次数 at most; implementations may only lower it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits: Option<u8>,
    /// Domains where 告知承诺制 is not allowed that the matter touches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted_domains: Vec<String>,
}

/// An implementation file (实施清单): one region's and level's implementation of a base item,
/// or a narrower one of another implementation. It may only reduce what it inherits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementationSource {
    /// Who implements it, where, and how.
    pub implementation: ImplementationInfoSource,
    /// Local documents its reductions cite, after the inherited ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<BasisSource>,
    /// Facts its fee waivers read, after the inherited ones; one with an inherited name must
    /// be the same fact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactSource>,
    /// Conditions: never allowed (受理条件 are the base's); read to name the clause they break.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionSource>,
    /// Changes to inherited materials (by id): more exemption routes, fewer copies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<MaterialChangeSource>,
    /// 容缺受理, where what it inherits offers none and has non-key materials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralSource>,
    /// 告知承诺制, where what it inherits offers none and touches no restricted domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentPolicySource>,
    /// Lower prices and fee waivers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<FeesChangeSource>,
    /// The 办事指南: fewer steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideSource>,
}

/// `[implementation]`: the implementation's own elements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplementationInfoSource {
    /// 实施编码: the agency's 统一社会信用代码, the level digit and the 基本编码.
    pub code: String,
    /// What it inherits: a base's 基本编码, or another implementation's 实施编码.
    pub inherits: String,
    /// Whether the code is a made-up example (shown as such wherever the code is shown).
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub illustrative: bool,
    /// The region, for example 西安市雁塔区.
    pub region: String,
    /// 行使层级: one of the base's levels.
    pub level: String,
    /// 实施机构.
    pub agency: String,
    /// 业务办理项编码, where one is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_item: Option<String>,
    /// 承诺办结时限; inherited when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_limit: Option<LimitSource>,
    /// 办件类型: 即办件 or 承诺件.
    pub handling: String,
    /// 到办事现场次数.
    pub visits: u8,
    /// 办理形式.
    pub modes: Vec<String>,
}

/// A change to an inherited material, by its id. The keys that could only widen (name, form,
/// basis, when, key) are read so that the clause they break can be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialChangeSource {
    /// The inherited material's id.
    pub id: String,
    /// Not allowed: a material's name is the base's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// `纸质或电子` only: accepting either medium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// Fewer copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
    /// Not allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Not allowed: whether a material is key is the base's (容缺 depends on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<bool>,
    /// The department that issues it, for a sharing route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// A data-sharing route that supplies it (免提交).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing: Option<String>,
    /// More electronic licence types that replace it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<Names>,
    /// Basis ids by which the region cancels it (直接取消).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cancelled: Vec<String>,
    /// The commitment that may replace it (告知承诺制).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentSource>,
    /// A note for the applicant, replacing the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An implementation's `[fees]`: lower prices and waivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeesChangeSource {
    /// Inherited items at a price no higher than inherited; a new id is a new fee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FeeItemChangeSource>,
    /// Waivers, after the inherited ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverSource>,
}

/// A changed fee item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItemChangeSource {
    /// The inherited item's id.
    pub id: String,
    /// The price of one unit, in yuan, as decimal text.
    pub price: String,
}
