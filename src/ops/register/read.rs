//! Reading a register, its inventory and its plan from the tables the inference found, and
//! computing each risk.
use super::{Counts, InventoryAsset, PlanRow, Register, Risk, Source, Summary};
use crate::controls::Catalog;
use crate::domain::cell::parse_level;
use crate::domain::register::{assess, choice, is_marked, Treatment};
use crate::error::{Error, ErrorKind, Lang, Result};
use crate::lang::Message;
use crate::ops::ipa::infer::{treatment_key, Inferred, Role};
use crate::ops::ipa::layout::{Grid, Grids, TableLayout};
use crate::ops::ipa::read::Collector;
use crate::ops::ipa::{input, Warning};
use crate::profile::{Choice, Profile, RegisterRule, Scale};
use crate::text::{normalize_key, to_narrow};
use crate::xlsx::CellValue;
use std::collections::HashMap;

/// Rows of a table: from its first data row to the last row holding one of `cols`, where the
/// first blank stretch of [`MAX_GAP`] rows ends it.
fn rows(grid: &Grid, t: &TableLayout, cols: &[u32]) -> Vec<u32> {
    const MAX_GAP: u32 = 20;
    let mut out = Vec::new();
    let mut last = t.first_row.saturating_sub(1);
    for r in t.first_row..=grid.max_row {
        if cols.iter().any(|&c| !grid.own_value(r, c).is_blank()) {
            if r - last > MAX_GAP && !out.is_empty() {
                break;
            }
            out.push(r);
            last = r;
        }
    }
    out
}

/// A cell's text as shown: a whole number without `.0`, a date as `2026-04-01` when `date`.
fn shown(grid: &Grid, r: u32, c: Option<u32>, date: bool) -> String {
    let Some(c) = c else { return String::new() };
    match grid.own_value(r, c) {
        CellValue::Number(n) if date => crate::xlsx::value::excel_date(*n).unwrap_or_else(|| n.to_string()),
        CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        v => v.to_string().trim().to_string(),
    }
}

/// The numbers a 「資産目録のNo」 or 「リスクNo」 cell lists: `9`, `10, 11, 13`, `No.9・40`, full
/// width, as comparison keys.
fn numbers(text: &str) -> Vec<String> {
    to_narrow(text)
        .split(|c: char| matches!(c, ',' | '、' | '・' | '/' | ';' | '，') || c.is_whitespace())
        .map(|t| t.trim().trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '.').trim())
        .filter(|t| !t.is_empty())
        .map(no_key)
        .collect()
}

/// A No as a comparison key: `9`, `９`, `9.0` and `No.9` are one number.
pub(super) fn no_key(text: &str) -> String {
    let t = normalize_key(text);
    let t = t.trim_start_matches("no.").trim_start_matches("no");
    match t.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 => format!("{}", n as i64),
        _ => t.to_string(),
    }
}

fn level_error(cell: &str, scale: (u32, u32)) -> Error {
    Error::new(ErrorKind::InvalidValue {
        expected: Message::new(format!("{}〜{}の数値", scale.0, scale.1), format!("a number {}–{}", scale.0, scale.1)),
        found: cell.to_string(),
    })
}

/// A whole number on `lo..=hi` (an importance, which may exceed a `u8` scale for sums).
fn parse_number(grid: &Grid, r: u32, c: u32, (lo, hi): (u32, u32), out: &mut Collector) -> Option<u32> {
    let v = grid.own_value(r, c);
    if v.is_blank() {
        return None;
    }
    match crate::domain::cell::leading_number(input(v)).filter(|n| (lo..=hi).contains(n)) {
        Some(n) => {
            out.normalize(grid, r, c, CellValue::Number(f64::from(n)));
            Some(n)
        }
        None => {
            out.warn(&grid.sheet, r, c, &level_error(&v.to_string(), (lo, hi)));
            None
        }
    }
}

fn parse_factor(grid: &Grid, r: u32, c: Option<u32>, scale: Scale, out: &mut Collector) -> Option<u8> {
    let c = c?;
    match parse_level(input(grid.own_value(r, c)), scale) {
        Ok(Some(v)) => {
            out.normalize(grid, r, c, CellValue::Number(f64::from(v)));
            Some(v)
        }
        Ok(None) => None,
        Err(e) => {
            out.warn(&grid.sheet, r, c, &e);
            None
        }
    }
}

