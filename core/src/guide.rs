//! 办事指南: what a front end shows an applicant beside the decision, so that no channel needs a
//! second source for it. 市政办发〔2021〕36号第十二条 lists the guide's elements; the 办理流程
//! (its steps, 办理环节) comes first because the plans count it: "不得额外增加或变相增加办理环节"
//! (陕政办发〔2023〕1号 任务6).
//!
//! The guide decides nothing: it is compiled (checked, texts shared) and handed out as it is.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::common::{Limit, Text};
use crate::error::SourcePath;
use crate::source::MatterSource;

/// A matter's 办事指南, compiled. Lists and texts the rules leave out are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// 办理流程: the steps in the order they happen.
    pub steps: Vec<Step>,
    /// 办理结果.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Text>,
    /// 结果样本.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_sample: Option<Text>,
    /// 办理地点.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Text>,
    /// 办理时间.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Text>,
    /// 咨询方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consultation: Vec<Text>,
    /// 监督投诉方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complaints: Vec<Text>,
    /// 送达方式.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delivery: Vec<Text>,
    /// 中介服务; none when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intermediary: Vec<Text>,
    /// 常见问题.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faq: Vec<Faq>,
    /// Per material: 材料规格, 示范文本 and 空表, for the materials that give any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<MaterialGuide>,
}

/// One 常见问题.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faq {
    /// The question.
    pub question: Text,
    /// The answer.
    pub answer: Text,
}

/// What the guide says of one material beside the decision's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialGuide {
    /// The material's id.
    pub id: Text,
    /// Its name.
    pub name: Text,
    /// 材料规格.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<Text>,
    /// 示范文本.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<Text>,
    /// 空表.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank: Option<Text>,
}

/// One step (办理环节) of the 办理流程.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Its name, for example 受理.
    pub name: Text,
    /// What happens in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// How long it takes at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Limit>,
}

/// Compiles `[guide]`. A step's limit is not compared with the matter's: 送达 after the decision,
/// for one, runs on its own clock (行政许可法第四十四条).
pub(crate) fn compile(c: &mut Checker<'_>, src: &MatterSource) -> Guide {
    let materials = src
        .materials
        .iter()
        .enumerate()
        .filter(|(_, m)| m.spec.is_some() || m.sample.is_some() || m.blank.is_some())
        .map(|(i, m)| {
            let at = SourcePath::root().key("materials").index(i);
            MaterialGuide {
                id: m.id.as_str().into(),
                name: m.name.as_str().into(),
                spec: text(c, at.key("spec"), m.spec.as_ref()),
                sample: text(c, at.key("sample"), m.sample.as_ref()),
                blank: text(c, at.key("blank"), m.blank.as_ref()),
            }
        })
        .collect();
    let Some(src) = src.guide.as_ref() else {
        return Guide {
            materials,
            ..Guide::default()
        };
    };
    let steps_at = SourcePath::root().key("guide").key("steps");
    let mut names = BTreeMap::new();
    let mut steps = Vec::with_capacity(src.steps.len());
    for (i, s) in src.steps.iter().enumerate() {
        let path = steps_at.index(i);
        c.text(path.key("name"), &s.name);
        if names.insert(s.name.as_str(), ()).is_some() {
            c.duplicate(path.key("name"), "step", &s.name);
        }
        if let Some(description) = &s.description {
            c.text(path.key("description"), description);
        }
        let limit = s.limit.as_ref().map(|l| c.limit(path.key("limit"), l));
        steps.push(Step {
            name: s.name.as_str().into(),
            description: s.description.as_deref().map(Into::into),
            limit,
        });
    }
    let at = SourcePath::root().key("guide");
    let faq = src
        .faq
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let path = at.key("faq").index(i);
            c.text(path.key("question"), &f.question);
            c.text(path.key("answer"), &f.answer);
            Faq {
                question: f.question.as_str().into(),
                answer: f.answer.as_str().into(),
            }
        })
        .collect();
    Guide {
        steps,
        result: text(c, at.key("result"), src.result.as_ref()),
        result_sample: text(c, at.key("result_sample"), src.result_sample.as_ref()),
        places: texts(c, &at.key("places"), &src.places),
        hours: text(c, at.key("hours"), src.hours.as_ref()),
        consultation: texts(c, &at.key("consultation"), &src.consultation),
        complaints: texts(c, &at.key("complaints"), &src.complaints),
        delivery: texts(c, &at.key("delivery"), &src.delivery),
        intermediary: texts(c, &at.key("intermediary"), &src.intermediary),
        faq,
        materials,
    }
}

/// An optional text, checked not to be blank.
fn text(c: &mut Checker<'_>, path: SourcePath, value: Option<&String>) -> Option<Text> {
    let value = value?;
    c.text(path, value);
    Some(value.as_str().into())
}

/// A list of texts, each checked not to be blank.
fn texts(c: &mut Checker<'_>, path: &SourcePath, values: &[String]) -> Vec<Text> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            c.text(path.index(i), v);
            v.as_str().into()
        })
        .collect()
}
