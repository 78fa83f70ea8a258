//! A small XML tokenizer that reports the exact byte span of every tag, so that edits can be
//! spliced into the original text and everything else is kept byte for byte.
//!
//! Kept rather than quick-xml, measured: `cargo run --release --example bench_xml`
//! (tests/bench/bench_xml.rs) walks every event of the sheet part of a 100,000-row ledger
//! (32.9 MB, 4,000,004 tags) taking each tag's span and name; on the 2-core machine this scanner
//! ran at 217–221 MB/s and quick-xml 0.42's borrowed `Reader` over `&[u8]` (spans from
//! `buffer_position()`, end names not checked) at 106–115 MB/s: quick-xml took 1.9–2.0× the time,
//! for the same tags and spans. This scanner does less (no name checks, no entity events) and
//! the editor needs no more than spans.
//!
//! ```
//! use risksheet::xlsx::xml::{Scanner, TokenKind, attr};
//! let xml = r#"<row r="3"><c r="A3" t="s"><v>0</v></c></row>"#;
//! let tokens: Vec<_> = Scanner::new(xml).collect::<Result<_, _>>().unwrap();
//! assert_eq!(tokens[0].kind, TokenKind::Start);
//! assert_eq!(tokens[0].local_name(xml), "row");
//! assert_eq!(attr(tokens[1].text(xml), "t").as_deref(), Some("s"));
//! ```
use std::borrow::Cow;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `<name ...>`
    Start,
    /// `<name .../>`
    Empty,
    /// `</name>`
    End,
    /// Character data between tags (entities not yet resolved).
    Text,
    /// `<![CDATA[...]]>`
    CData,
    /// Declarations, processing instructions, comments, doctype.
    Other,
}

/// One token and its byte span in the scanned text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Span of the qualified name inside a tag (empty for text).
    name: (usize, usize),
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, xml: &'a str) -> &'a str {
        &xml[self.start..self.end]
    }
    /// The qualified name of a tag (`x:row`), empty for text.
    pub fn name<'a>(&self, xml: &'a str) -> &'a str {
        &xml[self.name.0..self.name.1]
    }
    /// The name without its namespace prefix (`row`).
    pub fn local_name<'a>(&self, xml: &'a str) -> &'a str {
        local(self.name(xml))
    }
    /// The namespace prefix with its colon (`x:`), or empty.
    pub fn prefix<'a>(&self, xml: &'a str) -> &'a str {
        let n = self.name(xml);
        &n[..n.len() - local(n).len()]
    }
}

/// The local part of a qualified name.
pub fn local(name: &str) -> &str {
    match name.as_bytes().iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Iterates the tokens of an XML text.
pub struct Scanner<'a> {
    xml: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// Starts at the beginning of `xml`.
    pub fn new(xml: &'a str) -> Self {
        Scanner { xml, pos: 0 }
    }
    /// Starts at byte offset `pos`.
    pub fn at(xml: &'a str, pos: usize) -> Self {
        Scanner { xml, pos }
    }
    /// The current byte offset.
    pub fn position(&self) -> usize {
        self.pos
    }

    fn until(&self, from: usize, pat: &str) -> Result<usize, String> {
        self.xml[from..].find(pat).map(|i| from + i + pat.len()).ok_or_else(|| format!("unterminated markup at byte {from}"))
    }

    fn tag(&self, start: usize) -> Result<Token, String> {
        let b = self.xml.as_bytes();
        let closing = b.get(start + 1) == Some(&b'/');
        let name_start = start + if closing { 2 } else { 1 };
        let mut i = name_start;
        while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/') {
            i += 1;
        }
        let name = (name_start, i);
        if name.0 == name.1 {
            return Err(format!("empty tag name at byte {start}"));
        }
        // Skip attributes; a quoted value may hold '>' or '/'.
        let mut quote = 0u8;
        while i < b.len() {
            let c = b[i];
            if quote != 0 {
                if c == quote {
                    quote = 0;
                }
            } else if c == b'"' || c == b'\'' {
                quote = c;
            } else if c == b'>' {
                let kind = if closing {
                    TokenKind::End
                } else if b[i - 1] == b'/' {
                    TokenKind::Empty
                } else {
                    TokenKind::Start
                };
                return Ok(Token { kind, start, end: i + 1, name });
            } else if c == b'<' {
                break;
            }
            i += 1;
        }
        Err(format!("unterminated tag at byte {start}"))
    }
}

