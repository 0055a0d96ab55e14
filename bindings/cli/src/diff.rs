//! `banshi diff`: what changed between two rule sets, per matter, in words a reviewer approves.
//!
//! The two sides are rule sources (folders, bundles, or a git revision of a folder), compared
//! as the core reads them, not as text: a comment or a reordered key is no change, a changed
//! limit, condition, material, exemption route (issuer, data sharing, 电子证照, 直接取消), fee,
//! waiver, 容缺 or 承诺 is, each with the citations it rests on. Items are matched by their
//! stable id (`id`, or `name` for facts and situations, `procedure` for special procedures), so
//! the comparison is linear in the files' size apart from sorting.
//!
//! Versions pair by their `[version] id`; a version only in the new rules is compared with the
//! old version it follows. Editing a version already in force on the given date (today by
//! default) changes decisions already made, and is flagged: the law asks for a new version from
//! the day the change takes effect.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use banshi_core::source::MatterSource;
use banshi_core::{RuleSetSource, SourceFile};
use chrono::NaiveDate;
use serde_json::Value;

/// `banshi diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old rules: a rules folder or a bundle file; with `--git`, the folder to compare
    /// (default: `rules`).
    pub old: Option<PathBuf>,
    /// The new rules: a rules folder or a bundle file.
    pub new: Option<PathBuf>,
    /// Compare this git revision of the folder (e.g. `HEAD`, `main`) with the working tree.
    #[arg(long, value_name = "REV")]
    pub git: Option<String>,
    /// Applications as JSON lines `{"matter","on","facts"}`: append the `banshi impact` summary
    /// of the change over them.
    #[arg(long, value_name = "FILE")]
    pub cases: Option<PathBuf>,
    /// The date for "already in force", YYYY-MM-DD (default: today in China, UTC+8).
    #[arg(long)]
    pub on: Option<String>,
}

/// Rule sources and where they came from.
pub struct Side {
    /// For the report: a folder, a bundle, or `REV:folder`.
    pub label: String,
    /// The sources.
    pub source: RuleSetSource,
    /// Every matter written out whole: complete matter files, and each implementation applied
    /// to its base ([`banshi_core::catalogue::flatten`]), so that a change to a base shows in
    /// every matter that inherits it.
    matters: Vec<SourceFile<MatterSource>>,
}

impl Side {
    /// Rule sources to compare, named `label` in the report.
    pub fn new(label: impl Into<String>, source: RuleSetSource) -> Side {
        let matters = banshi_core::catalogue::flatten(&source);
        Side {
            label: label.into(),
            source,
            matters,
        }
    }
}

