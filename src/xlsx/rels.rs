//! Relationships between the parts of a package (`_rels/*.rels`): where a part's relationships
//! are, what they say, and how a target resolves against its source part.
use crate::error::{Error, Result};
use crate::xlsx::xml::{attr, Scanner, TokenKind};

/// The directory part of a part name (`xl/workbook.xml` → `xl/`).
pub(crate) fn part_dir(part: &str) -> &str {
    part.rfind('/').map_or("", |i| &part[..=i])
}

/// The relationships part of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`).
pub(crate) fn rels_of(part: &str) -> String {
    let dir = part_dir(part);
    format!("{dir}_rels/{}.rels", &part[dir.len()..])
}

/// Resolves a relationship target against the directory of its source part.
pub(crate) fn resolve_target(base_dir: &str, target: &str) -> String {
    let joined = if let Some(abs) = target.strip_prefix('/') { abs.to_string() } else { format!("{base_dir}{target}") };
    let mut out: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Relationships of a rels part: (id, type, target, external).
pub(crate) fn parse_rels(part: &str, xml: &str) -> Result<Vec<(String, String, String, bool)>> {
    let mut out = Vec::new();
    for t in Scanner::new(xml) {
        let t = t.map_err(|m| Error::xml(part, m))?;
        if matches!(t.kind, TokenKind::Start | TokenKind::Empty) && t.local_name(xml) == "Relationship" {
            let tag = t.text(xml);
            let get = |n| attr(tag, n).map(|s| s.into_owned()).unwrap_or_default();
            out.push((get("Id"), get("Type"), get("Target"), get("TargetMode") == "External"));
        }
    }
    Ok(out)
}