impl Iterator for Scanner<'_> {
    type Item = Result<Token, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let xml = self.xml;
        if self.pos >= xml.len() {
            return None;
        }
        let start = self.pos;
        let b = xml.as_bytes();
        let result = if b[start] != b'<' {
            let end = b[start..].iter().position(|&c| c == b'<').map_or(xml.len(), |i| start + i);
            Ok(Token { kind: TokenKind::Text, start, end, name: (start, start) })
        } else if !matches!(b.get(start + 1), Some(b'!' | b'?')) {
            // The usual case first: a tag.
            self.tag(start)
        } else if xml[start..].starts_with("<![CDATA[") {
            self.until(start, "]]>").map(|end| Token { kind: TokenKind::CData, start, end, name: (start, start) })
        } else if xml[start..].starts_with("<!--") {
            self.until(start, "-->").map(|end| Token { kind: TokenKind::Other, start, end, name: (start, start) })
        } else if xml[start..].starts_with("<?") {
            self.until(start, "?>").map(|end| Token { kind: TokenKind::Other, start, end, name: (start, start) })
        } else if xml[start..].starts_with("<!") {
            self.until(start, ">").map(|end| Token { kind: TokenKind::Other, start, end, name: (start, start) })
        } else {
            self.tag(start)
        };
        match result {
            Ok(t) => {
                self.pos = t.end;
                Some(Ok(t))
            }
            Err(e) => {
                self.pos = xml.len();
                Some(Err(e))
            }
        }
    }
}

/// Iterates the attributes of a start or empty tag as (qualified name, raw value) pairs.
pub fn attrs(tag: &str) -> impl Iterator<Item = (&str, &str)> {
    // Byte by byte: this runs for every cell of every sheet read. Cuts fall on ASCII bytes only,
    // so every slice is valid UTF-8.
    let b = tag.as_bytes();
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let mut i = b.iter().position(|&c| space(c)).unwrap_or(b.len());
    std::iter::from_fn(move || {
        while i < b.len() && space(b[i]) {
            i += 1;
        }
        let name_start = i;
        let eq = name_start + b[name_start..].iter().position(|&c| c == b'=')?;
        let mut name_end = eq;
        while name_end > name_start && space(b[name_end - 1]) {
            name_end -= 1;
        }
        let mut q = eq + 1;
        while q < b.len() && space(b[q]) {
            q += 1;
        }
        let quote = *b.get(q).filter(|&&c| c == b'"' || c == b'\'')?;
        let close = q + 1 + b[q + 1..].iter().position(|&c| c == quote)?;
        i = close + 1;
        Some((&tag[name_start..name_end], &tag[q + 1..close]))
    })
}

/// The unescaped value of the attribute whose local name is `name`.
pub fn attr<'a>(tag: &'a str, name: &str) -> Option<Cow<'a, str>> {
    attrs(tag).find(|(n, _)| *n == name || local(n) == name && !n.starts_with("xmlns")).map(|(_, v)| unescape(v))
}

