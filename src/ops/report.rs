//! `report`: the risk analysis of a workbook as a document for people — the assets ranked by
//! risk, the figures per medium and per area, and the policy chapters the company must write with
//! the reasons — in Markdown or as a standalone HTML page.
//!
//! ```no_run
//! use risksheet::ops::{ipa, report};
//! let mut wb = risksheet::xlsx::Workbook::open("workbooks/example-ipa-3.xlsx")?;
//! let analysis = ipa::analyze(&mut wb, None)?;
//! let md = report::render(&analysis, report::Format::Markdown, risksheet::Lang::Ja);
//! assert!(md.contains("リスク大"));
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::domain::risk::HeatMap;
use crate::error::Lang;
use crate::ops::ipa::Analysis;
use std::path::Path;

pub mod svg;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown (GitHub flavour tables).
    Markdown,
    /// One HTML page with its own styles, printable.
    Html,
}

impl Format {
    /// The format a file name asks for: `.html`/`.htm` → HTML, anything else Markdown.
    pub fn for_path(path: &Path) -> Format {
        path.extension().and_then(|e| e.to_str()).and_then(Format::from_name).unwrap_or(Format::Markdown)
    }

    /// The format of a name or file extension (`md`, `markdown`, `html`, `htm`, any case), if it is
    /// one.
    ///
    /// ```
    /// use risksheet::ops::report::Format;
    /// assert_eq!(Format::from_name("HTML"), Some(Format::Html));
    /// assert_eq!(Format::from_name("pdf"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// A document built as blocks, written out in either format.
enum Block {
    Title(String),
    Heading(String),
    Para(String),
    Table(Vec<String>, Vec<Vec<String>>),
    List(Vec<String>),
    /// The risk map: a picture in HTML, a table in Markdown.
    HeatMap(HeatMap),
    /// Bars of a rate per row (title, rows, the text of a row without a rate): HTML only, as the
    /// table beside them holds the same figures.
    Bars(String, Vec<(String, Option<f64>)>, String),
}

fn pct(rate: Option<f64>) -> String {
    rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0))
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

fn blocks(an: &Analysis, l: Lang) -> Vec<Block> {
    let mut b = vec![Block::Title(l.pick("情報セキュリティ リスク分析レポート", "Information security risk analysis report").into())];
    // Sections are numbered as they come: a workbook may hold the IPA analysis, a register, or both.
    let mut n = 0;
    let mut heading = |ja: &str, en: &str| {
        n += 1;
        Block::Heading(format!("{n}. {}", l.pick(ja, en)))
    };
    let ipa = an.layout.ledger.is_some() || (an.register.is_none() && an.self_check.is_none());
    if ipa {
        ipa_blocks(an, l, &mut b, &mut heading);
    }
    if let Some(reg) = &an.register {
        register_blocks(reg, &an.profile, l, &mut b, &mut heading);
    }
    if let (Some(sc), Some(rule)) = (&an.self_check, &an.profile.self_check) {
        b.push(heading("情報セキュリティ自社診断", "Information security self check"));
        b.extend(self_check_blocks(sc, rule, &an.profile, l));
    }
    let to_check: Vec<String> = an.warnings.iter().map(|w| w.to_string()).chain(if ipa { an.facts.to_check(l) } else { Vec::new() }).collect();
    if !to_check.is_empty() {
        b.push(heading("確認が必要な入力", "Inputs to check"));
        b.push(Block::List(to_check));
    }
    b
}

