//! `risksheet new --edition lv3` (or `isms-seminar`): a fresh risk register workbook, the LV.3
//! documents of seed 001 and the risk list of the ISMS seminar (seed 000), written from nothing.
//!
//! Three sheets, named by the profile's `[headers.sheets]` `inventory`, `register` and `plan`:
//!
//! | sheet | title | header | first data row | columns |
//! |---|---|---|---|---|
//! | 資産目録 | A1 | 4 | 5 | No, 業務分類, 情報資産名称, 備考, 利用者範囲, 管理部署, C, I, A, 重要度 |
//! | リスクアセスメント結果報告書 | A1, 作成 / 承認 boxes top right | group row 3, field row 4 | 5 | No … 二次評価 リスクレベル, then 選択肢 (Annex A) outside the print area |
//! | リスク対応計画 | A1 | group row 3, field row 4 | 5 | No, リスクNo, 管理策, タスク, 担当, 予定 開始/終了, 実績 開始/終了, ステータス |
//!
//! Every header is the profile's text (`headers.inventory`, `headers.register`, `headers.plan`;
//! the inventory's 業務分類, 備考, 利用者範囲, 管理部署 are `headers.ledger`'s, the factor columns
//! `[register] factors`), so that reading a register finds these tables by their headers. Inputs
//! are white with a dropdown or a number or date rule; computed columns (重要度, リスクレベル,
//! 優先順位, the residual リスクレベル) are grey and empty: `fill` writes their formulas.
use super::{check_sheet_names, choices, list_error, profile_title, range, t};
use crate::error::{Lang, Result};
use crate::profile::{Header, Profile, RegisterRule};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::new_book::{self, Sheet};
use crate::xlsx::validation::{DataValidation, Rule};

use super::{STYLE_BODY_CENTER, STYLE_BODY_WRAP, STYLE_COMPUTED, STYLE_DATE, STYLE_HEADER, STYLE_HEADER_COMPUTED, STYLE_NOTE, STYLE_TITLE};

/// Row of the group headers (一次評価, リスク対応, 二次評価; 予定, 実績).
pub const GROUP_ROW: u32 = 3;
/// Row of the field headers (the only header row of 資産目録).
pub const FIELD_ROW: u32 = 4;
/// First data row.
pub const FIRST_ROW: u32 = 5;
/// Last data row formatted and given dropdowns (100 rows).
pub const LAST_ROW: u32 = 104;

/// The name the new package is read under before it is saved to the user's path.
pub(crate) const NEW_NAME: &str = "new-register.xlsx";

/// The editions whose `new` writes a register instead of the IPA workbook.
const REGISTER_EDITIONS: [&str; 2] = ["lv3", "isms-seminar"];

/// Whether `new` writes a risk register for `profile`: it has `[register]` and is the `lv3` or
/// `isms-seminar` edition (or a profile of the same edition, such as a TOML that `extends` one).
///
/// ```
/// use risksheet::ops::template::register::writes_register;
/// use risksheet::profile::Profile;
/// assert!(writes_register(&Profile::builtin("lv3")?));
/// assert!(writes_register(&Profile::builtin("isms-seminar")?));
/// assert!(!writes_register(&Profile::builtin("ipa-3")?));
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn writes_register(profile: &Profile) -> bool {
    profile.register.is_some() && REGISTER_EDITIONS.iter().any(|id| profile.id == *id || Profile::builtin(id).is_ok_and(|b| b.edition == profile.edition))
}

/// What a column holds, which decides its cell format, its rule and its width.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Free text, wrapped; the width a typical entry needs.
    Text(f64),
    /// A number, mark or word typed or chosen (centred).
    Input,
    /// A date (yyyy/mm/dd).
    Date,
    /// Computed by `fill`: grey, empty.
    Computed,
}

/// One column of a table.
struct Col {
    header: String,
    /// Index into the table's groups, when the column stands under one.
    group: Option<usize>,
    kind: Kind,
}

