//! `risksheet new`: a fresh risk analysis workbook in the IPA layout, written from nothing.
//!
//! The IPA 「リスク分析シート」 is a workbook of five (2.1 edition) or seven (3rd edition) sheets:
//! the asset ledger 情報資産管理台帳 with a filled-in example, the threats per medium
//! 脅威の状況, the control checklist 対策状況チェック and the result 診断結果; the 3rd edition adds
//! a how-to (利用方法) and the C/I/A scale (重要度定義). [`build_template`] writes all sheets of
//! a profile's edition, with every text taken from the profile (Japanese or English), the input
//! cells formatted and given dropdowns, and the computed cells left empty and grey.
//!
//! The template holds **inputs only, no formulas**: `fill` finds the columns by their header
//! texts afterwards and writes every formula with its cached value. So the headers written here
//! are exactly the profile's texts (`headers.*.text`, or `text_en` in English).
//!
//! Layout (rows and columns are 1-based; `A` = 1):
//!
//! | sheet | title | header | first data row | columns |
//! |---|---|---|---|---|
//! | 情報資産管理台帳, 記入例 | A1 | group row 3, field row 4 | 5 | A 業務分類 … U リスク値 label |
//! | 脅威の状況 | A1 | 4 | 5 | A 媒体・保存先, B 個別の脅威, C 頻度, D 対策状況 |
//! | 対策状況チェック | A1 | 4 | 5 | A No, B 対策の種類, C 診断項目, D 回答値 |
//! | 診断結果 | A1 | 4 | 5 | A 対策の種類, B 策定の必要性, C 実施率, D 要否; F–G 会社の状況 (company facts) |
//! | 重要度定義 | A1 | 4 | 5 | A 評価値, B 機密性, C 完全性, D 可用性 |
//!
//! A dropdown whose literal list would be over 255 characters (or holds a comma) takes its
//! choices from a list written on the same sheet in column [`CHOICES_COL`] (header 「選択肢」 in the
//! header row, values below it).
pub mod register;
pub mod self_check;
mod text;

use crate::error::{Error, ErrorKind, Lang, Result};
use crate::profile::{Header, Profile};
use crate::xlsx::address::{col_letters, CellRef, Range};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::new_book::{self, Sheet};
use crate::xlsx::validation::{DataValidation, Rule};
use text::{t, Names, EXAMPLES};

// The cell formats and differential formats of the fresh workbook writer.
pub use crate::xlsx::new_book::{
    STYLE_BODY, STYLE_BODY_CENTER, STYLE_BODY_WRAP, STYLE_BOLD, STYLE_COMPUTED, STYLE_COMPUTED_TEXT, STYLE_COMPUTED_WRAP, STYLE_DATE, STYLE_DEFAULT,
    STYLE_HEADER, STYLE_HEADER_COMPUTED, STYLE_NOTE, STYLE_PERCENT, STYLE_TITLE,
};

/// Ledger: row of the group headers (個人情報の種類, 評価値, 現状から想定されるリスク).
pub const LEDGER_GROUP_ROW: u32 = 3;
/// Ledger: row of the field headers (業務分類 … リスク値).
pub const LEDGER_FIELD_ROW: u32 = 4;
/// Ledger: first data row.
pub const LEDGER_FIRST_ROW: u32 = 5;
/// Ledger: last row formatted and given dropdowns (100 rows).
pub const LEDGER_LAST_ROW: u32 = 104;
/// Other sheets: header row.
pub const TABLE_HEADER_ROW: u32 = 4;
/// Other sheets: first data row.
pub const TABLE_FIRST_ROW: u32 = 5;
/// Column of a dropdown's choices when they do not fit a literal list (H on 脅威の状況,
/// 対策状況チェック; the ledger uses [`LEDGER_CHOICES_COL`]).
pub const CHOICES_COL: u32 = 8;
/// 診断結果: label column of the company facts block 会社の状況 (F; the answers in G).
pub const FACTS_COL: u32 = 6;
/// Ledger column of the medium choices when they do not fit a literal list (W).
pub const LEDGER_CHOICES_COL: u32 = 23;

/// Longest literal dropdown list (Excel's limit is 255 characters; two go to the quotes).
const MAX_LITERAL_LIST: usize = 253;

/// Ledger columns A..U (1-based): the schema's order (`LedgerField::template_col`).
mod col {
    use crate::ops::ipa::ledger::LedgerField;
    pub const BUSINESS: u32 = LedgerField::Business.template_col();
    pub const ASSET: u32 = LedgerField::Asset.template_col();
    pub const NOTE: u32 = LedgerField::Note.template_col();
    pub const USERS: u32 = LedgerField::Users.template_col();
    pub const OWNER: u32 = LedgerField::Owner.template_col();
    pub const MEDIUM: u32 = LedgerField::Medium.template_col();
    pub const PERSONAL: u32 = LedgerField::Personal.template_col();
    pub const SENSITIVE: u32 = LedgerField::Sensitive.template_col();
    pub const MYNUMBER: u32 = LedgerField::MyNumber.template_col();
    pub const CONFIDENTIALITY: u32 = LedgerField::Confidentiality.template_col();
    pub const INTEGRITY: u32 = LedgerField::Integrity.template_col();
    pub const AVAILABILITY: u32 = LedgerField::Availability.template_col();
    pub const IMPORTANCE: u32 = LedgerField::Importance.template_col();
    pub const RETENTION: u32 = LedgerField::Retention.template_col();
    pub const REGISTERED: u32 = LedgerField::Registered.template_col();
    pub const THREAT: u32 = LedgerField::Threat.template_col();
    pub const VULNERABILITY: u32 = LedgerField::Vulnerability.template_col();
    pub const LIKELIHOOD: u32 = LedgerField::Likelihood.template_col();
    pub const LIKELIHOOD_LABEL: u32 = LedgerField::LikelihoodLabel.template_col();
    pub const RISK: u32 = LedgerField::Risk.template_col();
    pub const RISK_LABEL: u32 = LedgerField::RiskLabel.template_col();
}

