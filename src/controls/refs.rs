//! Finding legacy ISO/IEC 27001 Annex A control references (2013, or 2005 with
//! [`Context::edition`]) in a cell's text.
//!
//! Shapes recognised (full-width characters are read as their half-width forms):
//!
//! | shape | example | where |
//! |---|---|---|
//! | `A.` id | `A.12.6.1`, `a.12.6.1`, `Ａ．１２．６．１`, `A. 12.6.1` | anywhere |
//! | `A` id | `A12.6.1` | anywhere |
//! | annex prefix | `附属書A.12.6.1`, `附属書 12.6.1` | anywhere (`附属書` is kept as text) |
//! | bare id | `12.6.1` | only when [`Context::bare_ids`] is set (see below) |
//! | list | `A.9.2.5, A.9.2.6`, `A.9.2.5・A.9.2.6`, `A.9.2.5及びA.9.2.6` | references separated only by `,、，・/／;；`, spaces, 及び, および, and, `&` form one group |
//! | range | `A.13.2.1〜A.13.2.3`, `A.13.2.1～13.2.3`, `A.13.2.1-3` | `〜 ～ ~ - – — から` between two ids (or an id and a last number) |
//! | title | `A.12.6.1 技術的ぜい弱性の管理`, `A.12.6.1（Management of technical vulnerabilities）` | a known title right after the id (after spaces, `:`, `：`, `-`, or an opening bracket) |
//!
//! **The rule for bare ids.** `12.6.1` without `A` is also a section number of a procedure, a
//! clause of the standard's body (6.1.3) or a version. It is read as a control only where the
//! caller says so ([`Context::bare_ids`]); `convert` sets it for cells below a header that names
//! controls (管理策, 管理目的, 附属書, control, annex — but not a header about reasons, documents or
//! notes such as 「管理策を含めた理由」 or 「規程・手順書」). Elsewhere a cell holding nothing but
//! bare known ids is reported for review instead of being converted.
//!
//! Known titles are the 2013 titles of the catalogue (English bundled; Japanese when a loaded
//! catalogue gives them) and the 2022 titles of the control's successors (the 2013 and 2022
//! titles are the same for most controls). A title must end at the end of the text or before
//! punctuation or a space, so 「アクセス権」 is not read inside 「アクセス権の削除」.
//!
//! References that look like controls of the edition but are not (`A.19.1.1`, a reversed range)
//! are returned as [`RefKind::Unknown`], and an objective written with `A` (`A.9.2`, two numbers:
//! the objective, not a control) as [`RefKind::Objective`], so that the caller can mark the cell
//! rather than guess. Bare two-number ids (`5.18`) and `A.` ids that are 2022 controls but no
//! objective of the edition (`A.8.34`) are not legacy references and are not returned.
//!
//! ```
//! use risksheet::controls::{Catalog, refs::{find, Context, RefKind}};
//! let cat = Catalog::bundled();
//! let text = "対策: A.9.2.5、A.9.2.6 を参照";
//! let found = find(text, cat, Context::default());
//! assert_eq!(found.refs.len(), 2);
//! assert_eq!(&text[found.refs[0].span.clone()], "A.9.2.5");
//! assert_eq!(found.refs[1].kind, RefKind::Control("A.9.2.6".into()));
//! assert_eq!(found.groups, vec![0..2]);
//! // bare ids only when the context allows them
//! assert!(find("12.6.1", cat, Context::default()).refs.is_empty());
//! assert_eq!(find("12.6.1", cat, Context { bare_ids: true, ..Context::default() }).refs.len(), 1);
//! // full width, annex prefix, a title
//! let t = "附属書Ａ．１２．６．１ 技術的ぜい弱性の管理";
//! let r = &find(t, cat, Context::default()).refs[0];
//! assert_eq!(r.kind, RefKind::Control("A.12.6.1".into()));
//! assert!(r.full_width);
//! assert_eq!(&t[r.title.clone().unwrap().span], "技術的ぜい弱性の管理");
//! ```
use super::{Catalog, Edition};
use crate::error::Lang;
use serde::Serialize;
use std::ops::Range;

/// How to read references: where they may be written without `A`, and which edition they cite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// Read bare ids (`12.6.1`) as controls: the cell is in a column whose header names controls.
    pub bare_ids: bool,
    /// The edition whose ids and titles are recognised (2013 unless told).
    pub edition: Edition,
    /// Read `A.` ids with two numbers that are also 2022 controls (`A.5.1`) as objectives of the
    /// edition: the sheet still cites legacy controls, so `A.5.1` is more likely the 2013
    /// objective than the 2022 control. Otherwise they are taken for 2022 ids and left alone.
    pub objectives: bool,
}

