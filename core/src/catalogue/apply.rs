//! One implementation applied to what it inherits: every key checked to reduce, never widen.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{NO_ADDITION, ONLY_REDUCE, UNIFIED, limit_parts, names};
use crate::checker::Checker;
use crate::common::Text;
use crate::error::{RuleErrorKind, SourcePath};
use crate::facts::parse_decimal;
use crate::source::{
    ImplementationSource, MaterialChangeSource, MaterialSource, MatterSource, Names,
};

fn widens(c: &mut Checker<'_>, path: SourcePath, message: String, clause: &'static str) {
    c.push(path, None, RuleErrorKind::Widens { message, clause });
}

fn limit_text(l: &crate::source::LimitSource) -> String {
    match limit_parts(l) {
        Some((true, n)) => format!("{n} 个工作日"),
        Some((false, n)) => format!("{n} 日"),
        None => "?".to_string(),
    }
}

/// `parent` with `imp` applied; each reduction is added to `reduced`, each widening reported.
pub(super) fn apply(
    c: &mut Checker<'_>,
    parent: &MatterSource,
    imp: &ImplementationSource,
    reduced: &mut Vec<Text>,
) -> MatterSource {
    let mut out = parent.clone();
    head(c, parent, imp, &mut out, reduced);
    let root = SourcePath::root();
    for (i, k) in imp.conditions.iter().enumerate() {
        widens(
            c,
            root.key("conditions").index(i),
            format!("adds the condition (受理条件) `{}`", k.id),
            UNIFIED,
        );
    }
    let known: BTreeMap<&str, &crate::source::FactSource> =
        parent.facts.iter().map(|f| (f.name.as_str(), f)).collect();
    for (i, f) in imp.facts.iter().enumerate() {
        match known.get(f.name.as_str()) {
            Some(&inherited) if inherited != f => c.invalid(
                root.key("facts").index(i).key(first_difference(inherited, f)),
                format!(
                    "the fact `{}` is inherited and declared here otherwise; an implementation declares only facts of its own ({UNIFIED})",
                    f.name
                ),
            ),
            Some(_) => {}
            None => out.facts.push(f.clone()),
        }
    }
    out.basis.extend(imp.basis.iter().cloned());
    materials(c, parent, imp, &mut out, reduced);
    acceptance(c, parent, imp, &mut out, reduced);
    fees(c, imp, &mut out, reduced);
    steps(c, parent, imp, &mut out, reduced);
    out
}

/// `[implementation]`: the elements an implementation sets, and the limits it may shorten.
fn head(
    c: &mut Checker<'_>,
    parent: &MatterSource,
    imp: &ImplementationSource,
    out: &mut MatterSource,
    reduced: &mut Vec<Text>,
) {
    let i = &imp.implementation;
    let at = SourcePath::root().key("implementation");
    let m = &mut out.matter;
    m.implementation_code = i.code.clone();
    // The implementation's own code and promised limit carry no mark of the base's.
    if let Some(v) = m.verified.as_mut() {
        v.codes = None;
        if i.promised_limit.is_some() {
            v.promised_limit = None;
        }
    }
    m.agency = i.agency.clone();
    m.levels = [i.level.clone()].into();
    m.handling = i.handling.clone();
    m.modes = i.modes.clone();
    m.visits = i.visits;
    if let Some(promised) = &i.promised_limit {
        let inherited = &parent.matter.promised_limit;
        match (limit_parts(promised), limit_parts(inherited)) {
            (Some((a, n)), Some((b, p))) if a == b && n > p => widens(
                c,
                at.key("promised_limit"),
                format!(
                    "the promised limit {} is longer than the {} inherited",
                    limit_text(promised),
                    limit_text(inherited)
                ),
                ONLY_REDUCE,
            ),
            (Some((a, n)), Some((b, p))) if a == b && n < p => reduced.push(
                format!("承诺办结时限 {} → {}", limit_text(inherited), limit_text(promised))
                    .into(),
            ),
            (Some((a, _)), Some((b, _))) if a != b => c.invalid(
                at.key("promised_limit"),
                format!(
                    "the promised limit is in other units than the {} inherited; give it in the same",
                    limit_text(inherited)
                ),
            ),
            _ => {}
        }
        m.promised_limit = promised.clone();
    }
    if i.visits > parent.matter.visits {
        widens(
            c,
            at.key("visits"),
            format!(
                "到办事现场次数 {} is more than the {} inherited",
                i.visits, parent.matter.visits
            ),
            NO_ADDITION,
        );
    } else if i.visits < parent.matter.visits {
        reduced.push(format!("到办事现场次数 {} → {}", parent.matter.visits, i.visits).into());
    }
}

