//! Reading text as a person does: the one place where widths, spacing, half-width katakana,
//! numbering and notes are folded away, used by every layer (cell addresses and sheet names in
//! the workbook layer, control ids, profile texts, domain parsers, header inference).
//!
//! Users write 「２」 for 2, 「社内 サーバ」 over a line break, half-width katakana from old
//! systems (ｻｰﾊﾞｰ), and number group labels as 「（６）物理的セキュリティ対策」. These helpers
//! turn such texts into a comparable key; they never change what is written to a workbook.
//!
//! ```
//! use risksheet::text::{normalize_key, split_number_prefix};
//! assert_eq!(normalize_key("　社内 ｻｰﾊﾞｰ "), "社内サーバー");
//! assert_eq!(normalize_key("事務所ＰＣ"), "事務所pc");
//! assert_eq!(split_number_prefix("（６）物理的対策"), (Some(6), "物理的対策"));
//! ```

/// Full-width ASCII (`ＡＢＣ１２３：`) to ASCII, the ideographic space to a space, and
/// half-width katakana (`ｻｰﾊﾞｰ`) to full-width katakana (`サーバー`). Everything else is kept.
pub fn to_narrow(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{FF01}'..='\u{FF5E}' => out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
            '\u{3000}' => out.push(' '),
            '\u{FF9E}' | '\u{FF9F}' => push_sound_mark(&mut out, c == '\u{FF9F}'),
            '\u{FF61}'..='\u{FF9D}' => out.push(wide_katakana(c)),
            _ => out.push(c),
        }
    }
    out
}

/// The comparison key of a text: [`to_narrow`], without any whitespace, ASCII lower-cased.
pub fn normalize_key(s: &str) -> String {
    to_narrow(s).chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Splits a leading number label such as `(6)`, `（６）`, `6.`, `6、` or `6 ` off a text, giving
/// the number (when there is one) and the rest, trimmed.
pub fn split_number_prefix(s: &str) -> (Option<u32>, &str) {
    let trimmed = s.trim();
    let (open, body) = match trimmed.strip_prefix(['(', '（']) {
        Some(body) => (true, body),
        None => (false, trimmed),
    };
    let digits_end = body.find(|c: char| ascii_digit(c).is_none()).unwrap_or(body.len());
    let number: Option<u32> = body[..digits_end].chars().filter_map(ascii_digit).collect::<String>().parse().ok();
    let rest = &body[digits_end..];
    let closers: &[char] = if open { &[')', '）'] } else { &['.', '．', '、', ')', '）', ':', '：', ' ', '　'] };
    match (number, rest.strip_prefix(closers)) {
        (Some(n), Some(after)) => (Some(n), after.trim()),
        _ => (None, trimmed),
    }
}

/// The ASCII digit of a half- or full-width digit.
pub fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// Removes a trailing note in brackets, as in 「脅威の発生頻度（「脅威の状況」シートで設定）」,
/// from a normalised key (`(` and `)` after [`to_narrow`]). Keys without one are returned as is.
pub fn strip_trailing_note(key: &str) -> &str {
    if !key.ends_with(')') {
        return key;
    }
    let mut depth = 0usize;
    for (i, c) in key.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &key[..i];
                }
            }
            _ => {}
        }
    }
    key
}

/// Half-width katakana U+FF61–U+FF9D in order, as full-width characters.
const WIDE_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";

fn wide_katakana(c: char) -> char {
    let index = (c as u32 - 0xFF61) as usize;
    WIDE_KANA.chars().nth(index).unwrap_or(c)
}

/// Kana and their voiced forms, in pairs (カ→ガ …, ウ→ヴ).
const VOICED: &str = "カガキギクグケゲコゴサザシジスズセゼソゾタダチヂツヅテデトドハバヒビフブヘベホボウヴ";
/// Kana and their semi-voiced forms, in pairs (ハ→パ …).
const SEMI_VOICED: &str = "ハパヒピフプヘペホポ";

/// Joins a half-width voiced (ﾞ) or semi-voiced (ﾟ) sound mark to the kana before it (カ+ﾞ → ガ,
/// ハ+ﾟ → パ); a mark that cannot join is written as a full-width mark.
fn push_sound_mark(out: &mut String, semi: bool) {
    let pairs: Vec<char> = if semi { SEMI_VOICED } else { VOICED }.chars().collect();
    let joined = out.chars().last().and_then(|prev| pairs.chunks(2).find(|pair| pair.first() == Some(&prev)).and_then(|pair| pair.get(1).copied()));
    match joined {
        Some(j) => {
            out.pop();
            out.push(j);
        }
        None => out.push(if semi { '゜' } else { '゛' }),
    }
}

/// The width of a text in columns of a spreadsheet's default font: 2 for a character drawn
/// full width (kanji, kana, full-width forms, ○ and other symbols a Japanese font draws wide),
/// 1 for the others.
///
/// ```
/// use risksheet::text::display_width;
/// assert_eq!(display_width("A.8.8 管理"), 10);
/// ```
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2460..=0x27BF | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// How many lines a text takes in a wrapped cell `width` columns wide (its line breaks kept,
/// each line wrapped where it overflows); at least 1.
///
/// ```
/// use risksheet::text::wrapped_lines;
/// assert_eq!(wrapped_lines("短い", 10.0), 1);
/// assert_eq!(wrapped_lines("一二三四五六七八九十", 10.0), 3);
/// assert_eq!(wrapped_lines("a\nb", 10.0), 2);
/// ```
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    // A little of the width goes to the cell's margins.
    let room = (width - 1.0).max(1.0);
    text.split('\n').map(|l| ((display_width(l) as f64) / room).ceil().max(1.0) as usize).sum::<usize>().max(1)
}

