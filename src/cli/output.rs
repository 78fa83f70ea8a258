//! What the command prints: text for a person (escaped for the terminal), JSON for programs,
//! and the summary of each command.
use risksheet::error::Lang;
use risksheet::ops::convert::{Report as ConvertReport, Status};
use risksheet::ops::inspect::Inspection;
use risksheet::ops::ipa::fill::FillSummary;
use risksheet::ops::ipa::infer::Role;
use risksheet::ops::soa::{Report as SoaReport, Source};
use risksheet::xlsx::SaveReport;

/// Writes text output to standard output, whatever a terminal would act on in it (ESC in a sheet
/// name) shown escaped, reporting a closed pipe as an error instead of panicking.
pub(crate) fn say(text: impl std::fmt::Display) -> risksheet::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{}", risksheet::error::shown_lines(&text.to_string()))?;
    Ok(())
}

/// Writes machine-readable output (JSON, TOML) as it is: its format escapes what it must, and a
/// string in it keeps every character.
pub(crate) fn say_raw(text: &str) -> risksheet::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

/// Writes a value as pretty JSON (see [`say_raw`]).
pub(crate) fn say_json(value: &impl serde::Serialize) -> risksheet::Result<()> {
    say_raw(&serde_json::to_string_pretty(value).unwrap_or_default())
}

/// A few lines for people: what was filled, what needs attention.
pub(crate) fn fill_summary(s: &FillSummary, saved: &SaveReport, dry_run: bool, l: Lang) -> String {
    let sep = l.pick("、", ", ");
    // Filled before and nothing changed since: the file is written byte for byte as it was.
    let unchanged = !dry_run && saved.parts_changed.is_empty() && saved.parts_removed.is_empty();
    // A workbook of a register alone counts its risks, not assets.
    let register_only = s.assets == 0 && s.register.is_some();
    let what = match (&s.register, l) {
        (Some(r), Lang::Ja) if register_only => format!("リスク {} 件", r.risks),
        (Some(r), Lang::En) if register_only => format!("{} risks", r.risks),
        (_, Lang::Ja) => format!("資産 {} 件", s.assets),
        (_, Lang::En) => format!("{} assets", s.assets),
    };
    let mut out = match (l, unchanged) {
        (Lang::Ja, false) => format!("{}: {what}を計算（{}）、{} セルを書き込み", saved.file, s.edition, saved.cells_written.len()),
        (Lang::Ja, true) => format!("{}: {what}を計算（{}）、結果は前回と同じです（変更なし）", saved.file, s.edition),
        (Lang::En, false) => format!("{}: {what} computed ({}), {} cells written", saved.file, s.edition, saved.cells_written.len()),
        (Lang::En, true) => format!("{}: {what} computed ({}), results as before (nothing changed)", saved.file, s.edition),
    };
    if dry_run {
        out += l.pick("（試行のみ。保存していません）", " (dry run: nothing saved)");
    }
    if !s.high_risk_assets.is_empty() {
        // The assets' names under the heading (「社員名簿」, not 「社員名簿 (リスク大)」), when the
        // records are at hand.
        let names: Vec<String> =
            if s.high_risk.len() == s.high_risk_assets.len() { s.high_risk.iter().map(|a| a.name.clone()).collect() } else { s.high_risk_assets.clone() };
        let listed = &names[..names.len().min(risksheet::ops::ipa::MAX_LISTED_ASSETS)];
        out += &format!("\n{}: {}", l.pick("リスク大", "high risk"), listed.join(sep));
        let more = names.len() - listed.len();
        if more > 0 {
            out += &match l {
                Lang::Ja => format!("{sep}ほか {more} 件"),
                Lang::En => format!("{sep}and {more} more"),
            };
        }
    }
    // A workbook of a register or a self check alone has no chapters to select.
    if !register_only && (s.assets > 0 || s.self_check.is_none()) {
        out += &format!("\n{}: {}", l.pick("策定するポリシー", "chapters to write"), s.chapters_selected.join(sep));
    }
    if let Some(sc) = &s.self_check {
        out += &format!("\n{}", sc.line(l));
    }
    if let Some(r) = &s.register {
        let m = &r.summary;
        out += &match l {
            Lang::Ja => format!(
                "\n{}: リスク {} 件、受容基準を超える {} 件（リスク対応未選択 {} 件、対応計画なし {} 件）、集計は「{}」",
                r.sheet, m.risks, m.above_acceptance, m.untreated, m.unplanned, r.summary_sheet
            ),
            Lang::En => format!(
                "\n{}: {} risks, {} above the acceptance level ({} without a treatment, {} without a plan row); counts on “{}”",
                r.sheet, m.risks, m.above_acceptance, m.untreated, m.unplanned, r.summary_sheet
            ),
        };
    }
    if !s.not_evaluated.is_empty() {
        let total: usize = s.not_evaluated.iter().map(|n| n.assets).sum();
        let why: Vec<String> = s.not_evaluated.iter().map(|n| n.text(l)).collect();
        out += &match l {
            Lang::Ja => format!("\nリスク値を計算できなかった資産: {total} 件（{}）", why.join("、")),
            Lang::En => format!("\nassets without a risk value: {total} ({})", why.join("; ")),
        };
    }
    list_lines(&mut out, l, l.pick("表記を統一", "normalized"), &s.normalized);
    list_lines(&mut out, l, l.pick("要確認", "check"), &s.warnings);
    list_lines(&mut out, l, l.pick("要確認", "check"), &s.facts_to_check);
    out
}