/// Builds a new workbook in the IPA layout of `profile`'s edition and returns the bytes of the
/// `.xlsx` package.
///
/// Every sheet of the edition is written, in the edition's tab order (sheets a profile does not
/// name, such as 利用方法 in ipa-2.1, are left out). Texts come from the profile in `lang`. The
/// output is the same byte for byte for the same profile and language (fixed timestamps).
/// The workbook holds no formulas; run `fill` on it to compute the grey cells.
///
/// # Errors
///
/// [`ErrorKind::Profile`] when the profile's sheet names cannot be Excel sheet names (too long,
/// `[]:*?/\\`, the same twice).
///
/// ```
/// use risksheet::ops::template::build_template;
/// use risksheet::profile::Profile;
/// use risksheet::Lang;
/// let profile = Profile::builtin("ipa-3")?;
/// let bytes = build_template(&profile, Lang::Ja)?;
/// assert_eq!(&bytes[..2], b"PK");
/// let path = std::env::temp_dir().join("risksheet-doc-template.xlsx");
/// std::fs::write(&path, &bytes)?;
/// let wb = risksheet::xlsx::Workbook::open(&path)?;
/// assert_eq!(wb.sheet_names()[3], "情報資産管理台帳");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn build_template(profile: &Profile, lang: Lang) -> Result<Vec<u8>> {
    let s = &profile.headers.sheets;
    let name = |h: &Header| h.text_in(lang).to_string();
    let names = Names {
        ledger: s.ledger.text_in(lang),
        example: s.ledger_example.as_ref().map(|h| h.text_in(lang)),
        definition: s.importance_definition.as_ref().map(|h| h.text_in(lang)),
        threats: s.threats.text_in(lang),
        checklist: s.checklist.text_in(lang),
        result: s.result.text_in(lang),
    };
    let mut sheets: Vec<(String, Sheet)> = Vec::new();
    if let Some(h) = &s.usage {
        sheets.push((name(h), usage_sheet(lang, &names)));
    }
    if let Some(h) = &s.ledger_example {
        sheets.push((name(h), ledger_sheet(profile, lang, true)));
    }
    if let Some(h) = &s.importance_definition {
        sheets.push((name(h), definition_sheet(profile, lang)));
    }
    let mut ledger = ledger_sheet(profile, lang, false);
    ledger.selected = true;
    sheets.push((name(&s.ledger), ledger));
    sheets.push((name(&s.threats), threats_sheet(profile, lang)));
    sheets.push((name(&s.checklist), checklist_sheet(profile, lang)));
    sheets.push((name(&s.result), result_sheet(profile, lang)));
    check_sheet_names(&sheets)?;
    let active = sheets.iter().position(|(_, s)| s.selected).unwrap_or(0);

    new_book::package(profile_title(profile, lang), &sheets, active, lang)
}

/// The profile's title in `lang`.
fn profile_title(p: &Profile, lang: Lang) -> &str {
    if lang == Lang::En && !p.title_en.is_empty() {
        &p.title_en
    } else {
        &p.title
    }
}

/// Refuses sheet names Excel cannot hold (empty, over 31 characters, `[]:*?/\`, duplicates).
fn check_sheet_names(sheets: &[(String, Sheet)]) -> Result<()> {
    let mut seen: Vec<String> = Vec::new();
    for (n, _) in sheets {
        let bad = !crate::xlsx::address::is_valid_sheet_name(n);
        let key = n.to_lowercase();
        if bad || seen.contains(&key) {
            return Err(Error::new(ErrorKind::Profile(crate::lang::Message::new(
                format!("headers.sheets: 「{n}」はシート名に使えません（31文字以内、[]:*?/\\ を含まない、重複しない）"),
                format!("headers.sheets: 「{n}」 cannot be a sheet name (at most 31 characters, none of []:*?/\\, no duplicates)"),
            ))));
        }
        seen.push(key);
    }
    Ok(())
}

/// A literal list when the choices fit, else the choices written to `col` of `sheet` under a
/// 「選択肢」 header at `header_row`, and a rule referring to them.
fn choices(sheet: &mut Sheet, lang: Lang, values: &[String], col: u32, header_row: u32) -> Rule {
    let literal: usize = values.iter().map(|v| v.chars().count()).sum::<usize>() + values.len().saturating_sub(1);
    if literal <= MAX_LITERAL_LIST && !values.iter().any(|v| v.contains([',', '"'])) {
        return Rule::List(values.to_vec());
    }
    sheet.text(header_row, col, t(lang, ("選択肢", "Choices")), STYLE_HEADER);
    for (i, v) in values.iter().enumerate() {
        sheet.text(header_row + 1 + i as u32, col, v, STYLE_BODY_WRAP);
    }
    let c = col_letters(col);
    let last = header_row + values.len().max(1) as u32;
    sheet.width(col, 48.0);
    Rule::ListFrom(format!("${c}${}:${c}${last}", header_row + 1))
}

