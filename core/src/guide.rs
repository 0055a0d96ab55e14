//! 办事指南: what a front end shows an applicant beside the decision, so that no channel needs a
//! second source for it. 市政办发〔2021〕36号第十二条 lists the guide's elements; the 办理流程
//! (its steps, 办理环节) comes first because the plans count it: "不得额外增加或变相增加办理环节"
//! (陕政办发〔2023〕1号 任务6).
//!
//! The guide decides nothing: it is compiled (checked, texts shared) and handed out as it is.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checker::Checker;
use crate::common::{Limit, Text};
use crate::error::SourcePath;
use crate::source::GuideSource;

/// A matter's 办事指南, compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guide {
    /// 办理流程: the steps in the order they happen.
    pub steps: Vec<Step>,
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
pub(crate) fn compile(c: &mut Checker<'_>, src: Option<&GuideSource>) -> Guide {
    let Some(src) = src else {
        return Guide::default();
    };
    let at = SourcePath::root().key("guide").key("steps");
    let mut names = BTreeMap::new();
    let mut steps = Vec::with_capacity(src.steps.len());
    for (i, s) in src.steps.iter().enumerate() {
        let path = at.index(i);
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
    Guide { steps }
}