/// `[[materials]]`: changes to inherited materials, by id.
fn materials(
    c: &mut Checker<'_>,
    parent: &MatterSource,
    imp: &ImplementationSource,
    out: &mut MatterSource,
    reduced: &mut Vec<Text>,
) {
    let index: BTreeMap<&str, usize> = parent
        .materials
        .iter()
        .enumerate()
        .map(|(n, m)| (m.id.as_str(), n))
        .collect();
    let mut seen = BTreeMap::new();
    for (j, change) in imp.materials.iter().enumerate() {
        let at = SourcePath::root().key("materials").index(j);
        if seen.insert(change.id.as_str(), ()).is_some() {
            c.duplicate(at.key("id"), "material", &change.id);
            continue;
        }
        let Some(m) = index
            .get(change.id.as_str())
            .and_then(|&n| out.materials.get_mut(n))
        else {
            widens(
                c,
                at.key("id"),
                format!("adds the material (申请材料) `{}`", change.id),
                NO_ADDITION,
            );
            continue;
        };
        material(c, &at, m, change, reduced);
    }
}

/// One material's change.
fn material(
    c: &mut Checker<'_>,
    at: &SourcePath,
    m: &mut MaterialSource,
    change: &MaterialChangeSource,
    reduced: &mut Vec<Text>,
) {
    let id = &change.id;
    let fixed = [
        ("name", change.name.is_some()),
        ("form", change.form.is_some()),
        ("when", change.when.is_some()),
    ];
    for (key, given) in fixed {
        if given {
            widens(
                c,
                at.key(key),
                format!("changes the inherited material `{id}`'s `{key}`"),
                UNIFIED,
            );
        }
    }
    if let Some(key) = change.key
        && key != m.key.unwrap_or(true)
    {
        let message = if key {
            format!(
                "makes `{id}` a key material (关键材料): one more material the application cannot be accepted without"
            )
        } else {
            format!(
                "makes `{id}`, a key material (关键材料) of what it inherits, deferrable under 容缺受理, which the base does not allow"
            )
        };
        widens(c, at.key("key"), message, UNIFIED);
    }
    if let Some(medium) = &change.medium
        && *medium != m.medium
    {
        if medium == "纸质或电子" {
            reduced.push(format!("`{id}`: {} → 纸质或电子", m.medium).into());
            m.medium = medium.clone();
        } else {
            widens(
                c,
                at.key("medium"),
                format!("narrows the media `{id}` is accepted in to {medium}"),
                NO_ADDITION,
            );
        }
    }
    if let Some(copies) = change.copies {
        if copies > m.copies {
            widens(
                c,
                at.key("copies"),
                format!(
                    "asks {copies} copies of `{id}`, more than the {} inherited",
                    m.copies
                ),
                NO_ADDITION,
            );
        } else if copies < m.copies {
            reduced.push(format!("`{id}`: {} 份 → {copies} 份", m.copies).into());
            m.copies = copies;
        }
    }
    if change.sharing.is_some() || change.issuer.is_some() {
        if m.sharing.is_some() && change.sharing.is_some() && m.sharing != change.sharing {
            c.invalid(
                at.key("sharing"),
                format!(
                    "`{id}` already has the sharing route `{}`",
                    m.sharing.as_deref().unwrap_or_default()
                ),
            );
        } else {
            if let Some(s) = &change.sharing {
                reduced.push(format!("`{id}`: 数据共享免提交（{s}）").into());
                m.sharing = Some(s.clone());
            }
            if change.issuer.is_some() {
                m.issuer = change.issuer.clone();
            }
        }
    }
    if let Some(licence) = &change.licence {
        let mut all = names(m.licence.as_ref());
        for name in licence.as_slice() {
            if !all.contains(name) {
                reduced.push(format!("`{id}`: 电子证照 {name} 免提交").into());
                all.push(name.clone());
            }
        }
        m.licence = Some(if all.len() == 1 {
            Names::One(all.remove(0))
        } else {
            Names::Many(all)
        });
    }
    if !change.cancelled.is_empty() {
        reduced.push(format!("`{id}`: 直接取消").into());
        m.cancelled.extend(change.cancelled.iter().cloned());
    }
    if let Some(commitment) = &change.commitment {
        if m.commitment.is_some() {
            c.invalid(
                at.key("commitment"),
                format!("`{id}` already offers a commitment"),
            );
        } else {
            reduced.push(format!("`{id}`: 告知承诺").into());
            m.commitment = Some(commitment.clone());
        }
    }
    for (mine, theirs) in [
        (&mut m.note, &change.note),
        (&mut m.spec, &change.spec),
        (&mut m.sample, &change.sample),
        (&mut m.blank, &change.blank),
    ] {
        if theirs.is_some() {
            mine.clone_from(theirs);
        }
    }
}