/// A word of a vocabulary; another text is a warning listing the words.
fn parse_word<'p>(grid: &Grid, r: u32, c: Option<u32>, words: &'p [Choice], wl: Lang, out: &mut Collector) -> Option<&'p Choice> {
    let c = c?;
    let text = grid.text(r, c);
    if text.trim().is_empty() {
        return None;
    }
    match choice(words, &text) {
        Some(w) => {
            out.normalize(grid, r, c, CellValue::Text(w.label_in(wl).to_string()));
            Some(w)
        }
        None => {
            let list = |l: Lang| words.iter().map(|w| w.label_in(l)).collect::<Vec<_>>().join(l.pick("／", " / "));
            let expected = Message::each(list);
            out.warn(&grid.sheet, r, c, &Error::new(ErrorKind::InvalidValue { expected, found: text }));
            None
        }
    }
}

fn read_inventory(grid: &Grid, t: &TableLayout, p: &Profile, rule: &RegisterRule, out: &mut Collector) -> Vec<InventoryAsset> {
    let key_cols: Vec<u32> = ["no", "asset"].iter().filter_map(|f| t.col(f)).collect();
    let mut assets = Vec::new();
    for r in rows(grid, t, &key_cols) {
        let cia = ["c", "i", "a"].map(|f| parse_factor(grid, r, t.col(f), p.cia, out));
        let importance = match cia {
            [Some(c), Some(i), Some(a)] => Some(rule.importance.apply(c, i, a)),
            _ => None,
        };
        assets.push(InventoryAsset { row: r, no: shown(grid, r, t.col("no"), false), name: shown(grid, r, t.col("asset"), false), cia, importance });
    }
    assets
}

/// The register's first (`residual == false`) or second evaluation of one row: importance,
/// factors, level and priority.
struct Evaluation {
    importance: Option<u32>,
    factors: Vec<Option<u8>>,
    level: Option<u32>,
    priority: Option<(String, String)>,
    needs_treatment: bool,
}

fn evaluate(importance: Option<u32>, factors: Vec<Option<u8>>, rule: &RegisterRule, wl: Lang) -> Result<Evaluation> {
    let mut e = Evaluation { importance, factors, level: None, priority: None, needs_treatment: false };
    let known: Option<Vec<u8>> = e.factors.iter().copied().collect();
    if let (Some(i), Some(f)) = (importance, known) {
        let a = assess(i, &f, rule)?;
        e.level = Some(a.level);
        e.priority = Some((a.priority.label_in(wl).to_string(), a.priority.advice_in(wl).to_string()));
        e.needs_treatment = a.needs_treatment;
    }
    Ok(e)
}

fn say(out: &mut Collector, sheet: &str, r: u32, c: u32, ja: String, en: String) {
    out.warn(sheet, r, c, &Error::usage(Message::new(ja, en)));
}

