//! The calculation chain: after an edit that changes formulas, `calcChain.xml` is removed (Excel
//! rebuilds it; a stale one makes Excel repair the file) and `fullCalcOnLoad` asks for a
//! recalculation when the workbook is opened.
use super::*;
use crate::xlsx::rels::{parse_rels, part_dir, resolve_target};

impl Workbook {
    /// Removes `calcChain.xml` (Excel rebuilds it) and asks Excel to recalculate on load.
    pub(super) fn drop_calc_chain(&mut self, changes: &mut PartChanges) -> Result<()> {
        let rels_part = self.pkg.find(&self.workbook_rels).map(str::to_string);
        if let Some(rp) = rels_part {
            let rels_xml = self.current_text(changes, &rp)?;
            let rels = parse_rels(&rp, &rels_xml)?;
            let dir = part_dir(&self.workbook_part).to_string();
            if let Some(rel) = rels.iter().find(|r| r.1.ends_with("/calcChain")) {
                let chain = resolve_target(&dir, &rel.2);
                if let Some(stored) = self.pkg.find(&chain).map(str::to_string) {
                    changes.remove(&stored);
                }
                changes.replace(&rp, xml::remove_elements(&rels_xml, "Relationship", |tag| attr(tag, "Id").as_deref() == Some(rel.0.as_str())).into_bytes());
                let ct_part = self.content_types_part();
                let ct = self.current_text(changes, &ct_part)?;
                let want = format!("/{chain}").to_lowercase();
                changes.replace(
                    &ct_part,
                    xml::remove_elements(&ct, "Override", |tag| attr(tag, "PartName").is_some_and(|p| p.to_lowercase() == want)).into_bytes(),
                );
            }
        }
        let part = self.workbook_part.clone();
        let wb = self.current_text(changes, &part)?;
        changes.replace(&part, set_full_calc_on_load(&part, &wb)?.into_bytes());
        Ok(())
    }
}

/// Sets `fullCalcOnLoad="1"` on `<calcPr>`, adding the element where the schema puts it.
pub(super) fn set_full_calc_on_load(part: &str, xml: &str) -> Result<String> {
    if let Some((s, e)) = xml::find_element(xml, "calcPr").map_err(|m| Error::xml(part, m))? {
        let tag_end = xml[s..e].find('>').map_or(e, |i| s + i + 1);
        let tag = xml::set_attr(&xml[s..tag_end], "fullCalcOnLoad", "1");
        return Ok(format!("{}{}{}", &xml[..s], tag, &xml[tag_end..]));
    }
    const AFTER: &[&str] =
        &["oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"];
    let root = Scanner::new(xml).flatten().find(|t| t.kind == TokenKind::Start && t.local_name(xml) == "workbook");
    let prefix = root.map(|t| t.prefix(xml).to_string()).unwrap_or_default();
    let mut at = xml.rfind("</").unwrap_or(xml.len());
    for name in AFTER {
        if let Some((s, _)) = xml::find_element(xml, name).map_err(|m| Error::xml(part, m))? {
            at = at.min(s);
        }
    }
    let mut out = xml[..at].to_string();
    crate::xlsx::xml_writer::XmlWriter::new(&mut out, &prefix).start("calcPr").attr("fullCalcOnLoad", "1").close().raw(&xml[at..]);
    Ok(out)
}
