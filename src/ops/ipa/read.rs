//! Reading the user's tables into typed rows, each value with its cell: the ledger's assets, the
//! threats per medium, the checklist's answers. What cannot be used becomes a warning naming the
//! cell (and the value is left out), never a guess.
use super::ledger::LedgerField;
use super::*;

pub(crate) struct Collector {
    pub(crate) warnings: Vec<Warning>,
    pub(crate) normalizations: Vec<Normalization>,
    /// The language of the warnings.
    pub(crate) lang: Lang,
}

impl Collector {
    pub(crate) fn warn(&mut self, sheet: &str, row: u32, col: u32, e: &Error) {
        self.warnings.push(Warning { sheet: sheet.to_string(), cell: addr(row, col), message: e.message(self.lang) });
    }
    pub(crate) fn normalize(&mut self, grid: &Grid, row: u32, col: u32, to: CellValue) {
        let from = grid.own_value(row, col);
        if *from != to && !from.is_blank() {
            self.normalizations.push(Normalization { sheet: grid.sheet.clone(), row, col, from: from.to_string(), to });
        }
    }
}

/// Fields of a ledger the results or the reader need that were not found (and are not already
/// reported as doubtful): said, so that an empty name or an importance without the
/// personal-information rule is never silent.
pub(super) fn missing_ledger_fields(l: &LedgerLayout, p: &Profile, doubtful: &[infer::Ambiguity], out: &mut Collector) {
    let h = &p.headers.ledger;
    let reported = |f: &str| doubtful.iter().any(|a| a.field == f);
    let lg = out.lang;
    let mut say = |message: String| out.warnings.push(Warning { sheet: l.sheet.clone(), cell: String::new(), message });
    if l.of(LedgerField::Asset).is_none() && !reported("asset") {
        say(match lg {
            Lang::Ja => format!("「{}」の列が見つかりません（資産名は空欄になります）。--map ledger.asset=列 で指定できます", h.asset.text),
            Lang::En => format!("no “{}” column found (asset names stay empty); give it with --map ledger.asset=COLUMN", h.asset.text_en),
        });
    }
    if p.importance.personal_info_override && LedgerField::FLAGS.iter().all(|&f| l.of(f).is_none() && !reported(f.key())) {
        say(match lg {
            Lang::Ja => {
                format!("「{}」の列が見つからないため、重要度は個人情報の有無を考慮していません。--map ledger.personal=列 で指定できます", h.personal.text)
            }
            Lang::En => {
                format!("no “{}” column found, so importance does not account for personal data; give it with --map ledger.personal=COLUMN", h.personal.text_en)
            }
        });
    }
}

/// Reads one ledger table.
/// A row more than this many empty rows below the table's last row is not part of the table: a
/// person sees a stray entry (one asset typed at row 1,048,576), not 1,048,000 rows to fill.
pub(crate) const MAX_GAP_ROWS: u32 = 500;

/// The ledger's last asset row: the table runs from its first row down to the last asset before
/// a gap of more than [`MAX_GAP_ROWS`] empty rows. Asset rows below such a gap are reported, each
/// naming its cell, and left alone.
fn last_table_row(grid: &Grid, l: &LedgerLayout, is_asset: &dyn Fn(u32) -> bool, out: &mut Collector) -> Option<u32> {
    let mut last: Option<u32> = None;
    let mut end_of_table = false;
    let mut strays = 0usize;
    for r in l.first_row..=grid.max_row {
        if !is_asset(r) {
            continue;
        }
        let previous = last.unwrap_or(l.first_row.saturating_sub(1));
        end_of_table |= r - previous > MAX_GAP_ROWS;
        if !end_of_table {
            last = Some(r);
            continue;
        }
        strays += 1;
        if strays > super::MAX_LISTED_ASSETS {
            continue;
        }
        let col = [LedgerField::Asset, LedgerField::Medium].iter().filter_map(|&f| l.of(f)).find(|&c| !grid.own_value(r, c).is_blank()).unwrap_or(l.first_row);
        let message = if out.lang == Lang::Ja {
            format!("台帳の表から{MAX_GAP_ROWS}行以上離れた行です。表の一部とみなさず計算しませんでした（表の続きなら、間の空行を詰めてください）")
        } else {
            format!("more than {MAX_GAP_ROWS} empty rows below the ledger's table: not read as part of it, nothing computed (if it belongs to the table, move it up)")
        };
        out.warn(&grid.sheet, r, col, &Error::usage(message));
    }
    if strays > super::MAX_LISTED_ASSETS {
        let more = strays - super::MAX_LISTED_ASSETS;
        let message = if out.lang == Lang::Ja {
            format!("ほかに{more}行、同じく表から離れた行があります")
        } else {
            format!("{more} more rows as far below the table")
        };
        out.warnings.push(Warning { sheet: grid.sheet.clone(), cell: String::new(), message });
    }
    last
}