/// The most lines of one kind the summary prints; `--json` has them all.
const MAX_SUMMARY_LINES: usize = 20;

/// One line per item under a label, the first [`MAX_SUMMARY_LINES`] of them, then how many more.
fn list_lines(out: &mut String, l: Lang, label: &str, items: &[impl std::fmt::Display]) {
    for item in items.iter().take(MAX_SUMMARY_LINES) {
        *out += &format!("\n{label}: {item}");
    }
    if items.len() > MAX_SUMMARY_LINES {
        let more = items.len() - MAX_SUMMARY_LINES;
        *out += &match l {
            Lang::Ja => format!("\n{label}: ほか {more} 件（全件は --json で出力されます）"),
            Lang::En => format!("\n{label}: {more} more (--json lists them all)"),
        };
    }
}

/// The text summary of a conversion.
pub(crate) fn convert_summary(r: &ConvertReport, saved: &SaveReport, dry_run: bool, lang: Lang) -> String {
    let mut s = String::new();
    for ch in &r.changes {
        let mark = match ch.status {
            Status::Converted => "",
            Status::Review => lang.pick("【要確認】", "[review] "),
        };
        let detail = if ch.status == Status::Review { ch.note.clone() } else { format!("{} → {}", ch.old.replace('\n', " "), ch.new.replace('\n', " ")) };
        s.push_str(&format!("{}!{}\t{mark}{detail}\n", ch.sheet, ch.cell));
    }
    s.push_str(&format!(
        "{}: {} {}, {} {}{}",
        saved.file,
        r.converted,
        lang.pick("セルを変換", "cells converted"),
        r.review,
        lang.pick("セルは要確認", "cells to review"),
        if dry_run { lang.pick("（保存していません）", " (not saved)") } else { "" }
    ));
    if let Some(t) = &r.trail_sheet {
        s.push_str(&format!("; {} 「{t}」", lang.pick("記録シート", "trail sheet")));
    }
    if let Some(d) = &r.source {
        s.push('\n');
        s.push_str(&d.describe(lang));
    }
    s
}

/// The text summary of `soa` (risksheet::ops::soa::build_soa).
pub(crate) fn soa_summary(r: &SoaReport, lang: Lang) -> String {
    let src = match &r.source {
        Source::LegacySoa { sheet } => format!("{}「{sheet}」", lang.pick("旧適用宣言書", "legacy SoA ")),
        Source::RiskSheet => lang.pick("リスク分析シートの管理策", "controls cited in the risk sheet").to_string(),
    };
    let mut s = String::new();
    for u in &r.unreadable {
        s.push_str(&format!(
            "{}: {}!{}「{}」: {}\n",
            lang.pick("要確認", "to review"),
            risksheet::error::shown(&u.sheet),
            u.cell,
            risksheet::error::shown(&u.text),
            u.reason
        ));
    }
    s.push_str(&format!(
        "{}: {} {} ({}: {src}, {} {}, {} {})",
        r.file,
        r.rows.len(),
        lang.pick("管理策の適用宣言書を作成しました", "controls in the new Statement of Applicability"),
        lang.pick("元", "from"),
        r.prefilled,
        lang.pick("件を転記", "prefilled"),
        r.new_controls,
        lang.pick("件は2022新規で要検討", "new in 2022 to review"),
    ));
    if !r.unreadable.is_empty() {
        s.push_str(&format!("\n{} {}", r.unreadable.len(), lang.pick("件の旧い値は要確認です（上に一覧）", "legacy values to review (listed above)")));
    }
    if let Some(d) = &r.source_edition {
        s.push('\n');
        s.push_str(&d.describe(lang));
    }
    s
}

/// The text summary of `edit`.
pub(crate) fn edit_summary(report: &SaveReport, dry_run: bool, l: Lang) -> String {
    format!(
        "{}: {} {}, {} {}{}",
        report.file,
        report.cells_written.len(),
        l.pick("セルを変更", "cells written"),
        report.formulas_affected.len(),
        l.pick("個の数式を再計算対象に", "formulas to recalculate"),
        if dry_run { l.pick("（試行のみ。保存していません）", " (dry run: nothing saved)") } else { "" }
    )
}

