//! Data validation: the dropdowns and input rules Excel shows on cells.
//!
//! A list validation takes its choices from a literal list (`"書類,クラウド"`, at most 255
//! characters, which every Excel and LibreOffice reads) or from a range or defined name.
//!
//! ```
//! use risksheet::xlsx::validation::DataValidation;
//! use risksheet::xlsx::address::Range;
//! let dv = DataValidation::list(Range::parse("F5:F100").unwrap(), &["書類", "クラウド"])
//!     .with_prompt("媒体・保存先", "一覧から選んでください");
//! assert!(dv.to_xml().contains(r#"<formula1>"書類,クラウド"</formula1>"#));
//! ```
use crate::xlsx::address::Range;
use crate::xlsx::xml_writer::XmlWriter;

/// Which values a validation accepts.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// One of the listed values (a dropdown).
    List(Vec<String>),
    /// One of the values in a range or name, given as a formula (`$A$1:$A$5`, `媒体一覧`).
    ListFrom(String),
    /// A whole number between two bounds.
    WholeBetween(i64, i64),
    /// A decimal number between two bounds.
    DecimalBetween(f64, f64),
    /// A date between two date serials (Excel's 「日付」 rule: a typed date is accepted, text is not).
    DateBetween(i64, i64),
}

/// A data validation over one or more ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct DataValidation {
    /// Cells it applies to.
    pub ranges: Vec<Range>,
    /// What it accepts.
    pub rule: Rule,
    /// Whether blank is accepted.
    pub allow_blank: bool,
    /// Title and text of the input prompt.
    pub prompt: Option<(String, String)>,
    /// Title and text of the error message.
    pub error: Option<(String, String)>,
    /// Input method mode (`hiragana`, `off`, …); Japanese Excel switches the IME with it.
    pub ime_mode: Option<String>,
}

impl DataValidation {
    /// A dropdown with literal choices.
    pub fn list(range: Range, values: &[&str]) -> DataValidation {
        Self::new(range, Rule::List(values.iter().map(|s| s.to_string()).collect()))
    }

    /// A validation with any rule.
    pub fn new(range: Range, rule: Rule) -> DataValidation {
        DataValidation { ranges: vec![range], rule, allow_blank: true, prompt: None, error: None, ime_mode: None }
    }

    /// Adds an input prompt.
    pub fn with_prompt(mut self, title: &str, text: &str) -> Self {
        self.prompt = Some((title.into(), text.into()));
        self
    }

    /// Adds an error message shown on invalid input.
    pub fn with_error(mut self, title: &str, text: &str) -> Self {
        self.error = Some((title.into(), text.into()));
        self
    }

    /// Sets the input method mode.
    pub fn with_ime_mode(mut self, mode: &str) -> Self {
        self.ime_mode = Some(mode.into());
        self
    }

    /// The `<dataValidation>` element, without namespace prefix.
    pub fn to_xml(&self) -> String {
        self.to_xml_prefixed("")
    }

    /// The `<dataValidation>` element with element names prefixed (`x:`).
    pub fn to_xml_prefixed(&self, p: &str) -> String {
        let (ty, op, f1, f2) = match &self.rule {
            Rule::List(v) => ("list", None, format!("\"{}\"", v.join(",").replace('"', "\"\"")), None),
            Rule::ListFrom(f) => ("list", None, f.clone(), None),
            Rule::WholeBetween(a, b) => ("whole", Some("between"), a.to_string(), Some(b.to_string())),
            Rule::DecimalBetween(a, b) => ("decimal", Some("between"), a.to_string(), Some(b.to_string())),
            Rule::DateBetween(a, b) => ("date", Some("between"), a.to_string(), Some(b.to_string())),
        };
        let mut s = String::new();
        let mut w = XmlWriter::new(&mut s, p);
        w.start("dataValidation").attr("type", ty);
        if let Some(op) = op {
            w.attr("operator", op);
        }
        if self.allow_blank {
            w.attr("allowBlank", "1");
        }
        if let Some(m) = &self.ime_mode {
            w.attr("imeMode", m);
        }
        w.attr("showInputMessage", "1").attr("showErrorMessage", "1");
        if let Some((t, e)) = &self.error {
            w.attr("errorTitle", t).attr("error", e);
        }
        if let Some((t, e)) = &self.prompt {
            w.attr("promptTitle", t).attr("prompt", e);
        }
        let sqref: Vec<String> = self.ranges.iter().map(|r| r.to_string()).collect();
        w.attr("sqref", &sqref.join(" ")).open().text_element("formula1", &f1);
        if let Some(f2) = f2 {
            w.text_element("formula2", &f2);
        }
        w.end("dataValidation");
        s
    }
}

#[cfg(test)]
#[path = "tests/validation.rs"]
mod tests;
