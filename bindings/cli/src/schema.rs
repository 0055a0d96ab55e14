//! `banshi schema`: JSON Schemas of the rule files and case files, for editors.
//!
//! The schemas are derived (schemars) from the very serde types the loader reads, so a field
//! the core accepts is a field the editor completes, and `deny_unknown_fields` becomes
//! `additionalProperties: false`, so a mistyped key is underlined as the author types. Each
//! description is given in Chinese (from [`ZH`]) and English (the type's doc comment); a field
//! without a Chinese description is an error, so the schemas cannot fall behind the types.
//! `rules/schema/` holds them committed, and a test regenerates and compares them.

use std::collections::BTreeMap;
use std::path::Path;

use banshi_core::calendar::CalendarSource;
use banshi_core::source::{
    BaseSource, ImplementationSource, LicencesSource, MatterSource, ThemeSource,
};
use serde_json::Value;

/// Chinese descriptions by `Type` or `Type.field`.
const ZH: &[(&str, &str)] = &[
    ("MatterSource", "一个政务服务事项的规则文件（matter.toml）"),
    ("MatterSource.matter", "实施清单要素"),
    ("MatterSource.version", "规则版本及施行日期"),
    ("MatterSource.basis", "法律依据，逐条引用"),
    (
        "MatterSource.facts",
        "事实（申请人须回答或由数据共享取得），按询问顺序",
    ),
    ("MatterSource.situations", "情形"),
    ("MatterSource.conditions", "受理条件"),
    ("MatterSource.materials", "申请材料"),
    (
        "MatterSource.special_procedures",
        "特别程序（不计入办理时限，行政许可法第四十五条）",
    ),
    ("MatterSource.extension", "法定延长时限"),
    ("MatterSource.deferral", "容缺受理"),
    ("MatterSource.commitment", "告知承诺制"),
    ("MatterSource.fees", "收费标准"),
    ("MatterSource.guide", "办事指南：前端在决定旁显示的服务信息"),
    ("GuideSource", "办事指南"),
    ("GuideSource.steps", "办理流程：各办理环节，按发生顺序"),
    ("GuideSource.result", "办理结果"),
    ("GuideSource.result_sample", "结果样本"),
    ("GuideSource.places", "办理地点"),
    ("GuideSource.hours", "办理时间"),
    ("GuideSource.consultation", "咨询方式"),
    ("GuideSource.complaints", "监督投诉方式"),
    ("GuideSource.delivery", "送达方式"),
    ("GuideSource.intermediary", "中介服务；无则不写"),
    ("GuideSource.faq", "常见问题"),
    ("FaqSource", "一个常见问题及解答"),
    ("FaqSource.question", "问题"),
    ("FaqSource.answer", "解答"),
    ("MaterialSource.spec", "材料规格"),
    ("MaterialSource.sample", "示范文本"),
    ("MaterialSource.blank", "空表"),
    ("MaterialChangeSource.spec", "材料规格，取代继承的"),
    ("MaterialChangeSource.sample", "示范文本，取代继承的"),
    ("MaterialChangeSource.blank", "空表，取代继承的"),
    (
        "MatterSource.catalogue",
        "本文件是哪个实施清单（由目录在写出实施清单时填写）",
    ),
    ("CatalogueMark", "实施清单标记"),
    ("CatalogueMark.region", "地区"),
    ("CatalogueMark.level", "行使层级"),
    ("CatalogueMark.illustrative", "实施编码为示例编码"),
    ("CatalogueMark.inherits", "所继承的基本编码或实施编码"),
    ("CatalogueMark.business_item", "业务办理项编码"),
    ("CatalogueMark.reduced", "相对所继承内容的压减，每项一行"),
    ("CatalogueMark.region_code", "地区的行政区划代码"),
    (
        "CatalogueMark.base_materials",
        "基本目录事项的申请材料数（不计直接取消的材料），材料精减的比较基础",
    ),
    (
        "CatalogueMark.base_steps",
        "基本目录事项办理流程的环节数，环节精减的比较基础",
    ),
    (
        "BaseInfoSource.high_frequency",
        "是否为高频政务服务事项（陕政办发〔2023〕1号 一（二））：全省统一，实施清单继承",
    ),
    (
        "BaseInfoSource.high_frequency_list",
        "将本事项列为高频事项的已公布清单（文件及条目）；未写明则高频标记为示例",
    ),
    (
        "MatterInfoSource.high_frequency",
        "是否为高频政务服务事项（陕政办发〔2023〕1号 一（二））",
    ),
    (
        "MatterInfoSource.high_frequency_list",
        "将本事项列为高频事项的已公布清单（文件及条目）；未写明则高频标记为示例",
    ),
    (
        "ImplementationInfoSource.region_code",
        "地区的行政区划代码（GB/T 2260，6位；乡级、村级为9位、12位）：地区的指标计入其下辖地区",
    ),
    ("GuideStepSource", "一个办理环节"),
    ("GuideStepSource.name", "环节名称，如 受理"),
    ("GuideStepSource.description", "环节内容"),
    ("GuideStepSource.limit", "环节时限（最长）"),
    (
        "BaseSource",
        "基本目录事项（base.toml）：全省统一的要素，各实施清单继承",
    ),
    ("BaseSource.base", "基本目录要素"),
    ("BaseSource.version", "规则版本及施行日期"),
    ("BaseSource.basis", "法律依据，逐条引用"),
    ("BaseSource.facts", "事实，按询问顺序"),
    ("BaseSource.situations", "情形"),
    ("BaseSource.conditions", "受理条件"),
    ("BaseSource.materials", "申请材料"),
    (
        "BaseSource.special_procedures",
        "特别程序（不计入办理时限）",
    ),
    ("BaseSource.extension", "法定延长时限"),
    ("BaseSource.deferral", "容缺受理（各地实施均适用）"),
    ("BaseSource.commitment", "告知承诺制（各地实施均适用）"),
    ("BaseSource.fees", "收费标准"),
    ("BaseSource.guide", "办事指南"),
    ("BaseInfoSource", "基本目录要素"),
    ("BaseInfoSource.basic_code", "基本编码"),
    ("BaseInfoSource.name", "事项名称"),
    ("BaseInfoSource.type", "事项类型"),
    ("BaseInfoSource.levels", "行使层级：可实施的层级"),
    ("BaseInfoSource.basis", "设定依据：[[basis]] 的编号"),
    ("BaseInfoSource.statutory_limit", "法定办结时限"),
    (
        "BaseInfoSource.promised_limit",
        "全省承诺办结时限，实施清单只能缩短；省略时为法定时限",
    ),
    ("BaseInfoSource.service_objects", "服务对象"),
    (
        "BaseInfoSource.visits",
        "到办事现场次数上限，实施清单只能减少",
    ),
    (
        "BaseInfoSource.restricted_domains",
        "不适用告知承诺制的领域",
    ),
    (
        "ImplementationSource",
        "实施清单（implementations/*.toml）：一地一级对基本目录事项的实施，只能减少不能增加",
    ),
    ("ImplementationSource.implementation", "实施清单要素"),
    (
        "ImplementationSource.basis",
        "减免所引用的本地文件，列在继承的依据之后",
    ),
    (
        "ImplementationSource.facts",
        "本地减免所用的事实，列在继承的事实之后",
    ),
    (
        "ImplementationSource.conditions",
        "不允许：受理条件属于基本目录（读取只为指出所违反的条款）",
    ),
    (
        "ImplementationSource.materials",
        "对继承材料的修改（按编号）：更多免提交途径、更少份数",
    ),
    (
        "ImplementationSource.deferral",
        "容缺受理（继承中没有且有非关键材料时）",
    ),
    (
        "ImplementationSource.commitment",
        "告知承诺制（继承中没有且不涉及限制领域时）",
    ),
    ("ImplementationSource.fees", "更低的价格和收费减免"),
    ("ImplementationSource.guide", "办事指南：更少的办理环节"),
    ("ImplementationInfoSource", "实施清单要素"),
    (
        "ImplementationInfoSource.code",
        "实施编码：实施机构的统一社会信用代码、层级数字和基本编码",
    ),
    (
        "ImplementationInfoSource.inherits",
        "所继承的事项：基本目录的基本编码，或另一实施清单的实施编码",
    ),
    (
        "ImplementationInfoSource.illustrative",
        "实施编码是否为示例（凡显示编码处均注明）",
    ),
    ("ImplementationInfoSource.region", "地区，如 西安市雁塔区"),
    (
        "ImplementationInfoSource.level",
        "行使层级：基本目录层级之一",
    ),
    ("ImplementationInfoSource.agency", "实施机构"),
    (
        "ImplementationInfoSource.business_item",
        "业务办理项编码（如有公布）",
    ),
    (
        "ImplementationInfoSource.promised_limit",
        "承诺办结时限；省略时继承",
    ),
    (
        "ImplementationInfoSource.handling",
        "办件类型：即办件 或 承诺件",
    ),
    ("ImplementationInfoSource.visits", "到办事现场次数"),
    ("ImplementationInfoSource.modes", "办理形式"),
    ("MaterialChangeSource", "对一项继承材料的修改（按编号）"),
    ("MaterialChangeSource.id", "继承材料的编号"),
    ("MaterialChangeSource.name", "不允许：材料名称属于基本目录"),
    ("MaterialChangeSource.form", "不允许"),
    (
        "MaterialChangeSource.medium",
        "只可为 纸质或电子：两种载体均可",
    ),
    ("MaterialChangeSource.copies", "更少的份数"),
    ("MaterialChangeSource.when", "不允许"),
    (
        "MaterialChangeSource.key",
        "不允许：是否关键材料属于基本目录（容缺取决于它）",
    ),
    ("MaterialChangeSource.issuer", "核发部门（用于数据共享）"),
    (
        "MaterialChangeSource.sharing",
        "提供该材料的数据共享渠道（免提交）",
    ),
    ("MaterialChangeSource.licence", "可代替它的更多电子证照类型"),
    (
        "MaterialChangeSource.cancelled",
        "本地直接取消该材料的依据编号",
    ),
    (
        "MaterialChangeSource.commitment",
        "可代替该材料的承诺（告知承诺制）",
    ),
    (
        "MaterialChangeSource.note",
        "给申请人的说明，代替继承的说明",
    ),
    ("FeesChangeSource", "收费的修改"),
    (
        "FeesChangeSource.items",
        "继承的收费项目，价格不高于继承；新编号即新收费",
    ),
    ("FeesChangeSource.waivers", "减免，列在继承的减免之后"),
    ("FeeItemChangeSource", "对一项继承收费的修改"),
    ("FeeItemChangeSource.id", "继承收费项目的编号"),
    ("FeeItemChangeSource.price", "单价（元，十进制文本）"),
    (
        "MatterSource.catalogue",
        "这是基本目录事项的哪个实施清单：目录将实施清单写成完整事项时填写（如包中所载）",
    ),
    ("CatalogueMark", "实施清单标记"),
    ("CatalogueMark.region", "地区"),
    ("CatalogueMark.level", "行使层级"),
    ("CatalogueMark.illustrative", "实施编码是否为示例"),
    (
        "CatalogueMark.inherits",
        "所继承的事项：基本编码或另一实施编码",
    ),
    ("CatalogueMark.business_item", "业务办理项编码"),
    (
        "CatalogueMark.reduced",
        "相对所继承事项的减少之处，每项一行",
    ),
    ("GuideSource.result", "办理结果：申请人所得，如 营业执照"),
    (
        "GuideSource.result_sample",
        "结果样本：样本所在（链接或说明）",
    ),
    ("GuideSource.places", "办理地点"),
    ("GuideSource.hours", "办理时间"),
    ("GuideSource.consultation", "咨询方式"),
    ("GuideSource.complaints", "监督投诉方式"),
    ("GuideSource.delivery", "送达方式"),
    ("GuideSource.intermediary", "中介服务：省略时为无"),
    ("GuideSource.faq", "常见问题"),
    ("FaqSource", "一个常见问题"),
    ("FaqSource.question", "问题"),
    ("FaqSource.answer", "回答"),
    ("MaterialSource.spec", "材料规格，如 A4纸"),
    ("MaterialSource.sample", "示范文本：填写示例的链接"),
    ("MaterialSource.blank", "空表：空白表格的链接"),
    ("MaterialChangeSource.spec", "材料规格，代替继承的"),
    ("MaterialChangeSource.sample", "示范文本，代替继承的"),
    ("MaterialChangeSource.blank", "空表，代替继承的"),
    (
        "BaseInfoSource.verified",
        "核对记录：何时、对照什么核对了编码和时限",
    ),
    (
        "MatterInfoSource.verified",
        "核对记录：何时、对照什么核对了编码和时限",
    ),
    (
        "BasisSource.verified",
        "\"YYYY-MM-DD 来源\"：何时、对照什么文本核对了引文；省略时为未核对",
    ),
    ("BaseSource.time_limits", "随途径或情形而定的时限"),
    ("BaseSource.tongban", "通办"),
    (
        "MatterSource.time_limits",
        "随途径或情形而定的时限和办件类型，首个符合者适用；都不符合时用事项本身的时限",
    ),
    (
        "MatterSource.tongban",
        "通办：申请可在实施机构辖区以外何处提交",
    ),
    (
        "CommitmentSource.within",
        "承诺日后补交证明时：受理后多久到期",
    ),
    ("MatterVerifiedSource", "核对记录"),
    ("MatterVerifiedSource.codes", "基本编码和实施编码的核对"),
    ("MatterVerifiedSource.statutory_limit", "法定办结时限的核对"),
    ("MatterVerifiedSource.promised_limit", "承诺办结时限的核对"),
    ("TimeLimitSource", "随途径或情形而定的时限"),
    ("TimeLimitSource.id", "稳定的编号"),
    ("TimeLimitSource.when", "途径或情形：一个条件"),
    (
        "TimeLimitSource.handling",
        "此途径的办件类型：即办件 或 承诺件",
    ),
    ("TimeLimitSource.promised_limit", "此途径的承诺办结时限"),
    (
        "TimeLimitSource.statutory_limit",
        "此途径的法定办结时限；省略时为事项的",
    ),
    ("TimeLimitSource.reason", "原因，给申请人看"),
    ("TimeLimitSource.basis", "依据编号"),
    (
        "TimeLimitSource.verified",
        "\"YYYY-MM-DD 来源\"：何时、对照什么核对了这些时限；省略时为未核对",
    ),
    ("TongbanSource", "通办"),
    (
        "TongbanSource.scope",
        "全市、全省 或 跨省：申请可在离实施机构多远处提交",
    ),
    ("TongbanSource.fact", "说明申请人所在地的枚举事实"),
    (
        "TongbanSource.areas",
        "该事实在实施机构辖区以外的选项及其远近",
    ),
    (
        "TongbanSource.receiving",
        "异地收件者（如 收件地“跨域通办”窗口）",
    ),
    (
        "TongbanSource.forwarding",
        "收件地如何转交（如 政务专递送达办理单位）",
    ),
    (
        "TongbanSource.forwarding_limit",
        "转交时限；时限自其最后一日起算。省略时自收件之日起算",
    ),
    ("TongbanSource.basis", "依据编号"),
    ("TongbanAreaSource", "辖区外的一个地区"),
    ("TongbanAreaSource.option", "选项"),
    (
        "TongbanAreaSource.distance",
        "全市、全省 或 跨省：能到达它的最小范围",
    ),
    ("VersionSource.end", "版本终止（无后续版本：取消、下放）"),
    ("VersionEndSource", "版本终止"),
    ("VersionEndSource.last_day", "最后施行日 YYYY-MM-DD"),
    ("VersionEndSource.reason", "取消 或 下放"),
    ("VersionEndSource.note", "事项去向或替代者，给申请人看"),
    ("VersionEndSource.basis", "依据编号"),
    (
        "VersionSource.retroactive",
        "溯及施行：本版本所依据的法律规定先于本版本施行",
    ),
    ("RetroactiveSource", "溯及施行"),
    (
        "RetroactiveSource.basis",
        "依据编号：自本版本施行日起施行的法律规定",
    ),
    (
        "RetroactiveSource.note",
        "说明：法律规定何时施行、本版本何时录入",
    ),
    ("Expect.error", "各渠道以此错误代码代替决定（ended）"),
    (
        "Expect.no_deadline",
        "没有办结期限的原因：ineligible 或 missing_materials",
    ),
    ("Expect.applied_limits", "所适用时限的 [[time_limits]] 途径"),
    (
        "Expect.routing",
        "通办状态：local、routed、outside_scope、pending",
    ),
    ("Expect.due", "材料（容缺或承诺后补）的到期日，按材料编号"),
    (
        "Expect.via",
        "免提交材料的免除途径（共享渠道、证照或取消依据），按编号",
    ),
    ("DeferralSource", "容缺受理"),
    ("DeferralSource.period", "容缺材料补齐期限（自受理起）"),
    ("DeferralSource.commitment", "申请人签署的容缺承诺"),
    ("DeferralSource.basis", "依据编号"),
    (
        "DeferralSource.materials",
        "可容缺的材料编号；省略时为全部非关键材料",
    ),
    (
        "DeferralSource.dishonest_excluded",
        "严重失信主体不适用容缺受理",
    ),
    ("CommitmentPolicySource", "告知承诺制"),
    (
        "CommitmentPolicySource.basis",
        "依据编号：允许以承诺代替证明的政策",
    ),
    ("CommitmentSource", "代替一项证明材料的承诺"),
    ("CommitmentSource.text", "承诺内容"),
    ("CommitmentSource.consequence", "承诺不实的后果"),
    ("FeesSource", "收费标准"),
    ("FeesSource.free", "是否免费"),
    ("FeesSource.basis", "依据编号：收费或免费的依据"),
    ("FeesSource.items", "收费项目"),
    ("FeesSource.waivers", "减免"),
    ("FeeItemSource", "收费项目"),
    ("FeeItemSource.id", "稳定的编号"),
    ("FeeItemSource.name", "名称"),
    ("FeeItemSource.basis", "依据编号"),
    ("FeeItemSource.when", "收取条件；省略时总是收取"),
    ("FeeItemSource.price", "单价（元，十进制文本）"),
    ("FeeItemSource.quantity", "数量（数值表达式）；省略时为 1"),
    ("FeeItemSource.unit", "计量单位，如 件、本、平方米"),
    ("FeeItemSource.tiers", "分档价格（代替 price）"),
    ("TierSource", "分档收费的一档"),
    ("TierSource.up_to", "本档上限（含）；最后一档省略"),
    ("TierSource.price", "本档单价"),
    ("TierSource.amount", "本档固定金额"),
    ("WaiverSource", "收费减免"),
    ("WaiverSource.id", "稳定的编号"),
    ("WaiverSource.name", "名称，如 小微企业免收"),
    ("WaiverSource.when", "适用条件"),
    ("WaiverSource.items", "适用的收费项目编号；省略时为全部"),
    (
        "WaiverSource.reduction",
        "减免幅度：\"100%\"、\"50%\" 或每项减免的金额（元）",
    ),
    ("WaiverSource.basis", "依据编号"),
    ("SpecialProcedureSource", "中止计时的特别程序"),
    (
        "SpecialProcedureSource.procedure",
        "程序：现场勘验、技术审查、听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审、补正、公告",
    ),
    (
        "SpecialProcedureSource.basis",
        "依据编号：规定其时间不计入时限的法律",
    ),
    ("SpecialProcedureSource.limit", "程序本身的时限，可省略"),
    ("ExtensionSource", "法定延长（延期）"),
    ("ExtensionSource.limit", "法定时限可延长多少"),
    (
        "ExtensionSource.approval",
        "批准延长的人，如 经本行政机关负责人批准",
    ),
    ("ExtensionSource.basis", "依据编号"),
    ("MatterInfoSource", "实施清单要素"),
    ("MatterInfoSource.basic_code", "基本编码"),
    ("MatterInfoSource.implementation_code", "实施编码"),
    ("MatterInfoSource.name", "事项名称"),
    ("MatterInfoSource.type", "事项类型"),
    ("MatterInfoSource.agency", "实施机构"),
    ("MatterInfoSource.levels", "行使层级"),
    ("MatterInfoSource.basis", "设定依据：[[basis]] 的编号"),
    ("MatterInfoSource.statutory_limit", "法定办结时限"),
    ("MatterInfoSource.promised_limit", "承诺办结时限"),
    ("MatterInfoSource.handling", "办件类型：即办件 或 承诺件"),
    ("MatterInfoSource.service_objects", "服务对象"),
    ("MatterInfoSource.visits", "到办事现场次数"),
    ("MatterInfoSource.modes", "办理形式"),
    (
        "MatterInfoSource.restricted_domains",
        "不适用告知承诺制的领域（国家安全、人身健康等）",
    ),
    ("LimitSource", "时限：working_days 与 days 二者取一"),
    ("LimitSource.working_days", "工作日（按官方节假日安排）"),
    ("LimitSource.days", "自然日"),
    ("VersionSource", "规则版本"),
    ("VersionSource.id", "版本名称，如 2026-01"),
    (
        "VersionSource.effective",
        "施行日期 YYYY-MM-DD；法律修改后新增一个版本，不改已施行的版本",
    ),
    ("BasisSource", "一条法律依据"),
    ("BasisSource.id", "供其他条目引用的编号"),
    ("BasisSource.document", "法律、法规或规范性文件名称"),
    ("BasisSource.article", "条款，如 第二十九条"),
    ("BasisSource.excerpt", "引用原文，可省略"),
    (
        "BasisSource.rank",
        "效力位阶：法律、行政法规、地方性法规、自治条例、单行条例、部门规章、地方政府规章或规范性文件，可省略",
    ),
    ("FactSource", "一项事实"),
    ("FactSource.name", "事实名称：条件和事实 JSON 中使用的标识"),
    (
        "FactSource.type",
        "类型：bool、integer、decimal、text、enum、date、enum_list",
    ),
    ("FactSource.question", "向申请人提出的问题"),
    ("FactSource.options", "enum、enum_list 的选项"),
    (
        "FactSource.source",
        "由谁提供：applicant（询问）、data_sharing（数据共享）、e_licence（电子证照）",
    ),
    (
        "FactSource.format",
        "文本格式校验：居民身份证号 或 统一社会信用代码",
    ),
    ("FactSource.min", "数值下限"),
    ("FactSource.max", "数值上限"),
    ("NumberSource", "数值界限：TOML 整数或十进制文本"),
    ("SituationSource", "一个情形"),
    ("SituationSource.name", "情形名称，可在之后的条件中使用"),
    ("SituationSource.when", "定义情形的条件"),
    ("ConditionSource", "一项受理条件"),
    ("ConditionSource.id", "稳定的编号，条件不满足时报告"),
    ("ConditionSource.require", "必须满足的条件表达式"),
    ("ConditionSource.when", "适用的情形；省略时总是适用"),
    ("ConditionSource.message", "条件不满足时告知申请人的话"),
    ("ConditionSource.basis", "依据编号"),
    ("MaterialSource", "一项申请材料"),
    ("MaterialSource.id", "稳定的编号"),
    ("MaterialSource.name", "向申请人显示的名称"),
    ("MaterialSource.form", "原件、复印件 或 原件和复印件"),
    ("MaterialSource.medium", "纸质、电子 或 纸质或电子"),
    ("MaterialSource.copies", "份数"),
    ("MaterialSource.basis", "依据编号"),
    ("MaterialSource.when", "需要它的情形；省略时总是需要"),
    (
        "MaterialSource.issuer",
        "核发部门（政府部门核发的材料可经数据共享免提交）",
    ),
    ("MaterialSource.sharing", "数据共享渠道（免提交）"),
    (
        "MaterialSource.licence",
        "可代替原件的电子证照类型（列出多个时任一即可）",
    ),
    (
        "MaterialSource.licence_holder",
        "在谁的电子证照中查找；省略时为申请人的 电子证照",
    ),
    ("MaterialSource.cancelled", "直接取消该材料的依据编号"),
    ("MaterialSource.note", "给申请人的说明"),
    (
        "MaterialSource.proof",
        "证明类材料在保留证明事项目录（retained-proofs.toml）中的名称，可省略",
    ),
    (
        "MaterialSource.key",
        "是否关键材料（缺少则不能受理）；省略时为关键材料",
    ),
    (
        "MaterialSource.commitment",
        "可代替该材料的承诺（告知承诺制）",
    ),
    ("Names", "一个名称或多个名称"),
    ("LicencesSource", "电子证照目录（licences.toml）"),
    ("LicencesSource.licences", "电子证照类型，按文件顺序"),
    ("LicenceSource", "一种电子证照"),
    ("LicenceSource.name", "证照类型名称，如 居民身份证"),
    ("LicenceSource.issuer", "核发部门"),
    (
        "CalendarSource",
        "一年的官方节假日安排（calendar/YYYY.toml）",
    ),
    ("CalendarSource.year", "年份；节假日的日期都在这一年"),
    ("CalendarSource.notice", "国务院办公厅的放假安排通知"),
    ("CalendarSource.holidays", "节假日，按通知顺序"),
    ("NoticeSource", "放假安排通知"),
    ("NoticeSource.title", "标题"),
    ("NoticeSource.number", "文号，如 国办发明电〔2025〕7号"),
    ("NoticeSource.published", "发布日期 YYYY-MM-DD"),
    ("NoticeSource.url", "发布地址，可省略"),
    ("HolidaySource", "一个节日：放假日期和调休上班日"),
    ("HolidaySource.name", "节日名称，如 春节"),
    ("HolidaySource.off", "放假日期（含首尾的区间）"),
    (
        "HolidaySource.days",
        "通知所写的放假天数（共N天），须与 off 相符",
    ),
    ("HolidaySource.work", "调休上班的周末日期"),
    ("DayRangeSource", "日期区间（含首尾）；无 to 时为单日"),
    ("DayRangeSource.from", "第一天"),
    ("DayRangeSource.to", "最后一天（含）"),
    (
        "Case",
        "一个测试案例（cases/*.json）：事实、日期、手写的预期及其依据",
    ),
    ("Case.title", "案例标题"),
    (
        "Case.matter",
        "决定所用事项的实施编码；省略时为 cases/ 旁 matter.toml 的事项",
    ),
    ("Case.on", "决定日期 YYYY-MM-DD"),
    ("Case.facts", "申请人的事实"),
    ("Case.expect", "依法律和办事指南手写的预期"),
    ("Case.why", "预期是对照什么核对的（预期改动时须一并修改）"),
    ("Expect", "手写的预期；除 status 外只核对写出的项"),
    ("Expect.status", "结论：eligible、ineligible 或 needs_facts"),
    ("Expect.failed", "不满足的受理条件编号，按顺序"),
    ("Expect.submit", "须提交的材料"),
    ("Expect.exempt", "免提交的材料（免证办）"),
    ("Expect.not_applicable", "不适用的材料"),
    ("Expect.undetermined", "尚待事实确定的材料"),
    (
        "Expect.routes",
        "免提交途径，按材料编号：cancelled、data_sharing、e_licence",
    ),
    ("Expect.questions", "须询问的事实，按顺序"),
    ("Expect.situations", "适用的情形，按顺序"),
    ("Expect.deferred", "容缺的材料"),
    ("Expect.committed", "以承诺代替的材料"),
    (
        "Expect.acceptance",
        "受理结论：accepted、accepted_with_deferral、not_accepted、pending",
    ),
    ("Expect.notice", "一次性告知单中的材料编号，按顺序"),
    ("Expect.fee_total", "收费合计，如 \"80.00\""),
    ("Expect.promised_due", "承诺办结日期，按官方日历手算"),
    ("Expect.statutory_due", "法定办结日期，手算"),
    ("Expect.extension_due", "批准延长后的法定办结日期，手算"),
    (
        "ThemeSource",
        "一件事一次办的主题文件（themes/<主题>/theme.toml）：一并办理的事项、前置关系、统一的事实和材料",
    ),
    ("ThemeSource.theme", "主题要素"),
    ("ThemeSource.basis", "法律依据，逐条引用"),
    ("ThemeSource.matters", "主题所含事项，按呈现顺序"),
    (
        "ThemeSource.facts",
        "各事项名称不同的同一事实，以主题的一个名称询问",
    ),
    (
        "ThemeSource.materials",
        "多个事项共用的材料，或前一事项产生的证照：合并清单中的一项",
    ),
    ("ThemeInfoSource", "主题要素"),
    (
        "ThemeInfoSource.code",
        "主题编码（banshi decide --theme 所用），主题间唯一",
    ),
    ("ThemeInfoSource.name", "主题名称，向申请人显示"),
    (
        "ThemeInfoSource.basis",
        "依据编号：将这些事项作为一件事的文件",
    ),
    (
        "ThemeInfoSource.regions",
        "提供本主题的地区；每个地区须实施主题以基本编码指定的每个事项（会检查）",
    ),
    ("ThemeMatterSource", "主题中的一个事项"),
    ("ThemeMatterSource.key", "本主题文件对该事项的称呼"),
    (
        "ThemeMatterSource.code",
        "该事项的实施编码：各地区都用这一个实施清单；code 与 base 二者填一",
    ),
    (
        "ThemeMatterSource.base",
        "该事项的基本编码：用决定所在地区的实施清单",
    ),
    (
        "ThemeMatterSource.after",
        "须先办结的事项（审批前置关系）；无前置关系的事项并联办理",
    ),
    (
        "ThemeMatterSource.supplies",
        "前置事项办结后即确定、不再询问的事实",
    ),
    ("SuppliedFactSource", "前置事项确定的事实及其值"),
    ("SuppliedFactSource.fact", "该事项中的事实名称"),
    (
        "SuppliedFactSource.value",
        "前置事项办结后的值，写法同事实 JSON",
    ),
    ("ThemeFactSource", "各事项名称不同的一个事实"),
    ("ThemeFactSource.name", "主题询问时所用的名称"),
    (
        "ThemeFactSource.question",
        "问题；各事项自己的问题不能通用时填写",
    ),
    ("ThemeFactSource.of", "它所代表的各事项的事实"),
    ("FactRefSource", "某事项的一个事实"),
    ("FactRefSource.matter", "事项在主题中的称呼（key）"),
    ("FactRefSource.fact", "该事项中的事实名称"),
    ("ThemeMaterialSource", "合并材料清单中的一项"),
    ("ThemeMaterialSource.id", "在合并清单中的编号"),
    ("ThemeMaterialSource.name", "在合并清单中的名称"),
    (
        "ThemeMaterialSource.produced_by",
        "产生该材料（所核发证照）的事项的称呼；有则填写",
    ),
    ("ThemeMaterialSource.of", "它所代表的各事项的材料"),
    ("MaterialRefSource", "某事项的一项材料"),
    ("MaterialRefSource.matter", "事项在主题中的称呼（key）"),
    ("MaterialRefSource.material", "该事项中的材料编号"),
    (
        "ThemeCase",
        "一个主题测试案例（themes/<主题>/cases/*.json）：以主题的事实名称作答，决定整个主题",
    ),
    ("ThemeCase.title", "案例标题"),
    ("ThemeCase.on", "决定日期 YYYY-MM-DD"),
    (
        "ThemeCase.region",
        "由哪个地区的实施清单决定；省略时为主题唯一的地区",
    ),
    ("ThemeCase.facts", "申请人的事实，使用主题的事实名称"),
    ("ThemeCase.expect", "依法律和办事指南手写的预期"),
    (
        "ThemeCase.why",
        "预期是对照什么核对的（预期改动时须一并修改）",
    ),
    (
        "ThemeExpect",
        "主题案例手写的预期；除 status 和 matters 外只核对写出的项",
    ),
    (
        "ThemeExpect.status",
        "主题的结论：eligible、ineligible 或 needs_facts",
    ),
    ("ThemeExpect.matters", "各事项的预期，按事项称呼（key）"),
    ("ThemeExpect.questions", "须询问的主题事实，按顺序"),
    ("ThemeExpect.submit", "合并清单中须提交的材料"),
    ("ThemeExpect.exempt", "合并清单中免提交的材料"),
    ("ThemeExpect.produced", "由主题中前一事项产生的材料"),
    ("ThemeExpect.not_applicable", "不适用的材料"),
    ("ThemeExpect.undetermined", "尚待事实确定的材料"),
    ("ThemeExpect.deferred", "容缺的材料"),
    ("ThemeExpect.committed", "以承诺代替的材料"),
    (
        "ThemeExpect.acceptance",
        "一次受理的结论：accepted、accepted_with_deferral、not_accepted、pending",
    ),
    ("ThemeExpect.notice", "一次性告知单中的合并材料编号，按顺序"),
    ("ThemeExpect.fee_total", "各事项收费合计，如 \"0.00\""),
    (
        "ThemeExpect.promised_due",
        "主题承诺办结日期（最后一个事项的），手算",
    ),
    ("ThemeExpect.statutory_due", "主题法定办结日期，手算"),
    ("ThemeMatterExpect", "一个事项在主题中的预期"),
    ("ThemeMatterExpect.status", "该事项的结论"),
    (
        "ThemeMatterExpect.code",
        "决定所用的实施编码（以基本编码指定的事项，为该地区的实施清单）",
    ),
    ("ThemeMatterExpect.failed", "不满足的受理条件编号，按顺序"),
    (
        "ThemeMatterExpect.promised_due",
        "该事项承诺办结日期，从其前置事项的日期起手算",
    ),
    (
        "ThemeMatterExpect.statutory_due",
        "该事项法定办结日期，手算",
    ),
    ("Status", "结论"),
    ("Status.eligible", "符合受理条件"),
    ("Status.ineligible", "不符合受理条件"),
    ("Status.needs_facts", "还需补充信息"),
];