/// A range from 1-based corners.
fn range(r1: u32, c1: u32, r2: u32, c2: u32) -> Range {
    Range::new(CellRef::new(r1, c1), CellRef::new(r2, c2))
}

/// The error message of a dropdown.
fn list_error(lang: Lang) -> (&'static str, &'static str) {
    (t(lang, ("入力エラー", "Invalid entry")), t(lang, ("一覧にある値を選んでください。", "Choose a value from the list.")))
}

/// The widest table, in characters, an A4 landscape page prints at 8 pt or more when fitted to
/// its width (measured in LibreOffice: 225 characters came out at 5 pt; tests/test_print.py).
pub(crate) const PRINTED_CHARS_PER_PAGE: f64 = 140.0;
/// The characters of column width an A4 landscape page holds at 100 % between risksheet's
/// margins (LibreOffice; Excel's narrower unit holds more).
const A4_LANDSCAPE_CHARS: f64 = 108.0;

/// 情報資産管理台帳 or its 記入例: title, two-row header, rows 5.. formatted, dropdowns.
fn ledger_sheet(p: &Profile, lang: Lang, example: bool) -> Sheet {
    let h = &p.headers.ledger;
    let mut sh = Sheet::new(true);
    sh.print_titles = Some((LEDGER_GROUP_ROW, LEDGER_FIELD_ROW));
    // 21 columns shrunk onto one A4 page print at 5 pt: two or three pages across (below), with
    // 業務分類 and the asset's name repeated on each, keep the text legible.
    sh.title_columns = Some((col::BUSINESS, col::ASSET));
    sh.text(1, 1, h.title.text_in(lang), STYLE_TITLE);
    sh.height(1, 28.0);
    let note = if example {
        t(
            lang,
            (
                "記入例です。実際の情報資産は「情報資産管理台帳」シートに記入してください。灰色の欄は risksheet fill が計算します。",
                "Examples only: enter your own assets on the ledger sheet. Grey cells are computed by risksheet fill.",
            ),
        )
    } else {
        t(
            lang,
            (
                "5行目から1行に1つずつ情報資産を記入してください（業務分類〜登録日）。灰色の欄は risksheet fill が計算します。",
                "Enter one information asset per row from row 5 (Business area to Registered). Grey cells are computed by risksheet fill.",
            ),
        )
    };
    // The note on the columns the first printed page shows (the ledger prints across pages).
    sh.text(2, 1, note, STYLE_NOTE);
    sh.merge(2, 1, 2, col::NOTE, STYLE_NOTE);
    sh.height(2, 45.0);

    let (g, f) = (LEDGER_GROUP_ROW, LEDGER_FIELD_ROW);
    // Ungrouped headers merged over both rows.
    for (c, hd, computed) in [
        (col::BUSINESS, &h.business, false),
        (col::ASSET, &h.asset, false),
        (col::NOTE, &h.note, false),
        (col::USERS, &h.users, false),
        (col::OWNER, &h.owner, false),
        (col::MEDIUM, &h.medium, false),
        (col::RETENTION, &h.retention, false),
        (col::REGISTERED, &h.registered, false),
    ] {
        let style = if computed { STYLE_HEADER_COMPUTED } else { STYLE_HEADER };
        sh.merge(g, c, f, c, style);
        sh.text(g, c, hd.text_in(lang), style);
    }
    // Groups over the field row.
    let risk_group = match lang {
        Lang::Ja => format!("{}（入力不要・自動表示）", h.risk_group.text),
        Lang::En => h.risk_group.text_in(lang).to_string(),
    };
    for (c1, c2, text, style) in [
        (col::PERSONAL, col::MYNUMBER, h.personal_group.text_in(lang).to_string(), STYLE_HEADER),
        (col::CONFIDENTIALITY, col::IMPORTANCE, h.evaluation_group.text_in(lang).to_string(), STYLE_HEADER),
        (col::THREAT, col::RISK_LABEL, risk_group, STYLE_HEADER_COMPUTED),
    ] {
        sh.merge(g, c1, g, c2, style);
        sh.text(g, c1, &text, style);
    }
    for (c, hd, style) in [
        (col::PERSONAL, &h.personal, STYLE_HEADER),
        (col::SENSITIVE, &h.sensitive, STYLE_HEADER),
        (col::MYNUMBER, &h.mynumber, STYLE_HEADER),
        (col::CONFIDENTIALITY, &h.confidentiality, STYLE_HEADER),
        (col::INTEGRITY, &h.integrity, STYLE_HEADER),
        (col::AVAILABILITY, &h.availability, STYLE_HEADER),
        (col::IMPORTANCE, &h.importance, STYLE_HEADER_COMPUTED),
        (col::THREAT, &h.threat, STYLE_HEADER_COMPUTED),
        (col::VULNERABILITY, &h.vulnerability, STYLE_HEADER_COMPUTED),
    ] {
        sh.text(f, c, hd.text_in(lang), style);
    }
    // 被害発生可能性 and リスク値 span a number and a label column.
    for (c, hd) in [(col::LIKELIHOOD, &h.likelihood), (col::RISK, &h.risk)] {
        sh.merge(f, c, f, c + 1, STYLE_HEADER_COMPUTED);
        sh.text(f, c, hd.text_in(lang), STYLE_HEADER_COMPUTED);
    }
    sh.height(g, 24.0);
    sh.height(f, 54.0);

    let widths_ja = [12.0, 22.0, 30.0, 13.0, 11.0, 13.0, 8.0, 9.0, 9.0, 7.0, 7.0, 7.0, 7.0, 11.0, 11.0, 10.0, 10.0, 4.5, 10.0, 4.5, 9.0];
    // The computed labels' columns (S, U) as wide as their longest label (「Likelihood: medium」,
    // 「Medium risk」) and a character.
    let widths_en = [13.0, 18.0, 30.0, 13.0, 14.0, 15.0, 10.0, 10.0, 10.0, 13.5, 10.0, 12.0, 12.0, 14.0, 11.0, 11.0, 13.0, 4.5, 19.0, 4.5, 12.0];
    let widths = if lang == Lang::Ja { widths_ja } else { widths_en };
    for (i, w) in widths.iter().enumerate() {
        sh.width(i as u32 + 1, *w);
    }
    // Pages across start between the header's groups (個人情報の種類, 評価値, the computed risk).
    let groups = [(col::PERSONAL, col::MYNUMBER), (col::CONFIDENTIALITY, col::IMPORTANCE), (col::THREAT, col::RISK_LABEL)];
    let (breaks, widest) = sh.pages_by_groups(col::RISK_LABEL, &groups, PRINTED_CHARS_PER_PAGE);
    if !breaks.is_empty() {
        // The scale at which the widest page fills an A4 landscape page (about 109 characters at 100 %).
        sh.break_scale = Some(((100.0 * A4_LANDSCAPE_CHARS / widest).floor() as u16).clamp(10, 100));
        sh.column_breaks = breaks;
    }

    let body_style = |c: u32| match c {
        col::BUSINESS | col::ASSET | col::NOTE | col::USERS | col::OWNER | col::RETENTION => STYLE_BODY_WRAP,
        col::MEDIUM | col::PERSONAL | col::SENSITIVE | col::MYNUMBER => STYLE_BODY_CENTER,
        col::CONFIDENTIALITY | col::INTEGRITY | col::AVAILABILITY => STYLE_BODY_CENTER,
        col::REGISTERED => STYLE_DATE,
        // The number with its label (「3:通常の状態で発生する…」), as IPA's 記入例 shows them.
        col::THREAT | col::VULNERABILITY => STYLE_COMPUTED_TEXT,
        _ => STYLE_COMPUTED,
    };
    let last = if example { LEDGER_FIRST_ROW + EXAMPLES.len() as u32 - 1 } else { LEDGER_LAST_ROW };
    for r in LEDGER_FIRST_ROW..=last {
        for c in col::BUSINESS..=col::RISK_LABEL {
            sh.blank(r, c, body_style(c));
        }
    }
    if example {
        write_examples(&mut sh, p, lang);
    }

    // Dropdowns on every input column of rows 5..=104.
    let (r1, r2) = (LEDGER_FIRST_ROW, LEDGER_LAST_ROW);
    let (et, em) = list_error(lang);
    let media: Vec<String> = p.media.iter().map(|m| m.name_in(lang).to_string()).collect();
    let rule = choices(&mut sh, lang, &media, LEDGER_CHOICES_COL, LEDGER_FIELD_ROW);
    sh.validate(
        DataValidation::new(range(r1, col::MEDIUM, r2, col::MEDIUM), rule)
            .with_prompt(h.medium.text_in(lang), t(lang, ("一覧から選んでください。", "Choose from the list.")))
            .with_error(et, em),
    );
    let yes = t(lang, ("有", "Yes"));
    sh.validate(
        DataValidation::list(range(r1, col::PERSONAL, r2, col::MYNUMBER), &[yes])
            .with_prompt(
                h.personal_group.text_in(lang),
                t(
                    lang,
                    ("含むときは「有」を選び、含まないときは空欄のままにします。", "Choose \"Yes\" when the asset holds such data; leave blank otherwise."),
                ),
            )
            .with_error(et, em),
    );
    let cia: Vec<String> = p.cia.values().map(|v| v.to_string()).collect();
    let cia_prompt = match lang {
        Lang::Ja => format!(
            "{}〜{}の値を選んでください（{}）。",
            p.cia.min,
            p.cia.max,
            if p.headers.sheets.importance_definition.is_some() { "目安は「重要度定義」シート" } else { "大きいほど重要" }
        ),
        Lang::En => format!("Choose {}–{} (higher is more important).", p.cia.min, p.cia.max),
    };
    sh.validate(
        DataValidation::new(range(r1, col::CONFIDENTIALITY, r2, col::AVAILABILITY), Rule::List(cia))
            .with_prompt(h.evaluation_group.text_in(lang), &cia_prompt)
            .with_error(
                et,
                &match lang {
                    Lang::Ja => format!("{}〜{}の数値を選んでください。", p.cia.min, p.cia.max),
                    Lang::En => format!("Choose a number from {} to {}.", p.cia.min, p.cia.max),
                },
            )
            .with_ime_mode("off"),
    );
    sh.validate(registered_validation(range(r1, col::REGISTERED, r2, col::REGISTERED), p, lang));

    // Colours of the computed labels, as `fill` gives a user's own ledger.
    let looks = crate::ops::looks::level_highlights();
    for (field, labels) in crate::ops::ipa::label_colours(p) {
        let c = if field == "risk_label" { col::RISK_LABEL } else { col::LIKELIHOOD_LABEL };
        for (label, level) in labels {
            sh.highlight(ConditionalFormat::text_equals(range(r1, c, r2, c), &label, looks[level].clone()));
        }
    }
    sh.freeze(LEDGER_FIELD_ROW, col::ASSET);
    sh
}

