//! Additions to the styles part (`xl/styles.xml`): cell formats and differential formats appended
//! to their counted lists, everything else in the part kept byte for byte.
use crate::error::{Error, Result};
use crate::xlsx::xml;

/// Appends differential formats to the styles part.
pub(crate) fn add_dxfs(part: &str, xml: &str, dxfs: &[String]) -> Result<String> {
    append_items(part, xml, "dxfs", "dxf", dxfs, &["tableStyles", "colors", "extLst"])
}

/// Appends items to a counted list of the styles part (`<dxfs count>`, `<cellXfs count>`),
/// creating the list before the first of `before` when the part has none.
pub(crate) fn append_items(part: &str, xml: &str, list: &str, item: &str, items: &[String], before: &[&str]) -> Result<String> {
    let new: String = items.concat();
    if let Some((s, e)) = xml::find_element(xml, list).map_err(|m| Error::xml(part, m))? {
        let whole = &xml[s..e];
        let total = xml::count_elements(whole, item) + items.len();
        let tag_end = whole.find('>').map_or(whole.len(), |i| i + 1);
        let tag = xml::set_attr(&whole[..tag_end], "count", &total.to_string());
        let body = if tag.ends_with("/>") {
            format!("{}>{new}</{list}>", tag.trim_end_matches("/>"))
        } else {
            let close = whole.rfind('<').unwrap_or(whole.len());
            format!("{tag}{}{new}{}", &whole[tag_end..close], &whole[close..])
        };
        return Ok(format!("{}{}{}", &xml[..s], body, &xml[e..]));
    }
    let mut at = xml.rfind("</").unwrap_or(xml.len());
    for name in before {
        if let Some((s, _)) = xml::find_element(xml, name).map_err(|m| Error::xml(part, m))? {
            at = at.min(s);
        }
    }
    let mut out = xml[..at].to_string();
    let count = u32::try_from(items.len()).unwrap_or(u32::MAX);
    crate::xlsx::xml_writer::XmlWriter::new(&mut out, "").start(list).attr_u32("count", count).open().raw(&new).end(list).raw(&xml[at..]);
    Ok(out)
}