fn ipa_blocks(an: &Analysis, l: Lang, b: &mut Vec<Block>, heading: &mut dyn FnMut(&str, &str) -> Block) {
    let high: Vec<_> = an.assets.iter().filter(|a| a.high).collect();
    let selected: Vec<_> = an.chapters.iter().filter(|c| c.selected).collect();
    b.push(Block::Para(format!(
        "{}: {} / {}: {} / {}: {} / {}: {}",
        l.pick("プロファイル", "Profile"),
        an.edition,
        l.pick("情報資産", "Assets"),
        an.assets.len(),
        l.pick("リスク大", "High risk"),
        high.len(),
        l.pick("策定するポリシー", "Policy chapters to write"),
        selected.len()
    )));

    b.push(heading("重点的に対策すべき情報資産", "Assets to treat first"));
    let mut ranked: Vec<_> = an.assets.iter().collect();
    ranked.sort_by(|x, y| y.risk.cmp(&x.risk).then(x.row.cmp(&y.row)));
    let head = [
        l.pick("行", "Row"),
        l.pick("情報資産名称", "Asset"),
        l.pick("媒体・保存先", "Medium"),
        l.pick("重要度", "Importance"),
        l.pick("脅威", "Threat"),
        l.pick("脆弱性", "Vulnerability"),
        l.pick("被害発生可能性", "Likelihood"),
        l.pick("リスク値", "Risk"),
        l.pick("評価", "Band"),
    ];
    let rows = ranked
        .iter()
        .map(|a| {
            vec![
                a.row.to_string(),
                a.name.clone(),
                a.medium.clone().unwrap_or_default(),
                num(a.importance),
                num(a.threat),
                num(a.vulnerability),
                num(a.likelihood),
                num(a.risk),
                a.band.clone().unwrap_or_default(),
            ]
        })
        .collect();
    b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));
    b.push(Block::HeatMap(HeatMap::new(an.assets.iter().filter_map(|a| Some((a.importance?, a.likelihood?))), &an.profile)));

    b.push(heading("媒体ごとの脅威と脆弱性", "Threat and vulnerability by medium"));
    let head = [l.pick("媒体・保存先", "Medium"), l.pick("脅威の発生頻度", "Threat"), l.pick("対策の実施率", "Rate"), l.pick("脆弱性", "Vulnerability")];
    let rows = an.media.iter().map(|m| vec![m.name.clone(), num(m.threat), pct(m.rate), num(m.vulnerability)]).collect();
    b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));

    b.push(heading("対策の種類ごとの実施率", "Implementation rate by area"));
    let na = l.pick("該当なし", "n/a");
    let bars = an.groups.iter().map(|g| (g.name.clone(), if g.not_applicable { None } else { g.rate })).collect();
    b.push(Block::Bars(l.pick("対策の種類ごとの実施率", "Implementation rate by area").into(), bars, na.into()));
    let head = [l.pick("対策の種類", "Area"), l.pick("実施率", "Rate"), l.pick("未回答", "Unanswered")];
    let rows = an
        .groups
        .iter()
        .map(|g| {
            let rate = if g.not_applicable { l.pick("該当なし", "n/a").to_string() } else { pct(g.rate) };
            vec![g.name.clone(), rate, g.unanswered.to_string()]
        })
        .collect();
    b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));

    b.push(heading("策定する情報セキュリティポリシー", "Policy chapters to write"));
    let head = [l.pick("章", "Chapter"), l.pick("必要性", "Need"), l.pick("実施率", "Rate"), l.pick("判定", "Decision"), l.pick("理由", "Why")];
    let rows = an
        .chapters
        .iter()
        .map(|c| {
            let verdict = if c.selected { l.pick("策定する", "write") } else { l.pick("該当なし", "n/a") };
            vec![format!("{} {}", c.number, c.title_in(&an.profile, l)), c.need.clone(), pct(c.rate), verdict.to_string(), c.reasons.join(" / ")]
        })
        .collect();
    b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));

    b.push(heading("会社の状況", "Company facts"));
    b.push(Block::List(an.facts.lines(l)));
}