/// A table: group header texts and its columns, in order.
#[derive(Default)]
struct Table {
    groups: Vec<String>,
    cols: Vec<Col>,
}

impl Table {
    fn push(&mut self, h: &Header, lang: Lang, kind: Kind) -> u32 {
        self.push_text(h.text_in(lang), kind)
    }

    fn push_text(&mut self, header: &str, kind: Kind) -> u32 {
        self.cols.push(Col { header: header.to_string(), group: None, kind });
        self.cols.len() as u32
    }

    /// Opens a group; the columns pushed through [`Table::grouped`] stand under it.
    fn group(&mut self, h: &Header, lang: Lang) -> usize {
        self.groups.push(h.text_in(lang).to_string());
        self.groups.len() - 1
    }

    fn grouped(&mut self, g: usize, h: &Header, lang: Lang, kind: Kind) -> u32 {
        let c = self.push(h, lang, kind);
        self.cols[c as usize - 1].group = Some(g);
        c
    }

    fn last_col(&self) -> u32 {
        self.cols.len() as u32
    }

    /// Writes the headers (a field row 4, and a group row 3 when the table has groups, the
    /// ungrouped headers merged over both), the data rows' formats, widths that fit the headers,
    /// frozen panes through `frozen_cols`, the autofilter on the field row, print titles and
    /// the print area.
    fn write(&self, sh: &mut Sheet, frozen_cols: u32) {
        let two_rows = !self.groups.is_empty();
        let mut widths = Vec::new();
        for (i, col) in self.cols.iter().enumerate() {
            let c = i as u32 + 1;
            let style = if col.kind == Kind::Computed { STYLE_HEADER_COMPUTED } else { STYLE_HEADER };
            match (two_rows, col.group) {
                (true, None) => {
                    sh.merge(GROUP_ROW, c, FIELD_ROW, c, style);
                    sh.text(GROUP_ROW, c, &col.header, style);
                }
                _ => sh.text(FIELD_ROW, c, &col.header, style),
            }
            let body = match col.kind {
                Kind::Text(_) => STYLE_BODY_WRAP,
                Kind::Input => STYLE_BODY_CENTER,
                Kind::Date => STYLE_DATE,
                Kind::Computed => STYLE_COMPUTED,
            };
            for r in FIRST_ROW..=LAST_ROW {
                sh.blank(r, c, body);
            }
            let width = fitted_width(&col.header, col.kind);
            sh.width(c, width);
            widths.push(width);
        }
        // Group headers over their runs of columns; computed when every column under it is.
        let mut c = 1;
        while c <= self.last_col() {
            let Some(g) = self.cols[c as usize - 1].group else {
                c += 1;
                continue;
            };
            let end = (c..=self.last_col()).take_while(|&k| self.cols[k as usize - 1].group == Some(g)).last().unwrap_or(c);
            let computed = (c..=end).all(|k| self.cols[k as usize - 1].kind == Kind::Computed);
            let style = if computed { STYLE_HEADER_COMPUTED } else { STYLE_HEADER };
            sh.merge(GROUP_ROW, c, GROUP_ROW, end, style);
            sh.text(GROUP_ROW, c, &self.groups[g], style);
            c = end + 1;
        }
        // Rows tall enough for the longest wrapped header.
        let lines =
            self.cols.iter().zip(&widths).filter(|(col, _)| !two_rows || col.group.is_some()).map(|(col, w)| crate::text::wrapped_lines(&col.header, *w));
        let lines = lines.max().unwrap_or(1);
        if two_rows {
            sh.height(GROUP_ROW, 22.0);
            sh.height(FIELD_ROW, (15.0 * lines as f64 + 8.0).max(30.0));
        } else {
            sh.height(FIELD_ROW, (15.0 * lines as f64 + 8.0).max(30.0));
        }
        sh.freeze(FIELD_ROW, frozen_cols);
        sh.print_titles = Some((if two_rows { GROUP_ROW } else { FIELD_ROW }, FIELD_ROW));
        // A table too wide for one legible A4 page prints on several across, its No repeated.
        sh.title_columns = Some((1, 1));
        sh.legible_width = Some(crate::ops::template::PRINTED_CHARS_PER_PAGE);
        sh.autofilter = Some(range(FIELD_ROW, 1, LAST_ROW, self.last_col()));
        sh.print_area = Some(range(1, 1, LAST_ROW, self.last_col()));
    }
}