/// Runs `banshi diff`: the report, and whether any matter changed.
pub fn run(args: &DiffArgs) -> Result<(String, bool), String> {
    let on = match &args.on {
        Some(text) => banshi_core::facts::parse_date(text)
            .ok_or_else(|| format!("--on `{text}` is not a real date in YYYY-MM-DD form"))?,
        None => (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive(),
    };
    let (old, new) = match &args.git {
        Some(rev) => {
            if args.new.is_some() {
                return Err(
                    "with --git, give one folder: its revision is compared with the working tree"
                        .into(),
                );
            }
            let dir = args.old.clone().unwrap_or_else(|| PathBuf::from("rules"));
            (read_git(rev, &dir)?, read_side(&dir)?)
        }
        None => match (&args.old, &args.new) {
            (Some(old), Some(new)) => (read_side(old)?, read_side(new)?),
            _ => return Err("give OLD and NEW (folders or bundles), or --git REV [FOLDER]".into()),
        },
    };
    let (mut text, changed) = report(&old, &new, on);
    if let Some(cases) = &args.cases {
        let compile = |side: &Side| {
            banshi_core::RuleSet::compile(&side.source).map_err(|errors| {
                format!(
                    "{}: the rules do not check ({} problem(s)); run `banshi check`",
                    side.label,
                    errors.len()
                )
            })
        };
        let report = crate::impact::analyse_file(
            &compile(&old)?,
            &compile(&new)?,
            cases,
            crate::impact::Options::default(),
        )?;
        let _ = write!(
            text,
            "\nimpact on the applications in {}:\n{}",
            cases.display(),
            crate::impact::render(&report)
        );
    }
    Ok((text, changed))
}

/// Reads a rules folder, or the sources inside a bundle (not verified: a diff is read by a
/// person, never decided with).
pub fn read_side(path: &Path) -> Result<Side, String> {
    let label = path.display().to_string();
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{label}: {e}"))?;
        // Read as written, every matter checked against its hash; a reviewer compares what was
        // published, signed by whichever agency (development trust checks each signature).
        let source = banshi_core::bundle::sources(&text, &banshi_core::Trust::development())
            .map_err(|e| format!("{label}: {e}"))?;
        return Ok(Side::new(label, source));
    }
    let files = crate::builtin::read_rules(path).map_err(|e| e.to_string())?;
    let (source, problems) = banshi_loader::sources(&files);
    if let Some(first) = problems.first() {
        return Err(format!(
            "{first}\n{label}: {} file(s) do not parse; run `banshi check`",
            problems.len()
        ));
    }
    Ok(Side::new(label, source))
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// The folder `dir` as it was at revision `rev`: its files copied out with `git show` into a
/// temporary folder (removed again), then read like any folder.
fn read_git(rev: &str, dir: &Path) -> Result<Side, String> {
    let abs = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let top = String::from_utf8_lossy(&git(&abs, &["rev-parse", "--show-toplevel"])?)
        .trim()
        .to_string();
    let rel = abs
        .strip_prefix(&top)
        .map_err(|_| format!("{} is not inside {top}", dir.display()))?
        .to_string_lossy()
        .replace('\\', "/");
    let listing = git(
        Path::new(&top),
        &[
            "ls-tree",
            "-r",
            "--name-only",
            rev,
            "--",
            if rel.is_empty() { "." } else { &rel },
        ],
    )?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let tmp = std::env::temp_dir().join(format!("banshi-diff-{}-{nanos}", std::process::id()));
    let result = (|| {
        for name in String::from_utf8_lossy(&listing).lines() {
            if !name.ends_with(".toml") {
                continue;
            }
            let text = git(Path::new(&top), &["show", &format!("{rev}:{name}")])?;
            let target = tmp.join(name);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
        }
        let folder = tmp.join(&rel);
        if !folder.exists() {
            return Err(format!("{rev} has no {rel}"));
        }
        read_side(&folder)
    })();
    let _ = std::fs::remove_dir_all(&tmp);
    let mut side = result?;
    side.label = format!("{rev}:{}", if rel.is_empty() { "." } else { &rel });
    Ok(side)
}

/// One version of one matter.
struct Version<'a> {
    file: &'a str,
    source: &'a MatterSource,
}

fn versions(side: &Side) -> BTreeMap<&str, Vec<Version<'_>>> {
    let mut by_code: BTreeMap<&str, Vec<Version<'_>>> = BTreeMap::new();
    for file in &side.matters {
        by_code
            .entry(file.source.matter.implementation_code.as_str())
            .or_default()
            .push(Version {
                file: &file.file,
                source: &file.source,
            });
    }
    for list in by_code.values_mut() {
        list.sort_by(|a, b| a.source.version.effective.cmp(&b.source.version.effective));
    }
    by_code
}