/// The register's risks, highest level first, its plan and its counts.
fn register_blocks(
    reg: &crate::ops::register::Register,
    p: &crate::profile::Profile,
    l: Lang,
    b: &mut Vec<Block>,
    heading: &mut dyn FnMut(&str, &str) -> Block,
) {
    let factors: Vec<&crate::profile::Factor> = p.register.iter().flat_map(|r| r.factors.iter()).collect();
    let h = &p.headers.register;
    let m = &reg.summary;
    b.push(Block::Para(match l {
        Lang::Ja => format!(
            "プロファイル: {} / リスク: {} / 受容基準を超える: {}（リスク対応未選択 {}、対応計画なし {}）",
            p.id, m.risks, m.above_acceptance, m.untreated, m.unplanned
        ),
        Lang::En => format!(
            "Profile: {} / Risks: {} / Above the acceptance level: {} ({} without a treatment, {} without a plan row)",
            p.id, m.risks, m.above_acceptance, m.untreated, m.unplanned
        ),
    }));
    b.push(heading("リスクと対応（リスクレベルの高い順）", "Risks and their treatment (highest level first)"));
    let mut head: Vec<String> = vec!["No".into(), l.pick("資産", "Asset").into(), l.pick("事象", "Event").into(), h.importance.text_in(l).into()];
    head.extend(factors.iter().map(|f| f.header.text_in(l).to_string()));
    head.extend(
        [
            h.level.text_in(l),
            h.priority.text_in(l),
            l.pick("リスク対応", "Treatment"),
            h.controls.text_in(l),
            h.response.text_in(l),
            l.pick("二次評価", "After treatment"),
        ]
        .map(String::from),
    );
    let mut ranked: Vec<_> = reg.risks.iter().collect();
    ranked.sort_by(|x, y| y.level.cmp(&x.level).then(x.row.cmp(&y.row)));
    let rows = ranked
        .iter()
        .map(|r| {
            let mut row = vec![r.no.clone(), r.asset.clone(), r.event.clone(), num(r.importance)];
            row.extend(factors.iter().map(|f| num(r.factors.get(&f.key).copied().flatten())));
            let priority = match (&r.priority, &r.priority_advice) {
                (Some(p), Some(a)) if !a.is_empty() && a != p => format!("{p} {a}"),
                (p, _) => p.clone().unwrap_or_else(|| "-".into()),
            };
            row.extend([
                num(r.level),
                priority,
                r.treatment.join(l.pick("・", ", ")),
                r.controls.clone(),
                r.response.clone().unwrap_or_default(),
                num(r.residual_level),
            ]);
            row
        })
        .collect();
    b.push(Block::Table(head, rows));
    b.push(heading("優先順位ごとのリスク数", "Risks by priority"));
    let head = [l.pick("優先順位", "Priority"), l.pick("一次評価", "Before treatment"), l.pick("二次評価", "After treatment")].map(String::from).to_vec();
    let rows = m.by_priority.iter().zip(&m.by_residual_priority).map(|(a, z)| vec![a.0.clone(), a.1.to_string(), z.1.to_string()]).collect();
    b.push(Block::Table(head, rows));
    if !reg.plan.is_empty() {
        b.push(heading("リスク対応計画", "Risk treatment plan"));
        let ph = &p.headers.plan;
        let head = [ph.control.text_in(l), ph.task.text_in(l), ph.owner.text_in(l), ph.planned_end.text_in(l), ph.actual_end.text_in(l), ph.status.text_in(l)]
            .map(String::from)
            .to_vec();
        let rows = reg
            .plan
            .iter()
            .map(|r| vec![r.control.clone(), r.task.clone(), r.owner.clone(), r.dates[1].clone(), r.dates[3].clone(), r.status.clone().unwrap_or_default()])
            .collect();
        b.push(Block::Table(head, rows));
        let counts: Vec<String> = m.plan.iter().map(|(label, c)| format!("{label} {c}")).collect();
        b.push(Block::Para(format!("{}: {} / {}: {}", l.pick("進捗", "Progress"), counts.join(" / "), l.pick("完了率", "Finished"), pct(m.plan_done))));
    }
}

/// The self check: the total, its band and subtotals, then each item below full
/// points with the policy chapter of the risk analysis that covers it.
fn self_check_blocks(sc: &crate::ops::self_check::SelfCheckResult, rule: &crate::profile::SelfCheckRule, p: &crate::profile::Profile, l: Lang) -> Vec<Block> {
    let mut b = vec![Block::Para(sc.line(l))];
    let total = |x: f64| crate::xlsx::value::format_number(x);
    let head = [l.pick("区分", "Part"), l.pick("点数", "Points"), l.pick("満点", "Full marks")];
    let mut rows: Vec<Vec<String>> = sc
        .parts
        .iter()
        .map(|part| vec![rule.part(part.number).map_or(part.name.clone(), |x| x.name_in(l).to_string()), total(part.subtotal), total(part.max)])
        .collect();
    rows.push(vec![l.pick("合計", "Total").to_string(), total(sc.total), sc.max_total.to_string()]);
    b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));
    let full = f64::from(rule.answers.iter().map(|a| a.points).max().unwrap_or(0));
    let weak = sc.weak_items(full);
    if !weak.is_empty() {
        let head = [
            l.pick("No", "No."),
            l.pick("診断内容", "Question"),
            l.pick("回答", "Answer"),
            l.pick("点数", "Points"),
            l.pick("対応するポリシー", "Policy chapter"),
        ];
        let rows = weak
            .iter()
            .map(|i| {
                let item = rule.item(i.number);
                let chapter = item.and_then(|x| p.find_chapter(&x.chapter)).map_or(i.chapter.clone(), |c| format!("{} {}", c.number, c.title_in(l)));
                let answer = if i.answer.is_empty() { l.pick("未回答", "unanswered").to_string() } else { i.answer.clone() };
                vec![i.number.to_string(), item.map_or(String::new(), |x| x.text_in(l).to_string()), answer, i.points.map_or("-".into(), total), chapter]
            })
            .collect();
        b.push(Block::Table(head.iter().map(|s| s.to_string()).collect(), rows));
    }
    b
}