/// The eight example assets in rows 5..=12, C/I/A moved onto the profile's scale.
fn write_examples(sh: &mut Sheet, p: &Profile, lang: Lang) {
    /// 2024/04/01 as an Excel date serial.
    const REGISTERED: f64 = 45383.0;
    let yes = t(lang, ("有", "Yes"));
    for (i, ex) in EXAMPLES.iter().enumerate() {
        let r = LEDGER_FIRST_ROW + i as u32;
        sh.height(r, 30.0);
        sh.text(r, col::BUSINESS, t(lang, ex.business), STYLE_BODY_WRAP);
        sh.text(r, col::ASSET, t(lang, ex.asset), STYLE_BODY_WRAP);
        sh.text(r, col::NOTE, t(lang, ex.note), STYLE_BODY_WRAP);
        sh.text(r, col::USERS, t(lang, ex.users), STYLE_BODY_WRAP);
        sh.text(r, col::OWNER, t(lang, ex.owner), STYLE_BODY_WRAP);
        if let Some(m) = p.medium(ex.medium) {
            sh.text(r, col::MEDIUM, m.name_in(lang), STYLE_BODY_CENTER);
        }
        for (k, on) in ex.personal.iter().enumerate() {
            if *on {
                sh.text(r, col::PERSONAL + k as u32, yes, STYLE_BODY_CENTER);
            }
        }
        for (k, v) in ex.cia.iter().enumerate() {
            let v = (v + p.cia.min).min(p.cia.max);
            sh.number(r, col::CONFIDENTIALITY + k as u32, f64::from(v), STYLE_BODY_CENTER);
        }
        sh.text(r, col::RETENTION, t(lang, ex.retention), STYLE_BODY_WRAP);
        sh.number(r, col::REGISTERED, REGISTERED, STYLE_DATE);
    }
}

