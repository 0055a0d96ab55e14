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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Accepting with non-key materials to follow (容缺受理).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferral: Option<DeferralSource>,
    /// The policy under which commitments replace proofs (告知承诺制).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<CommitmentPolicySource>,
    /// The fees (收费标准).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<FeesSource>,
    /// Limits and handling that depend on the route or situation, first match wins; the
    /// matter's own limits apply when none does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_limits: Vec<TimeLimitSource>,
    /// 通办: where else than the deciding agency's area an application may be handed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tongban: Option<TongbanSource>,
    /// 办事指南: the service information a front end shows beside the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideSource>,
    /// Which implementation (实施清单) of a base item this is: written by the catalogue when it
    /// writes an implementation out as one complete matter (as bundles carry them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<CatalogueMark>,
}

/// Which implementation a complete matter source is, and what it reduced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogueMark {
    /// The region.
    pub region: String,
    /// 行使层级.
    pub level: String,
    /// Whether the 实施编码 is a made-up example.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub illustrative: bool,
    /// What it inherits: a 基本编码 or another 实施编码.
    pub inherits: String,
    /// 业务办理项编码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_item: Option<String>,
    /// What it reduced against what it inherits, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reduced: Vec<String>,
    /// The region's 行政区划代码 (GB/T 2260), where the implementation gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    /// How many materials the base item asks, those cancelled (直接取消) left out: what
    /// `banshi indicators` measures the implementation's 材料精减 against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_materials: Option<u32>,
    /// How many steps (办理环节) the base item's 办理流程 has: what 环节精减 is measured against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_steps: Option<u32>,
}

/// Limits that apply in one route or situation (a 即办 situation of a 承诺件 matter, a decision
/// on the spot under 告知承诺制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeLimitSource {
    /// A stable id.
    pub id: String,
    /// The route or situation: a condition.
    pub when: String,
    /// 即办件 or 承诺件 in this route.
    pub handling: String,
    /// The promised limit in this route.
    pub promised_limit: LimitSource,
    /// The statutory limit in this route; the matter's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_limit: Option<LimitSource>,
    /// Why, as the applicant reads it.
    pub reason: String,
    /// Basis ids.
    pub basis: Vec<String>,
    /// `"YYYY-MM-DD source"`: when and against what these limits were checked; unverified
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
}

/// 通办 of a matter: the scope, the fact saying where the applicant stands, and how an
/// application handed in elsewhere reaches the deciding agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TongbanSource {
    /// 全市, 全省 or 跨省: how far from the deciding agency an application may be handed in.
    pub scope: String,
    /// The enum fact saying where the applicant stands.
    pub fact: String,
    /// The options of `fact` outside the deciding agency's area, and how far outside.
    pub areas: Vec<TongbanAreaSource>,
    /// Who receives an application handed in elsewhere (e.g. 收件地“跨域通办”窗口).
    pub receiving: String,
    /// How the receiving office passes it on (e.g. 政务专递送达办理单位).
    pub forwarding: String,
    /// How long forwarding may take; the limits then run from its last day. Absent when the
    /// limits run from the day the receiving office takes the application.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding_limit: Option<LimitSource>,
    /// Basis ids.
    pub basis: Vec<String>,
}

/// One option of the 通办 fact outside the deciding agency's area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TongbanAreaSource {
    /// The option.
    pub option: String,
    /// 全市, 全省 or 跨省: the least scope that reaches it.
    pub distance: String,
}

/// `[guide]`: the 办事指南 of a matter (市政办发〔2021〕36号第十二条).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GuideSource {
    /// 办理流程: `[[guide.steps]]`, in the order they happen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<GuideStepSource>,
    /// 办理结果: what the applicant receives, for example 营业执照.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// 结果样本: where a sample of the result is shown (a link or a description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_sample: Option<String>,
    /// 办理地点.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    /// 办理时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<String>,
    /// 咨询方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consultation: Vec<String>,
    /// 监督投诉方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complaints: Vec<String>,
    /// 送达方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<String>,
    /// 中介服务: none when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermediary: Vec<String>,
    /// 常见问题: `[[guide.faq]]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faq: Vec<FaqSource>,
}

