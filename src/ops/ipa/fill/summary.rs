//! The 集計 sheet `fill` adds and rewrites: per-medium threat and vulnerability, per-area counts
//! and rates (the ledger, 脅威の状況 and 診断結果 look them up here), and its chart; and how
//! risksheet finds or adds a sheet of its own without taking a user's.
use super::*;
use crate::domain::risk::HeatMap;
use crate::ops::looks;

/// The name of the sheet holding the per-medium and per-group figures (Japanese workbooks).
pub const SUMMARY_SHEET: &str = "集計";
/// Names tried, in order, for a Japanese and an English workbook; later ones when the workbook
/// already has a sheet of the earlier name of its own.
const SUMMARY_SHEET_NAMES: (&[&str], &[&str]) = (
    &[SUMMARY_SHEET, "集計 (risksheet)", "集計 (risksheet 2)", "集計 (risksheet 3)"],
    &["Summary", "Summary (risksheet)", "Summary (risksheet 2)", "Summary (risksheet 3)"],
);
/// The title risksheet writes in A1 of its summary sheet (Japanese, English): how it knows the
/// sheet is its own and may be rewritten.
const SUMMARY_TITLE: (&str, &str) = ("集計（risksheet fill が計算します。編集しないでください）", "Summary (computed by risksheet fill; do not edit)");

/// Whether a sheet's A1 shows the title risksheet gives its own summary sheet: that sheet is
/// output, never read as the user's input.
pub(crate) fn is_summary_title(a1: &str) -> bool {
    a1 == SUMMARY_TITLE.0 || a1 == SUMMARY_TITLE.1 || crate::ops::register::fill::is_summary_title(a1)
}

/// The summary sheet: risksheet's own if the workbook has it, else a new one under a name the
/// user's sheets do not take (a user's own 「集計」 is never written over).
pub(super) fn summary_sheet(wb: &mut Workbook, wl: Lang, p: &Profile) -> Result<String> {
    let names = match wl {
        Lang::Ja => SUMMARY_SHEET_NAMES.0,
        Lang::En => SUMMARY_SHEET_NAMES.1,
    };
    // Printed landscape, one page wide, with the names column wide enough for 「媒体・保存先」 and
    // the area names; the rest fits a number or a short header.
    // The two header rows are two lines high for their wrapped texts.
    let group_header = summary_layout(p, String::new()).group_rows.first().map_or(MEDIUM_HEADER_ROW + 2, |r| r - 1);
    let mut heights = vec![0.0; group_header as usize];
    heights[MEDIUM_HEADER_ROW as usize - 1] = 30.0;
    heights[group_header as usize - 1] = 30.0;
    // The risk map and the chart below the tables go on a page of their own.
    let pictures = summary_layout(p, String::new()).group_rows.last().map_or(MEDIUM_HEADER_ROW + 3, |r| r + 2);
    let layout = crate::xlsx::NewSheet {
        widths: vec![28.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0, 13.0],
        heights,
        landscape: true,
        page_breaks: vec![pictures],
        ..Default::default()
    };
    own_sheet(wb, names, &|title| title == SUMMARY_TITLE.0 || title == SUMMARY_TITLE.1, Some(&layout))
}

/// A sheet risksheet writes its figures on: the first of `names` that is free (added, laid out
/// as `layout` when given) or already risksheet's own (its A1 title passes `is_own`).
pub(crate) fn own_sheet(wb: &mut Workbook, names: &[&str], is_own: &dyn Fn(&str) -> bool, layout: Option<&crate::xlsx::workbook::NewSheet>) -> Result<String> {
    for &name in names {
        if wb.sheet_index(name).is_err() {
            match layout {
                Some(l) => wb.add_sheet_with(name, l)?,
                None => wb.add_sheet(name)?,
            }
            return Ok(name.to_string());
        }
        let title = wb.value(name, CellRef::new(1, 1))?.to_string();
        if is_own(&title) {
            return Ok(name.to_string());
        }
    }
    Err(crate::error::Error::usage(crate::lang::Message::new("集計シートの名前が空いていません", "no free name for the summary sheet")).in_file(wb.path()))
}
/// The name of the chart of the rates per area on 集計 (how a later `fill` finds it).
pub const RATE_CHART: &str = "risksheet:summary:rate-per-area";

/// Positions on 集計.
pub(super) struct SummaryLayout {
    /// The sheet's name.
    pub(super) sheet: String,
    /// Row of each medium, in profile order.
    pub(super) medium_rows: Vec<u32>,
    /// Row of each group, in profile order.
    pub(super) group_rows: Vec<u32>,
    /// Columns of the group table.
    pub(super) score_col: u32,
    pub(super) applicable_col: u32,
    pub(super) rate_col: u32,
}

const MEDIUM_HEADER_ROW: u32 = 3;