/// A column's width: a text column the width its entries need; another column the header's
/// display width (Japanese characters count two) on one line when it fits in [`NARROW`], else
/// split evenly over two or three lines, so that a long header wraps instead of widening the
/// table. An English word is never split (「Confidentiality」 keeps its line).
fn fitted_width(header: &str, kind: Kind) -> f64 {
    let width = crate::text::display_width(header) as f64;
    let word = header.split(|c: char| c.is_whitespace()).map(crate::text::display_width).filter(|_| header.is_ascii()).max().unwrap_or(0) as f64;
    match kind {
        Kind::Text(w) => w.max((width + 2.0).min(30.0)),
        Kind::Date => (width + 2.0).clamp(11.5, 12.0).max(word + 2.0),
        Kind::Input | Kind::Computed => {
            // One digit of room beside the text: a wider column lets a line take one character more
            // (リスクレ / ベル instead of リスク / レベル).
            let fit = (1..=3).map(|lines| (width / f64::from(lines)).ceil() + 1.0).find(|w| *w <= NARROW).unwrap_or(NARROW);
            fit.max((word + 2.0).min(16.0)).max(6.0)
        }
    }
}

/// The widest a number, mark or computed column grows before its header wraps.
const NARROW: f64 = 13.0;

/// Title in A1 and a note in row 2 over `note_cols` columns.
fn head(sh: &mut Sheet, title: &str, note: &str, note_cols: u32) {
    sh.text(1, 1, title, STYLE_TITLE);
    sh.height(1, 28.0);
    sh.text(2, 1, note, STYLE_NOTE);
    sh.merge(2, 1, 2, note_cols.max(1), STYLE_NOTE);
    sh.height(2, 32.0);
}

/// A dropdown or rule over rows 5..=104 of columns `c1..=c2`, with a prompt and an error; a
/// list of numbers switches a Japanese IME off.
fn rule(sh: &mut Sheet, lang: Lang, c1: u32, c2: u32, rule: Rule, title: &str, prompt: &str) {
    let (et, em) = list_error(lang);
    let numbers = matches!(&rule, Rule::List(v) if v.iter().all(|x| x.bytes().all(|b| b.is_ascii_digit())));
    let mut dv = DataValidation::new(range(FIRST_ROW, c1, LAST_ROW, c2), rule).with_prompt(title, prompt).with_error(et, em);
    if numbers {
        dv = dv.with_ime_mode("off");
    }
    sh.validate(dv);
}

/// The whole numbers `lo..=hi` as a dropdown's choices.
fn numbers(lo: u32, hi: u32) -> Rule {
    Rule::List((lo..=hi).map(|v| v.to_string()).collect())
}

/// A row number typed by the user (No, 資産目録のNo, リスクNo).
fn number_rule(sh: &mut Sheet, lang: Lang, c: u32, title: &str) {
    let (et, _) = list_error(lang);
    sh.validate(
        DataValidation::new(range(FIRST_ROW, c, LAST_ROW, c), Rule::WholeBetween(1, 1_000_000))
            .with_prompt(title, t(lang, ("番号（1以上の整数）を入力します。", "Type a number (a whole number from 1).")))
            .with_error(et, t(lang, ("1以上の整数を入力してください。", "Type a whole number from 1.")))
            .with_ime_mode("off"),
    );
}

