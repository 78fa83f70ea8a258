//! The shared strings part (`xl/sharedStrings.xml`): the texts cells of type `s` point to.
use crate::error::{Error, Result};
use crate::xlsx::xml::{self, Scanner, TokenKind};

/// The texts of a shared strings part, rich-text runs joined, phonetic runs left out.
pub(crate) fn parse_shared_strings(part: &str, xml: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    let mut phonetic = 0usize;
    let mut in_t = false;
    for t in Scanner::new(xml) {
        let t = t.map_err(|m| Error::xml(part, m))?;
        match t.kind {
            TokenKind::Start => match t.local_name(xml) {
                "si" => cur = Some(String::new()),
                "rPh" => phonetic += 1,
                "t" => in_t = true,
                _ => {}
            },
            TokenKind::Empty if t.local_name(xml) == "si" => out.push(String::new()),
            TokenKind::End => match t.local_name(xml) {
                "si" => out.push(cur.take().unwrap_or_default()),
                "rPh" => phonetic = phonetic.saturating_sub(1),
                "t" => in_t = false,
                _ => {}
            },
            TokenKind::Text | TokenKind::CData if in_t && phonetic == 0 => {
                if let Some(s) = cur.as_mut() {
                    let raw = t.text(xml);
                    if t.kind == TokenKind::CData {
                        s.push_str(raw.trim_start_matches("<![CDATA[").trim_end_matches("]]>"));
                    } else {
                        s.push_str(&xml::unescape_xstring(&xml::unescape(raw)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
