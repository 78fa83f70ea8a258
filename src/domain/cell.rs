//! Parsers of what users type in input cells: levels (「2」「２」「2:特定の状況…」), yes/no marks
//! (「有」「○」 or blank), checklist answers, and media names.
//!
//! Each parser takes a [`CellInput`], the plain shape of a cell value, and returns a clear
//! [`ErrorKind::InvalidValue`] error (what the cell should hold, in Japanese, and what it holds)
//! for anything else; the workbook layer adds the sheet and cell. Blank cells give `None`.
//!
//! ```
//! use risksheet::domain::cell::{parse_level, CellInput};
//! use risksheet::profile::Profile;
//! let p = Profile::builtin("ipa-2.1")?;
//! let threat = p.threat.scale();
//! assert_eq!(parse_level(CellInput::Text("２：特定の状況で発生する（年に数回程度）"), threat)?, Some(2));
//! assert_eq!(parse_level(CellInput::Number(3.0), threat)?, Some(3));
//! assert_eq!(parse_level(CellInput::Blank, threat)?, None);
//! let err = parse_level(CellInput::Text("高"), threat).unwrap_err();
//! assert_eq!(err.message(risksheet::Lang::Ja), "1〜3の数値 を入力してください（「高」が入っています）");
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::checklist::CheckAnswer;
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{Medium, Profile, Scale};
use crate::text::{normalize_key, to_narrow};

/// The value of a cell, as far as the parsers care.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellInput<'a> {
    /// Empty cell.
    Blank,
    /// Text (shared or inline string).
    Text(&'a str),
    /// A number.
    Number(f64),
    /// TRUE / FALSE.
    Bool(bool),
}

impl<'a> From<&'a str> for CellInput<'a> {
    fn from(text: &'a str) -> CellInput<'a> {
        CellInput::Text(text)
    }
}

impl From<f64> for CellInput<'_> {
    fn from(n: f64) -> Self {
        CellInput::Number(n)
    }
}

impl CellInput<'_> {
    /// The text, trimmed, or `None` when the cell is blank or holds only spaces.
    fn text(&self) -> Option<String> {
        let shown = match self {
            CellInput::Blank => return None,
            CellInput::Text(t) => t.to_string(),
            CellInput::Number(n) => n.to_string(),
            CellInput::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        };
        let trimmed = shown.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }
}

fn invalid(expected: impl Into<crate::lang::Message>, found: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidValue { expected: expected.into(), found: found.into() })
}

/// The whole number a cell starts with: a number cell that is whole, or a text whose leading
/// digits (half- or full-width, `2.0` allowed) are followed by nothing or a label
/// (「2:…」「2：…」「2特定の…」). `None` when there is no such number.
pub fn leading_number(cell: CellInput<'_>) -> Option<u32> {
    match cell {
        CellInput::Number(n) => whole(n),
        CellInput::Text(t) => {
            let narrow = to_narrow(t);
            let s = narrow.trim();
            let end = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
            let number = s[..end].trim_end_matches('.');
            let rest = &s[number.len()..];
            let label_follows = rest.is_empty() || !rest.starts_with(|c: char| c.is_ascii_digit());
            number.parse::<f64>().ok().filter(|_| label_follows).and_then(whole)
        }
        CellInput::Blank | CellInput::Bool(_) => None,
    }
}

fn whole(n: f64) -> Option<u32> {
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// A level on `scale` from a cell: 「2」, 「２」, 「2:特定の状況で発生する…」, 「2：…」, 2.0.
/// Blank → `None`; anything else (「高」, 2.5, 4 on a 1–3 scale) → 「1〜3の数値」 error.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] (「1〜3の数値」) when the cell holds anything but a level of `scale`.
pub fn parse_level(cell: CellInput<'_>, scale: Scale) -> Result<Option<u8>> {
    let Some(shown) = cell.text() else {
        return Ok(None);
    };
    leading_number(cell).and_then(|n| u8::try_from(n).ok()).filter(|&n| scale.contains(n)).map(Some).ok_or_else(|| invalid(scale.expected(), shown))
}

/// Marks read as 「有」 (after narrowing and lower-casing).
const YES: &[&str] = &["有", "有り", "あり", "○", "〇", "◯", "●", "◎", "✓", "✔", "☑", "レ", "yes", "y", "true", "1"];
/// Marks read as not 「有」.
const NO: &[&str] = &["無", "無し", "なし", "×", "✕", "✗", "-", "ー", "―", "−", "no", "n", "false", "0"];

/// A yes/no mark of the 個人情報 columns: 有/○/〇/●/✓ (and TRUE, 1) are yes; blank, 無, ×, -
/// (and FALSE, 0) are no; anything else is an 「「有」または空欄」 error.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] (「「有」または空欄」) when the cell holds neither a yes nor a no mark.
///
/// ```
/// use risksheet::domain::cell::{parse_flag, CellInput};
/// assert_eq!(parse_flag(CellInput::Text(" 有 "))?, true);
/// assert_eq!(parse_flag(CellInput::Text("〇"))?, true);
/// assert_eq!(parse_flag(CellInput::Blank)?, false);
/// assert!(parse_flag(CellInput::Text("たぶん")).is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn parse_flag(cell: CellInput<'_>) -> Result<bool> {
    if let CellInput::Bool(b) = cell {
        return Ok(b);
    }
    let Some(shown) = cell.text() else {
        return Ok(false);
    };
    let key = normalize_key(&shown);
    if YES.contains(&key.as_str()) {
        Ok(true)
    } else if NO.contains(&key.as_str()) {
        Ok(false)
    } else {
        Err(invalid(crate::lang::Message::new("「有」または空欄", "「有」 (yes) or empty"), shown))
    }
}