/// The text of `inspect`: the sheets, what was found where and why, the assets, chapters and
/// facts.
pub(crate) fn inspect_text(r: &Inspection, lang: Lang) -> String {
    let mut s = format!("{}\n", r.file);
    if let Some(a) = &r.ipa {
        s += &format!("  {}: {}\n", lang.pick("プロファイル", "profile"), a.edition);
    }
    s += &format!(
        "  {} {} {} {} {} {}\n",
        pad(lang.pick("シート", "sheet"), 24),
        pad_left(lang.pick("範囲", "dimension"), 12),
        pad_left(lang.pick("セル", "cells"), 8),
        pad_left(lang.pick("数式", "formulas"), 8),
        pad_left(lang.pick("入力規則", "valid."), 8),
        pad_left(lang.pick("結合", "merges"), 8)
    );
    for sh in &r.sheets {
        s += &format!(
            "  {} {:>12} {:>8} {:>8} {:>8} {:>8}\n",
            pad(&sh.name, 24),
            sh.dimension.clone().unwrap_or_default(),
            sh.cells,
            sh.formulas,
            sh.validations,
            sh.merges
        );
    }
    if let Some(e) = &r.ipa_error {
        s += &format!("\n  {}: {e}\n", lang.pick("リスク分析シートとしては読めません", "not read as a risk analysis workbook"));
    }
    if let Some(a) = &r.ipa {
        let r = &a.layout.sheets;
        let show = |x: &Option<String>| x.clone().unwrap_or_else(|| lang.pick("（見つかりません）", "(not found)").to_string());
        s += &format!(
            "\n  {}: {} / {}: {} / {}: {} / {}: {}\n",
            lang.pick("台帳", "ledger"),
            show(&r.ledger),
            lang.pick("脅威", "threats"),
            show(&r.threats),
            lang.pick("チェック", "checklist"),
            show(&r.checklist),
            lang.pick("診断結果", "result"),
            show(&r.result)
        );
        // Where each field was found and why: what a user checks before trusting the results.
        let lay = &a.layout;
        for t in lay.tables() {
            let name = match t.role {
                Role::Ledger => lang.pick("台帳", "ledger"),
                Role::Threats => lang.pick("脅威", "threats"),
                Role::Checklist => lang.pick("チェック", "checklist"),
                Role::Result => lang.pick("診断結果", "result"),
                Role::Inventory => lang.pick("資産目録", "inventory"),
                Role::Register => lang.pick("リスク一覧", "register"),
                Role::Plan => lang.pick("対応計画", "plan"),
                Role::SelfCheck => lang.pick("自社診断", "self check"),
            };
            s += &format!("  {name}: {} {} {}\n", t.sheet, lang.pick("見出し行", "header row"), t.header_row);
            // Each field in the user's words (the header the profile looks for), then the
            // workbook's own header where it was found.
            for e in t.evidence {
                let label = if e.label.get(lang).is_empty() { e.field } else { e.label.get(lang) };
                s += &format!("    {} {:<3} {:<6} 「{}」 {:.2}  {}\n", pad(label, 22), e.column, e.header_cell, e.header, e.score, e.evidence);
            }
        }
        for amb in &lay.ambiguities {
            s += &format!("  ? {}!{}: {}\n", amb.sheet, amb.cell, amb.message);
        }
        if let Some(reg) = &a.register {
            s += &register_text(reg, &a.profile, lang);
        }
        // A workbook of a register alone has no IPA results to show.
        if a.layout.ledger.is_some() || a.register.is_none() {
            s += &format!(
                "\n  {}\n",
                lang.pick("情報資産（重要度・脅威・脆弱性・可能性・リスク値）", "assets (importance, threat, vulnerability, likelihood, risk)")
            );
            let show = |v: Option<u8>| v.map_or("-".to_string(), |x| x.to_string());
            for x in &a.assets {
                s += &format!(
                    "  {:>4} {} {} {} {} {} {} {} {}\n",
                    x.row,
                    pad(&x.name, 24),
                    pad(x.medium.as_deref().unwrap_or_default(), 12),
                    show(x.importance),
                    show(x.threat),
                    show(x.vulnerability),
                    show(x.likelihood),
                    x.risk.map_or("-".into(), |v| v.to_string()),
                    x.band.clone().unwrap_or_default()
                );
            }
            s += &format!("\n  {}\n", lang.pick("ポリシー（策定の必要性・実施率・判定）", "policy chapters (need, rate, decision)"));
            s += &format!("  {}\n", need_marks(lang));
            for c in &a.chapters {
                let rate = c.rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0));
                let verdict = if c.selected { lang.pick("策定する", "write") } else { lang.pick("該当なし", "n/a") };
                s += &format!("  {:>2} {} {} {:>7} {}\n", c.number, pad(c.title_in(&a.profile, lang), 44), c.need, rate, verdict);
            }
            s += &format!("\n  {}\n", lang.pick("会社の状況", "company facts"));
            for line in a.facts.lines(lang) {
                s += &format!("  {line}\n");
            }
        }
        if let Some(sc) = &a.self_check {
            s += &format!("\n  {}\n", sc.line(lang));
        }
        for w in &a.warnings {
            s += &format!("  ! {w}\n");
        }
        for f in a.facts.to_check(lang) {
            s += &format!("  ! {}: {f}\n", lang.pick("要確認", "to check"));
        }
    }
    s
}

