//! The two languages risksheet speaks, and text that is in both until it is shown.
//!
//! The library never decides the language on its own: a [`Message`] holds the Japanese and the
//! English text, and whoever shows it (the command line with `--lang`, the Python module with
//! `set_lang`) picks one with [`Message::get`]. Operations that write text into a workbook or a
//! report take the language as an argument.
//!
//! ```
//! use risksheet::lang::{Lang, Message};
//! let m = Message::new("数値を入力してください", "enter a number");
//! assert_eq!(m.get(Lang::Ja), "数値を入力してください");
//! assert_eq!(m.get(Lang::En), "enter a number");
//! assert_eq!(Message::from("A.5.1").get(Lang::En), "A.5.1");
//! ```
use std::fmt;

/// Language of messages and generated sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 日本語 (default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses `ja` / `en` (case-insensitive); anything else is `None`.
    ///
    /// ```
    /// use risksheet::Lang;
    /// assert_eq!(Lang::parse("EN"), Some(Lang::En));
    /// assert_eq!(Lang::parse("xx"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    /// Picks the Japanese or the English text.
    ///
    /// ```
    /// use risksheet::Lang;
    /// assert_eq!(Lang::En.pick("はい", "yes"), "yes");
    /// ```
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// A text in Japanese and English, shown in one of them later ([`Message::get`]). Text that
/// reads the same in both (a part name, a parser's own message, a cell's content) converts from
/// a `String` or `&str` and is kept once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    ja: String,
    /// `None`: the same as `ja`.
    en: Option<String>,
}

impl Message {
    /// A text with its Japanese and English wording.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Message {
        Message { ja: ja.into(), en: Some(en.into()) }
    }
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.en) {
            (Lang::En, Some(en)) => en,
            _ => &self.ja,
        }
    }
    /// The text with `f` applied to each wording (to wrap it in context).
    ///
    /// ```
    /// use risksheet::lang::{Lang, Message};
    /// let m = Message::new("空です", "empty").map(|lang, s| format!("{}: {s}", lang.pick("シート", "sheet")));
    /// assert_eq!(m.get(Lang::En), "sheet: empty");
    /// ```
    pub fn map(&self, f: impl Fn(Lang, &str) -> String) -> Message {
        let ja = f(Lang::Ja, &self.ja);
        let en = f(Lang::En, self.get(Lang::En));
        if en == ja {
            Message { ja, en: None }
        } else {
            Message::new(ja, en)
        }
    }
    /// A text built by `f` for each language.
    ///
    /// ```
    /// use risksheet::lang::{Lang, Message};
    /// let n = 3;
    /// let m = Message::each(|l| format!("{n} {}", l.pick("件", "items")));
    /// assert_eq!(m.get(Lang::Ja), "3 件");
    /// ```
    pub fn each(f: impl Fn(Lang) -> String) -> Message {
        Message { ja: String::new(), en: None }.map(|lang, _| f(lang))
    }
}

impl From<String> for Message {
    fn from(s: String) -> Message {
        Message { ja: s, en: None }
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Message {
        Message { ja: s.to_string(), en: None }
    }
}

/// So that an I/O error can carry a message in both languages (`io::Error::other(message)`);
/// [`crate::Error`] shows it in the language asked for.
impl std::error::Error for Message {}

/// Shows the Japanese text (the default language); use [`Message::get`] for the other.
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ja)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nothing process-wide: two threads show one error in two languages at once.
    #[test]
    fn one_error_two_languages_at_once() {
        let e = crate::Error::from(crate::xlsx::XlsxError::NotZip).in_file("a.xlsx");
        std::thread::scope(|s| {
            let ja = s.spawn(|| (0..200).map(|_| e.display(Lang::Ja).to_string()).collect::<Vec<_>>());
            let en = s.spawn(|| (0..200).map(|_| e.display(Lang::En).to_string()).collect::<Vec<_>>());
            assert!(ja.join().unwrap().iter().all(|m| m.contains("zip形式でない")));
            assert!(en.join().unwrap().iter().all(|m| m.ends_with("not a zip package")));
        });
    }

    #[test]
    fn each_and_map_keep_one_text_when_both_read_the_same() {
        let m = Message::each(|_| "A.5.1".to_string());
        assert_eq!(m, Message::from("A.5.1"));
        assert_eq!(Message::new("空", "empty").map(|_, s| format!("[{s}]")).get(Lang::En), "[empty]");
    }
}