/// A checklist answer by its leading number (「1:実施している」, 「２」, 1.0), which must be on the
/// profile's answer scale, or written in words the profile lists for it (「一部実施している」,
/// 「○」, 「該当しない」). Blank → `None`.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`], listing the profile's answers, when the cell holds none of them.
///
/// ```
/// use risksheet::domain::cell::{parse_answer, CellInput};
/// use risksheet::domain::checklist::CheckAnswer;
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// assert_eq!(parse_answer(CellInput::Text("3：実施していない /わからない"), &p)?, Some(CheckAnswer(3)));
/// assert_eq!(parse_answer(CellInput::Text("一部実施している"), &p)?, Some(CheckAnswer(2)));
/// assert_eq!(parse_answer(CellInput::Text("×"), &p)?, Some(CheckAnswer(3)));
/// assert!(parse_answer(CellInput::Text("たぶん"), &p).is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn parse_answer(cell: CellInput<'_>, profile: &Profile) -> Result<Option<CheckAnswer>> {
    let Some(shown) = cell.text() else {
        return Ok(None);
    };
    let by_number = leading_number(cell).and_then(|n| u8::try_from(n).ok()).filter(|&n| profile.checklist.answer(n).is_some());
    // An answer typed in words (「実施している」, 「○」, 「該当しない」): the whole cell must be one
    // of the answer's words or its label without the number, so 「一部実施している」 is never
    // read as 「実施している」.
    let by_words = || {
        let key = normalize_key(&shown);
        profile.checklist.answers.iter().find_map(|a| {
            let names = [label_without_number(&a.label), label_without_number(&a.label_en)];
            let hit = names.iter().any(|n| !n.is_empty() && *n == key) || a.words.iter().any(|w| normalize_key(w) == key);
            hit.then_some(a.value)
        })
    };
    by_number.or_else(by_words).map(|n| Some(CheckAnswer(n))).ok_or_else(|| invalid(profile.checklist.expected_answer(), shown))
}

/// A level typed as its label's text without the number (「特定の状況で発生する（年に数回程度）」 for
/// 「2:特定の状況で発生する（年に数回程度）」), or as the number: the level's value.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when the cell holds neither a level of the scale nor a level's
/// label.
///
/// ```
/// use risksheet::domain::cell::{parse_labelled, CellInput};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// assert_eq!(parse_labelled(CellInput::Text("特定の状況で発生する（年に数回程度）"), &p.threat)?, Some(2));
/// assert_eq!(parse_labelled(CellInput::Text("３"), &p.threat)?, Some(3));
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn parse_labelled(cell: CellInput<'_>, scale: &crate::profile::LabelledScale) -> Result<Option<u8>> {
    match parse_level(cell, scale.scale()) {
        Err(e) => {
            let Some(shown) = cell.text() else { return Err(e) };
            let key = normalize_key(&shown);
            scale
                .levels
                .iter()
                .find(|l| {
                    [&l.label, &l.label_en].iter().any(|n| {
                        let n = label_without_number(n);
                        !n.is_empty() && n == key
                    })
                })
                .map(|l| Some(l.value))
                .ok_or(e)
        }
        ok => ok,
    }
}

/// The comparison key of a label without its leading number: 「1:実施している」 → 「実施している」.
fn label_without_number(label: &str) -> String {
    let key = normalize_key(label);
    let rest = key.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == key.len() {
        return key;
    }
    rest.trim_start_matches([':', '.', ')', '、']).to_string()
}

/// The profile's medium a 媒体・保存先 cell names: canonical name or a variant, ignoring width,
/// spaces and case (「社内サーバ」「 事務所ＰＣ」). Blank → `None`; an unknown name is an error
/// listing the media.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`], listing the profile's media, when the cell names none of them.
///
/// ```
/// use risksheet::domain::cell::{parse_medium, CellInput};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// assert_eq!(parse_medium(CellInput::Text("社内サーバ"), &p)?.map(|m| m.name.as_str()), Some("社内サーバー"));
/// assert!(parse_medium(CellInput::Text("金庫"), &p).is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn parse_medium<'p>(cell: CellInput<'_>, profile: &'p Profile) -> Result<Option<&'p Medium>> {
    let Some(shown) = cell.text() else {
        return Ok(None);
    };
    profile.find_medium(&shown).map(Some).ok_or_else(|| {
        let names: Vec<&str> = profile.media.iter().map(|m| m.name.as_str()).collect();
        invalid(
            crate::lang::Message::new(
                format!("媒体・保存先（{}のいずれか）", names.join("／")),
                format!("a medium or place of storage (one of {})", names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")),
            ),
            shown,
        )
    })
}

#[cfg(test)]
#[path = "tests/cell.rs"]
mod tests;