/// Title, a note in row 2, and header cells in row 4.
fn table_head(sh: &mut Sheet, title: &str, note: &str, headers: &[&str], computed_from: u32) {
    sh.text(1, 1, title, STYLE_TITLE);
    sh.height(1, 28.0);
    sh.text(2, 1, note, STYLE_NOTE);
    sh.merge(2, 1, 2, headers.len() as u32, STYLE_NOTE);
    sh.height(2, 30.0);
    for (i, h) in headers.iter().enumerate() {
        let c = i as u32 + 1;
        let style = if c >= computed_from { STYLE_HEADER_COMPUTED } else { STYLE_HEADER };
        sh.text(TABLE_HEADER_ROW, c, h, style);
    }
    sh.height(TABLE_HEADER_ROW, 40.0);
    sh.freeze(TABLE_HEADER_ROW, 0);
    sh.print_titles = Some((TABLE_HEADER_ROW, TABLE_HEADER_ROW));
}

/// 脅威の状況: one block per medium, the medium merged in A and the 対策状況 in D.
fn threats_sheet(p: &Profile, lang: Lang) -> Sheet {
    let h = &p.headers.threats;
    let mut sh = Sheet::new(true);
    table_head(
        &mut sh,
        p.headers.sheets.threats.text_in(lang),
        t(lang, (
            "個別の脅威ごとに、対策を講じない場合の発生頻度を一覧から選んでください。対策状況は「対策状況チェック」の回答から risksheet fill が計算します。",
            "For each threat, choose how often it would occur without measures. The state of measures is computed by risksheet fill from the checklist answers.",
        )),
        &[h.medium.text_in(lang), h.threat.text_in(lang), h.frequency.text_in(lang), h.status.text_in(lang)],
        4,
    );
    // 136 characters: A4 landscape, one page wide, the 10 pt note still at 8 pt.
    for (c, w) in [(1, 16.0), (2, 56.0), (3, 42.0), (4, 22.0)] {
        sh.width(c, w);
    }
    let mut r = TABLE_FIRST_ROW;
    for m in p.media.iter().filter(|m| !m.threats.is_empty()) {
        let end = r + m.threats.len() as u32 - 1;
        sh.merge(r, 1, end, 1, STYLE_BODY_CENTER);
        sh.text(r, 1, m.name_in(lang), STYLE_BODY_CENTER);
        sh.merge(r, 4, end, 4, STYLE_COMPUTED_WRAP);
        for (k, th) in m.threats.iter().enumerate() {
            let row = r + k as u32;
            sh.text(row, 2, th.text_in(lang), STYLE_BODY_WRAP);
            sh.blank(row, 3, STYLE_BODY_WRAP);
            sh.height(row, 26.0);
        }
        r = end + 1;
    }
    if r > TABLE_FIRST_ROW {
        let labels: Vec<String> = p.threat.levels.iter().map(|l| l.label_in(lang).to_string()).collect();
        let rule = choices(&mut sh, lang, &labels, CHOICES_COL, TABLE_HEADER_ROW);
        let (et, em) = list_error(lang);
        sh.validate(
            DataValidation::new(range(TABLE_FIRST_ROW, 3, r - 1, 3), rule)
                .with_prompt(h.frequency.text_in(lang), t(lang, ("一覧から選んでください。", "Choose from the list.")))
                .with_error(et, em),
        );
    }
    sh
}