/// Text for Markdown, where workbook text (an asset named `<script>`, `[x](javascript:…)`, a
/// `|` that would split a table cell) must show as text: the characters HTML and Markdown read
/// as markup escaped, line breaks as spaces (a table row and a list item are one line), and what
/// a terminal would act on shown escaped ([`crate::error::shown`]).
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in crate::error::shown(&s.replace(['\r', '\n'], " ")).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The risk map as a Markdown table: importance down the side, likelihood along the top, the
/// band of each cell after its count.
fn heat_map_markdown(map: &HeatMap, p: &crate::profile::Profile, l: Lang) -> String {
    let mut out = format!("{}\n\n| {} |", crate::ops::looks::heat_map_title(l), l.pick("重要度 ＼ 被害発生可能性", "Importance / likelihood"));
    for &lik in &map.likelihood {
        out += &format!(" {} |", md_text(&crate::ops::looks::likelihood_heading(p, lik, l)));
    }
    out += &format!("\n|{}\n", "---|".repeat(map.likelihood.len() + 1));
    for (i, imp) in map.importance.iter().enumerate() {
        out += &format!("| {imp} |");
        for (j, n) in map.counts[i].iter().enumerate() {
            let band = map.band(i, j, p).map_or(String::new(), |b| format!(" ({})", md_text(b.label_in(l))));
            out += &format!(" {n}{band} |");
        }
        out += "\n";
    }
    out + "\n"
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Renders the report in `l`.
pub fn render(an: &Analysis, format: Format, l: Lang) -> String {
    let blocks = blocks(an, l);
    let mut out = String::new();
    match format {
        Format::Markdown => {
            for b in blocks {
                match b {
                    Block::Title(t) => out += &format!("# {}\n\n", md_text(&t)),
                    Block::Heading(t) => out += &format!("## {}\n\n", md_text(&t)),
                    Block::Para(t) => out += &format!("{}\n\n", md_text(&t)),
                    Block::Table(head, rows) => {
                        out += &format!("| {} |\n", head.iter().map(|h| md_text(h)).collect::<Vec<_>>().join(" | "));
                        out += &format!("|{}\n", "---|".repeat(head.len()));
                        for r in rows {
                            out += &format!("| {} |\n", r.iter().map(|c| md_text(c)).collect::<Vec<_>>().join(" | "));
                        }
                        out += "\n";
                    }
                    Block::List(items) => {
                        for i in items {
                            out += &format!("- {}\n", md_text(&i));
                        }
                        out += "\n";
                    }
                    Block::HeatMap(map) => out += &heat_map_markdown(&map, &an.profile, l),
                    Block::Bars(..) => {}
                }
            }
        }
        Format::Html => {
            let lang_attr = if l == Lang::Ja { "ja" } else { "en" };
            out += &format!("<!DOCTYPE html>\n<html lang=\"{lang_attr}\"><head><meta charset=\"utf-8\">");
            out += concat!(
                "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}",
                "th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top}th{background:#ddebf7}td.high{background:#ffc7ce}",
                "figure{margin:0 0 1.5em}svg.figure{max-width:100%;height:auto}",
                // Printed on A4: the page's own margins, figures and table rows kept whole, headings with what follows.
                "@page{size:A4;margin:15mm}",
                "@media print{body{margin:0;font-size:10pt}h1,h2{break-after:avoid}figure,tr{break-inside:avoid}thead{display:table-header-group}th{background:#ddebf7;-webkit-print-color-adjust:exact;print-color-adjust:exact}td.high,svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}}",
                "</style>"
            );
            let mut title_done = false;
            for b in blocks {
                match b {
                    Block::Title(t) => {
                        if !title_done {
                            out += &format!("<title>{}</title></head><body>", html_escape(&t));
                            title_done = true;
                        }
                        out += &format!("<h1>{}</h1>\n", html_escape(&t));
                    }
                    Block::Heading(t) => out += &format!("<h2>{}</h2>\n", html_escape(&t)),
                    Block::Para(t) => out += &format!("<p>{}</p>\n", html_escape(&t)),
                    Block::Table(head, rows) => {
                        out += "<table><tr>";
                        for h in &head {
                            out += &format!("<th>{}</th>", html_escape(h));
                        }
                        out += "</tr>\n";
                        let high_labels: Vec<String> =
                            an.profile.risk.bands.iter().filter(|x| x.high).flat_map(|x| [x.label.clone(), x.label_en.clone()]).collect();
                        for r in rows {
                            out += "<tr>";
                            for c in &r {
                                let class = if high_labels.contains(c) { " class=\"high\"" } else { "" };
                                out += &format!("<td{class}>{}</td>", html_escape(c));
                            }
                            out += "</tr>\n";
                        }
                        out += "</table>\n";
                    }
                    Block::List(items) => {
                        out += "<ul>";
                        for i in items {
                            out += &format!("<li>{}</li>", html_escape(&i));
                        }
                        out += "</ul>\n";
                    }
                    Block::HeatMap(map) => out += &format!("<figure>{}</figure>\n", svg::heat_map(&map, &an.profile, l)),
                    Block::Bars(title, rows, missing) => out += &format!("<figure>{}</figure>\n", svg::rate_bars(&title, &rows, &missing)),
                }
            }
            out += "</body></html>\n";
        }
    }
    out
}
