//! The evidence a column gives for a field: its header text, scored once per distinct text, and
//! what its values read as (media names, C/I/A levels, answers …), read once per sheet and
//! shared by every role tried on it; and how the two combine into one score.
use super::*;
use crate::domain::cell::{parse_answer, parse_flag, parse_labelled, parse_level};

/// What a column's values should read as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Content {
    /// Anything (names, notes, dates): the header alone decides.
    Free,
    /// Text, not numbers.
    Text,
    Medium,
    Level,
    Flag,
    Answer,
    Group,
    Frequency,
    Chapter,
    /// A column risksheet computes: what it holds now says nothing.
    Computed,
}

impl Content {
    /// Kinds whose values alone identify the column when its header says little.
    pub(super) fn identifying(self) -> bool {
        matches!(self, Content::Medium | Content::Answer | Content::Group | Content::Frequency | Content::Chapter)
    }
    /// Kinds of input the results are computed from: a doubtful column of these is not used.
    pub(super) fn decisive(self) -> bool {
        matches!(self, Content::Medium | Content::Level | Content::Flag | Content::Answer | Content::Group | Content::Frequency | Content::Chapter)
    }
}

/// What is read once per sheet and shared by the roles tried on it: the header-like texts of
/// its first rows, and what each distinct value reads as.
pub(super) struct SheetMemo<'a> {
    pub(super) grid: &'a Grid,
    /// Header texts by (row, column), read on first use.
    pub(super) texts: HashMap<(u32, u32), Option<std::rc::Rc<str>>>,
    /// Whether a value's text reads as a kind (media names repeat thousands of times).
    pub(super) reads: HashMap<(u8, String), bool>,
}

impl<'a> SheetMemo<'a> {
    pub(super) fn new(grid: &'a Grid) -> SheetMemo<'a> {
        SheetMemo { grid, texts: HashMap::new(), reads: HashMap::new() }
    }

    /// The text of a cell as a header: `None` for blanks and numbers (a header is words).
    pub(super) fn header_text(&mut self, row: u32, col: u32) -> Option<std::rc::Rc<str>> {
        let grid = self.grid;
        self.texts
            .entry((row, col))
            .or_insert_with(|| match grid.value(row, col) {
                CellValue::Text(t) if !t.trim().is_empty() => Some(t.trim().into()),
                _ => None,
            })
            .clone()
    }

    /// The share of a column's values below `first_row` that read as `kind`: (readable, non-blank).
    pub(super) fn content_of(&mut self, col: u32, first_row: u32, kind: Content, p: &Profile) -> Option<(usize, usize)> {
        if matches!(kind, Content::Free | Content::Computed) {
            return None;
        }
        let grid = self.grid;
        let last = grid.max_row.min(first_row.saturating_add(CONTENT_SAMPLE_ROWS));
        let (mut ok, mut n) = (0, 0);
        for r in first_row..=last {
            let v = grid.own_value(r, col);
            if v.is_blank() {
                continue;
            }
            n += 1;
            let key = (kind as u8, v.to_string());
            let reads = match self.reads.get(&key) {
                Some(&b) => b,
                None => {
                    let b = reads_as(v, kind, p);
                    self.reads.insert(key, b);
                    b
                }
            };
            ok += usize::from(reads);
        }
        (n > 0).then_some((ok, n))
    }
}

/// Whether a value reads as a kind of content.
pub(super) fn reads_as(v: &CellValue, kind: Content, p: &Profile) -> bool {
    let input = crate::ops::ipa::input(v);
    let text = || v.to_string();
    match kind {
        Content::Text => matches!(v, CellValue::Text(t) if t.trim().parse::<f64>().is_err()),
        Content::Medium => p.find_medium(&text()).is_some(),
        Content::Level => parse_level(input, p.cia).is_ok(),
        Content::Flag => parse_flag(input).is_ok(),
        Content::Answer => parse_answer(input, p).is_ok(),
        Content::Group => p.find_group(&text()).is_some(),
        Content::Frequency => parse_labelled(input, &p.threat).is_ok(),
        Content::Chapter => p.find_chapter(&text()).is_some(),
        Content::Free | Content::Computed => true,
    }
}

/// One role's header scores on one sheet, once per distinct header text.
pub(super) struct HeaderScores<'m, 'a> {
    pub(super) sheet: &'m mut SheetMemo<'a>,
    pub(super) scorers: Vec<crate::profile::HeaderScorer>,
    /// Each field's group header, prepared (評価値 for 機密性), if it has one.
    pub(super) group_scorers: Vec<Option<crate::profile::HeaderScorer>>,
    pub(super) memo: HashMap<std::rc::Rc<str>, Vec<f32>>,
    pub(super) groups: HashMap<(usize, std::rc::Rc<str>), bool>,
    pub(super) contents: HashMap<(u32, u32, u8), Option<(usize, usize)>>,
}

impl HeaderScores<'_, '_> {
    /// The scores of the header text at a column for a header spanning `top..=bottom`: the field
    /// row's text, or the top row's where the field row is empty (an ungrouped header written
    /// once above).
    pub(super) fn at(&mut self, top: u32, bottom: u32, col: u32) -> Option<(u32, &[f32])> {
        let mut row = bottom;
        let mut text = self.sheet.header_text(bottom, col);
        if text.is_none() && top < bottom {
            row = top;
            text = self.sheet.header_text(top, col);
        }
        let text = text?;
        let scorers = &self.scorers;
        let scores = self.memo.entry(text.clone()).or_insert_with(|| {
            // Long prose (a question, a threat's description) is no header but may hold a key word.
            if text.chars().count() > MAX_HEADER_CHARS {
                return scorers.iter().map(|s| s.contains_only(&text)).collect();
            }
            let cell = crate::profile::HeaderCell::new(&text);
            scorers.iter().map(|s| s.score_cell(&cell)).collect()
        });
        Some((row, scores.as_slice()))
    }