/// 対策状況チェック: one row per item, the group label merged over the group's rows.
fn checklist_sheet(p: &Profile, lang: Lang) -> Sheet {
    let h = &p.headers.checklist;
    // Landscape: portrait would print its 115 characters at 6.6 pt.
    let mut sh = Sheet::new(true);
    table_head(
        &mut sh,
        p.headers.sheets.checklist.text_in(lang),
        t(
            lang,
            ("各項目について、自社の状況にいちばん近い回答を一覧から選んでください。", "For each item, choose the answer closest to the company's situation."),
        ),
        &[t(lang, ("No", "No.")), h.group.text_in(lang), h.item.text_in(lang), h.answer.text_in(lang)],
        5,
    );
    for (c, w) in [(1, 5.0), (2, 20.0), (3, 64.0), (4, 26.0)] {
        sh.width(c, w);
    }
    let mut groups: Vec<_> = p.checklist.groups.values().filter(|g| !g.items.is_empty()).collect();
    groups.sort_by_key(|g| g.number);
    let mut r = TABLE_FIRST_ROW;
    let mut no = 1u32;
    for g in groups {
        let end = r + g.items.len() as u32 - 1;
        sh.merge(r, 2, end, 2, STYLE_BODY_WRAP);
        sh.text(r, 2, &format!("({}) {}", g.number, g.name_in(lang)), STYLE_BODY_WRAP);
        for (k, item) in g.items.iter().enumerate() {
            let row = r + k as u32;
            sh.number(row, 1, f64::from(no), STYLE_BODY_CENTER);
            sh.text(row, 3, item.text_in(lang), STYLE_BODY_WRAP);
            sh.blank(row, 4, STYLE_BODY);
            sh.height(row, 33.0);
            no += 1;
        }
        r = end + 1;
    }
    if r > TABLE_FIRST_ROW {
        let labels: Vec<String> = p.checklist.answers.iter().map(|a| a.label_in(lang).to_string()).collect();
        let rule = choices(&mut sh, lang, &labels, CHOICES_COL, TABLE_HEADER_ROW);
        let (et, em) = list_error(lang);
        sh.validate(
            DataValidation::new(range(TABLE_FIRST_ROW, 4, r - 1, 4), rule)
                .with_prompt(h.answer.text_in(lang), t(lang, ("一覧から選んでください。", "Choose from the list.")))
                .with_error(et, em),
        );
    }
    sh
}

/// 診断結果: one row per chapter; the rate (C) and decision (D) are left to `fill`.
fn result_sheet(p: &Profile, lang: Lang) -> Sheet {
    let h = &p.headers.result;
    // Landscape: the table, the 会社の状況 block beside it and the reasons below, readable on A4.
    let mut sh = Sheet::new(true);
    table_head(
        &mut sh,
        p.headers.sheets.result.text_in(lang),
        t(
            lang,
            (
                "実施率と要否は、台帳と対策状況チェックの回答から risksheet fill が計算します。",
                "Rates and decisions are computed by risksheet fill from the ledger and the checklist answers.",
            ),
        ),
        &[h.chapter.text_in(lang), h.need.text_in(lang), h.rate.text_in(lang), h.decision.text_in(lang)],
        3,
    );
    // The rate's header breaks between words: 「Implementation」 needs 15.
    let rate_width = if lang == Lang::Ja { 12.0 } else { 15.0 };
    for (c, w) in [(1, 36.0), (2, 10.0), (3, rate_width), (4, 28.0), (FACTS_COL - 1, 3.0)] {
        sh.width(c, w);
    }
    for (i, ch) in p.chapters.iter().enumerate() {
        let r = TABLE_FIRST_ROW + i as u32;
        sh.text(r, 1, &format!("{}. {}", ch.number, ch.title_in(lang)), STYLE_BODY_WRAP);
        sh.text(r, 2, p.result.mark(ch.need), STYLE_BODY_CENTER);
        sh.blank(r, 3, STYLE_PERCENT);
        sh.blank(r, 4, STYLE_COMPUTED_WRAP);
        sh.height(r, 24.0);
    }
    facts_block(&mut sh, p, lang);
    reasons_block(&mut sh, p, lang);
    sh
}

/// The cells `fill` writes the reasons for the selection into, below the table after one blank
/// row: the heading in A, then per chapter its name in A and the reasons in B merged across to the
/// 会社の状況 block's last column, wrapped, three lines high (a reason lists the assets at risk).
fn reasons_block(sh: &mut Sheet, p: &Profile, lang: Lang) {
    let top = TABLE_FIRST_ROW + p.chapters.len() as u32 + 1;
    let last_col = if crate::ops::ipa::facts::used_keys(p).is_empty() { 4 } else { FACTS_COL + 1 };
    sh.text(top, 1, t(lang, crate::ops::ipa::fill::REASONS_HEADING), STYLE_BOLD);
    let line = if lang == Lang::Ja { 18.0 } else { 15.0 };
    for k in 0..p.chapters.len() as u32 {
        let r = top + 1 + k;
        sh.blank(r, 1, STYLE_BODY_WRAP);
        sh.merge(r, 2, r, last_col, STYLE_BODY_WRAP);
        sh.height(r, 3.0 * line + 4.0);
    }
}