/// Reads and computes the register the inference found, with its inventory and plan; `None`
/// when the workbook has no register.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when the profile's priorities do not hold a level (a profile that
/// passed validation always does).
pub(crate) fn read(grids: &Grids, inferred: &Inferred, p: &Profile, wl: Lang, out: &mut Collector) -> Result<Option<Register>> {
    let (Some(found), Some(rule)) = (inferred.table(Role::Register), p.register.as_ref()) else { return Ok(None) };
    let layout = found.table();
    let grid = &grids[&layout.sheet];
    let inventory_layout = inferred.table(Role::Inventory).map(|f| f.table());
    let plan_layout = inferred.table(Role::Plan).map(|f| f.table());
    let inventory = match &inventory_layout {
        Some(t) => read_inventory(&grids[&t.sheet], t, p, rule, out),
        None => Vec::new(),
    };
    let by_no: HashMap<String, &InventoryAsset> = inventory.iter().filter(|a| !a.no.is_empty()).map(|a| (no_key(&a.no), a)).collect();
    let catalog = Catalog::bundled();
    let plan = match &plan_layout {
        Some(t) => read_plan(&grids[&t.sheet], t, rule, catalog, wl, out),
        None => Vec::new(),
    };

    let t = &layout;
    let col = |f: &str| t.col(f);
    let option_cols: Vec<(u32, &Choice)> = rule.treatments.iter().filter_map(|c| col(&treatment_key(c)).map(|col| (col, c))).collect();
    let mut content_cols: Vec<u32> =
        ["asset_no", "asset", "source", "area", "event", "cause", "consequence", "controls", "importance"].iter().filter_map(|f| col(f)).collect();
    content_cols.extend(rule.factors.iter().filter_map(|f| col(&f.key)));
    let importance_range = rule.importance_range(p.cia);
    let mut risks = Vec::new();
    for r in rows(grid, t, &content_cols) {
        let asset_nos = col("asset_no").map(|c| numbers(&grid.text(r, c))).unwrap_or_default();
        // The importance: from the inventory when every number is found there, else as entered.
        let mut importance = None;
        let mut from = None;
        let mut names = Vec::new();
        if !asset_nos.is_empty() && inventory_layout.is_some() {
            let assets: Vec<Option<&&InventoryAsset>> = asset_nos.iter().map(|n| by_no.get(n)).collect();
            if let Some(c) = col("asset_no").filter(|_| assets.iter().any(Option::is_none)) {
                let missing: Vec<&str> = asset_nos.iter().zip(&assets).filter(|(_, a)| a.is_none()).map(|(n, _)| n.as_str()).collect();
                let sheet = inventory_layout.as_ref().map_or("", |i| i.sheet.as_str());
                say(
                    out,
                    &grid.sheet,
                    r,
                    c,
                    format!("「{sheet}」に No {} がありません", missing.join(", ")),
                    format!("no No. {} on “{sheet}”", missing.join(", ")),
                );
            }
            let found: Vec<&InventoryAsset> = assets.iter().flatten().map(|a| **a).collect();
            names = found.iter().map(|a| a.name.clone()).collect();
            if !found.is_empty() && found.len() == assets.len() && found.iter().all(|a| a.importance.is_some()) {
                importance = found.iter().filter_map(|a| a.importance).max();
                from = Some(Source::Inventory);
            }
        }
        if let Some(c) = col("importance").filter(|_| importance.is_none()) {
            importance = parse_number(grid, r, c, importance_range, out);
            from = importance.map(|_| Source::Entered);
        }
        let factors: Vec<Option<u8>> = rule.factors.iter().map(|f| parse_factor(grid, r, col(&f.key), f.scale(), out)).collect();
        let first = evaluate(importance, factors, rule, wl)?;

        // The treatment: ● in an option's column, or the option's word in one column.
        let mut chosen: Vec<&Choice> = option_cols.iter().filter(|(c, _)| is_marked(&grid.text(r, *c))).map(|(_, choice)| *choice).collect();
        if option_cols.is_empty() {
            chosen.extend(parse_word(grid, r, col("treatment"), &rule.treatments, wl, out));
        }
        let controls = shown(grid, r, col("controls"), false);
        let mut control_ids = catalog.cited_2022(&controls);
        for id in col("annex").map(|c| catalog.cited_2022(&grid.text(r, c))).unwrap_or_default() {
            if !control_ids.contains(&id) {
                control_ids.push(id);
            }
        }
        let response_word = parse_word(grid, r, col("response"), &rule.responses, wl, out);
        let response = response_word.map(|w| w.label_in(wl).to_string());

        // 二次評価: its own importance (the first one when left blank) and factors.
        let residual_factors: Vec<Option<u8>> =
            rule.factors.iter().map(|f| parse_factor(grid, r, col(&format!("residual_{}", f.key)), f.scale(), out)).collect();
        let residual_entered = col("residual_importance").and_then(|c| parse_number(grid, r, c, importance_range, out));
        let any_residual = residual_entered.is_some() || residual_factors.iter().any(Option::is_some);
        let residual = if any_residual {
            evaluate(residual_entered.or(first.importance), residual_factors, rule, wl)?
        } else {
            evaluate(None, vec![None; rule.factors.len()], rule, wl)?
        };

        let mut factors = indexmap::IndexMap::new();
        for (f, v) in rule.factors.iter().zip(&first.factors) {
            factors.insert(f.key.clone(), *v);
        }
        for (f, v) in rule.factors.iter().zip(&residual.factors) {
            factors.insert(format!("residual_{}", f.key), *v);
        }
        let no = shown(grid, r, col("no"), false);
        let asset = if names.is_empty() { shown(grid, r, col("asset"), false) } else { names.join("、") };
        let event = [col("event"), col("source")].into_iter().map(|c| shown(grid, r, c, false)).find(|s| !s.is_empty()).unwrap_or_default();
        risks.push(Risk {
            row: r,
            no,
            asset_nos,
            asset,
            event,
            importance: first.importance,
            importance_from: from.filter(|_| first.importance.is_some()),
            factors,
            level: first.level,
            priority: first.priority.as_ref().map(|p| p.0.clone()),
            priority_advice: first.priority.as_ref().map(|p| p.1.clone()),
            needs_treatment: first.needs_treatment,
            treatment: chosen.iter().map(|c| c.label_in(wl).to_string()).collect(),
            controls,
            control_ids,
            response,
            response_done: response_word.is_some_and(|w| w.done),
            residual_importance: residual.level.and(residual.importance),
            residual_level: residual.level,
            residual_priority: residual.priority.map(|p| p.0),
            plan_rows: Vec::new(),
        });
    }
    link_plan(&mut risks, &plan);
    // What a risk lacks, at its cell.
    for risk in &risks {
        let chosen: Vec<&Choice> = rule.treatments.iter().filter(|c| risk.treatment.iter().any(|t| c.matches(t))).collect();
        match Treatment::check(risk.needs_treatment, &chosen, !risk.plan_rows.is_empty()) {
            Some(Treatment::Missing) => {
                let c = option_cols.first().map(|x| x.0).or(col("treatment")).or(col("level")).unwrap_or(t.first_row);
                let level = risk.level.unwrap_or(0);
                say(
                    out,
                    &grid.sheet,
                    risk.row,
                    c,
                    format!("リスクレベル {level} は受容基準 {} を超えていますが、リスク対応が選ばれていません", rule.acceptance),
                    format!("risk level {level} is above the acceptance level {}, and no treatment is chosen", rule.acceptance),
                );
            }
            Some(Treatment::Unplanned) => {
                let c = col("controls").or(option_cols.first().map(|x| x.0)).unwrap_or(t.first_row);
                let plan_sheet =
                    plan_layout.as_ref().map_or_else(|| p.headers.sheets.plan.as_ref().map_or("", |h| h.text_in(wl)).to_string(), |t| t.sheet.clone());
                let words = risk.treatment.join("・");
                say(
                    out,
                    &grid.sheet,
                    risk.row,
                    c,
                    format!("「{words}」とされたリスクに「{plan_sheet}」の行がありません（リスクNo・管理策番号・管理策の文言で対応づけます）"),
                    format!("the risk is treated ({words}) but no row of “{plan_sheet}” serves it (matched by risk No., Annex A id or the control's text)"),
                );
            }
            None => {}
        }
    }
    let summary = summarize(&risks, &plan, rule, wl);
    let register = Register { inventory_layout, layout, plan_layout, inventory, risks, plan, summary };
    out.warnings.extend(missing_fields(&register, p, out.lang));
    Ok(Some(register))
}