/// Builds the register workbook of `profile` (資産目録, the register, リスク対応計画) and returns
/// the bytes of the `.xlsx` package. Every text comes from the profile in `lang`; the output is
/// the same byte for byte for the same profile and language. It holds no formulas: `fill`
/// computes the grey cells.
///
/// # Errors
///
/// [`ErrorKind::Profile`](crate::ErrorKind::Profile) when the profile has no `[register]` or no
/// `inventory`, `register`, `plan` in `[headers.sheets]`, or these cannot be Excel sheet names.
///
/// ```
/// use risksheet::ops::template::register::build_register;
/// use risksheet::profile::Profile;
/// let bytes = build_register(&Profile::builtin("lv3")?, risksheet::Lang::Ja)?;
/// let path = std::env::temp_dir().join("risksheet-doc-register.xlsx");
/// std::fs::write(&path, &bytes)?;
/// let wb = risksheet::xlsx::Workbook::open(&path)?;
/// assert_eq!(wb.sheet_names(), ["資産目録", "リスクアセスメント結果報告書", "リスク対応計画"]);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn build_register(profile: &Profile, lang: Lang) -> Result<Vec<u8>> {
    let missing = |en: &str| {
        crate::Error::new(crate::ErrorKind::Profile(crate::lang::Message::new(
            format!("プロファイル {} に {en} がないため、リスク登録簿を作れません", profile.id),
            format!("profile {} has no {en}: no risk register can be written", profile.id),
        )))
    };
    let rule = profile.register.as_ref().ok_or_else(|| missing("[register]"))?;
    let s = &profile.headers.sheets;
    let names = Names {
        inventory: s.inventory.as_ref().ok_or_else(|| missing("headers.sheets.inventory"))?,
        register: s.register.as_ref().ok_or_else(|| missing("headers.sheets.register"))?,
        plan: s.plan.as_ref().ok_or_else(|| missing("headers.sheets.plan"))?,
    };
    let mut register = register_sheet(profile, rule, &names, lang);
    register.selected = true;
    let sheets = vec![
        (names.inventory.text_in(lang).to_string(), inventory_sheet(profile, rule, &names, lang)),
        (names.register.text_in(lang).to_string(), register),
        (names.plan.text_in(lang).to_string(), plan_sheet(profile, rule, &names, lang)),
    ];
    check_sheet_names(&sheets)?;
    new_book::package(profile_title(profile, lang), &sheets, 1, lang)
}

/// The three sheets' names (`[headers.sheets]`), which titles and notes refer to.
struct Names<'a> {
    inventory: &'a Header,
    register: &'a Header,
    plan: &'a Header,
}