fn summary_layout(p: &Profile, sheet: String) -> SummaryLayout {
    let medium_rows: Vec<u32> = (0..p.media.len() as u32).map(|i| MEDIUM_HEADER_ROW + 1 + i).collect();
    let group_header = MEDIUM_HEADER_ROW + 1 + p.media.len() as u32 + 1;
    let group_rows = (0..p.checklist.groups.len() as u32).map(|i| group_header + 1 + i).collect();
    // A name, B items, one count column per answer, unanswered, score, applicable, rate.
    let answers = p.checklist.answers.len() as u32;
    let score_col = 2 + answers + 2;
    SummaryLayout { sheet, medium_rows, group_rows, score_col, applicable_col: score_col + 1, rate_col: score_col + 2 }
}

impl SummaryLayout {
    /// Writes the 集計 sheet: per-group counts and rates, per-medium threat and vulnerability.
    pub(super) fn write(wb: &mut Workbook, an: &Analysis, sheet: String) -> Result<SummaryLayout> {
        let p = &an.profile;
        let l = an.lang;
        let s = summary_layout(p, sheet);
        let sh = s.sheet.as_str();
        let percent = wb.percent_style()?;
        let set = |wb: &mut Workbook, r: u32, c: u32, v: CellValue| wb.set_value(sh, CellRef::new(r, c), v);
        set(wb, 1, 1, l.pick(SUMMARY_TITLE.0, SUMMARY_TITLE.1).into())?;
        // Media table.
        let mh = [
            l.pick("媒体・保存先", "Medium"),
            l.pick("脅威の発生頻度（最大）", "Threat (max)"),
            l.pick("対策の実施率", "Implementation rate"),
            l.pick("脆弱性", "Vulnerability"),
        ];
        let header = wb.header_style()?;
        for (i, h) in mh.iter().enumerate() {
            set(wb, MEDIUM_HEADER_ROW, i as u32 + 1, (*h).into())?;
            wb.set_style(sh, CellRef::new(MEDIUM_HEADER_ROW, i as u32 + 1), header)?;
        }
        // Groups table.
        let gh_row = s.group_rows.first().copied().unwrap_or(MEDIUM_HEADER_ROW + 3) - 1;
        let mut headers = vec![l.pick("対策の種類", "Area").to_string(), l.pick("項目数", "Items").to_string()];
        headers.extend(p.checklist.answers.iter().map(|a| a.label_in(l).to_string()));
        headers.extend([l.pick("未回答", "Unanswered"), l.pick("評点", "Score"), l.pick("対象項目数", "Counted"), l.pick("実施率", "Rate")].map(String::from));
        for (i, h) in headers.iter().enumerate() {
            set(wb, gh_row, i as u32 + 1, h.as_str().into())?;
            wb.set_style(sh, CellRef::new(gh_row, i as u32 + 1), header)?;
        }
        let na_text = p.result.not_applicable_in(l);
        for ((gid, g), &row) in p.checklist.groups.iter().zip(&s.group_rows) {
            set(wb, row, 1, g.name_in(l).into())?;
            let rows = an.check_rows.iter().filter(|c| &c.group == gid).flat_map(|c| c.rows.iter().copied()).collect::<Vec<_>>();
            let answers: Vec<Option<CheckAnswer>> = an.answers.get(gid).cloned().unwrap_or_default();
            set(wb, row, 2, CellValue::Number(rows.len() as f64))?;
            let (sheet, col) = match (&an.layout.sheets.checklist, an.layout.checklist.as_ref().and_then(|t| t.col("answer"))) {
                (Some(sh), Some(c)) => (sh.clone(), c),
                _ => (String::new(), 0),
            };
            let mut counted = 0usize;
            let mut score_terms = Vec::new();
            let mut applicable_terms = Vec::new();
            let (mut score, mut applicable) = (0.0f64, 0usize);
            for (k, a) in p.checklist.answers.iter().enumerate() {
                let c = 3 + k as u32;
                let n = answers.iter().filter(|x| **x == Some(CheckAnswer(a.value))).count();
                counted += n;
                let f = if rows.is_empty() || sheet.is_empty() {
                    "0".to_string()
                } else {
                    runs(&rows)
                        .iter()
                        .map(|(a0, a1)| {
                            let range = format!("{}:${}${}", abs(&sheet, *a0, col), col_letters(col), a1);
                            format!("SUMPRODUCT(--(LEFT({range},1)=\"{}\"))", a.value)
                        })
                        .collect::<Vec<_>>()
                        .join("+")
                };
                wb.set_formula(sh, CellRef::new(row, c), &f, Some(CellValue::Number(n as f64)))?;
                if let Some(w) = a.weight {
                    score += w * n as f64;
                    applicable += n;
                    score_terms.push(format!("{}*{}", format_number(w), rel(row, c)));
                    applicable_terms.push(rel(row, c));
                }
            }
            let unanswered_col = 3 + p.checklist.answers.len() as u32;
            let unanswered = rows.len().saturating_sub(counted);
            let count_cells = format!("SUM({}:{})", rel(row, 3), rel(row, unanswered_col - 1));
            wb.set_formula(sh, CellRef::new(row, unanswered_col), &format!("{}-{count_cells}", rel(row, 2)), Some(CellValue::Number(unanswered as f64)))?;
            let score_f = if score_terms.is_empty() { "0".into() } else { score_terms.join("+") };
            let app_f = if applicable_terms.is_empty() { "0".into() } else { applicable_terms.join("+") };
            wb.set_formula(sh, CellRef::new(row, s.score_col), &score_f, Some(CellValue::Number(score)))?;
            wb.set_formula(sh, CellRef::new(row, s.applicable_col), &app_f, Some(CellValue::Number(applicable as f64)))?;
            let result = an.groups.iter().find(|g| &g.id == gid);
            let cached = match result {
                Some(g) if g.rate.is_some() => CellValue::Number(g.rate.unwrap_or(0.0)),
                Some(g) if g.not_applicable => CellValue::Text(na_text.to_string()),
                _ => CellValue::Text(String::new()),
            };
            let (sc, ap, un) = (rel(row, s.score_col), rel(row, s.applicable_col), rel(row, unanswered_col));
            let f = format!("IF({ap}>0,{sc}/{ap},IF(AND({count_cells}-{ap}>0,{un}=0),\"{na_text}\",\"\"))");
            wb.set_formula(sh, CellRef::new(row, s.rate_col), &f, Some(cached))?;
            wb.set_style(sh, CellRef::new(row, s.rate_col), percent)?;
        }
        // Media rows.
        let t_levels: Vec<String> = p.threat.scale().values().map(|v| v.to_string()).collect();
        let vs = p.vulnerability.scale();
        for (i, (m, &row)) in p.media.iter().zip(&s.medium_rows).enumerate() {
            set(wb, row, 1, m.name_in(l).into())?;
            // The results are in the profile's order (one pass, not a search per medium).
            let result = an.media.get(i).filter(|x| x.id == m.id);
            // Threat: the highest frequency chosen among the medium's threats.
            let cells: Vec<String> = match (&an.layout.sheets.threats, an.layout.threats.as_ref().and_then(|t| t.col("frequency"))) {
                (Some(sheet), Some(col)) => {
                    an.threat_blocks.iter().filter(|b| b.medium == m.id).flat_map(|b| b.rows.iter().map(|&r| abs(sheet, r, col))).collect()
                }
                _ => Vec::new(),
            };
            let threat_f = if cells.is_empty() {
                "\"\"".to_string()
            } else {
                let pos: Vec<String> =
                    cells.iter().map(|c| format!("IFERROR(MATCH(LEFT({c},1),{},0),0)", text_array(t_levels.iter().map(String::as_str)))).collect();
                let max = format!("MAX({})", pos.join(","));
                format!("IF({max}=0,\"\",{max}+{})", p.threat.min as i32 - 1)
            };
            wb.set_formula(sh, CellRef::new(row, 2), &threat_f, Some(num(result.and_then(|r| r.threat))))?;
            // Rate over the items of the groups mapped to the medium.
            let grows: Vec<u32> = m.groups.iter().filter_map(|g| p.checklist.groups.get_index_of(g)).map(|i| s.group_rows[i]).collect();
            let sum = |col: u32| format!("SUM({})", grows.iter().map(|&r| rel(r, col)).collect::<Vec<_>>().join(","));
            let rate_f = if grows.is_empty() { "\"\"".into() } else { format!("IF({a}=0,\"\",{sc}/{a})", a = sum(s.applicable_col), sc = sum(s.score_col)) };
            wb.set_formula(sh, CellRef::new(row, 3), &rate_f, Some(num(result.and_then(|r| r.rate))))?;
            wb.set_style(sh, CellRef::new(row, 3), percent)?;
            let c = rel(row, 3);
            let vf = format!("IF({c}=\"\",\"\",IF({c}>=1,{},IF({c}<=0,{},{})))", vs.min, vs.max, vs.min + (vs.max - vs.min) / 2);
            wb.set_formula(sh, CellRef::new(row, 4), &vf, Some(num(result.and_then(|r| r.vulnerability))))?;
        }
        // The risk map, then the chart below it: beside the tables the chart made the page so
        // wide that printing one page wide shrank the text.
        let below = s.write_heat_map(wb, an)? + 2;
        if let (Some(&first), Some(&last)) = (s.group_rows.first(), s.group_rows.last()) {
            wb.add_chart(sh, s.rate_chart(l, first, last, below))?;
        }
        Ok(s)
    }