/// Resolves the five predefined entities and character references.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';').filter(|&j| j <= 12) else {
            out.push('&');
            rest = &tail[1..];
            continue;
        };
        let ent = &tail[1..semi];
        let ch = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32),
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Escapes text for element content or a double-quoted attribute value. Characters XML 1.0
/// cannot carry are written as Excel writes them (`_x0001_`).
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| matches!(c, '<' | '>' | '&' | '"') || (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c if c < ' ' && !matches!(c, '\t' | '\n' | '\r') => out.push_str(&format!("_x{:04X}_", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes element content: like [`escape`] but leaves quotes as they are, as Excel writes
/// `<formula>"リスク大"</formula>`.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    if !s.contains(|c: char| matches!(c, '<' | '>' | '&') || (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, part) in s.split('"').enumerate() {
        if i > 0 {
            out.push('"');
        }
        out.push_str(&escape(part));
    }
    Cow::Owned(out)
}

/// Whether `c` can only be carried as an `_xHHHH_` escape in cell text: the controls XML 1.0
/// cannot hold, carriage return (an XML reader turns it into a line feed), and U+FFFE/U+FFFF.
fn needs_xstring_escape(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Whether `s` starts with an `_xHHHH_` escape (four hex digits, either case).
fn starts_with_xstring_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 7 && b[0] == b'_' && b[1] == b'x' && b[2..6].iter().all(u8::is_ascii_hexdigit) && b[6] == b'_'
}

/// Escapes cell text (an OOXML `ST_Xstring`: shared and inline strings, text results) for
/// element content: a character XML cannot carry becomes `_xHHHH_`, and text that itself reads
/// `_xHHHH_` gets its underscore escaped (`_x005F_xHHHH_`), so that Excel and LibreOffice show
/// exactly what was typed; then `<`, `>`, `&` as in [`escape_text`].
///
/// ```
/// use risksheet::xlsx::xml::{escape_xstring, unescape_xstring};
/// assert_eq!(escape_xstring("C:\\_x005F_temp & a\u{1}b"), "C:\\_x005F_x005F_temp &amp; a_x0001_b");
/// for s in ["C:\\_x005F_temp", "a\u{1}b\r\n", "_x00e9_", "_x12", "plain"] {
///     assert_eq!(unescape_xstring(&escape_xstring(s)), s);
/// }
/// ```
pub fn escape_xstring(s: &str) -> Cow<'_, str> {
    match encode_xstring(s) {
        Cow::Borrowed(s) => escape_text(s),
        Cow::Owned(encoded) => Cow::Owned(escape_text(&encoded).into_owned()),
    }
}