/// What a reference refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RefKind {
    /// One 2013 control, by its canonical id (`A.12.6.1`).
    Control(String),
    /// A range of 2013 controls, with every id it covers in Annex A order.
    Range {
        /// First id.
        from: String,
        /// Last id.
        to: String,
        /// Every id from `from` to `to`.
        ids: Vec<String>,
    },
    /// An objective (`A.9.2`), with the controls it holds in the edition.
    Objective {
        /// The objective's id.
        id: String,
        /// Its controls.
        ids: Vec<String>,
    },
    /// Looks like a reference of the edition but is none; the text says why.
    Unknown(String),
}

/// A title found right after an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleSpan {
    /// Byte range of the title in the text.
    pub span: Range<usize>,
    /// The language of the title matched.
    pub lang: Lang,
}

/// One reference in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Byte range of the whole reference: the id (or range) and its title, if any (with the
    /// closing bracket of a title in brackets).
    pub span: Range<usize>,
    /// Byte range of the id (or of the whole range `A.13.2.1〜A.13.2.3`).
    pub id_span: Range<usize>,
    /// What it refers to.
    pub kind: RefKind,
    /// The title after the id, when one was recognised.
    pub title: Option<TitleSpan>,
    /// The title right before the id (「技術的ぜい弱性の管理（A.12.6.1）」), when there is none after
    /// it and one was recognised; outside `span`.
    pub title_before: Option<TitleSpan>,
    /// Written with `A` (`A.12.6.1`, `A12.6.1`) rather than bare or after 附属書 only.
    pub prefixed: bool,
    /// Written in full-width characters.
    pub full_width: bool,
}

impl Reference {
    /// The 2013 ids this reference covers (none for an unknown one).
    pub fn ids(&self) -> Vec<String> {
        match &self.kind {
            RefKind::Control(id) => vec![id.clone()],
            RefKind::Range { ids, .. } => ids.clone(),
            RefKind::Objective { .. } | RefKind::Unknown(_) => Vec::new(),
        }
    }
}

/// The references of a text and how they group into lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Found {
    /// References in text order.
    pub refs: Vec<Reference>,
    /// Index ranges into `refs` of references written as one list (only separators between
    /// them); every reference is in exactly one group.
    pub groups: Vec<Range<usize>>,
}

impl Found {
    /// Whether the text holds nothing but the references, 附属書 and list separators.
    pub fn only_references(&self, text: &str) -> bool {
        let mut pos = 0;
        let mut rest = String::new();
        for r in &self.refs {
            rest.push_str(&text[pos..r.span.start]);
            pos = r.span.end;
        }
        rest.push_str(&text[pos..]);
        is_separator(&rest.replace("附属書", " "))
    }
}

/// A character of the text, read as half-width, with its byte offset.
#[derive(Clone, Copy)]
struct Ch {
    at: usize,
    c: char,
    wide: bool,
}

fn fold(c: char) -> (char, bool) {
    match c {
        '\u{FF01}'..='\u{FF5E}' => (char::from_u32(c as u32 - 0xFEE0).unwrap_or(c), true),
        '\u{3000}' => (' ', true),
        _ => (c, false),
    }
}

fn chars(text: &str) -> Vec<Ch> {
    text.char_indices()
        .map(|(at, c)| {
            let (c, wide) = fold(c);
            Ch { at, c, wide }
        })
        .collect()
}

/// Whether a gap between two references is only list separators.
fn is_separator(gap: &str) -> bool {
    let mut g = gap.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}').to_string();
    for w in ["及び", "および", "並びに", "又は", "または", "and", "or", "AND"] {
        g = g.replace(w, " ");
    }
    g.chars().all(|c| c.is_whitespace() || ",、，・/／;；&＆\u{3000}".contains(c))
}

/// A number path `12.6.1` starting at `i`: (parts, index after, last index of digits).
fn number_path(cs: &[Ch], mut i: usize) -> Option<(Vec<u32>, usize)> {
    let mut parts = Vec::new();
    loop {
        let start = i;
        while i < cs.len() && cs[i].c.is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 3 {
            return None;
        }
        let n: u32 = cs[start..i].iter().map(|c| c.c).collect::<String>().parse().ok()?;
        parts.push(n);
        if i + 1 < cs.len() && cs[i].c == '.' && cs[i + 1].c.is_ascii_digit() {
            i += 1;
            continue;
        }
        return Some((parts, i));
    }
}