    /// The risk map below the tables: the number of the main ledger's assets in each cell of
    /// 重要度 × 被害発生可能性, as `COUNTIFS` over the ledger's columns, each cell coloured as the
    /// ledger colours the band of its リスク値; a legend of the bands below.
    /// Returns the row of the legend, the map's last.
    fn write_heat_map(&self, wb: &mut Workbook, an: &Analysis) -> Result<u32> {
        let (p, l, sh) = (&an.profile, an.lang, self.sheet.as_str());
        let map = HeatMap::new(an.assets.iter().filter_map(|a| Some((a.importance?, a.likelihood?))), p);
        let top = self.group_rows.last().map_or(MEDIUM_HEADER_ROW + 3, |r| r + 2);
        let header = wb.header_style()?;
        let band_style = |wb: &mut Workbook, band: Option<&crate::profile::RiskBand>| -> Result<u32> {
            match band.and_then(|b| looks::band_fill(p, b)) {
                Some(rgb) => wb.filled_style(&rgb),
                None => wb.body_style(),
            }
        };
        wb.set_value(sh, CellRef::new(top, 1), looks::heat_map_title(l).into())?;
        let head = top + 1;
        wb.set_value(sh, CellRef::new(head, 1), l.pick("重要度 ↓ ／ 被害発生可能性 →", "Importance ↓ / likelihood →").into())?;
        wb.set_style(sh, CellRef::new(head, 1), header)?;
        for (j, &lik) in map.likelihood.iter().enumerate() {
            let at = CellRef::new(head, 2 + j as u32);
            wb.set_value(sh, at, looks::likelihood_heading(p, lik, l).into())?;
            wb.set_style(sh, at, header)?;
        }
        // The ledger's columns, over the rows fill gives formulas.
        let ledger = an.layout.ledger.as_ref();
        let columns = ledger.and_then(|lg| Some((lg, lg.of(LedgerField::Importance)?, lg.of(LedgerField::Likelihood)?)));
        for (i, &imp) in map.importance.iter().enumerate() {
            let row = head + 1 + i as u32;
            wb.set_value(sh, CellRef::new(row, 1), CellValue::Number(f64::from(imp)))?;
            wb.set_style(sh, CellRef::new(row, 1), header)?;
            for (j, &lik) in map.likelihood.iter().enumerate() {
                let at = CellRef::new(row, 2 + j as u32);
                let count = CellValue::Number(map.counts[i][j] as f64);
                match columns {
                    Some((lg, ic, lc)) => {
                        let last = input_last_row(an, lg, &an.assets);
                        let range = |c: u32| format!("{}:${}${last}", abs(&lg.sheet, lg.first_row, c), col_letters(c));
                        wb.set_formula(sh, at, &format!("COUNTIFS({},{imp},{},{lik})", range(ic), range(lc)), Some(count))?;
                    }
                    None => wb.set_value(sh, at, count)?,
                }
                let style = band_style(wb, map.band(i, j, p))?;
                wb.set_style(sh, at, style)?;
            }
        }
        // The legend: one coloured cell per band, highest first.
        let legend = head + 1 + map.importance.len() as u32;
        wb.set_value(sh, CellRef::new(legend, 1), l.pick("凡例（リスク値）", "Legend (risk value)").into())?;
        for (k, (b, text)) in looks::band_legend(p, l).into_iter().enumerate() {
            let at = CellRef::new(legend, 2 + k as u32);
            wb.set_value(sh, at, text.into())?;
            let style = band_style(wb, Some(b))?;
            wb.set_style(sh, at, style)?;
        }
        Ok(legend)
    }

    /// The bar chart of the implementation rate per checklist area, from row `top` down, as wide
    /// as the tables (bars rather than a radar: the areas' long names leave a radar little room).
    fn rate_chart(&self, l: Lang, first: u32, last: u32, top: u32) -> ChartSpec {
        let column = |c: u32| DataRef::new(self.sheet.as_str(), Range::new(CellRef::new(first, c), CellRef::new(last, c)));
        let anchor = Range::new(CellRef::new(top, 1), CellRef::new(top + 20, self.rate_col));
        let mut spec = ChartSpec::new(ChartKind::Bar, RATE_CHART, l.pick("対策の種類ごとの実施率", "Implementation rate per area"), column(1), anchor);
        let name = SheetCell { sheet: self.sheet.clone(), cell: CellRef::new(first - 1, self.rate_col) };
        spec.series.push(ChartSeries { name: Some(name), values: column(self.rate_col), colour: None });
        spec.number_format = Some("0%".into());
        (spec.min, spec.max) = (Some(0.0), Some(1.0));
        spec.data_labels = true;
        spec
    }
}