    /// Whether a group row's text is field `i`'s usual group header (評価値 over 機密性), once per
    /// distinct text.
    pub(super) fn under_group(&mut self, i: usize, text: &std::rc::Rc<str>) -> bool {
        let Some(scorer) = &self.group_scorers[i] else { return false };
        *self.groups.entry((i, text.clone())).or_insert_with(|| scorer.score(text) >= 0.75)
    }

    pub(super) fn content(&mut self, col: u32, first_row: u32, kind: Content, p: &Profile) -> Option<(usize, usize)> {
        if let Some(&c) = self.contents.get(&(col, first_row, kind as u8)) {
            return c;
        }
        let c = self.sheet.content_of(col, first_row, kind, p);
        self.contents.insert((col, first_row, kind as u8), c);
        c
    }
}

/// One field's score for one column, and the evidence behind it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Score {
    pub(super) total: f32,
    pub(super) header: f32,
    /// Under its usual group header (評価値 over 機密性).
    pub(super) under_group: bool,
    pub(super) content: Option<(usize, usize)>,
    pub(super) header_row: u32,
}

pub(super) fn combine(header: f32, headed: bool, content: Option<(usize, usize)>, kind: Content) -> f32 {
    let Some((ok, n)) = content else { return header };
    let share = ok as f32 / n as f32;
    let mut s = 0.75 * header + 0.25 * share;
    // Values that contradict the header weaken it; values that say plainly what the column is
    // (media names, check answers) find it even under a header worded past recognition.
    if n >= 3 && share < 0.3 {
        s *= 0.7;
    }
    // Three or more values that all read as media names or check answers are as clear to a reader
    // as a header, when the column has one; a column with no header at all is only a candidate
    // (the user says with --map), and a rival column of the same values still makes it a tie.
    if kind.identifying() && n >= 3 && share >= 0.9 {
        s = s.max(if headed { 0.68 + 0.1 * header } else { 0.6 });
    }
    s
}
