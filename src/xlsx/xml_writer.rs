//! The one way the workbook layer writes XML: elements carry the namespace prefix of the part
//! they go into (`x:row` in a sheet written with prefixes), attribute values and text are escaped
//! on the way in, and everything is appended to one `String` without intermediate allocations (a
//! fill writes tens of thousands of cells). The in-place editor's cells, rows, formulas and
//! validations, the conditional formats' styles, and the parts a new sheet adds to the package
//! all go through it. Workbooks written from nothing go through rust_xlsxwriter
//! ([`crate::xlsx::new_book`]).
//!
//! ```ignore
//! let mut s = String::new();
//! XmlWriter::new(&mut s, "x:").start("row").attr_u32("r", 7).open().empty("c").end("row");
//! assert_eq!(s, "<x:row r=\"7\"><x:c/></x:row>");
//! ```
use super::address::push_u32;
use super::xml::{escape, escape_text, escape_xstring};

/// Appends XML to a string; see the module documentation.
pub(crate) struct XmlWriter<'a> {
    out: &'a mut String,
    prefix: &'a str,
}

impl<'a> XmlWriter<'a> {
    /// Appends to `out`, element names prefixed with `prefix` (`""` or `"x:"`).
    pub(crate) fn new(out: &'a mut String, prefix: &'a str) -> XmlWriter<'a> {
        XmlWriter { out, prefix }
    }
    /// The string written to, for a piece that writes itself (a cell address).
    pub(crate) fn out(&mut self) -> &mut String {
        self.out
    }
    fn name(&mut self, name: &str) {
        self.out.push_str(self.prefix);
        self.out.push_str(name);
    }
    /// `<name`: attributes follow, then [`XmlWriter::open`] or [`XmlWriter::close`].
    pub(crate) fn start(&mut self, name: &str) -> &mut Self {
        self.out.push('<');
        self.name(name);
        self
    }
    /// ` name="value"`, the value escaped.
    pub(crate) fn attr(&mut self, name: &str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&escape(value));
        self.out.push('"');
        self
    }
    /// ` name="n"`.
    pub(crate) fn attr_u32(&mut self, name: &str, n: u32) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_u32(self.out, n);
        self.out.push('"');
        self
    }
    /// `>`: the start tag is complete; content follows.
    pub(crate) fn open(&mut self) -> &mut Self {
        self.out.push('>');
        self
    }
    /// `/>`: the element has no content.
    pub(crate) fn close(&mut self) -> &mut Self {
        self.out.push_str("/>");
        self
    }
    /// `<name/>`.
    pub(crate) fn empty(&mut self, name: &str) -> &mut Self {
        self.start(name).close()
    }
    /// `</name>`.
    pub(crate) fn end(&mut self, name: &str) -> &mut Self {
        self.out.push_str("</");
        self.name(name);
        self.out.push('>');
        self
    }
    /// Text content, escaped (`<`, `&`, `>`).
    pub(crate) fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape_text(text));
        self
    }
    /// Text content of a cell or shared string: escaped, and characters XML cannot hold written
    /// as Excel's `_xHHHH_`.
    pub(crate) fn xstring(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape_xstring(text));
        self
    }
    /// A number as text content.
    pub(crate) fn u32(&mut self, n: u32) -> &mut Self {
        push_u32(self.out, n);
        self
    }
    /// Content already in XML (a fragment made by this writer, or copied from the part).
    pub(crate) fn raw(&mut self, xml: &str) -> &mut Self {
        self.out.push_str(xml);
        self
    }
    /// `<name>text</name>`, the text escaped.
    pub(crate) fn text_element(&mut self, name: &str, text: &str) -> &mut Self {
        self.start(name).open().text(text).end(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_with_prefix_and_escaping() {
        let mut s = String::new();
        XmlWriter::new(&mut s, "x:").start("row").attr_u32("r", 7).open().start("c").attr("r", "A\"7").close().text_element("f", "A1<B1&C1").end("row");
        assert_eq!(s, "<x:row r=\"7\"><x:c r=\"A&quot;7\"/><x:f>A1&lt;B1&amp;C1</x:f></x:row>");
    }

    #[test]
    fn numbers_and_xstrings() {
        let mut s = String::new();
        XmlWriter::new(&mut s, "").u32(0).raw(" ").u32(4_294_967_295).raw(" ").xstring("a\u{1}b");
        assert_eq!(s, "0 4294967295 a_x0001_b");
    }
}
