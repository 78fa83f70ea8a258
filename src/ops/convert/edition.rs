//! Which edition a legacy workbook cites, decided and never assumed (`../shared/domain.md` §8).
//!
//! 2005 and 2013 ids look alike but mean other controls, so before a reference is converted its
//! edition must be known. `--from 2005|2013` says it. Otherwise (`auto`) the workbook is read
//! for evidence, strongest first:
//!
//! 1. what it states: 「ISO/IEC 27001:2005」, 「JIS Q 27001:2006」 (2005), 「:2013」, 「JIS Q 27001:2014」 (2013);
//! 2. what its cells cite: ids that exist in one edition only (2005 has A.10.10.x and A.15.1.6,
//!    2013 has A.16–A.18), and titles beside ids that are the title of that id in one edition only
//!    (「A.10.1.1 操作手順書」 is 2005; in 2013 A.10.1.1 is about cryptography).
//!
//! One edition on every side decides the workbook. A cell whose own evidence says the other
//! edition is listed for review (a sheet mixing editions); when the evidence is split or absent,
//! each cell goes by its own evidence, and a cell without any is listed for review, unchanged.
use crate::controls::refs::{find, Context, RefKind};
use crate::controls::{Catalog, Edition};
use crate::lang::{Lang, Message};
use serde::Serialize;

/// How the workbook's edition was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// `--from` said it.
    Given,
    /// The workbook states it.
    Stated,
    /// Its cells cite ids or titles of one edition only.
    Cited,
    /// The evidence points both ways: each cell goes by its own.
    Split,
    /// No evidence: each cell goes by its own.
    Unknown,
}

/// The edition used for a workbook and why.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// The edition of the whole workbook, when one was decided.
    pub edition: Option<Edition>,
    /// How.
    pub how: How,
    /// Why, for a person.
    #[serde(skip)]
    pub why: Message,
    /// Whether the workbook cites legacy control ids at all (so that `A.5.1` is read as the
    /// legacy objective rather than the 2022 control).
    #[serde(skip)]
    pub cites_legacy: bool,
}

/// The edition a text states (「ISO/IEC 27001:2005」, 「JIS Q 27001:2014」), if one.
///
/// ```ignore
/// assert_eq!(stated("ISO/IEC 27001:2005 附属書A"), Some(Edition::Iso2005));
/// ```
pub(crate) fn stated(text: &str) -> Option<Edition> {
    let t: String = crate::text::to_narrow(text).chars().filter(|c| !c.is_whitespace()).collect();
    let mut found = None;
    let mut rest = t.as_str();
    while let Some(k) = rest.find("27001") {
        let after = &rest[k + 5..];
        let after = after.strip_prefix(':').or_else(|| after.strip_prefix('：')).unwrap_or("");
        let year: String = after.chars().take(4).collect();
        if let Some(e) = Edition::parse(&year) {
            if found.is_some_and(|f| f != e) {
                return None;
            }
            found = Some(e);
        }
        rest = &rest[k + 5..];
    }
    found
}

/// What one cell's references say of their edition: ids or titles found in one edition only (a
/// title in the cell after the id, or alone in the cell `beside` it on the right).
pub(crate) fn cell_vote(text: &str, beside: Option<&str>, cat: &Catalog, bare_ids: bool) -> (Option<Edition>, bool) {
    let read = |edition| find(text, cat, Context { bare_ids, edition, objectives: false });
    let (f5, f13) = (read(Edition::Iso2005), read(Edition::Iso2013));
    let ids = |refs: &[crate::controls::refs::Reference]| -> Vec<(std::ops::Range<usize>, bool, bool)> {
        refs.iter().map(|r| (r.id_span.clone(), matches!(r.kind, RefKind::Control(_) | RefKind::Range { .. }), r.title.is_some())).collect()
    };
    let (a, b) = (ids(&f5.refs), ids(&f13.refs));
    let cites = a.iter().chain(&b).any(|x| x.1);
    let (mut v5, mut v13) = (false, false);
    for (span, known, title) in &a {
        let other = b.iter().find(|x| x.0 == *span);
        v5 |= *known && !other.is_some_and(|o| o.1);
        v5 |= *title && !other.is_some_and(|o| o.2);
    }
    for (span, known, title) in &b {
        let other = a.iter().find(|x| x.0 == *span);
        v13 |= *known && !other.is_some_and(|o| o.1);
        v13 |= *title && !other.is_some_and(|o| o.2);
    }
    // An id alone in its cell, its title in the next one.
    if let (Some(right), [r5], [r13]) = (beside.map(str::trim), f5.refs.as_slice(), f13.refs.as_slice()) {
        if let (RefKind::Control(id), true) = (&r5.kind, f5.only_references(text)) {
            let is_title = |e| crate::controls::refs::titles_of(cat, e, id).iter().any(|(t, _)| t.trim() == right);
            v5 |= is_title(Edition::Iso2005) && !is_title(Edition::Iso2013);
            v13 |= matches!(r13.kind, RefKind::Control(_)) && is_title(Edition::Iso2013) && !is_title(Edition::Iso2005);
        }
    }
    let vote = match (v5, v13) {
        (true, false) => Some(Edition::Iso2005),
        (false, true) => Some(Edition::Iso2013),
        _ => None,
    };
    (vote, cites)
}