/// What the marks of a chapter's need mean, said once where they are printed.
fn need_marks(lang: Lang) -> &'static str {
    lang.pick(
        "（◎ すべての企業に必要、○ 実施率や会社の状況によって必要）",
        "(◎ needed by every company, ○ needed depending on the implementation rate or the company's situation)",
    )
}

/// The risks and plan rows of a register, one line each, and the counts.
fn register_text(reg: &risksheet::ops::register::Register, p: &risksheet::profile::Profile, lang: Lang) -> String {
    let show = |v: Option<u32>| v.map_or("-".to_string(), |x| x.to_string());
    let factors: Vec<&str> = p.register.as_ref().map(|r| r.factors.iter().map(|f| f.header.text_in(lang)).collect()).unwrap_or_default();
    let sep = lang.pick("・", ", ");
    let columns = [
        "No".to_string(),
        lang.pick("資産", "asset").to_string(),
        p.headers.register.importance.text_in(lang).to_string(),
        factors.join(sep),
        p.headers.register.level.text_in(lang).to_string(),
        p.headers.register.priority.text_in(lang).to_string(),
        lang.pick("リスク対応", "treatment").to_string(),
    ];
    let mut s = match lang {
        Lang::Ja => format!("\n  リスク（{} → 二次評価）\n", columns.join(sep)),
        Lang::En => format!("\n  risks ({} → after treatment)\n", columns.join(sep)),
    };
    for r in &reg.risks {
        let fs: Vec<String> = p
            .register
            .iter()
            .flat_map(|rule| rule.factors.iter())
            .map(|f| r.factors.get(&f.key).copied().flatten().map_or("-".into(), |v| v.to_string()))
            .collect();
        s += &format!(
            "  {:>4} {:<4} {} {} {} {} {} {} → {}\n",
            r.row,
            r.no,
            pad(&r.asset, 24),
            show(r.importance),
            fs.join(" "),
            show(r.level),
            r.priority.clone().unwrap_or_else(|| "-".into()),
            if r.treatment.is_empty() { "-".to_string() } else { r.treatment.join("・") },
            show(r.residual_level)
        );
    }
    if !reg.plan.is_empty() {
        s += &format!("\n  {}\n", lang.pick("リスク対応計画（管理策・タスク・担当・ステータス）", "treatment plan (control, task, owner, status)"));
        for row in &reg.plan {
            s += &format!(
                "  {:>4} {} {} {} {}\n",
                row.row,
                pad(&row.control, 30),
                pad(&row.task, 20),
                pad(&row.owner, 10),
                row.status.clone().unwrap_or_else(|| "-".into())
            );
        }
    }
    let m = &reg.summary;
    s += &match lang {
        Lang::Ja => format!(
            "  リスク {} 件、受容基準を超える {} 件（リスク対応未選択 {} 件、対応計画なし {} 件）\n",
            m.risks, m.above_acceptance, m.untreated, m.unplanned
        ),
        Lang::En => format!(
            "  {} risks, {} above the acceptance level ({} without a treatment, {} treated without a plan row)\n",
            m.risks, m.above_acceptance, m.untreated, m.unplanned
        ),
    };
    s
}

/// `text` right-aligned in `width` columns as a terminal shows them (a CJK character takes two).
fn pad_left(text: &str, width: usize) -> String {
    let w = risksheet::text::display_width(text);
    " ".repeat(width.saturating_sub(w)) + text
}

/// `text` padded with spaces to `width` columns as a terminal shows them (a CJK character takes
/// two), cut with … when longer.
fn pad(text: &str, width: usize) -> String {
    use risksheet::text::display_width;
    let mut out = String::new();
    for ch in text.chars() {
        if display_width(&out) + display_width(&ch.to_string()) > width.saturating_sub(1) && display_width(text) > width {
            out.push('…');
            break;
        }
        out.push(ch);
    }
    let w = display_width(&out);
    out + &" ".repeat(width.saturating_sub(w))
}