/// `[deferral]` and `[commitment]`: offered only where what is inherited allows them.
fn acceptance(
    c: &mut Checker<'_>,
    parent: &MatterSource,
    imp: &ImplementationSource,
    out: &mut MatterSource,
    reduced: &mut Vec<Text>,
) {
    let root = SourcePath::root();
    if let Some(d) = &imp.deferral {
        let at = root.key("deferral");
        if parent.deferral.is_some() {
            c.invalid(
                at,
                "容缺受理 is inherited already; an implementation cannot change it",
            );
        } else {
            let deferrable = |id: &str| {
                parent
                    .materials
                    .iter()
                    .any(|m| m.id == id && m.key == Some(false))
            };
            if !parent.materials.iter().any(|m| m.key == Some(false)) {
                widens(
                    c,
                    at,
                    "offers 容缺受理, but every inherited material is a key material (关键材料): the base allows none".to_string(),
                    UNIFIED,
                );
            } else {
                for (j, id) in d.materials.iter().enumerate() {
                    if parent.materials.iter().any(|m| m.id == *id) && !deferrable(id) {
                        widens(
                            c,
                            at.key("materials").index(j),
                            format!("defers `{id}`, a key material (关键材料) of the base"),
                            UNIFIED,
                        );
                    }
                }
                reduced.push("容缺受理".into());
                out.deferral = Some(d.clone());
            }
        }
    }
    if let Some(p) = &imp.commitment {
        if parent.commitment.is_some() {
            c.invalid(
                root.key("commitment"),
                "告知承诺制 is inherited already; an implementation cannot change it",
            );
        } else {
            reduced.push("告知承诺制".into());
            out.commitment = Some(p.clone());
        }
    }
}

/// `[fees]`: lower prices and waivers.
fn fees(
    c: &mut Checker<'_>,
    imp: &ImplementationSource,
    out: &mut MatterSource,
    reduced: &mut Vec<Text>,
) {
    let Some(change) = &imp.fees else { return };
    let at = SourcePath::root().key("fees");
    let Some(fees) = out.fees.as_mut() else {
        c.invalid(at, "nothing to change: what is inherited has no `[fees]`");
        return;
    };
    for (j, item) in change.items.iter().enumerate() {
        let path = at.key("items").index(j);
        let Some(inherited) = fees.items.iter_mut().find(|i| i.id == item.id) else {
            widens(
                c,
                path.key("id"),
                format!("adds the fee item `{}`", item.id),
                ONLY_REDUCE,
            );
            continue;
        };
        let old = inherited.price.as_deref().and_then(parse_decimal);
        let new = parse_decimal(item.price.trim());
        match (old, new) {
            (_, None) => c.invalid(
                path.key("price"),
                format!("`{}` is not a decimal number", item.price),
            ),
            (None, _) => c.invalid(
                path.key("price"),
                format!("`{}` is priced by tiers; waive it instead", item.id),
            ),
            (Some(old), Some(new)) if new > old => widens(
                c,
                path.key("price"),
                format!("raises the price of `{}` from {old} to {new}", item.id),
                ONLY_REDUCE,
            ),
            (Some(old), Some(new)) => {
                if new < old {
                    reduced.push(format!("`{}`: {old} → {new} 元", item.id).into());
                }
                inherited.price = Some(item.price.clone());
            }
        }
    }
    for w in &change.waivers {
        reduced.push(format!("减免 `{}`", w.id).into());
        fees.waivers.push(w.clone());
    }
}