/// One 常见问题 and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FaqSource {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
}

/// One step (办理环节) of the 办理流程.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Accepting with non-key materials to follow (容缺受理).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// Commitments in place of proofs (告知承诺制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitmentPolicySource {
    /// Basis ids: the policy that allows commitments and withholds them from serious dishonesty.
    pub basis: Vec<String>,
}

/// A commitment that replaces one proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitmentSource {
    /// What the applicant commits to.
    pub text: String,
    /// What follows a false commitment.
    pub consequence: String,
    /// For a commitment to supply the proof later: how long after acceptance it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<LimitSource>,
}

/// The fees of a matter (收费标准).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatterInfoSource {
    /// The basic code (基本编码), the same for the matter everywhere.
    pub basic_code: String,
    /// The implementation code (实施编码), unique in a rule set.
    pub implementation_code: String,
    /// The matter's name (事项名称).
    pub name: String,
    /// The kind of matter (事项类型), e.g. 行政许可.
    #[serde(rename = "type")]
    pub kind: String,
    /// The implementing agency (实施机构).
    pub agency: String,
    /// The levels that exercise it (行使层级).
    pub levels: Vec<String>,
    /// The legal basis that sets it up (设定依据): ids of `[[basis]]` entries.
    pub basis: Vec<String>,
    /// The statutory time limit (法定办结时限).
    pub statutory_limit: LimitSource,
    /// The promised time limit (承诺办结时限), not longer than the statutory one.
    pub promised_limit: LimitSource,
    /// The handling (办件类型): 即办件 (on the spot) or 承诺件 (by the promised limit).
    pub handling: String,
    /// Who it serves (服务对象).
    pub service_objects: Vec<String>,
    /// Visits to the service hall needed (到办事现场次数).
    pub visits: u8,
    /// How it can be applied for (办理形式).
    pub modes: Vec<String>,
    /// Domains where 告知承诺制 is not allowed that the matter touches (国家安全, 人身健康 …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub restricted_domains: Vec<String>,
    /// Which of the codes and limits were checked, when and against what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<MatterVerifiedSource>,
    /// Whether it is a 高频 matter (高频政务服务事项, 陕政办发〔2023〕1号 一（二））.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub high_frequency: bool,
    /// The published list that makes it 高频 (document and item); a mark without one is an
    /// example, counted and shown as such.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_frequency_list: Option<String>,
}

/// Verification marks of a matter's codes and limits, each `"YYYY-MM-DD source"`; an element
/// without one is unverified.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatterVerifiedSource {
    /// 基本编码 and 实施编码.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<String>,
    /// 法定办结时限.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_limit: Option<String>,
    /// 承诺办结时限.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_limit: Option<String>,
}

/// A time limit as written: exactly one of the two keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionSource {
    /// The version's name, for example `2026-01`.
    pub id: String,
    /// The first day in force, `YYYY-MM-DD`.
    pub effective: String,
    /// The end of the version without a successor (取消, 下放).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<VersionEndSource>,
    /// Why the version takes effect before it was written: the law it carries took effect then.
    /// A new version takes effect from the day the change does, which is today or later unless
    /// the law itself took effect earlier; this says it did, and which law, so that `banshi
    /// check` notes the decisions made since under its predecessor instead of warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retroactive: Option<RetroactiveSource>,
}

/// A version that takes effect before it was written, because the law it carries did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetroactiveSource {
    /// Basis ids: the law that took effect on the version's `effective` date.
    pub basis: Vec<String>,
    /// For reviewers: when the law took effect and when the version was written.
    pub note: String,
}

/// How and when a version ends without a successor (市政办发〔2021〕36号第八条: 取消, 下放).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VersionEndSource {
    /// The last day in force, `YYYY-MM-DD`.
    pub last_day: String,
    /// 取消 or 下放.
    pub reason: String,
    /// Where the matter went or what replaces it, for the applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Basis ids.
    pub basis: Vec<String>,
}