/// The schema files: name and schema.
pub fn schemas() -> Result<Vec<(&'static str, Value)>, String> {
    let zh: BTreeMap<&str, &str> = ZH.iter().copied().collect();
    let mut missing = Vec::new();
    let mut out = Vec::new();
    for (file, title, schema) in [
        (
            "matter.schema.json",
            "MatterSource",
            schemars::schema_for!(MatterSource),
        ),
        (
            "base.schema.json",
            "BaseSource",
            schemars::schema_for!(BaseSource),
        ),
        (
            "implementation.schema.json",
            "ImplementationSource",
            schemars::schema_for!(ImplementationSource),
        ),
        (
            "case.schema.json",
            "Case",
            schemars::schema_for!(crate::cases::Case),
        ),
        (
            "theme.schema.json",
            "ThemeSource",
            schemars::schema_for!(ThemeSource),
        ),
        (
            "theme-case.schema.json",
            "ThemeCase",
            schemars::schema_for!(crate::cases::ThemeCase),
        ),
        (
            "licences.schema.json",
            "LicencesSource",
            schemars::schema_for!(LicencesSource),
        ),
        (
            "calendar.schema.json",
            "CalendarSource",
            schemars::schema_for!(CalendarSource),
        ),
    ] {
        let mut value = schema.to_value();
        bilingual(&mut value, title, &zh, &mut missing);
        if let Some(defs) = value.get_mut("$defs").and_then(Value::as_object_mut) {
            for (name, def) in defs.iter_mut() {
                bilingual(def, name, &zh, &mut missing);
            }
        }
        out.push((file, value));
    }
    missing.sort();
    missing.dedup();
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(format!(
            "no Chinese description for {} (add them to ZH in bindings/cli/src/schema.rs)",
            missing.join(", ")
        ))
    }
}