/// The whole report, and whether anything changed.
pub fn report(old: &Side, new: &Side, on: NaiveDate) -> (String, bool) {
    let mut s = String::new();
    let _ = writeln!(s, "rules: {} → {}", old.label, new.label);
    let old_versions = versions(old);
    let new_versions = versions(new);
    let mut codes: Vec<&str> = old_versions
        .keys()
        .chain(new_versions.keys())
        .copied()
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let (mut changed, mut same) = (0usize, 0usize);
    for code in codes {
        let olds = old_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let news = new_versions
            .get(code)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut block = String::new();
        for version in news {
            let id = &version.source.version.id;
            let paired = olds.iter().find(|o| o.source.version.id == *id);
            let lines = match paired {
                Some(old) => {
                    let lines = matter_changes(Some(old.source), version.source);
                    if !lines.is_empty() {
                        let _ = writeln!(
                            block,
                            "\n{} {} — version {} ({})",
                            version.source.matter.name, code, id, version.file
                        );
                        in_force_warning(&mut block, version.source, on);
                    }
                    lines
                }
                None => {
                    // Compared with the latest old version in force before it.
                    let effective = &version.source.version.effective;
                    let before = olds
                        .iter()
                        .rev()
                        .find(|o| o.source.version.effective <= *effective)
                        .or_else(|| olds.last());
                    let _ = match before {
                        Some(b) => writeln!(
                            block,
                            "\n{} {} — new version {} from {} ({}), compared with version {} from {}",
                            version.source.matter.name,
                            code,
                            id,
                            effective,
                            version.file,
                            b.source.version.id,
                            b.source.version.effective
                        ),
                        None => writeln!(
                            block,
                            "\n{} {} — new matter, version {} from {} ({})",
                            version.source.matter.name, code, id, effective, version.file
                        ),
                    };
                    matter_changes(before.map(|b| b.source), version.source)
                }
            };
            for line in lines {
                let _ = writeln!(block, "  {line}");
            }
        }
        for version in olds {
            if !news
                .iter()
                .any(|n| n.source.version.id == version.source.version.id)
            {
                let _ = writeln!(
                    block,
                    "\n{} {} — version {} from {} removed ({})",
                    version.source.matter.name,
                    code,
                    version.source.version.id,
                    version.source.version.effective,
                    version.file
                );
            }
        }
        if block.is_empty() {
            same = same.saturating_add(1);
        } else {
            changed = changed.saturating_add(1);
            s.push_str(&block);
        }
    }
    let shared = shared_changes(old, new);
    if !shared.is_empty() {
        s.push_str("\nlicences.toml and calendar/ (every matter)\n");
        for line in &shared {
            let _ = writeln!(s, "  {line}");
        }
    }
    let _ = write!(s, "\n{changed} matter(s) changed, {same} unchanged");
    if !shared.is_empty() {
        s.push_str("; the licence catalogue or the calendar changed");
    }
    (s, changed > 0 || !shared.is_empty())
}

/// Changes to the files every matter shares: the 电子证照 catalogue and the holiday calendar.
fn shared_changes(old: &Side, new: &Side) -> Vec<String> {
    let context = Context {
        old_basis: BTreeMap::new(),
        new_basis: BTreeMap::new(),
    };
    let mut lines = Vec::new();
    let licences = |side: &Side| serde_json::to_value(&side.source.licences.source).ok();
    let (a, b) = (licences(old), licences(new));
    context.value(
        "电子证照类型 licence type",
        "licences",
        a.as_ref().and_then(|v| v.get("licences")),
        b.as_ref().and_then(|v| v.get("licences")),
        &mut lines,
        "",
    );
    let years = |side: &Side| -> BTreeMap<i32, Value> {
        side.source
            .calendar
            .iter()
            .filter_map(|f| Some((f.source.year, serde_json::to_value(&f.source).ok()?)))
            .collect()
    };
    let (a, b) = (years(old), years(new));
    let mut all: Vec<i32> = a.keys().chain(b.keys()).copied().collect();
    all.sort_unstable();
    all.dedup();
    for year in all {
        let notice = |v: &Value| {
            let field = |k: &str| v["notice"].get(k).and_then(Value::as_str).unwrap_or("");
            format!("{}（{}）", field("title"), field("number"))
        };
        match (a.get(&year), b.get(&year)) {
            (None, Some(v)) => {
                lines.push(format!("+ 节假日安排 calendar {year} added: {}", notice(v)))
            }
            (Some(v), None) => lines.push(format!(
                "- 节假日安排 calendar {year} removed: {}",
                notice(v)
            )),
            (Some(x), Some(y)) => {
                context.value(
                    &format!("节假日安排 calendar {year}"),
                    "calendar",
                    Some(x),
                    Some(y),
                    &mut lines,
                    "",
                );
            }
            (None, None) => {}
        }
    }
    lines
}

