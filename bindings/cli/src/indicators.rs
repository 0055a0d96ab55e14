//! `banshi indicators`: the core's indicator report as text, and as one self-contained HTML
//! file with a chart per indicator (inline SVG: a bar per region and level, the target line).

use std::fmt::Write as _;

use banshi_core::indicators::{Figure, Indicator, Report, Target};

/// The group a figure describes: `全部` for the whole catalogue; a region with its code
/// (`西安市 610100`, the regions within it counted too) or, alone, `西安市（本级）`.
fn group(figure: &Figure) -> String {
    let region = figure
        .region
        .as_ref()
        .map(|r| match (&figure.region_code, figure.alone) {
            (_, true) => format!("{r}（本级）"),
            (Some(code), false) => format!("{r} {code}"),
            (None, false) => r.to_string(),
        });
    match (region, &figure.level) {
        (None, None) => "全部".to_string(),
        (Some(r), None) => r,
        (None, Some(l)) => l.to_string(),
        (Some(r), Some(l)) => format!("{r} {l}"),
    }
}

fn target_text(target: Target) -> String {
    match target {
        Target::Percent(p) => format!("≥ {p}%"),
        Target::Count(n) => format!("≥ {n} 项"),
    }
}

/// `met (+3.0)`, `missed (−28.3)`, or `no matters to measure`.
fn verdict(indicator: &Indicator, figure: &Figure) -> String {
    let (Some(met), Some(percent)) = (figure.met, figure.percent) else {
        return "no matters to measure".to_string();
    };
    let word = if met { "met" } else { "missed" };
    match indicator.target {
        Target::Percent(p) => {
            let mut gap = percent - rust_decimal::Decimal::from(p);
            gap.rescale(1);
            let sign = if gap.is_sign_negative() { "−" } else { "+" };
            format!("{word} ({sign}{} points)", gap.abs())
        }
        Target::Count(n) => {
            let gap = figure.numerator - rust_decimal::Decimal::from(n);
            let sign = if gap.is_sign_negative() { "−" } else { "+" };
            format!("{word} ({sign}{})", gap.abs())
        }
    }
}