/// 資産目録: one asset per row, C/I/A chosen on the profile's scale, 重要度 computed.
fn inventory_sheet(p: &Profile, r: &RegisterRule, n: &Names<'_>, lang: Lang) -> Sheet {
    let (h, l) = (&p.headers.inventory, &p.headers.ledger);
    let mut tb = Table::default();
    let no = tb.push(&h.no, lang, Kind::Input);
    tb.push(&l.business, lang, Kind::Text(12.0));
    tb.push(&h.asset, lang, Kind::Text(24.0));
    tb.push(&l.note, lang, Kind::Text(28.0));
    tb.push(&l.users, lang, Kind::Text(12.0));
    tb.push(&l.owner, lang, Kind::Text(12.0));
    let c = tb.push(&h.confidentiality, lang, Kind::Input);
    tb.push(&h.integrity, lang, Kind::Input);
    let a = tb.push(&h.availability, lang, Kind::Input);
    tb.push(&h.importance, lang, Kind::Computed);

    let mut sh = Sheet::new(true);
    let how = match (lang, r.importance) {
        (Lang::Ja, crate::profile::Combine::Max) => format!("{}は、機密性・完全性・可用性のうち最も高い値です。", h.importance.text),
        (Lang::Ja, crate::profile::Combine::Sum) => format!("{}は、機密性・完全性・可用性の合計です。", h.importance.text),
        (Lang::En, crate::profile::Combine::Max) => format!("{} is the highest of confidentiality, integrity and availability.", h.importance.text_en),
        (Lang::En, crate::profile::Combine::Sum) => format!("{} is the sum of confidentiality, integrity and availability.", h.importance.text_en),
    };
    let note = match lang {
        Lang::Ja => format!(
            "5行目から1行に1つずつ情報資産を記入します。{}は「{}」の「{}」で参照します。{how}灰色の欄は risksheet fill が計算します。",
            h.no.text, n.register.text, p.headers.register.asset_no.text
        ),
        Lang::En => format!(
            "Enter one information asset per row from row 5. The \"{}\" column of \"{}\" refers to the {}. {how} Grey cells are computed by risksheet fill.",
            p.headers.register.asset_no.text_en, n.register.text_en, h.no.text_en
        ),
    };
    head(&mut sh, n.inventory.text_in(lang), &note, tb.last_col());
    tb.write(&mut sh, 3);
    number_rule(&mut sh, lang, no, h.no.text_in(lang));
    let prompt = match lang {
        Lang::Ja => format!("{}〜{}の値を選んでください（大きいほど重要）。", p.cia.min, p.cia.max),
        Lang::En => format!("Choose {}–{} (higher is more important).", p.cia.min, p.cia.max),
    };
    let cia = format!("{} / {} / {}", h.confidentiality.text_in(lang), h.integrity.text_in(lang), h.availability.text_in(lang));
    rule(&mut sh, lang, c, a, numbers(u32::from(p.cia.min), u32::from(p.cia.max)), &cia, &prompt);
    sh
}