fn read_plan(grid: &Grid, t: &TableLayout, rule: &RegisterRule, catalog: &Catalog, wl: Lang, out: &mut Collector) -> Vec<PlanRow> {
    let key_cols: Vec<u32> = ["control", "task", "status", "risk_no"].iter().filter_map(|f| t.col(f)).collect();
    let mut plan = Vec::new();
    for r in rows(grid, t, &key_cols) {
        let control = shown(grid, r, t.col("control"), false);
        let status = parse_word(grid, r, t.col("status"), &rule.statuses, wl, out).map(|w| w.label_in(wl).to_string());
        plan.push(PlanRow {
            row: r,
            no: shown(grid, r, t.col("no"), false),
            risk_nos: t.col("risk_no").map(|c| numbers(&grid.text(r, c))).unwrap_or_default(),
            control_ids: catalog.cited_2022(&control),
            control,
            task: shown(grid, r, t.col("task"), false),
            owner: shown(grid, r, t.col("owner"), false),
            dates: ["planned_start", "planned_end", "actual_start", "actual_end"].map(|f| shown(grid, r, t.col(f), true)),
            status,
        });
    }
    plan
}

/// Which plan rows serve each risk: its No in the row's リスクNo, a shared Annex A id, or the
/// same 管理策 text.
fn link_plan(risks: &mut [Risk], plan: &[PlanRow]) {
    for risk in risks.iter_mut() {
        let no = no_key(&risk.no);
        let text = normalize_key(&risk.controls);
        risk.plan_rows = plan
            .iter()
            .filter(|row| {
                let by_no = !no.is_empty() && row.risk_nos.contains(&no);
                let by_id = row.control_ids.iter().any(|id| risk.control_ids.contains(id));
                let row_text = normalize_key(&row.control);
                let by_text = row.risk_nos.is_empty() && !row_text.is_empty() && !text.is_empty() && (row_text == text || text.contains(&row_text));
                by_no || by_id || by_text
            })
            .map(|row| row.row)
            .collect();
    }
}