/// 会社の状況 on 診断結果, right of the table after one blank column (F–G): one row per company
/// fact the profile's chapters depend on, the answer chosen from はい/いいえ (a whole number for
/// the employees). `fill` reads the answers and the decisions refer to them.
fn facts_block(sh: &mut Sheet, p: &Profile, lang: Lang) {
    use crate::ops::ipa::facts::{used_keys, ANSWER_HEADER, BLOCK_TITLE, YES_NO};
    let keys = used_keys(p);
    if keys.is_empty() {
        return;
    }
    let (lc, ac) = (FACTS_COL, FACTS_COL + 1);
    sh.text(TABLE_HEADER_ROW, lc, t(lang, BLOCK_TITLE), STYLE_HEADER);
    sh.text(TABLE_HEADER_ROW, ac, t(lang, ANSWER_HEADER), STYLE_HEADER);
    sh.width(lc, 32.0);
    sh.width(ac, 10.0);
    let (et, em) = list_error(lang);
    for (k, key) in keys.iter().enumerate() {
        let r = TABLE_FIRST_ROW + k as u32;
        sh.text(r, lc, key.label(lang), STYLE_BODY_WRAP);
        sh.blank(r, ac, STYLE_BODY_CENTER);
        let (rule, prompt) = if key.is_count() {
            (Rule::WholeBetween(0, 1_000_000), t(lang, ("人数を入力してください", "Type the number of people")))
        } else {
            (Rule::List(YES_NO.iter().map(|x| t(lang, *x).to_string()).collect()), t(lang, ("はい／いいえを選んでください", "Choose Yes or No")))
        };
        sh.validate(DataValidation::new(range(r, ac, r, ac), rule).with_prompt(key.label(lang), prompt).with_error(et, em));
    }
}

/// 利用方法: the how-to, one paragraph per row in a wide column A.
fn usage_sheet(lang: Lang, names: &Names<'_>) -> Sheet {
    let mut sh = Sheet::default();
    sh.text(1, 1, t(lang, ("リスク分析シートの使い方", "How to use this risk analysis workbook")), STYLE_TITLE);
    sh.height(1, 28.0);
    sh.width(1, 80.0);
    let mut r = 3;
    for (heading, text) in text::usage(lang, names) {
        if heading && r > 3 {
            r += 1;
        }
        sh.text(r, 1, &text, if heading { STYLE_BOLD } else { STYLE_NOTE });
        if !heading {
            let lines = text.chars().count() / if lang == Lang::Ja { 40 } else { 85 } + 1;
            sh.height(r, 15.0 * lines as f64 + 5.0);
        }
        r += 1;
    }
    sh
}

/// 重要度定義: the C/I/A scale, how 重要度 and リスク値 follow from it.
fn definition_sheet(p: &Profile, lang: Lang) -> Sheet {
    let hl = &p.headers.ledger;
    // Landscape: the three guide columns side by side, readable on A4.
    let mut sh = Sheet::new(true);
    let title = p.headers.sheets.importance_definition.as_ref().map_or("", |h| h.text_in(lang));
    table_head(
        &mut sh,
        title,
        t(
            lang,
            (
                "情報資産の機密性・完全性・可用性は、次の目安で決めてください。",
                "Rate the confidentiality, integrity and availability of each asset with this guide.",
            ),
        ),
        &[t(lang, ("評価値", "Value")), hl.confidentiality.text_in(lang), hl.integrity.text_in(lang), hl.availability.text_in(lang)],
        99,
    );
    for (c, w) in [(1, 12.0), (2, 38.0), (3, 38.0), (4, 38.0)] {
        sh.width(c, w);
    }
    let levels: Vec<u8> = p.cia.values().rev().collect();
    let mut r = TABLE_FIRST_ROW;
    for (rank, v) in levels.iter().enumerate() {
        sh.number(r, 1, f64::from(*v), STYLE_BODY_CENTER);
        let guide = text::cia_guide(lang, rank, levels.len());
        for (k, text) in guide.iter().enumerate() {
            sh.text(r, 2 + k as u32, text, STYLE_BODY_WRAP);
        }
        // As tall as the longest guide text wrapped in its column, at least the 50 pt it had.
        let lines = guide.iter().map(|g| crate::text::wrapped_lines(g, 38.0)).max().unwrap_or(1) as f64;
        sh.height(r, (lines * if lang == Lang::Ja { 18.0 } else { 15.0 } + 4.0).max(50.0));
        r += 1;
    }
    r += 1;
    sh.text(r, 1, hl.importance.text_in(lang), STYLE_BOLD);
    r += 1;
    let mut rule = match lang {
        Lang::Ja => "重要度は、機密性・完全性・可用性のうち最も高い値です。".to_string(),
        Lang::En => "Importance is the highest of confidentiality, integrity and availability.".to_string(),
    };
    if let Some(level) = p.personal_info_level() {
        rule += &match lang {
            Lang::Ja => format!("個人情報・要配慮個人情報・{}のいずれかが「有」の情報資産は、重要度を{level}とします。", hl.mynumber.text),
            Lang::En => format!(" An asset holding any kind of personal data has importance {level}."),
        };
    }
    sh.text(r, 1, &rule, STYLE_NOTE);
    sh.merge(r, 1, r, 4, STYLE_NOTE);
    sh.height(r, 30.0);
    r += 2;
    sh.text(r, 1, hl.risk.text_in(lang), STYLE_BOLD);
    r += 1;
    let intro = match lang {
        Lang::Ja => format!("{}は、重要度 × {}です。", hl.risk.text, hl.likelihood.text),
        Lang::En => "Risk value = importance × likelihood.".to_string(),
    };
    sh.text(r, 1, &intro, STYLE_NOTE);
    sh.merge(r, 1, r, 4, STYLE_NOTE);
    r += 1;
    for (c, text) in [t(lang, ("範囲", "Range")), t(lang, ("評価", "Rating")), t(lang, ("対応", "Action"))].iter().enumerate() {
        sh.text(r, c as u32 + 1, text, STYLE_HEADER);
    }
    r += 1;
    for b in &p.risk.bands {
        let span = if b.min == b.max { b.min.to_string() } else { format!("{}〜{}", b.min, b.max) };
        sh.text(r, 1, &span, STYLE_BODY_CENTER);
        sh.text(r, 2, b.label_in(lang), STYLE_BODY_CENTER);
        sh.text(r, 3, b.advice_in(lang), STYLE_BODY_WRAP);
        r += 1;
    }
    sh
}