fn in_force_warning(block: &mut String, matter: &MatterSource, on: NaiveDate) {
    let effective = &matter.version.effective;
    if banshi_core::facts::parse_date(effective).is_some_and(|e| e <= on) {
        let _ = writeln!(
            block,
            "  warning: version {} has been in force since {effective}: editing it changes decisions already made under it; add a new version with the date the change takes effect instead",
            matter.version.id
        );
    }
}

/// A section or field name for reviewers, in Chinese and English.
fn label(key: &str) -> &str {
    match key {
        "matter" => "事项要素 matter",
        "version" => "版本 version",
        "basis" => "依据 basis",
        "facts" => "事实 fact",
        "situations" => "情形 situation",
        "conditions" => "受理条件 condition",
        "materials" => "申请材料 material",
        "special_procedures" => "特别程序 special procedure",
        "extension" => "延长 extension",
        "deferral" => "容缺受理 deferral",
        "commitment" => "告知承诺 commitment",
        "fees" => "收费 fees",
        "items" => "收费项目 fee item",
        "waivers" => "减免 waiver",
        "statutory_limit" => "法定办结时限 statutory limit",
        "promised_limit" => "承诺办结时限 promised limit",
        "limit" => "时限 limit",
        "period" => "期限 period",
        "handling" => "办件类型 handling",
        "visits" => "到现场次数 visits",
        "agency" => "实施机构 agency",
        "name" => "名称 name",
        "require" => "要求 require",
        "when" => "适用情形 when",
        "message" => "告知 message",
        "issuer" => "核发部门 issuer",
        "sharing" => "免提交: 数据共享 exempt by data sharing",
        "licence" => "免提交: 电子证照 exempt by e-licence",
        "licence_holder" => "电子证照持有人 licence holder",
        "cancelled" => "直接取消 cancelled by",
        "key" => "关键材料 key material",
        "form" => "形式 form",
        "medium" => "载体 medium",
        "copies" => "份数 copies",
        "options" => "选项 options",
        "question" => "问题 question",
        "type" => "类型 type",
        "holidays" => "节日 holiday",
        "guide" => "办事指南 guide",
        "steps" => "办理流程 step",
        "description" => "说明 description",
        "faq" => "常见问题 FAQ",
        "places" => "办理地点 places",
        "hours" => "办理时间 hours",
        "result" => "办理结果 result",
        "spec" => "材料规格 spec",
        "off" => "放假 days off",
        "work" => "调休上班 make-up working days",
        "days" => "天数 days",
        "notice" => "通知 notice",
        "title" => "标题 title",
        "number" => "文号 number",
        "published" => "发布日期 published",
        "url" => "地址 url",
        "source" => "来源 source",
        "price" => "单价 price",
        "quantity" => "数量 quantity",
        "tiers" => "分档 tiers",
        "reduction" => "减免 reduction",
        "free" => "免费 free",
        "dishonest_excluded" => "严重失信不适用 dishonest excluded",
        "restricted_domains" => "不适用承诺的领域 restricted domains",
        "document" => "文件 document",
        "article" => "条款 article",
        "excerpt" => "原文 excerpt",
        "effective" => "施行日期 effective",
        "note" => "说明 note",
        "unit" => "单位 unit",
        "amount" => "金额 amount",
        "up_to" => "上限 up to",
        "approval" => "批准 approval",
        "text" => "承诺内容 text",
        "consequence" => "不实后果 consequence",
        "procedure" => "程序 procedure",
        "levels" => "行使层级 levels",
        "modes" => "办理形式 modes",
        "service_objects" => "服务对象 service objects",
        "basic_code" => "基本编码 basic code",
        "implementation_code" => "实施编码 implementation code",
        "min" => "下限 min",
        "max" => "上限 max",
        "format" => "格式 format",
        other => other,
    }
}

/// The key that identifies an item of a list of tables.
fn item_key(item: &Value) -> Option<String> {
    ["id", "name", "procedure"]
        .iter()
        .find_map(|k| item.get(*k).and_then(Value::as_str).map(str::to_string))
}