/// The report as text: per indicator its target and clause, then one line per figure and the
/// matters pulling it down.
pub fn text(report: &Report) -> String {
    let mut out = format!("indicators of the matters in force on {}\n", report.on);
    for indicator in &report.indicators {
        let clause = &indicator.clause;
        let _ = write!(
            out,
            "\n{} {}  ({}: {} {}: “{}”)\n  counts: {}\n",
            indicator.name,
            target_text(indicator.target),
            indicator.id,
            clause.document,
            clause.clause,
            clause.text,
            indicator.measure,
        );
        for figure in &indicator.figures {
            let percent = figure
                .percent
                .map_or_else(|| "-".to_string(), |p| format!("{p}%"));
            let example = if figure.illustrative > 0 {
                format!(
                    "  (an example: {} of the matters counted on an illustrative mark)",
                    figure.illustrative
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {}: {}/{} = {}  {}{example}",
                group(figure),
                figure.numerator.normalize(),
                figure.denominator,
                percent,
                verdict(indicator, figure)
            );
            for pull in &figure.pulling_down {
                let _ = writeln!(out, "    - {} {}: {}", pull.code, pull.name, pull.why);
            }
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar chart: a bar per figure (its percentage, 0–100 %, or 0–target for a count), and the
/// target as a dashed line.
fn chart(indicator: &Indicator) -> String {
    const BAR: usize = 56;
    const GAP: usize = 24;
    const HEIGHT: u32 = 160;
    const TOP: u32 = 20;
    let width = 60 + indicator.figures.len().max(1) * (BAR + GAP);
    // Percentages in tenths, from 0 to 1000 (a count is shown against its target).
    let scale = |tenths: u32| TOP + HEIGHT - tenths.min(1000) * HEIGHT / 1000;
    let tenths = |p: rust_decimal::Decimal| {
        let t = (p * rust_decimal::Decimal::TEN).trunc();
        u32::try_from(t.mantissa().max(0)).unwrap_or(u32::MAX)
    };
    let target_tenths = match indicator.target {
        Target::Percent(p) => p.saturating_mul(10),
        Target::Count(_) => 1000,
    };
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width}\" height=\"{}\" \
         aria-label=\"{}\">",
        TOP + HEIGHT + 40,
        escape(&indicator.name)
    );
    let _ = write!(
        svg,
        "<line x1=\"40\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" class=\"axis\"/>",
        TOP + HEIGHT
    );
    for (i, figure) in indicator.figures.iter().enumerate() {
        let x = 50 + i * (BAR + GAP);
        let value = figure.percent.map_or(0, tenths);
        let y = scale(value);
        let class = match figure.met {
            Some(true) => "met",
            Some(false) => "missed",
            None => "none",
        };
        let label = figure
            .percent
            .map_or_else(|| "-".to_string(), |p| format!("{p}%"));
        let _ = write!(
            svg,
            "<rect class=\"bar {class}\" x=\"{x}\" y=\"{y}\" width=\"{BAR}\" height=\"{}\">\
             <title>{}: {}</title></rect>\
             <text x=\"{}\" y=\"{}\" class=\"value\">{label}</text>\
             <text x=\"{}\" y=\"{}\" class=\"group\">{}</text>",
            TOP + HEIGHT - y,
            escape(&group(figure)),
            escape(&label),
            x + BAR / 2,
            y.saturating_sub(4),
            x + BAR / 2,
            TOP + HEIGHT + 16,
            escape(&group(figure)),
        );
    }
    let ty = scale(target_tenths);
    let _ = write!(
        svg,
        "<line class=\"target\" x1=\"40\" y1=\"{ty}\" x2=\"{width}\" y2=\"{ty}\"/>\
         <text class=\"target-label\" x=\"2\" y=\"{}\">{}</text></svg>",
        ty + 4,
        escape(&target_text(indicator.target)),
    );
    svg
}

const STYLE: &str = "body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}\
section{border-top:1px solid #ccc;padding:1em 0}\
.bar.met{fill:#2e7d32}.bar.missed{fill:#c62828}.bar.none{fill:#9e9e9e}\
.target{stroke:#1565c0;stroke-width:2;stroke-dasharray:6 4}.axis{stroke:#555}\
.value,.group{font-size:12px;text-anchor:middle}.target-label{font-size:11px;fill:#1565c0}\
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}\
.met-text{color:#2e7d32}.missed-text{color:#c62828}";

/// The report as one HTML file that needs nothing else: styles and charts inline.
pub fn html(report: &Report) -> String {
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>政务服务事项指标 {0}</title><style>{STYLE}</style></head><body>\
         <h1>政务服务事项指标</h1><p>现行事项（{0}）</p>",
        report.on
    );
    for indicator in &report.indicators {
        let clause = &indicator.clause;
        let _ = write!(
            out,
            "<section id=\"{}\"><h2>{} <small>{}</small></h2>\
             <p><q>{}</q> — {} {}</p><p>计算：{}</p>{}<table><tr><th>范围</th><th>分子/分母</th>\
             <th>比例</th><th>结果</th><th>拉低指标的事项</th></tr>",
            escape(&indicator.id),
            escape(&indicator.name),
            escape(&target_text(indicator.target)),
            escape(&clause.text),
            escape(&clause.document),
            escape(&clause.clause),
            escape(&indicator.measure),
            chart(indicator),
        );
        for figure in &indicator.figures {
            let class = match figure.met {
                Some(true) => "met-text",
                Some(false) => "missed-text",
                None => "",
            };
            let pulls: Vec<String> = figure
                .pulling_down
                .iter()
                .map(|p| escape(&format!("{} {}: {}", p.code, p.name, p.why)))
                .collect();
            let example = if figure.illustrative > 0 {
                format!("（示例：{} 项按示例标记计入）", figure.illustrative)
            } else {
                String::new()
            };
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}/{}</td><td>{}</td><td class=\"{class}\">{}{example}</td><td>{}</td></tr>",
                escape(&group(figure)),
                figure.numerator.normalize(),
                figure.denominator,
                figure
                    .percent
                    .map_or_else(|| "-".to_string(), |p| format!("{p}%")),
                escape(&verdict(indicator, figure)),
                pulls.join("<br>"),
            );
        }
        out.push_str("</table></section>");
    }
    out.push_str("</body></html>\n");
    out
}