/// The `_xHHHH_` step of [`escape_xstring`] alone, before the XML escaping (`<` stays `<`).
pub fn encode_xstring(s: &str) -> Cow<'_, str> {
    if !s.contains(needs_xstring_escape) && !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for (i, c) in s.char_indices() {
        if needs_xstring_escape(c) {
            out.push_str(&format!("_x{:04X}_", c as u32));
        } else if c == '_' && starts_with_xstring_escape(&s[i..]) {
            out.push_str("_x005F_");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Resolves the `_xHHHH_` escapes of cell text read from XML (entities already resolved): the
/// inverse of [`escape_xstring`]. `_x005F_` is an underscore, so `_x005F_x0001_` reads back as the
/// text `_x0001_`; an escape of no character (a lone surrogate) is kept as it stands.
pub fn unescape_xstring(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let decoded = if starts_with_xstring_escape(tail) { u32::from_str_radix(&tail[2..6], 16).ok().and_then(char::from_u32) } else { None };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Returns `tag` with attribute `name` set to `value` (replaced in place or appended).
pub fn set_attr(tag: &str, name: &str, value: &str) -> String {
    let esc = escape(value);
    if let Some((n, v)) = attrs(tag).find(|(n, _)| *n == name) {
        // Both slices point into `tag`, so their offsets locate the value.
        let vstart = v.as_ptr() as usize - tag.as_ptr() as usize;
        let _ = n;
        return format!("{}{}{}", &tag[..vstart], esc, &tag[vstart + v.len()..]);
    }
    let close = if tag.ends_with("/>") { tag.len() - 2 } else { tag.len() - 1 };
    format!("{} {}=\"{}\"{}", tag[..close].trim_end(), name, esc, &tag[close..])
}

/// Returns `tag` without attribute `name`.
pub fn remove_attr(tag: &str, name: &str) -> String {
    if let Some((n, v)) = attrs(tag).find(|(n, _)| *n == name) {
        let nstart = n.as_ptr() as usize - tag.as_ptr() as usize;
        let vend = v.as_ptr() as usize - tag.as_ptr() as usize + v.len() + 1;
        let before = tag[..nstart].trim_end();
        return format!("{}{}", before, &tag[vend..]);
    }
    tag.to_string()
}

/// Finds the span of the first element with local name `name` below the root, searching the
/// whole text: returns (start of its start tag, end of its end tag).
pub(crate) fn find_element(xml: &str, name: &str) -> Result<Option<(usize, usize)>, String> {
    let mut depth = 0usize;
    let mut open: Option<(usize, usize)> = None; // (start, depth)
    for t in Scanner::new(xml) {
        let t = t?;
        match t.kind {
            TokenKind::Start => {
                if open.is_none() && t.local_name(xml) == name {
                    open = Some((t.start, depth));
                }
                depth += 1;
            }
            TokenKind::Empty if open.is_none() && t.local_name(xml) == name => return Ok(Some((t.start, t.end))),
            TokenKind::End => {
                depth = depth.saturating_sub(1);
                if let Some((s, d)) = open {
                    if d == depth {
                        return Ok(Some((s, t.end)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(None)
}

/// Checks that the text read from `r` is one well-formed element tree: every tag closed by its
/// own end tag, one root, nothing but white space and markup declarations around it. (Checked on
/// every changed part before a save replaces the user's file.) The text is read piece by piece
/// (an inflating part), holding about 4 MiB of it at a time instead of the whole part.
pub(crate) fn check_well_formed_stream(mut r: impl std::io::Read) -> Result<(), String> {
    const PIECE: usize = 4 << 20;
    let mut tree = Tree::default();
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = r.read(&mut chunk).map_err(|e| e.to_string())?;
        let eof = n == 0;
        buf.extend_from_slice(&chunk[..n]);
        if !eof && buf.len() < PIECE {
            continue;
        }
        // Up to the last whole character; the rest waits for the next piece.
        let valid = match std::str::from_utf8(&buf) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(),
            Err(e) => return Err(format!("not UTF-8 ({e})")),
        };
        let text = std::str::from_utf8(&buf[..valid]).map_err(|e| e.to_string())?;
        let mut done = 0;
        for t in Scanner::new(text) {
            // A token running to the end of the piece may go on in the next one.
            match t {
                Ok(t) if eof || t.end < text.len() => {
                    tree.token(text, t)?;
                    done = t.end;
                }
                Err(e) if eof => return Err(e),
                _ => break,
            }
        }
        buf.drain(..done);
        if eof {
            return tree.finish();
        }
    }
}

/// The open elements of a document being checked.
#[derive(Default)]
struct Tree {
    open: Vec<String>,
    roots: usize,
}

impl Tree {
    fn token(&mut self, xml: &str, t: Token) -> Result<(), String> {
        match t.kind {
            TokenKind::Start | TokenKind::Empty => {
                if self.open.is_empty() {
                    self.roots += 1;
                    if self.roots > 1 {
                        return Err(format!("a second root element <{}>", t.name(xml)));
                    }
                }
                if t.kind == TokenKind::Start {
                    self.open.push(t.name(xml).to_string());
                }
            }
            TokenKind::End => match self.open.pop() {
                Some(name) if name == t.name(xml) => {}
                Some(name) => return Err(format!("</{}> closes <{name}>", t.name(xml))),
                None => return Err(format!("</{}> without a start tag", t.name(xml))),
            },
            TokenKind::Text if self.open.is_empty() && !t.text(xml).trim().is_empty() => return Err("text outside the root element".into()),
            TokenKind::CData if self.open.is_empty() => return Err("CDATA outside the root element".into()),
            _ => {}
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), String> {
        match (self.open.last(), self.roots) {
            (Some(name), _) => Err(format!("<{name}> is not closed")),
            (None, 0) => Err("no root element".into()),
            _ => Ok(()),
        }
    }
}

/// Counts elements with a local name in an XML fragment.
///
/// ```
/// assert_eq!(risksheet::xlsx::xml::count_elements("<a><b/><x:b></x:b><c/></a>", "b"), 2);
/// ```
pub fn count_elements(xml: &str, name: &str) -> usize {
    Scanner::new(xml).flatten().filter(|t| matches!(t.kind, TokenKind::Start | TokenKind::Empty) && t.local_name(xml) == name).count()
}

/// Removes the elements with a local name for which `pred` (given the start tag) holds, with
/// their content.
///
/// ```
/// let xml = r#"<r><x Id="1"/><x Id="2">t</x></r>"#;
/// assert_eq!(risksheet::xlsx::xml::remove_elements(xml, "x", |tag| tag.contains("\"2\"")), r#"<r><x Id="1"/></r>"#);
/// ```
pub fn remove_elements(xml: &str, name: &str, pred: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut pos = 0;
    let mut skip_until_end = false;
    for t in Scanner::new(xml).flatten() {
        if skip_until_end {
            if t.kind == TokenKind::End && t.local_name(xml) == name {
                pos = t.end;
                skip_until_end = false;
            }
            continue;
        }
        if matches!(t.kind, TokenKind::Start | TokenKind::Empty) && t.local_name(xml) == name && pred(t.text(xml)) {
            out.push_str(&xml[pos..t.start]);
            pos = t.end;
            skip_until_end = t.kind == TokenKind::Start;
        }
    }
    out.push_str(&xml[pos..]);
    out
}

/// The text of a part: UTF-8 (a byte-order mark stripped), or ISO-8859-1 as some generators
/// declare, decoded and re-declared as UTF-8 (the form it is written back in). UTF-16 is refused.
pub(crate) fn as_text<'a>(part: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, crate::Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(crate::Error::xml(part, "UTF-16 parts are not supported"));
    }
    let decl_end = bytes.iter().take(200).position(|&b| b == b'>').unwrap_or(0);
    let decl = String::from_utf8_lossy(&bytes[..decl_end]).to_ascii_lowercase();
    if decl.starts_with("<?xml") && ["iso-8859-1", "latin1", "windows-1252", "iso8859-1"].iter().any(|e| decl.contains(e)) {
        let text: String = bytes.iter().map(|&b| b as char).collect();
        let head_end = text.find("?>").map_or(0, |i| i + 2);
        let head = declare_utf8(&text[..head_end]);
        return Ok(Cow::Owned(format!("{head}{}", &text[head_end..])));
    }
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| crate::Error::xml(part, e))
}

/// Like [`as_text`], taking ownership so a UTF-8 part becomes text without a copy (a 30 MB
/// sheet must not be held twice).
pub(crate) fn into_text(part: &str, mut bytes: Vec<u8>) -> Result<String, crate::Error> {
    if let Cow::Owned(s) = as_text(part, &bytes)? {
        return Ok(s);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| crate::Error::xml(part, e))
}

/// Replaces the value of `encoding="…"` (or `'…'`) in an XML declaration by UTF-8.
fn declare_utf8(head: &str) -> String {
    let Some(i) = head.find("encoding=") else { return head.to_string() };
    let start = i + 10;
    let quote = head[i + 9..].chars().next().unwrap_or('"');
    let end = head.get(start..).and_then(|t| t.find(quote)).map_or(head.len(), |j| start + j);
    format!("{}UTF-8{}", &head[..start.min(head.len())], &head[end..])
}

#[cfg(test)]
#[path = "tests/xml.rs"]
mod tests;