/// An id starting at `i`: `A.12.6.1`, `A12.6.1`, `A. 12.6.1` or bare `12.6.1`.
struct IdAt {
    parts: Vec<u32>,
    prefixed: bool,
    end: usize,
    wide: bool,
}

fn id_at(cs: &[Ch], i: usize) -> Option<IdAt> {
    let before_ok = |k: usize| k == 0 || !(cs[k - 1].c.is_ascii_alphanumeric() || cs[k - 1].c == '.' || cs[k - 1].c == '_');
    if !before_ok(i) {
        return None;
    }
    let (prefixed, mut j) = if cs[i].c == 'A' || cs[i].c == 'a' {
        let mut j = i + 1;
        if j < cs.len() && cs[j].c == '.' {
            j += 1;
            while j < cs.len() && cs[j].c == ' ' && j - i < 4 {
                j += 1;
            }
        }
        (true, j)
    } else {
        (false, i)
    };
    if j >= cs.len() || !cs[j].c.is_ascii_digit() {
        return None;
    }
    let (parts, end) = number_path(cs, j)?;
    // Not followed by a letter or digit (A.12.6.1a, 12.6.1.3 are something else).
    if end < cs.len() && (cs[end].c.is_ascii_alphanumeric() || cs[end].c == '_') {
        return None;
    }
    let wide = cs[i..end].iter().any(|c| c.wide);
    j = end;
    Some(IdAt { parts, prefixed, end: j, wide })
}