/// A value as a reviewer reads it.
fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(not set)".into(),
        Some(Value::String(s)) => format!("「{s}」"),
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items.iter().map(|v| show(Some(v))).collect();
            format!("[{}]", parts.join(", "))
        }
        Some(Value::Object(map)) => {
            if map.len() == 1
                && let Some(n) = map.get("working_days")
            {
                return format!("{n} 个工作日 working days");
            }
            if map.len() == 1
                && let Some(n) = map.get("days")
            {
                return format!("{n} 日 natural days");
            }
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{} = {}", k, show(Some(v))))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Some(other) => other.to_string(),
    }
}

/// The citations an item rests on, from the matter's `[[basis]]`.
fn citations(item: &Value, basis: &BTreeMap<String, String>) -> Option<String> {
    let mut ids: Vec<&str> = Vec::new();
    for key in ["basis", "cancelled"] {
        if let Some(Value::Array(list)) = item.get(key) {
            ids.extend(list.iter().filter_map(Value::as_str));
        }
    }
    if ids.is_empty() {
        return None;
    }
    let cited: Vec<String> = ids
        .iter()
        .map(|id| basis.get(*id).cloned().unwrap_or_else(|| format!("`{id}`")))
        .collect();
    Some(format!("依据 basis: {}", cited.join("; ")))
}

fn basis_map(matter: &Value) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(Value::Array(list)) = matter.get("basis") {
        for b in list {
            if let (Some(id), Some(doc), Some(article)) = (
                b.get("id").and_then(Value::as_str),
                b.get("document").and_then(Value::as_str),
                b.get("article").and_then(Value::as_str),
            ) {
                map.insert(id.to_string(), format!("《{doc}》{article}"));
            }
        }
    }
    map
}