#[cfg(test)]
#[path = "tests/text.rs"]
mod tests;

/// The comparison key of a header as a person reads it: [`normalize_key`], then without notes in
/// brackets anywhere (「機密性(C)」, 「脅威の発生頻度（「脅威の状況」シートで設定）」), a leading
/// number (「3. 資産名」), punctuation, marks such as ※, the long-vowel mark (サーバ = サーバー) and
/// the particle の (「資産の名称」 = 「資産名称」).
/// Returns the key and the notes' text (「c」 for 「機密性(C)」), which may name the field alone.
///
/// ```
/// use risksheet::text::header_key;
/// assert_eq!(header_key("機密性(C)"), ("機密性".to_string(), "c".to_string()));
/// assert_eq!(header_key("※ 媒体・保存先\n（必須）"), ("媒体保存先".to_string(), "必須".to_string()));
/// assert_eq!(header_key("3. 保管媒体"), ("保管媒体".to_string(), String::new()));
/// ```
pub fn header_key(s: &str) -> (String, String) {
    let narrow = normalize_key(s);
    let (_, body) = split_number_prefix(&narrow);
    let (mut key, mut note) = (String::new(), String::new());
    let mut depth = 0usize;
    for c in body.chars() {
        match c {
            '(' | '[' | '【' | '〔' | '<' | '＜' | '《' => depth += 1,
            ')' | ']' | '】' | '〕' | '>' | '＞' | '》' => depth = depth.saturating_sub(1),
            _ if is_header_punctuation(c) || c == 'の' => {}
            _ if depth > 0 => note.push(c),
            _ => key.push(c),
        }
    }
    // A header that is all note (「（備考）」) is read by its note.
    if key.is_empty() {
        std::mem::swap(&mut key, &mut note);
    }
    (key, note)
}

fn is_header_punctuation(c: char) -> bool {
    matches!(
        c,
        '・' | '･'
            | '/'
            | '／'
            | ':'
            | '：'
            | ';'
            | '、'
            | '。'
            | ','
            | '.'
            | '「'
            | '」'
            | '『'
            | '』'
            | '"'
            | '\''
            | '※'
            | '*'
            | '＊'
            | '-'
            | '－'
            | '_'
            | 'ー'
            | '―'
            | '‐'
            | '~'
            | '〜'
            | '～'
            | '?'
            | '？'
            | '!'
            | '！'
            | '#'
            | '＃'
            | '&'
            | '＆'
            | '+'
            | '＝'
            | '='
    )
}

/// How alike two header keys (from [`header_key`]) are, from 0 to 1: 1 when equal; when one
/// holds the other (「資産名」 in 「情報資産名称」), 0.6 and more as the lengths come closer; else the
/// share of two-character pieces they have in common (Dice), scaled below that.
///
/// ```
/// use risksheet::text::key_similarity;
/// assert_eq!(key_similarity("機密性", "機密性"), 1.0);
/// assert!(key_similarity("資産名", "情報資産名称") > 0.7);
/// assert!(key_similarity("リスク値", "リスク所有者") < 0.5);
/// ```
pub fn key_similarity(a: &str, b: &str) -> f32 {
    HeaderKey::new(a).similarity(&HeaderKey::new(b))
}

/// A header key prepared for [`key_similarity`] against many others: its length and sorted
/// two-character pieces computed once.
#[derive(Debug, Clone)]
pub struct HeaderKey {
    key: String,
    chars: usize,
    latin: bool,
    /// Its characters, sorted (for typos: the same characters in another order).
    sorted: Vec<char>,
    grams: Vec<(char, char)>,
}

impl HeaderKey {
    /// Prepares a key (from [`header_key`]).
    pub fn new(key: &str) -> HeaderKey {
        let cs: Vec<char> = key.chars().collect();
        let mut grams: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
        grams.sort_unstable();
        let mut sorted = cs.clone();
        sorted.sort_unstable();
        HeaderKey { key: key.to_string(), chars: cs.len(), latin: key.is_ascii(), sorted, grams }
    }

    /// The key text.
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// [`key_similarity`] of two prepared keys.
    pub fn similarity(&self, other: &HeaderKey) -> f32 {
        let (a, b) = (self, other);
        if a.key.is_empty() || b.key.is_empty() {
            return 0.0;
        }
        if a.key == b.key {
            return 1.0;
        }
        let (shorter, long) = if a.chars <= b.chars { (a, b.chars) } else { (b, a.chars) };
        let short = shorter.chars as f32;
        if a.key.contains(b.key.as_str()) || b.key.contains(a.key.as_str()) {
            // A short Latin word inside a longer one says little (「no」 in 「notes」, 「c」 in
            // 「cloud」); two kanji inside a header (「媒体」 in 「保管媒体」) say a lot.
            if !(shorter.chars < 2 || shorter.latin && shorter.chars < 4) {
                return 0.6 + 0.35 * short / long as f32;
            }
        }
        // The same characters in another order, or one more or less: a typo (「人個情報」,
        // 「要配慮個人報情」, 「機密制」) of a word at least three characters long.
        let typo = {
            let common = sorted_common(&a.sorted, &b.sorted);
            if shorter.chars >= 3 && !shorter.latin && common + 1 >= long && a.chars.abs_diff(b.chars) <= 1 {
                0.7
            } else {
                0.0
            }
        };
        if a.grams.is_empty() || b.grams.is_empty() {
            return typo;
        }
        let common = sorted_common(&a.grams, &b.grams);
        let (ga, gb) = (&a.grams, &b.grams);
        let dice = 0.85 * (2 * common) as f32 / (ga.len() + gb.len()) as f32;
        dice.max(typo)
    }
}

/// How many elements two sorted lists share (as multisets).
fn sorted_common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    common
}