pub(super) fn read_ledger(grid: &Grid, l: &LedgerLayout, p: &Profile, wl: crate::error::Lang, out: &mut Collector) -> Vec<Asset> {
    // An asset row names an asset or a medium; rows with neither (totals, notes under the table)
    // are not assets.
    let is_asset = |r: u32| [LedgerField::Asset, LedgerField::Medium].iter().filter_map(|&f| l.of(f)).any(|c| !grid.own_value(r, c).is_blank());
    let Some(last) = last_table_row(grid, l, &is_asset, out) else { return Vec::new() };
    let mut assets = Vec::new();
    // A ledger names a handful of media thousands of times: each distinct text is matched once.
    let mut known_media: std::collections::HashMap<String, Option<&crate::profile::Medium>> = Default::default();
    for r in l.first_row..=last {
        if !is_asset(r) {
            continue;
        }
        // An input that is a formula without a stored result cannot be read until a spreadsheet
        // computes it: say so rather than treat it as blank.
        for f in [LedgerField::Medium].iter().chain(&LedgerField::CIA).chain(&LedgerField::FLAGS) {
            if let Some(c) = l.of(*f).filter(|&c| grid.uncomputed(r, c)) {
                let e = Error::new(ErrorKind::InvalidValue {
                    expected: crate::lang::Message::new(
                        "値（数式の結果が保存されていません。Excelで開いて保存するか、値を入力してください）",
                        "a value (the formula's result is not stored; open and save the file in Excel, or type the value)",
                    ),
                    found: format!("={}", out.lang.pick("数式", "formula")),
                });
                out.warn(&grid.sheet, r, c, &e);
            }
        }
        let name = l.of(LedgerField::Asset).map(|c| grid.text(r, c)).unwrap_or_default();
        let mut medium = None;
        if let Some(c) = l.of(LedgerField::Medium) {
            let cell = grid.own_value(r, c);
            let parsed = match known_media.get(&cell.to_string()) {
                Some(m) => Ok(*m),
                None => parse_medium(input(cell), p).inspect(|m| {
                    known_media.insert(cell.to_string(), *m);
                }),
            };
            match parsed {
                Ok(Some(m)) => {
                    out.normalize(grid, r, c, CellValue::Text(m.name_in(wl).to_string()));
                    medium = Some(m);
                }
                Ok(None) => {}
                Err(e) => out.warn(&grid.sheet, r, c, &e),
            }
        }
        let mut level = |field: &str| -> Option<u8> {
            let c = l.col(field)?;
            match parse_level(input(grid.own_value(r, c)), p.cia) {
                Ok(Some(v)) => {
                    out.normalize(grid, r, c, CellValue::Number(v as f64));
                    Some(v)
                }
                Ok(None) => None,
                Err(e) => {
                    out.warn(&grid.sheet, r, c, &e);
                    None
                }
            }
        };
        let (c, i, a) = (level("c"), level("i"), level("a"));
        let mut flag = |field: &str| -> bool {
            let Some(col) = l.col(field) else { return false };
            match parse_flag(input(grid.own_value(r, col))) {
                Ok(true) => {
                    out.normalize(grid, r, col, CellValue::Text(flag_text(wl).into()));
                    true
                }
                Ok(false) => false,
                Err(e) => {
                    out.warn(&grid.sheet, r, col, &e);
                    false
                }
            }
        };
        let personal = flag("personal") | flag("sensitive");
        let mynumber = flag("mynumber");
        assets.push(Asset {
            row: r,
            name,
            medium: medium.map(|m| m.name_in(wl).to_string()),
            medium_id: medium.map(|m| m.id.clone()),
            c,
            i,
            a,
            personal: personal || mynumber,
            mynumber,
            importance: None,
            threat: None,
            vulnerability: None,
            likelihood: None,
            risk: None,
            band: None,
            high: false,
        });
    }
    assets
}