/// One legal-basis citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// `"YYYY-MM-DD source"`: when and against what text the citation was checked; unverified
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
    /// The document's rank (效力位阶): 法律, 行政法规, 地方性法规, 自治条例, 单行条例, 部门规章,
    /// 地方政府规章 or 规范性文件; optional (`banshi lint` asks for it where a material is
    /// cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<String>,
}

/// One fact of the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum NumberSource {
    /// An integer.
    Integer(i64),
    /// A decimal in text, for example `"0.5"`.
    Text(String),
}

/// A named situation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SituationSource {
    /// The name, usable in later conditions.
    pub name: String,
    /// The condition that defines it.
    pub when: String,
}

/// One eligibility condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaterialSource {
    /// A stable id.
    pub id: String,
    /// The name shown to the applicant.
    pub name: String,
    /// The form: 原件 (original), 复印件 (copy) or 原件和复印件 (both).
    pub form: String,
    /// The medium: 纸质 (paper), 电子 (electronic) or 纸质或电子 (either).
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
    /// For a proof (证明类材料): its name in the retained-proof catalogue
    /// (`retained-proofs.toml`, 保留证明事项目录).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<String>,
    /// 材料规格 for the 办事指南, for example A4纸.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// 示范文本: a link to a filled-in example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// 空表: a link to the blank form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank: Option<String>,
}

/// One name or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LicencesSource {
    /// The catalogue, in the order the file gives.
    #[serde(default)]
    pub licences: Vec<LicenceSource>,
}

/// One electronic licence type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceSource {
    /// The type's name, for example 居民身份证.
    pub name: String,
    /// The department that issues it.
    pub issuer: String,
}

/// One theme's rule file (一件事一次办): the matters handled together, which of them waits for
/// which, and where two matters name one fact or one material differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThemeSource {
    /// The theme's code, name and basis.
    pub theme: ThemeInfoSource,
    /// Legal basis citations, article by article.
    #[serde(default)]
    pub basis: Vec<BasisSource>,
    /// The matters, in the order the theme presents them.
    pub matters: Vec<ThemeMatterSource>,
    /// Facts that two matters name differently, under the one name the theme asks.
    #[serde(default)]
    pub facts: Vec<ThemeFactSource>,
    /// Materials that several matters need: one material of the combined list.
    #[serde(default)]
    pub materials: Vec<ThemeMaterialSource>,
}

/// `[theme]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThemeInfoSource {
    /// The code `banshi decide --theme` takes; unique among themes.
    pub code: String,
    /// The theme's name, as applicants see it.
    pub name: String,
    /// Basis ids: the plan that makes these matters one 一件事.
    pub basis: Vec<String>,
    /// The regions the theme is offered in, each of which must implement every matter the
    /// theme names by `base` (checked); the theme serves any other region that does too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

/// `[[matters]]`: one matter of a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThemeMatterSource {
    /// The name the theme file uses for it.
    pub key: String,
    /// Its 实施编码: this one implementation, in every region. Exactly one of `code` and
    /// `base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Its base item's 基本编码: the implementation of the region a decision is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Keys of the matters whose result this one needs first (审批前置关系); it is handled after
    /// they are granted. Matters without such a link run in parallel.
    #[serde(default)]
    pub after: Vec<String>,
    /// Facts of this matter that its prerequisites settle once granted (never asked).
    #[serde(default)]
    pub supplies: Vec<SuppliedFactSource>,
}

/// A fact a prerequisite settles, with its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SuppliedFactSource {
    /// The fact's name in the matter.
    pub fact: String,
    /// Its value once the prerequisites are granted, as in a facts JSON object.
    pub value: serde_json::Value,
}

/// `[[facts]]`: one fact of a theme that matters name differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThemeFactSource {
    /// The name the theme asks it by.
    pub name: String,
    /// The question, when the matters' own questions do not fit every matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The matters' facts it stands for.
    pub of: Vec<FactRefSource>,
}