/// The changes from `old` (none: a new matter) to `new`, one line each.
fn matter_changes(old: Option<&MatterSource>, new: &MatterSource) -> Vec<String> {
    let old = old
        .and_then(|m| serde_json::to_value(m).ok())
        .unwrap_or(Value::Object(serde_json::Map::new()));
    let new = serde_json::to_value(new).unwrap_or(Value::Null);
    let context = Context {
        old_basis: basis_map(&old),
        new_basis: basis_map(&new),
    };
    let mut lines = Vec::new();
    // The file's own order first; keys added by later formats after, alphabetically.
    let order = [
        "matter",
        "version",
        "facts",
        "situations",
        "conditions",
        "materials",
        "special_procedures",
        "extension",
        "deferral",
        "commitment",
        "fees",
        "guide",
        "basis",
    ];
    let mut keys: Vec<&str> = order.to_vec();
    for map in [old.as_object(), new.as_object()].into_iter().flatten() {
        for key in map.keys() {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    for key in keys {
        if key == "version" {
            continue;
        }
        context.value(label(key), key, old.get(key), new.get(key), &mut lines, "");
    }
    lines
}

struct Context {
    old_basis: BTreeMap<String, String>,
    new_basis: BTreeMap<String, String>,
}

impl Context {
    /// Appends the changes of one value (`what` names it for people; `key` is its field).
    fn value(
        &self,
        what: &str,
        key: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        out: &mut Vec<String>,
        indent: &str,
    ) {
        let old = old.filter(|v| !v.is_null());
        let new = new.filter(|v| !v.is_null());
        if old == new {
            return;
        }
        match (old, new) {
            (Some(Value::Array(a)), Some(Value::Array(b)))
                if is_table_list(a) || is_table_list(b) =>
            {
                self.table_list(what, a, b, out, indent);
            }
            (None, Some(Value::Array(b))) if is_table_list(b) => {
                self.table_list(what, &[], b, out, indent);
            }
            (Some(Value::Array(a)), None) if is_table_list(a) => {
                self.table_list(what, a, &[], out, indent);
            }
            (Some(Value::Object(a)), Some(Value::Object(b))) if !is_limit(key) => {
                let mut fields: Vec<&String> = a.keys().chain(b.keys()).collect();
                fields.sort();
                fields.dedup();
                let before = out.len();
                for field in fields {
                    let label = format!("{what} · {}", label(field));
                    self.value(&label, field, a.get(field), b.get(field), out, indent);
                }
                // A changed section (`[deferral]`, `[extension]` …) with what it rests on.
                if out.len() > before
                    && !matches!(key, "matter" | "fees")
                    && let Some(c) = citations(&Value::Object(b.clone()), &self.new_basis)
                {
                    out.push(format!("{indent}    {c}"));
                }
            }
            // A whole section (`[deferral]`, `[fees]` …) comes or goes; a field is changed.
            (None, Some(v)) if v.is_object() => {
                out.push(format!("{indent}+ {what} added: {}", show(Some(v))));
            }
            (Some(v), None) if v.is_object() => {
                out.push(format!("{indent}- {what} removed (was {})", show(Some(v))));
            }
            (a, b) => out.push(format!("{indent}~ {what}: {} → {}", show(a), show(b))),
        }
    }

    fn table_list(
        &self,
        what: &str,
        old: &[Value],
        new: &[Value],
        out: &mut Vec<String>,
        indent: &str,
    ) {
        let index = |list: &[Value]| -> BTreeMap<String, usize> {
            list.iter()
                .enumerate()
                .filter_map(|(i, v)| item_key(v).map(|k| (k, i)))
                .collect()
        };
        let (old_index, new_index) = (index(old), index(new));
        for item in new {
            let Some(key) = item_key(item) else { continue };
            let title = format!("{what} `{key}`{}", display_name(item, &key));
            match old_index.get(&key).and_then(|i| old.get(*i)) {
                None => {
                    out.push(format!("{indent}+ {title} added"));
                    self.fields(None, item, out, indent);
                    if let Some(c) = citations(item, &self.new_basis) {
                        out.push(format!("{indent}    {c}"));
                    }
                }
                Some(before) if before != item => {
                    out.push(format!("{indent}~ {title} changed"));
                    self.fields(Some(before), item, out, indent);
                    if let Some(c) = citations(item, &self.new_basis) {
                        out.push(format!("{indent}    {c}"));
                    }
                }
                Some(_) => {}
            }
        }
        for item in old {
            let Some(key) = item_key(item) else { continue };
            if !new_index.contains_key(&key) {
                out.push(format!(
                    "{indent}- {what} `{key}`{} removed",
                    display_name(item, &key)
                ));
                self.fields(None, item, out, indent);
                if let Some(c) = citations(item, &self.old_basis) {
                    out.push(format!("{indent}    {c}"));
                }
            }
        }
        let kept_old: Vec<String> = old
            .iter()
            .filter_map(item_key)
            .filter(|k| new_index.contains_key(k))
            .collect();
        let kept_new: Vec<String> = new
            .iter()
            .filter_map(item_key)
            .filter(|k| old_index.contains_key(k))
            .collect();
        if kept_old != kept_new {
            out.push(format!(
                "{indent}~ {what}: order changed (now {})",
                kept_new.join(", ")
            ));
        }
    }

    /// The fields of an item that are new or changed (all of them for a new item).
    fn fields(&self, old: Option<&Value>, new: &Value, out: &mut Vec<String>, indent: &str) {
        let empty = serde_json::Map::new();
        let before = old.and_then(Value::as_object).unwrap_or(&empty);
        let after = new.as_object().unwrap_or(&empty);
        let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
        fields.sort();
        fields.dedup();
        let inner = format!("{indent}    ");
        for field in fields {
            if old.is_none() && matches!(field.as_str(), "id" | "name" | "basis") {
                continue;
            }
            let (a, b) = (before.get(field), after.get(field));
            if a == b {
                continue;
            }
            if old.is_none() {
                out.push(format!("{inner}{}: {}", label(field), show(b)));
            } else {
                self.value(label(field), field, a, b, out, &inner);
            }
        }
    }
}

fn display_name(item: &Value, key: &str) -> String {
    match item.get("name").and_then(Value::as_str) {
        Some(name) if name != key => format!(" {name}"),
        _ => String::new(),
    }
}

fn is_table_list(list: &[Value]) -> bool {
    list.first().is_some_and(|v| item_key(v).is_some())
}

fn is_limit(key: &str) -> bool {
    key.ends_with("limit") || key == "period"
}