/// Reads the threat blocks of 脅威の状況.
pub(super) fn read_threats(grid: &Grid, t: &TableLayout, p: &Profile, wl: crate::error::Lang, out: &mut Collector) -> Result<Vec<ThreatBlock>> {
    let h = &p.headers.threats;
    let freq = t.need("frequency", &h.frequency)?;
    let med_col = t.need("medium", &h.medium)?;
    let mut blocks: Vec<ThreatBlock> = Vec::new();
    for r in t.first_row..=grid.max_row {
        let med_text = grid.text(r, med_col);
        if !med_text.is_empty() {
            if let Some(m) = p.find_medium(&med_text) {
                if blocks.last().is_none_or(|b| b.medium != m.id || grid.merge_of(r, med_col).is_none_or(|mg| mg.start.row == r)) {
                    blocks.push(ThreatBlock { medium: m.id.clone(), rows: Vec::new(), levels: Vec::new() });
                }
            }
        }
        let Some(block) = blocks.last_mut() else { continue };
        let threat_text = t.col("threat").map(|c| grid.text(r, c)).unwrap_or_default();
        let value = grid.own_value(r, freq);
        if threat_text.is_empty() && value.is_blank() {
            continue;
        }
        let level = match parse_labelled(input(value), &p.threat) {
            Ok(v) => {
                if let Some(v) = v {
                    if let Some(l) = p.threat.level(v) {
                        out.normalize(grid, r, freq, canonical_label(value, v, l.label_in(wl)));
                    }
                }
                v
            }
            Err(e) => {
                out.warn(&grid.sheet, r, freq, &e);
                None
            }
        };
        block.rows.push(r);
        block.levels.push(level);
    }
    Ok(blocks)
}

/// The canonical form of a labelled choice: numbers stay numbers, texts become the label.
fn canonical_label(current: &CellValue, value: u8, label: &str) -> CellValue {
    match current {
        CellValue::Number(_) => CellValue::Number(value as f64),
        // A label whose first character is already the ASCII digit reads fine.
        CellValue::Text(t) if t.trim_start().starts_with(char::from(b'0' + value)) => current.clone(),
        _ => CellValue::Text(label.to_string()),
    }
}

/// Reads the checklist's groups and answers.
pub(super) fn read_checklist(grid: &Grid, t: &TableLayout, p: &Profile, wl: crate::error::Lang, out: &mut Collector) -> Result<(Vec<CheckRows>, GroupAnswers)> {
    let h = &p.headers.checklist;
    let ans = t.need("answer", &h.answer)?;
    // Without a group column, groups are section rows above their items, in the item column.
    let sections = t.col("group").is_none();
    let group_col = match t.col("group") {
        Some(c) => c,
        None => t.need("item", &h.group)?,
    };
    let mut rows: Vec<CheckRows> = Vec::new();
    let mut answers = GroupAnswers::new();
    for r in t.first_row..=grid.max_row {
        let label = grid.text(r, group_col);
        if let Some((id, _)) = p.find_group(&label) {
            if rows.last().is_none_or(|g| g.group != id) {
                rows.push(CheckRows { group: id.to_string(), rows: Vec::new() });
            }
            if sections && grid.own_value(r, ans).is_blank() {
                continue;
            }
        }
        let Some(g) = rows.last_mut() else { continue };
        let item = t.col("item").map(|c| grid.text(r, c)).unwrap_or_default();
        let value = grid.own_value(r, ans);
        if item.is_empty() && value.is_blank() {
            continue;
        }
        let answer = match parse_answer(input(value), p) {
            Ok(a) => {
                if let Some(CheckAnswer(v)) = a {
                    if let Some(l) = p.checklist.answer(v) {
                        out.normalize(grid, r, ans, canonical_label(value, v, l.label_in(wl)));
                    }
                }
                a
            }
            Err(e) => {
                out.warn(&grid.sheet, r, ans, &e);
                None
            }
        };
        g.rows.push(r);
        answers.entry(g.group.clone()).or_default().push(answer);
    }
    Ok((rows, answers))
}