/// リスクアセスメント結果報告書 (リスク一覧): a two-row header, 作成 / 承認 boxes, dropdowns on every
/// input, the levels coloured by priority once `fill` writes them.
fn register_sheet(p: &Profile, r: &RegisterRule, n: &Names<'_>, lang: Lang) -> Sheet {
    let h = &p.headers.register;
    let mut tb = Table::default();
    let no = tb.push(&h.no, lang, Kind::Input);
    let asset_no = tb.push(&h.asset_no, lang, Kind::Input);
    tb.push(&h.source, lang, Kind::Text(14.0));
    tb.push(&h.area, lang, Kind::Text(10.0));
    tb.push(&h.event, lang, Kind::Text(20.0));
    tb.push(&h.cause, lang, Kind::Text(18.0));
    tb.push(&h.consequence, lang, Kind::Text(18.0));
    let first = tb.group(&h.first_group, lang);
    tb.grouped(first, &h.importance, lang, Kind::Computed);
    let factors: Vec<u32> = r.factors.iter().map(|f| tb.grouped(first, &f.header, lang, Kind::Input)).collect();
    let level = tb.grouped(first, &h.level, lang, Kind::Computed);
    tb.push(&h.priority, lang, Kind::Computed);
    let treat = tb.group(&h.treatment_group, lang);
    let treatments: Vec<u32> = r
        .treatments
        .iter()
        .map(|c| {
            let col = tb.push_text(c.label_in(lang), Kind::Input);
            tb.cols[col as usize - 1].group = Some(treat);
            col
        })
        .collect();
    tb.push(&h.controls, lang, Kind::Text(22.0));
    let annex = tb.push(&h.annex, lang, Kind::Text(26.0));
    let response = tb.push(&h.response, lang, Kind::Input);
    let second = tb.group(&h.residual_group, lang);
    let residual_importance = tb.grouped(second, &h.importance, lang, Kind::Input);
    let residual_factors: Vec<u32> = r.factors.iter().map(|f| tb.grouped(second, &f.header, lang, Kind::Input)).collect();
    let residual_level = tb.grouped(second, &h.level, lang, Kind::Computed);
    let last = tb.last_col();

    let mut sh = Sheet::new(true);
    let factor_names = |lang: Lang| r.factors.iter().map(|f| f.header.text_in(lang).to_string()).collect::<Vec<_>>();
    let note = match lang {
        Lang::Ja => format!(
            "1行に1つずつリスクを記入します。{}は「{}」のNoです。{}×{}＝{}。{}を超えるリスクには対応を選び（●）、{}と{}を記入します。灰色の欄は risksheet fill が計算します。",
            h.asset_no.text,
            n.inventory.text,
            h.importance.text,
            factor_names(Lang::Ja).join("×"),
            h.level.text,
            r.acceptance,
            h.controls.text,
            h.residual_group.text
        ),
        Lang::En => format!(
            "Enter one risk per row. {} is the No. on \"{}\". {} × {} = {}. A risk above {} needs a treatment (●), {} and a {}. Grey cells are computed by risksheet fill.",
            h.asset_no.text_en,
            n.inventory.text_en,
            h.importance.text_en,
            factor_names(Lang::En).join(" × "),
            h.level.text_en,
            r.acceptance,
            h.controls.text_en,
            h.residual_group.text_en.to_lowercase()
        ),
    };
    // 作成 / 承認: two boxes of two columns each at the top right, label in row 1, room to sign
    // or stamp in row 2; the note stops short of them.
    let boxes = [(&h.prepared, last - 3), (&h.approved, last - 1)];
    // The note stays on the first of the pages the wide register prints across, in three lines.
    head(&mut sh, n.register.text_in(lang), &note, (last - 5).min(8));
    sh.height(2, 48.0);
    for (label, c) in boxes {
        sh.merge(1, c, 1, c + 1, STYLE_HEADER);
        sh.text(1, c, label.text_in(lang), STYLE_HEADER);
        sh.merge(2, c, 2, c + 1, STYLE_BODY_CENTER);
    }
    sh.height(2, 44.0);
    tb.write(&mut sh, 2);

    number_rule(&mut sh, lang, no, h.no.text_in(lang));
    number_rule(&mut sh, lang, asset_no, h.asset_no.text_in(lang));
    for (f, (&c, &rc)) in r.factors.iter().zip(factors.iter().zip(&residual_factors)) {
        let prompt = match lang {
            Lang::Ja => format!("{}〜{}の値を選んでください。", f.min, f.max),
            Lang::En => format!("Choose {}–{}.", f.min, f.max),
        };
        for col in [c, rc] {
            rule(&mut sh, lang, col, col, numbers(u32::from(f.min), u32::from(f.max)), f.header.text_in(lang), &prompt);
        }
    }
    if let (Some(&t1), Some(&t2)) = (treatments.first(), treatments.last()) {
        let prompt = t(lang, ("選んだ対応に「●」を付けます。", "Mark the chosen treatment with \"●\"."));
        rule(&mut sh, lang, t1, t2, Rule::List(vec!["●".to_string()]), h.treatment_group.text_in(lang), prompt);
    }
    let controls: Vec<String> = crate::controls::Catalog::bundled().v2022.iter().map(|c| format!("{} {}", c.id, c.title(lang))).collect();
    let annex_rule = choices(&mut sh, lang, &controls, last + 2, FIELD_ROW);
    let prompt = t(lang, ("ISO/IEC 27001:2022 附属書Aの管理策を一覧から選びます。", "Choose an ISO/IEC 27001:2022 Annex A control from the list."));
    rule(&mut sh, lang, annex, annex, annex_rule, h.annex.text_in(lang), prompt);
    let responses: Vec<String> = r.responses.iter().map(|c| c.label_in(lang).to_string()).collect();
    rule(&mut sh, lang, response, response, Rule::List(responses), h.response.text_in(lang), t(lang, ("一覧から選んでください。", "Choose from the list.")));
    let (lo, hi) = r.importance_range(p.cia);
    let prompt = match lang {
        Lang::Ja => format!("対応後の{}（{}〜{}）を選んでください。", h.importance.text, lo, hi),
        Lang::En => format!("Choose the {} after treatment ({lo}–{hi}).", h.importance.text_en.to_lowercase()),
    };
    rule(&mut sh, lang, residual_importance, residual_importance, numbers(lo, hi), h.importance.text_in(lang), &prompt);
    level_colours(&mut sh, p, r, &[level, residual_level]);
    sh
}