fn name(e: Edition) -> String {
    format!("ISO/IEC 27001:{}", e.year())
}

/// Decides the edition of a workbook from its text cells (`(place, text, the text of the cell on
/// its right, bare ids allowed)`), or takes `given`.
pub(crate) fn decide<'a>(cells: impl Iterator<Item = (String, &'a str, Option<&'a str>, bool)>, cat: &Catalog, given: Option<Edition>) -> Decision {
    let mut statements: Vec<(Edition, String)> = Vec::new();
    let mut votes: Vec<(Edition, String)> = Vec::new();
    let mut cites_legacy = false;
    for (place, text, beside, bare) in cells {
        if let Some(e) = stated(text) {
            statements.push((e, place.clone()));
        }
        let (vote, cites) = cell_vote(text, beside, cat, bare);
        cites_legacy |= cites;
        if let Some(e) = vote {
            votes.push((e, place));
        }
    }
    if let Some(e) = given {
        let why = Message::new(format!("--from {} の指定による", e.year()), format!("as --from {} says", e.year()));
        return Decision { edition: Some(e), how: How::Given, why, cites_legacy };
    }
    let first = |list: &[(Edition, String)], e: Edition| list.iter().find(|x| x.0 == e).map(|x| x.1.clone());
    let count = |list: &[(Edition, String)], e: Edition| list.iter().filter(|x| x.0 == e).count();
    let both = |list: &[(Edition, String)]| [Edition::Iso2005, Edition::Iso2013].map(|e| first(list, e));
    match both(&statements) {
        [Some(p5), Some(p13)] => {
            let why = Message::new(
                format!("ブックに 2005年版（{p5}）と 2013年版（{p13}）の両方が書かれているため、セルごとに判断します"),
                format!("the workbook states both the 2005 edition ({p5}) and the 2013 edition ({p13}): decided cell by cell"),
            );
            return Decision { edition: None, how: How::Split, why, cites_legacy };
        }
        [Some(p), None] | [None, Some(p)] => {
            let e = if first(&statements, Edition::Iso2005).is_some() { Edition::Iso2005 } else { Edition::Iso2013 };
            let why = Message::new(format!("ブックに {} と書かれている（{p}）", name(e)), format!("the workbook states {} ({p})", name(e)));
            return Decision { edition: Some(e), how: How::Stated, why, cites_legacy };
        }
        [None, None] => {}
    }
    match both(&votes) {
        [Some(p5), Some(p13)] => {
            let (n5, n13) = (count(&votes, Edition::Iso2005), count(&votes, Edition::Iso2013));
            let why = Message::new(
                format!(
                    "2005年版にしかない番号・名称のセルが {n5} 個（{p5} など）、2013年版にしかないセルが {n13} 個（{p13} など）あるため、セルごとに判断します"
                ),
                format!("{n5} cells cite ids or titles found only in 2005 ({p5} …) and {n13} only in 2013 ({p13} …): decided cell by cell"),
            );
            Decision { edition: None, how: How::Split, why, cites_legacy }
        }
        [Some(p), None] | [None, Some(p)] => {
            let e = if first(&votes, Edition::Iso2005).is_some() { Edition::Iso2005 } else { Edition::Iso2013 };
            let n = count(&votes, e);
            let why = Message::new(
                format!("{}年版にしかない管理策番号・名称が {n} 個のセルにある（{p} など）", e.year()),
                format!("{n} cells cite ids or titles found only in the {} edition ({p} …)", e.year()),
            );
            Decision { edition: Some(e), how: How::Cited, why, cites_legacy }
        }
        [None, None] if !cites_legacy => {
            let why = Message::new("旧版の管理策として読める番号はありません", "no id that reads as a legacy control");
            Decision { edition: None, how: How::Unknown, why, cites_legacy }
        }
        [None, None] => {
            let why = Message::new(
                "版を示すものがブックにありません。--from 2005 か --from 2013 を指定してください",
                "nothing in the workbook tells the edition; give --from 2005 or --from 2013",
            );
            Decision { edition: None, how: How::Unknown, why, cites_legacy }
        }
    }
}

impl Decision {
    /// One line for the summary: the edition used and why, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self.edition {
            Some(e) if lang == Lang::Ja => format!("元の版: {}（{}）", name(e), self.why.get(lang)),
            Some(e) => format!("source edition: {} ({})", name(e), self.why.get(lang)),
            None => format!("{}: {}", lang.pick("元の版", "source edition"), self.why.get(lang)),
        }
    }
}
