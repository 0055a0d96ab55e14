//! `banshi lists`: the lists the plans ask offices to publish, as CSV or Markdown tables.

use banshi_core::lists::{Exemption, OneCard, Supply};
use banshi_core::{NaiveDate, Route, RuleSet};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum List {
    /// “两个免于提交”事项清单: per matter, the materials a government department issues that need
    /// not be submitted, and by which route.
    Exemptions,
    /// “一证通办”清单: the matters an applicant can finish with the 居民身份证 alone.
    OneCard,
    /// 政务数据资源供需对接清单: per sharing route and licence type, the matters and materials
    /// that need it and the department that supplies it.
    Supply,
}

/// How to print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Comma-separated values (RFC 4180), a header line first.
    Csv,
    /// A Markdown table.
    Md,
}

/// A table: its headers and rows.
struct Table {
    headers: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

fn route(route: Route) -> String {
    match route {
        Route::DataSharing => "数据共享".into(),
        Route::ELicence => "电子证照".into(),
        Route::Cancelled => "直接取消".into(),
    }
}

fn exemptions(rows: &[Exemption]) -> Table {
    Table {
        headers: &[
            "实施编码",
            "事项名称",
            "材料",
            "核发部门",
            "免于提交方式",
            "途径",
            "情形",
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.code.to_string(),
                    r.matter.to_string(),
                    r.material.to_string(),
                    r.issuer.as_deref().unwrap_or_default().to_string(),
                    route(r.route),
                    r.via.to_string(),
                    if r.situational {
                        "特定情形"
                    } else {
                        "所有情形"
                    }
                    .into(),
                ]
            })
            .collect(),
    }
}

fn one_card(rows: &[OneCard]) -> Table {
    Table {
        headers: &["实施编码", "事项名称", "一证通办", "另需的材料"],
        rows: rows
            .iter()
            .map(|r| {
                let names: Vec<&str> = r.other_materials.iter().map(|m| &**m).collect();
                vec![
                    r.code.to_string(),
                    r.matter.to_string(),
                    if r.qualifies { "是" } else { "否" }.into(),
                    names.join("；"),
                ]
            })
            .collect(),
    }
}

fn supply(rows: &[Supply]) -> Table {
    Table {
        headers: &[
            "方式",
            "数据资源",
            "供给部门",
            "需求部门",
            "实施编码",
            "事项名称",
            "材料",
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    route(r.route),
                    r.resource.to_string(),
                    r.provider.as_deref().unwrap_or_default().to_string(),
                    r.agency.to_string(),
                    r.code.to_string(),
                    r.matter.to_string(),
                    r.material.to_string(),
                ]
            })
            .collect(),
    }
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn md_field(field: &str) -> String {
    field
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn render(table: &Table, format: Format) -> String {
    let line = |cells: &[String]| match format {
        Format::Csv => cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(","),
        Format::Md => format!(
            "| {} |",
            cells
                .iter()
                .map(|c| md_field(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
    };
    let headers: Vec<String> = table.headers.iter().map(|h| (*h).to_string()).collect();
    let mut out = vec![line(&headers)];
    if format == Format::Md {
        out.push(format!("|{}", " --- |".repeat(headers.len())));
    }
    out.extend(table.rows.iter().map(|row| line(row)));
    out.join("\n")
}

/// The list `which` of the matters in force on `on`, as `format`; the error of a catalogue's
/// matter that does not compile.
pub fn list(
    rules: &RuleSet,
    which: List,
    on: NaiveDate,
    format: Format,
) -> Result<String, banshi_core::DecideError> {
    let table = match which {
        List::Exemptions => exemptions(&rules.exemptions(on)?),
        List::OneCard => one_card(&rules.one_card(on)?),
        List::Supply => supply(&rules.supply_list(on)?),
    };
    Ok(render(&table, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("营业执照"), "营业执照");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("《x》\"y\""), "\"《x》\"\"y\"\"\"");
        assert_eq!(csv_field("a\nb"), "\"a\nb\"");
    }

    #[test]
    fn markdown_cells_keep_to_their_column() {
        assert_eq!(md_field("a|b"), "a\\|b");
        assert_eq!(md_field("a\nb"), "a b");
    }
}