/// The label a count is shown under: 「1（早急に対応）」, "1 (Act at once)".
fn band_name(label: &str, advice: &str, wl: Lang) -> String {
    match wl {
        _ if advice.is_empty() || advice == label => label.to_string(),
        Lang::Ja => format!("{label}（{advice}）"),
        Lang::En => format!("{label} ({advice})"),
    }
}

fn summarize(risks: &[Risk], plan: &[PlanRow], rule: &RegisterRule, wl: Lang) -> Summary {
    let unrated = wl.pick("未評価", "not evaluated").to_string();
    let by = |get: &dyn Fn(&Risk) -> Option<&String>| -> Counts {
        let mut counts: Counts = rule.priorities.iter().map(|b| (band_name(b.label_in(wl), b.advice_in(wl), wl), 0)).collect();
        counts.push((unrated.clone(), 0));
        for r in risks {
            let i = get(r).and_then(|label| rule.priorities.iter().position(|b| b.label_in(wl) == label)).unwrap_or(counts.len() - 1);
            counts[i].1 += 1;
        }
        counts
    };
    let mut plan_counts: Counts = rule.statuses.iter().map(|s| (s.label_in(wl).to_string(), 0)).collect();
    plan_counts.push((wl.pick("未記入", "blank").to_string(), 0));
    for row in plan {
        let i = row.status.as_ref().and_then(|s| rule.statuses.iter().position(|w| w.label_in(wl) == s)).unwrap_or(plan_counts.len() - 1);
        plan_counts[i].1 += 1;
    }
    let done = plan.iter().filter(|row| row.status.as_ref().is_some_and(|s| rule.statuses.iter().any(|w| w.done && w.label_in(wl) == s))).count();
    let chosen = |r: &Risk| -> Vec<&Choice> { rule.treatments.iter().filter(|c| r.treatment.iter().any(|t| c.matches(t))).collect() };
    Summary {
        risks: risks.len(),
        by_priority: by(&|r| r.priority.as_ref()),
        by_residual_priority: by(&|r| r.residual_priority.as_ref()),
        above_acceptance: risks.iter().filter(|r| r.needs_treatment).count(),
        untreated: risks.iter().filter(|r| Treatment::check(r.needs_treatment, &chosen(r), true) == Some(Treatment::Missing)).count(),
        unplanned: risks.iter().filter(|r| Treatment::check(r.needs_treatment, &chosen(r), !r.plan_rows.is_empty()) == Some(Treatment::Unplanned)).count(),
        plan: plan_counts,
        plan_done: (!plan.is_empty()).then(|| done as f64 / plan.len() as f64),
    }
}

/// Warnings a register adds to the analysis when nothing of it can be computed (in the
/// message language).
fn missing_fields(reg: &Register, p: &Profile, wl: Lang) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(rule) = &p.register else { return out };
    let h = &p.headers.register;
    let t = &reg.layout;
    if t.col("importance").is_none() && (reg.inventory_layout.is_none() || t.col("asset_no").is_none()) {
        out.push(Warning {
            sheet: t.sheet.clone(),
            cell: String::new(),
            message: match wl {
                Lang::Ja => format!("「{}」の列も、資産目録と「{}」の列もありません（リスクレベルは空欄になります）", h.importance.text, h.asset_no.text),
                Lang::En => {
                    format!("neither a “{}” column nor an inventory and a “{}” column (risk levels stay empty)", h.importance.text_en, h.asset_no.text_en)
                }
            },
        });
    }
    for f in &rule.factors {
        if t.col(&f.key).is_none() {
            out.push(Warning {
                sheet: t.sheet.clone(),
                cell: String::new(),
                message: match wl {
                    Lang::Ja => {
                        format!("「{}」の列が見つかりません（リスクレベルは空欄になります）。--map register.{}=列 で指定できます", f.header.text, f.key)
                    }
                    Lang::En => format!("no “{}” column found (risk levels stay empty); give it with --map register.{}=COLUMN", f.header.text_en, f.key),
                },
            });
        }
    }
    out
}