fn canonical(parts: &[u32]) -> String {
    format!("A.{}", parts.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
}

fn is_2022_id(cat: &Catalog, parts: &[u32]) -> bool {
    parts.len() == 2 && cat.control_2022(&format!("{}.{}", parts[0], parts[1])).is_some()
}

fn byte(cs: &[Ch], i: usize, text: &str) -> usize {
    cs.get(i).map_or(text.len(), |c| c.at)
}

/// Whether the text right after a title ends it (end, space, punctuation, bracket).
fn title_boundary(text: &str, at: usize) -> bool {
    match text[at..].chars().next() {
        None => true,
        Some(c) => {
            let (c, _) = fold(c);
            c.is_whitespace() || c.is_ascii_punctuation() || "、。，．・」』】）〕〉》\u{3000}".contains(c)
        }
    }
}

/// Compares `title` with the text at `at`, folding width, case and the two Japanese commas;
/// returns the byte length matched.
fn title_match(text: &str, at: usize, title: &str) -> Option<usize> {
    let norm = |c: char| {
        let (c, _) = fold(c);
        match c {
            '、' | '，' => ',',
            c => c.to_ascii_lowercase(),
        }
    };
    let mut it = text[at..].char_indices();
    for t in title.chars() {
        let (_, c) = it.next()?;
        if norm(c) != norm(t) {
            return None;
        }
    }
    let len = it.next().map_or(text.len() - at, |(k, _)| k);
    title_boundary(text, at + len).then_some(len)
}

/// Known titles of a legacy control with their language, longest first: for 2013 its titles and
/// the 2022 titles of its successors; for 2005 its own titles.
///
/// ```
/// use risksheet::controls::{refs::titles_of, Catalog, Edition};
/// let t = titles_of(Catalog::bundled(), Edition::Iso2013, "A.12.6.1");
/// assert!(t.iter().any(|(t, _)| t == "技術的ぜい弱性の管理"));
/// let t = titles_of(Catalog::bundled(), Edition::Iso2005, "A.10.1.1");
/// assert!(t.iter().any(|(t, _)| t == "操作手順書"));
/// ```
pub fn titles_of(cat: &Catalog, edition: Edition, id: &str) -> Vec<(String, Lang)> {
    let mut out = Vec::new();
    if edition == Edition::Iso2005 {
        if let Some(c) = cat.control_2005(id) {
            out.push((c.title_en.clone(), Lang::En));
            out.push((c.title_ja.clone(), Lang::Ja));
        }
        out.retain(|(t, _)| !t.trim().is_empty());
        out.sort_by_key(|(t, _)| std::cmp::Reverse(t.chars().count()));
        return out;
    }
    if let Some(c) = cat.control_2013(id) {
        out.push((c.title_en.clone(), Lang::En));
        if let Some(ja) = &c.title_ja {
            out.push((ja.clone(), Lang::Ja));
        }
    }
    for m in cat.successors(id) {
        if let Some(n) = cat.control_2022(&m.new) {
            out.push((n.title_ja.clone(), Lang::Ja));
            out.push((n.title_en.clone(), Lang::En));
        }
    }
    out.retain(|(t, _)| !t.trim().is_empty());
    out.sort_by_key(|(t, _)| std::cmp::Reverse(t.chars().count()));
    out
}

/// A title right after the id ending at byte `at`.
fn title_after(text: &str, at: usize, cat: &Catalog, edition: Edition, id: &str) -> Option<TitleSpan> {
    let mut start = at;
    for (k, c) in text[at..].char_indices() {
        let (f, _) = fold(c);
        if k > 8 || !(f == ' ' || f == ':' || f == '-' || f == '(' || f == '\t' || "「『【〔（–—".contains(c)) {
            start = at + k;
            break;
        }
        start = at + k + c.len_utf8();
    }
    if start == text.len() {
        return None;
    }
    for (t, lang) in titles_of(cat, edition, id) {
        if let Some(len) = title_match(text, start, &t) {
            return Some(TitleSpan { span: start..start + len, lang });
        }
    }
    None
}

/// A title right before the id starting at byte `at` (after byte `from`, the end of the previous
/// reference): the title, then at most a few spaces, `:`, `-` or an opening bracket.
fn title_before(text: &str, at: usize, from: usize, cat: &Catalog, edition: Edition, id: &str) -> Option<TitleSpan> {
    let head = &text[from..at];
    let trimmed = head.trim_end_matches(|c: char| {
        let (f, _) = fold(c);
        f == ' ' || f == ':' || f == '-' || f == '(' || f == '\t' || "「『【〔（–—".contains(c)
    });
    if head.len() - trimmed.len() > 12 {
        return None;
    }
    let norm = |c: char| {
        let (c, _) = fold(c);
        match c {
            '、' | '，' => ',',
            c => c.to_ascii_lowercase(),
        }
    };
    for (t, lang) in titles_of(cat, edition, id) {
        let n = t.chars().count();
        let Some((start, _)) = trimmed.char_indices().rev().nth(n.saturating_sub(1)).filter(|_| n > 0) else { continue };
        if !trimmed[start..].chars().map(norm).eq(t.chars().map(norm)) {
            continue;
        }
        // The title must start the text or follow a space or punctuation.
        let boundary = trimmed[..start].chars().next_back().is_none_or(|c| {
            let (f, _) = fold(c);
            f.is_whitespace() || f.is_ascii_punctuation() || "、。，．・」』】）〕".contains(c)
        });
        if boundary {
            return Some(TitleSpan { span: from + start..from + trimmed.len(), lang });
        }
    }
    None
}

/// A range separator and the index after it (and after spaces around it).
fn range_sep(cs: &[Ch], mut i: usize) -> Option<usize> {
    while i < cs.len() && cs[i].c == ' ' {
        i += 1;
    }
    let c = cs.get(i)?.c;
    let mut j = if "〜~-–—‐−ー".contains(c) {
        i + 1
    } else if c == 'か' && cs.get(i + 1).is_some_and(|n| n.c == 'ら') {
        i + 2
    } else {
        return None;
    };
    while j < cs.len() && cs[j].c == ' ' {
        j += 1;
    }
    Some(j)
}

/// Finds every control reference of `ctx.edition` in `text`.
pub fn find(text: &str, cat: &Catalog, ctx: Context) -> Found {
    let cs = chars(text);
    let mut refs: Vec<Reference> = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        // 附属書 before an id makes a bare id a reference anywhere.
        let mut annex = false;
        let mut k = i;
        if text[cs[i].at..].starts_with("附属書") {
            k = i + 3;
            while k < cs.len() && cs[k].c == ' ' {
                k += 1;
            }
            annex = true;
        }
        let Some(id) = (if k < cs.len() { id_at(&cs, k) } else { None }) else {
            i += 1;
            continue;
        };
        let start = k;
        let explicit = id.prefixed || annex;
        let mut end = id.end;
        let mut wide = id.wide;
        let kind = match id.parts.len() {
            3 if explicit || ctx.bare_ids => {
                let from = canonical(&id.parts);
                // A range?
                let mut kind = None;
                if let Some(j) = range_sep(&cs, id.end) {
                    if let Some(to) = id_at(&cs, j).filter(|t| t.parts.len() == 3 && (t.prefixed || explicit)) {
                        let to_id = canonical(&to.parts);
                        end = to.end;
                        wide |= to.wide;
                        kind = Some(match cat.range(ctx.edition, &from, &to_id) {
                            Some(ids) => RefKind::Range { from: from.clone(), to: to_id, ids },
                            None => RefKind::Unknown(format!("{from}〜{to_id}")),
                        });
                    } else if j == id.end + 1 && j < cs.len() && cs[j].c.is_ascii_digit() && "〜~-～".contains(cs[id.end].c) {
                        // A.13.2.1-3: the last number only.
                        if let Some((p, e)) = number_path(&cs, j).filter(|(p, e)| p.len() == 1 && !(*e < cs.len() && cs[*e].c.is_ascii_alphanumeric())) {
                            let mut parts = id.parts.clone();
                            parts[2] = p[0];
                            let to_id = canonical(&parts);
                            end = e;
                            kind = Some(match cat.range(ctx.edition, &from, &to_id) {
                                Some(ids) if p[0] > id.parts[2] => RefKind::Range { from: from.clone(), to: to_id, ids },
                                _ => RefKind::Unknown(format!("{from}〜{to_id}")),
                            });
                        }
                    }
                }
                kind.unwrap_or_else(|| if cat.is_control(ctx.edition, &from) { RefKind::Control(from.clone()) } else { RefKind::Unknown(from.clone()) })
            }
            2 if explicit => {
                let objective = canonical(&id.parts);
                let ids = cat.objective(ctx.edition, &objective);
                let is_2022 = is_2022_id(cat, &id.parts);
                if !ids.is_empty() && (!is_2022 || ctx.objectives) {
                    RefKind::Objective { id: objective, ids }
                } else if !is_2022 && (5..=18).contains(&id.parts[0]) {
                    RefKind::Unknown(objective)
                } else {
                    i = id.end.max(i + 1);
                    continue;
                }
            }
            n if n >= 4 && explicit => RefKind::Unknown(canonical(&id.parts)),
            _ => {
                i = id.end.max(i + 1);
                continue;
            }
        };
        let id_span = byte(&cs, start, text)..byte(&cs, end, text);
        let title = match &kind {
            RefKind::Control(c) => title_after(text, id_span.end, cat, ctx.edition, c),
            _ => None,
        };
        let title_before = match (&kind, &title) {
            (RefKind::Control(c), None) => title_before(text, id_span.start, refs.last().map_or(0, |r| r.span.end), cat, ctx.edition, c),
            _ => None,
        };
        let mut span = id_span.start..title.as_ref().map_or(id_span.end, |t| t.span.end);
        // A title in brackets: the closing bracket belongs to the reference.
        if let Some(t) = &title {
            let opened = text[id_span.end..t.span.start].chars().any(|c| "(（「『【〔".contains(c));
            if let Some(c) = text[t.span.end..].chars().next().filter(|c| opened && ")）」』】〕".contains(*c)) {
                span.end += c.len_utf8();
            }
        }
        i = cs.iter().position(|c| c.at >= span.end).unwrap_or(cs.len());
        refs.push(Reference { span, id_span, kind, title, title_before, prefixed: id.prefixed, full_width: wide });
    }
    let mut groups = Vec::new();
    let mut g = 0;
    for k in 1..=refs.len() {
        if k == refs.len() || !is_separator(&text[refs[k - 1].span.end..refs[k].span.start]) {
            if k > g {
                groups.push(g..k);
            }
            g = k;
        }
    }
    Found { refs, groups }
}

/// Writes a 2022 id in the notation of a legacy reference: `A.` when it had `A`, full-width when
/// it was full-width.
///
/// ```
/// use risksheet::controls::refs::render_id;
/// assert_eq!(render_id("8.8", true, false), "A.8.8");
/// assert_eq!(render_id("8.8", false, false), "8.8");
/// assert_eq!(render_id("5.36", true, true), "Ａ．５．３６");
/// ```
pub fn render_id(id: &str, prefixed: bool, full_width: bool) -> String {
    let s = if prefixed { format!("A.{id}") } else { id.to_string() };
    if full_width {
        s.chars().map(|c| if c.is_ascii_graphic() { char::from_u32(c as u32 + 0xFEE0).unwrap_or(c) } else { c }).collect()
    } else {
        s
    }
}

#[cfg(test)]
#[path = "tests/refs.rs"]
mod tests;