/// Colours of the levels by their priority band (the highest red, the lowest green), as the IPA
/// ledger colours its risk labels: one rule per possible level.
fn level_colours(sh: &mut Sheet, p: &Profile, r: &RegisterRule, cols: &[u32]) {
    let looks = crate::ops::looks::level_highlights();
    let mut bands: Vec<_> = r.priorities.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    let n = bands.len();
    for level in r.possible_levels(p.cia) {
        let Some(i) = bands.iter().position(|b| b.contains(level)) else { continue };
        let look = if i == 0 {
            0
        } else if i + 1 >= n {
            2
        } else {
            1
        };
        for &c in cols {
            sh.highlight(ConditionalFormat::number_equals(range(FIRST_ROW, c, LAST_ROW, c), f64::from(level), looks[look].clone()));
        }
    }
}

/// リスク対応計画: one task per row, planned and actual dates, the status from a dropdown.
fn plan_sheet(p: &Profile, r: &RegisterRule, n: &Names<'_>, lang: Lang) -> Sheet {
    let h = &p.headers.plan;
    let mut tb = Table::default();
    let no = tb.push(&h.no, lang, Kind::Input);
    let risk_no = tb.push(&h.risk_no, lang, Kind::Input);
    tb.push(&h.control, lang, Kind::Text(24.0));
    tb.push(&h.task, lang, Kind::Text(30.0));
    tb.push(&h.owner, lang, Kind::Text(12.0));
    let planned = tb.group(&h.planned_group, lang);
    let d1 = tb.grouped(planned, &h.planned_start, lang, Kind::Date);
    tb.grouped(planned, &h.planned_end, lang, Kind::Date);
    let actual = tb.group(&h.actual_group, lang);
    tb.grouped(actual, &h.actual_start, lang, Kind::Date);
    let d2 = tb.grouped(actual, &h.actual_end, lang, Kind::Date);
    let status = tb.push(&h.status, lang, Kind::Input);

    let mut sh = Sheet::new(true);
    let note = match lang {
        Lang::Ja => format!(
            "「{}」で対応を決めたリスクごとに、管理策を実施するタスクを1行に1つずつ記入します。{}は「{}」のNoです。日付は 2024/4/1 の形で入力します。",
            n.register.text, h.risk_no.text, n.register.text
        ),
        Lang::En => format!(
            "For each risk treated on \"{}\", enter one task per row. {} is the No. on \"{}\". Type dates as 2024/4/1.",
            n.register.text_en, h.risk_no.text_en, n.register.text_en
        ),
    };
    head(&mut sh, n.plan.text_in(lang), &note, tb.last_col());
    tb.write(&mut sh, 2);
    number_rule(&mut sh, lang, no, h.no.text_in(lang));
    number_rule(&mut sh, lang, risk_no, h.risk_no.text_in(lang));
    let (et, _) = list_error(lang);
    sh.validate(
        DataValidation::new(range(FIRST_ROW, d1, LAST_ROW, d2), Rule::DateBetween(1, 2_958_465))
            .with_prompt(t(lang, ("日付", "Date")), t(lang, ("日付を入力します（例: 2024/4/1）。", "Enter a date (e.g. 2024/4/1).")))
            .with_error(et, t(lang, ("日付を入力してください。", "Enter a date.")))
            .with_ime_mode("off"),
    );
    let statuses: Vec<String> = r.statuses.iter().map(|c| c.label_in(lang).to_string()).collect();
    rule(&mut sh, lang, status, status, Rule::List(statuses), h.status.text_in(lang), t(lang, ("一覧から選んでください。", "Choose from the list.")));
    sh
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_headers_wrap_within_bounds_and_text_columns_keep_their_room() {
        assert_eq!(fitted_width("No", Kind::Input), 6.0);
        assert_eq!(fitted_width("リスクレベル", Kind::Computed), 13.0, "one line");
        assert_eq!(fitted_width("被害発生可能性", Kind::Input), 8.0, "two lines");
        assert_eq!(fitted_width("Risk value", Kind::Computed), 11.0, "one line");
        assert_eq!(fitted_width("Confidentiality", Kind::Input), 16.0, "a word is not split");
        assert_eq!(fitted_width("事象", Kind::Text(20.0)), 20.0);
        assert_eq!(fitted_width("予定開始", Kind::Date), 11.5);
    }

    #[test]
    fn only_the_register_editions_write_a_register() {
        for (id, yes) in [("lv3", true), ("isms-seminar", true), ("ipa-3", false), ("ipa-2.1", false)] {
            assert_eq!(writes_register(&Profile::builtin(id).unwrap()), yes, "{id}");
        }
        let custom = Profile::from_toml_str("extends = \"lv3\"\nid = \"acme\"\n").unwrap();
        assert!(writes_register(&custom));
    }

    /// What the register's reader (`src/ops/ipa/infer.rs`) finds in a new register: the three
    /// roles on their sheets, the field row 4, data from row 5, and every field in its column.
    #[test]
    fn the_reader_finds_every_column_by_its_header() {
        use crate::ops::ipa::infer::{infer, treatment_key, Overrides, Role};
        for id in ["lv3", "isms-seminar"] {
            let p = Profile::builtin(id).unwrap();
            let r = p.register.as_ref().unwrap();
            let factors: Vec<String> = r.factors.iter().map(|f| f.key.clone()).collect();
            let mut register: Vec<String> = ["no", "asset_no", "source", "area", "event", "cause", "consequence", "importance"].map(String::from).to_vec();
            register.extend(factors.iter().cloned());
            register.extend(["level".into(), "priority".into()]);
            register.extend(r.treatments.iter().map(treatment_key));
            register.extend(["controls".into(), "annex".into(), "response".into(), "residual_importance".into()]);
            register.extend(factors.iter().map(|k| format!("residual_{k}")));
            register.push("residual_level".into());
            let inventory = ["no", "", "asset", "", "", "", "c", "i", "a", "importance"];
            let plan = ["no", "risk_no", "control", "task", "owner", "planned_start", "planned_end", "actual_start", "actual_end", "status"];
            for lang in [Lang::Ja, Lang::En] {
                let bytes = build_register(&p, lang).unwrap();
                let mut wb = crate::xlsx::Workbook::from_bytes("r.xlsx", bytes, &Default::default()).unwrap();
                let grids = crate::ops::ipa::layout::read_grids(&mut wb).unwrap();
                let found = infer(&grids, &p, &Overrides::default(), Lang::En).unwrap();
                let names = wb.sheet_names();
                for (role, sheet, keys) in [
                    (Role::Inventory, &names[0], inventory.map(String::from).to_vec()),
                    (Role::Register, &names[1], register.clone()),
                    (Role::Plan, &names[2], plan.map(String::from).to_vec()),
                ] {
                    let t = found.table(role).unwrap_or_else(|| panic!("{id} {lang:?}: no {role:?} in {:?}", found.roles));
                    assert_eq!((&t.sheet, t.bottom, t.first_row), (sheet, FIELD_ROW, FIRST_ROW), "{id} {lang:?} {role:?}");
                    for (i, key) in keys.iter().enumerate().filter(|(_, k)| !k.is_empty() && *k != "annex") {
                        assert_eq!(t.columns.get(key), Some(i as u32 + 1), "{id} {lang:?} {role:?} {key}: {:?}", t.evidence);
                    }
                }
            }
        }
    }
}