/// Puts the Chinese description before the English one, on a type and its properties.
fn bilingual(schema: &mut Value, name: &str, zh: &BTreeMap<&str, &str>, missing: &mut Vec<String>) {
    describe(schema, name, zh, missing);
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (field, prop) in props.iter_mut() {
            describe(prop, &format!("{name}.{field}"), zh, missing);
        }
    }
    // The values of an enum, each described (`Status.eligible`).
    if let Some(variants) = schema.get_mut("oneOf").and_then(Value::as_array_mut) {
        for variant in variants {
            if let Some(value) = variant.get("const").and_then(Value::as_str) {
                let key = format!("{name}.{value}");
                describe(variant, &key, zh, missing);
            }
        }
    }
}

fn describe(schema: &mut Value, key: &str, zh: &BTreeMap<&str, &str>, missing: &mut Vec<String>) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let Some(chinese) = zh.get(key) else {
        missing.push(key.to_string());
        return;
    };
    let english = object
        .get("description")
        .and_then(Value::as_str)
        .map(|s| s.replace('\n', " "))
        .unwrap_or_default();
    let text = if english.is_empty() {
        (*chinese).to_string()
    } else {
        format!("{chinese} — {english}")
    };
    object.insert("description".into(), Value::String(text));
}

/// The schema files as written to disk: pretty JSON and a final newline.
pub fn files() -> Result<Vec<(&'static str, String)>, String> {
    schemas()?
        .into_iter()
        .map(|(name, value)| {
            serde_json::to_string_pretty(&value)
                .map(|text| (name, format!("{text}\n")))
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// Writes the schema files into `dir`; returns what it wrote.
pub fn write(dir: &Path) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in files()? {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path.display().to_string());
    }
    Ok(format!("wrote {}", written.join(", ")))
}