/// Creates `path` as a fresh workbook in the IPA layout, with every formula, cached value and
/// dropdown `fill` writes (so the template computes as soon as the user types). For the
/// register editions (`lv3`, `isms-seminar`, [`register::writes_register`]) it writes the risk
/// register instead ([`register::build_register`]: 資産目録, the register and the treatment
/// plan), inputs only; the summary then counts no assets.
///
/// # Errors
///
/// Those of [`build_template`]; those of saving
/// ([`Workbook::save_as`](crate::xlsx::Workbook::save_as)) when `path` cannot be written
/// ([`XlsxError::InUse`](crate::xlsx::XlsxError::InUse),
/// [`XlsxError::ReadOnly`](crate::xlsx::XlsxError::ReadOnly), [`ErrorKind::Io`]).
///
/// ```no_run
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-3")?;
/// risksheet::ops::template::new_workbook("risk.xlsx", &p, risksheet::Lang::Ja)?;
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn new_workbook(path: impl AsRef<std::path::Path>, profile: &Profile, lang: Lang) -> Result<crate::ops::ipa::fill::FillSummary> {
    let path = path.as_ref();
    if register::writes_register(profile) {
        let bytes = register::build_register(profile, lang)?;
        // Read under another name than `path`: a workbook without edits saved over its own path
        // writes nothing.
        let mut wb = crate::xlsx::Workbook::from_bytes(register::NEW_NAME, bytes, &crate::xlsx::Limits::default())?;
        // The computed columns get their formulas (and the summary sheet its counts) at once.
        let summary = crate::ops::ipa::fill::fill(&mut wb, Some(profile))?;
        wb.save_as(path, &Default::default())?;
        return Ok(summary);
    }
    let bytes = build_template(profile, lang)?;
    let mut wb = crate::xlsx::Workbook::from_bytes(path, bytes, &crate::xlsx::Limits::default())?;
    let summary = crate::ops::ipa::fill::fill(&mut wb, Some(profile))?;
    wb.save_as(path, &Default::default())?;
    Ok(summary)
}

/// The rule on the ledger's 登録日 cells: a date (a serial number Excel and LibreOffice show as
/// a date), with its prompt and error; the template's rows and rows `fill` finds a user appended.
pub(crate) fn registered_validation(range: Range, p: &Profile, lang: Lang) -> DataValidation {
    let (et, _) = list_error(lang);
    DataValidation::new(range, Rule::DecimalBetween(1.0, 2_958_465.0))
        .with_prompt(p.headers.ledger.registered.text_in(lang), t(lang, ("日付を入力します（例: 2024/4/1）。", "Enter a date (e.g. 2024/4/1).")))
        .with_error(et, t(lang, ("日付を入力してください。", "Enter a date.")))
        .with_ime_mode("off")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_go_to_a_choices_column() {
        let mut sh = Sheet::default();
        let short = vec!["1:a".to_string(), "2:b".to_string()];
        assert_eq!(choices(&mut sh, Lang::Ja, &short, CHOICES_COL, 4), Rule::List(short.clone()));
        let long: Vec<String> = (1..=3).map(|i| format!("{i}:{}", "あ".repeat(100))).collect();
        assert_eq!(choices(&mut sh, Lang::Ja, &long, CHOICES_COL, 4), Rule::ListFrom("$H$5:$H$7".into()));
        let comma = vec!["a, b".to_string()];
        assert_eq!(choices(&mut sh, Lang::En, &comma, CHOICES_COL, 4), Rule::ListFrom("$H$5:$H$5".into()));
        let bytes = new_book::package("t", &[("S".into(), sh)], 0, Lang::En).unwrap();
        let mut wb = crate::xlsx::Workbook::from_bytes("t.xlsx", bytes, &Default::default()).unwrap();
        let h4 = wb.cell("S", CellRef::new(4, CHOICES_COL)).unwrap().unwrap();
        assert_eq!((h4.value.to_string(), h4.style != 0), ("Choices".to_string(), true));
    }

    #[test]
    fn label_colours_go_from_red_for_the_highest_to_green_for_the_lowest() {
        let p = Profile::builtin("ipa-3").unwrap();
        let colours = crate::ops::ipa::label_colours(&p);
        let risk = &colours.iter().find(|(f, _)| *f == "risk_label").unwrap().1;
        let level = |l: &str| risk.iter().find(|(x, _)| x == l).map(|x| x.1);
        assert_eq!([level("リスク大"), level("リスク中"), level("リスク小")], [Some(0), Some(1), Some(2)]);
        assert_eq!(level("High risk").or(level("high risk")), Some(0), "{risk:?}");
        let lk = &colours.iter().find(|(f, _)| *f == "likelihood_label").unwrap().1;
        assert_eq!(lk.iter().find(|(x, _)| x == "可能性:高").map(|x| x.1), Some(0));
    }
}