/// `[guide]`: fewer steps, in the inherited order, none longer.
fn steps(
    c: &mut Checker<'_>,
    parent: &MatterSource,
    imp: &ImplementationSource,
    out: &mut MatterSource,
    reduced: &mut Vec<Text>,
) {
    let Some(guide) = &imp.guide else { return };
    service_information(guide, out);
    if guide.steps.is_empty() {
        return;
    }
    let inherited = parent
        .guide
        .as_ref()
        .map(|g| g.steps.as_slice())
        .unwrap_or_default();
    let at = SourcePath::root().key("guide").key("steps");
    let mut next = 0usize;
    for (j, step) in guide.steps.iter().enumerate() {
        let found = inherited
            .iter()
            .enumerate()
            .skip(next)
            .find(|(_, s)| s.name == step.name);
        let Some((k, old)) = found else {
            let message = if inherited.iter().any(|s| s.name == step.name) {
                format!("the step `{}` is out of the inherited order", step.name)
            } else {
                format!("adds the step (办理环节) `{}`", step.name)
            };
            widens(c, at.index(j).key("name"), message, NO_ADDITION);
            continue;
        };
        next = k.saturating_add(1);
        if let (Some(new), Some(old_limit)) = (&step.limit, &old.limit)
            && let (Some((a, n)), Some((b, p))) = (limit_parts(new), limit_parts(old_limit))
            && a == b
            && n > p
        {
            widens(
                c,
                at.index(j).key("limit"),
                format!(
                    "the step `{}` takes {}, longer than the {} inherited",
                    step.name,
                    limit_text(new),
                    limit_text(old_limit)
                ),
                ONLY_REDUCE,
            );
        }
    }
    if guide.steps.len() < inherited.len() {
        reduced.push(format!("办理环节 {} → {}", inherited.len(), guide.steps.len()).into());
    }
    let mut g = out.guide.clone().unwrap_or_default();
    g.steps = guide.steps.clone();
    out.guide = Some(g);
}

/// The first key at which two declarations of a fact differ.
fn first_difference(a: &crate::source::FactSource, b: &crate::source::FactSource) -> &'static str {
    if a.kind != b.kind {
        "type"
    } else if a.question != b.question {
        "question"
    } else if a.options != b.options {
        "options"
    } else if a.source != b.source {
        "source"
    } else if a.format != b.format {
        "format"
    } else if a.min != b.min {
        "min"
    } else {
        "max"
    }
}

/// The region's own service information (任务4: "补充完善办理地点、办理时间、网办地址、事例样表等
/// 具体服务性信息"): each element given replaces the inherited one.
fn service_information(own: &crate::source::GuideSource, out: &mut MatterSource) {
    let g = out.guide.get_or_insert_with(Default::default);
    for (mine, theirs) in [
        (&mut g.result, &own.result),
        (&mut g.result_sample, &own.result_sample),
        (&mut g.hours, &own.hours),
    ] {
        if theirs.is_some() {
            mine.clone_from(theirs);
        }
    }
    for (mine, theirs) in [
        (&mut g.places, &own.places),
        (&mut g.consultation, &own.consultation),
        (&mut g.complaints, &own.complaints),
        (&mut g.delivery, &own.delivery),
        (&mut g.intermediary, &own.intermediary),
    ] {
        if !theirs.is_empty() {
            mine.clone_from(theirs);
        }
    }
    if !own.faq.is_empty() {
        g.faq.clone_from(&own.faq);
    }
}