/// A matter's fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactRefSource {
    /// The matter's key.
    pub matter: String,
    /// The fact's name in that matter.
    pub fact: String,
}

/// `[[materials]]`: one material several matters need, or one an earlier matter produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ThemeMaterialSource {
    /// Its id in the combined list.
    pub id: String,
    /// Its name in the combined list.
    pub name: String,
    /// The key of the matter that produces it (a licence it grants), when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub produced_by: Option<String>,
    /// The matters' materials it stands for.
    pub of: Vec<MaterialRefSource>,
}

/// A matter's material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaterialRefSource {
    /// The matter's key.
    pub matter: String,
    /// The material's id in that matter.
    pub material: String,
}

/// `retained-proofs.toml`: the proofs (证明事项) a region keeps, each with its basis
/// (保留证明事项目录, 市政办发〔2021〕36号第十三条). Read by `banshi lint`, not compiled into rules.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetainedProofsSource {
    /// The catalogue, in the order the file gives.
    #[serde(default)]
    pub proofs: Vec<RetainedProofSource>,
}

/// One retained proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetainedProofSource {
    /// The proof's name, as materials name it in `proof`.
    pub name: String,
    /// The basis on which it is kept.
    #[serde(default)]
    pub basis: Vec<RetainedBasisSource>,
}

/// The basis of a retained proof: a document, its article and rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetainedBasisSource {
    /// The law, regulation or rule.
    pub document: String,
    /// The article.
    pub article: String,
    /// Its rank, as in `[[basis]]`.
    pub rank: String,
}

#[cfg(feature = "catalogue")]
/// `base.toml`: a 基本目录 item, the province's one standard for a matter (名称, 编码, 依据,
/// 类型, 受理条件, 服务对象, 办理流程, 申请材料, 法定办结时限 …), which implementations inherit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Limits that depend on the route or situation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_limits: Vec<TimeLimitSource>,
    /// 通办.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tongban: Option<TongbanSource>,
}

#[cfg(feature = "catalogue")]
/// `[base]`: the elements of a 基本目录 item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// Which of the limits were checked, when and against what (`codes` marks the 基本编码).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<MatterVerifiedSource>,
    /// Whether it is a 高频 matter: the province's mark, as 一（二） has 高频 matters handled
    /// 全省无差别, so every implementation inherits it.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub high_frequency: bool,
    /// The published list that makes it 高频 (document and item); a mark without one is an
    /// example, counted and shown as such.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_frequency_list: Option<String>,
}

#[cfg(feature = "catalogue")]
/// An implementation file (实施清单): one region's and level's implementation of a base item,
/// or a narrower one of another implementation. It may only reduce what it inherits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The 办事指南: fewer steps, and the region's own service information (办理地点, 办理时间,
    /// 咨询方式 …), each replacing the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<GuideSource>,
}

#[cfg(feature = "catalogue")]
/// `[implementation]`: the implementation's own elements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The region's 行政区划代码 (GB/T 2260: 6 digits, or 9 and 12 for 乡级 and 村级): a
    /// region's figures count the regions whose codes lie within it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
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

#[cfg(feature = "catalogue")]
/// A change to an inherited material, by its id. The keys that could only widen (name, form,
/// basis, when, key) are read so that the clause they break can be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// 材料规格, replacing the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// 示范文本, replacing the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// 空表, replacing the inherited one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank: Option<String>,
}

#[cfg(feature = "catalogue")]
/// An implementation's `[fees]`: lower prices and waivers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeesChangeSource {
    /// Inherited items at a price no higher than inherited; a new id is a new fee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FeeItemChangeSource>,
    /// Waivers, after the inherited ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverSource>,
}

#[cfg(feature = "catalogue")]
/// A changed fee item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FeeItemChangeSource {
    /// The inherited item's id.
    pub id: String,
    /// The price of one unit, in yuan, as decimal text.
    pub price: String,
}
