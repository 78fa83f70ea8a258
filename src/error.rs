//! One error type for the whole crate: a kind that says what went wrong, and the place it went
//! wrong in (file, sheet, cell), filled in as the error travels up. Messages are Japanese by
//! default and English with [`set_lang`]`(Lang::En)` (the CLI's `--lang en`).
//!
//! ```
//! use risksheet::error::{Error, ErrorKind, Lang, set_lang};
//! let e = Error::new(ErrorKind::InvalidValue { expected: "1〜3".into(), found: "高".into() })
//!     .in_file("ledger.xlsx").in_sheet("情報資産管理台帳").at_cell("J7");
//! set_lang(Lang::En);
//! assert_eq!(e.to_string(), "ledger.xlsx: 情報資産管理台帳!J7: expected 1〜3, found 「高」");
//! set_lang(Lang::Ja);
//! ```
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

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
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "ja" | "jp" | "japanese" => Some(Lang::Ja),
            "en" | "english" => Some(Lang::En),
            _ => None,
        }
    }
    /// Picks the Japanese or the English text.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Sets the language of error messages for the whole process.
pub fn set_lang(lang: Lang) {
    LANG.store(lang as u8, Ordering::Relaxed);
}

/// The language error messages are shown in.
pub fn lang() -> Lang {
    if LANG.load(Ordering::Relaxed) == Lang::En as u8 {
        Lang::En
    } else {
        Lang::Ja
    }
}

/// Whether a terminal could act on `c` instead of showing it: C0 and C1 controls (ESC starts
/// the sequences that move the cursor, recolour, retitle the window), DEL, the bidirectional
/// controls that reorder what follows (U+202E shows `txt.exe` as `exe.txt`), and the line and
/// paragraph separators.
fn acts_on_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

fn escape_for_terminal<'a>(s: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    if !s.chars().any(|c| acts_on_terminal(c) && !keep.contains(&c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts_on_terminal(c) && !keep.contains(&c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text from a workbook (a sheet name, a cell's text, a defined name) or from a user, as one
/// field of terminal output: every character a terminal would act on instead of showing (ESC,
/// other C0/C1 controls, line breaks and tabs, bidirectional overrides) is shown as its escape
/// (`\u{1b}`). The workbook and JSON output keep the text as it is.
///
/// ```
/// use risksheet::error::shown;
/// assert_eq!(shown("台帳"), "台帳");
/// assert_eq!(shown("a\u{1b}[2Jb\u{202e}c\nd"), "a\\u{1b}[2Jb\\u{202e}c\\u{a}d");
/// ```
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    escape_for_terminal(s, &[])
}

/// Lines of terminal output (a report, a table): as [`shown`], but the line breaks and tabs that
/// lay the output out are kept.
///
/// ```
/// use risksheet::error::shown_lines;
/// assert_eq!(shown_lines("a\tb\nc\u{1b}]0;x\u{7}"), "a\tb\nc\\u{1b}]0;x\\u{7}");
/// ```
pub fn shown_lines(s: &str) -> std::borrow::Cow<'_, str> {
    escape_for_terminal(s, &['\n', '\t'])
}

thread_local! {
    /// Set while [`catch_panic`] runs on this thread: the panic hook stays silent.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic inside it into `Err` with the panic's message, without the panic
/// printing anything (on this thread; panics elsewhere print as before). For code that must not
/// take the process down on hostile input (the legacy reader, each file of a batch).
///
/// ```
/// use risksheet::error::catch_panic;
/// assert_eq!(catch_panic(|| 2 + 2), Ok(4));
/// let v: Vec<u8> = Vec::new();
/// assert!(catch_panic(|| v[3]).unwrap_err().contains("index out of bounds"));
/// ```
pub fn catch_panic<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info)
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r.map_err(|p| p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default())
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io(std::io::Error),
    /// The file is not a zip package at all.
    NotZip,
    /// An encrypted (password-protected) workbook: an OLE compound file, not a zip.
    Encrypted,
    /// A legacy binary `.xls` where an `.xlsx` was expected.
    LegacyXls,
    /// A zip package that is not a spreadsheet (no workbook part).
    NotWorkbook(String),
    /// A damaged package: truncated, bad zip structure, a part that cannot be read.
    Corrupt(String),
    /// A part whose uncompressed size is over the limit (a zip bomb or an absurd sheet).
    PartTooLarge {
        /// Part name inside the package.
        part: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// A part whose XML cannot be parsed.
    Xml {
        /// Part name inside the package.
        part: String,
        /// What the parser said.
        message: String,
    },
    /// No sheet of that name.
    SheetNotFound {
        /// The name asked for.
        name: String,
        /// The sheets the workbook has.
        available: Vec<String>,
    },
    /// A cell address or range that cannot be parsed.
    InvalidAddress(String),
    /// An edit that lands inside an array formula's range.
    ArrayFormula {
        /// The array formula's range.
        range: String,
    },
    /// A value of the wrong kind in an input cell (「高」 where a number 1–3 belongs).
    InvalidValue {
        /// What the cell should hold.
        expected: String,
        /// What it holds.
        found: String,
    },
    /// A sheet or column that the layout needs could not be found by its header text.
    MissingHeader(String),
    /// A profile file that cannot be used.
    Profile(String),
    /// A bad command-line argument or API argument.
    Usage(String),
    /// A path that is not a regular file (a device, a FIFO, a socket).
    NotRegularFile,
    /// The file changed on disk after it was read: saving would overwrite another program's save.
    ChangedSinceRead,
    /// The workbook is open in another program (which one, and the lock file that says so).
    InUse(String),
    /// The new file failed its check before it would have replaced the old one (why); nothing
    /// was replaced.
    NotSaved(String),
    /// The file to replace is read-only (for everyone, or for this user).
    ReadOnly,
    /// The file to replace has other hard links (how many names in all), which a save would leave
    /// with the old content.
    HardLinked(u64),
}

/// An error with the place it happened: file, sheet and cell where known. Boxed, so that a
/// `Result` stays one pointer wide on the success path; the fields are reached through it
/// (`e.kind`, `e.file`, …).
#[derive(Debug)]
pub struct Error(Box<Details>);

/// What an [`Error`] holds.
#[derive(Debug)]
pub struct Details {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The workbook or file.
    pub file: Option<PathBuf>,
    /// The sheet.
    pub sheet: Option<String>,
    /// The cell or range, as in Excel (`B7`).
    pub cell: Option<String>,
}

impl std::ops::Deref for Error {
    type Target = Details;
    fn deref(&self) -> &Details {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Details {
        &mut self.0
    }
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error without a place yet.
    pub fn new(kind: ErrorKind) -> Error {
        Error(Box::new(Details { kind, file: None, sheet: None, cell: None }))
    }
    /// Sets the file unless a file is already known.
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Error {
        if self.file.is_none() {
            self.file = Some(path.as_ref().to_path_buf());
        }
        self
    }
    /// Sets the sheet unless a sheet is already known.
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Error {
        if self.sheet.is_none() {
            self.sheet = Some(sheet.into());
        }
        self
    }
    /// Sets the cell unless a cell is already known.
    pub fn at_cell(mut self, cell: impl Into<String>) -> Error {
        if self.cell.is_none() {
            self.cell = Some(cell.into());
        }
        self
    }
    /// The kind, taking the error apart.
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }
    /// Shorthand for a [`ErrorKind::Corrupt`] error.
    pub fn corrupt(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Corrupt(msg.into()))
    }
    /// Shorthand for a [`ErrorKind::Usage`] error.
    pub fn usage(msg: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage(msg.into()))
    }
    /// Shorthand for an [`ErrorKind::Xml`] error.
    pub fn xml(part: &str, message: impl fmt::Display) -> Error {
        Error::new(ErrorKind::Xml { part: part.to_string(), message: message.to_string() })
    }
    /// The message of the kind alone, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        use ErrorKind::*;
        let ja = lang == Lang::Ja;
        match &self.kind {
            Io(e) => {
                if ja {
                    format!("ファイルを読み書きできません（{e}）")
                } else {
                    format!("cannot read or write the file ({e})")
                }
            }
            NotZip => lang.pick("Excelブック（.xlsx）ではありません（zip形式でない）", "not an Excel workbook (.xlsx): not a zip package").into(),
            Encrypted => lang
                .pick(
                    "パスワードで保護（暗号化）されたブックです。Excelでパスワードを解除して保存し直してください",
                    "the workbook is password-protected (encrypted); remove the password in Excel and save it again",
                )
                .into(),
            LegacyXls => lang
                .pick("旧形式の .xls ブックです。.xlsx で保存し直すか convert を使ってください", "a legacy .xls workbook; save it as .xlsx or use convert")
                .into(),
            NotWorkbook(why) => {
                if ja {
                    format!("zipですがExcelブックではありません（{why}）")
                } else {
                    format!("a zip package but not an Excel workbook ({why})")
                }
            }
            Corrupt(why) => {
                if ja {
                    format!("ファイルが壊れています（{why}）")
                } else {
                    format!("the file is damaged ({why})")
                }
            }
            PartTooLarge { part, limit } => {
                if ja {
                    format!("{part} が大きすぎます（展開後 {limit} バイトの上限を超えています）")
                } else {
                    format!("{part} is too large (over the limit of {limit} bytes uncompressed)")
                }
            }
            Xml { part, message } => {
                if ja {
                    format!("{part} のXMLを読めません（{message}）")
                } else {
                    format!("cannot parse the XML of {part} ({message})")
                }
            }
            SheetNotFound { name, available } => {
                let list = available.join(", ");
                if ja {
                    format!("シート「{name}」がありません（あるシート: {list}）")
                } else {
                    format!("no sheet named '{name}' (sheets: {list})")
                }
            }
            InvalidAddress(a) => {
                if ja {
                    format!("セル番地「{a}」を解釈できません")
                } else {
                    format!("invalid cell address '{a}'")
                }
            }
            ArrayFormula { range } => {
                if ja {
                    format!("配列数式（{range}）の一部は変更できません")
                } else {
                    format!("cannot change part of an array formula ({range})")
                }
            }
            InvalidValue { expected, found } => {
                if ja {
                    format!("{expected} を入力してください（「{found}」が入っています）")
                } else {
                    format!("expected {expected}, found 「{found}」")
                }
            }
            MissingHeader(what) => {
                if ja {
                    format!("見出し「{what}」が見つかりません")
                } else {
                    format!("cannot find the header '{what}'")
                }
            }
            Profile(why) => {
                if ja {
                    format!("プロファイルを使えません（{why}）")
                } else {
                    format!("cannot use the profile ({why})")
                }
            }
            Usage(why) => why.clone(),
            NotRegularFile => lang.pick("通常のファイルではありません（デバイスやパイプなど）", "not a regular file (a device, a pipe …)").into(),
            ChangedSinceRead => lang
                .pick(
                    "読み込んだ後にファイルが変更されています。上書きしませんでした。開き直してからやり直してください（上書きするには --force）",
                    "the file changed after it was read; it was not overwritten. Open it again and retry (--force overwrites)",
                )
                .into(),
            ReadOnly => lang
                .pick(
                    "読み取り専用のファイルです。上書きしませんでした（それでも書き込むには --force）",
                    "the file is read-only; it was not overwritten (--force writes anyway)",
                )
                .into(),
            HardLinked(n) => {
                if ja {
                    format!("ほかの名前からもハードリンクされたファイルです（名前 {n} 個）。置き換えるとほかの名前は古い内容のまま残るため、書き込みませんでした（それでも書き込むには --force）")
                } else {
                    format!("the file has other hard links ({n} names); replacing it would leave them with the old content, so it was not written (--force writes anyway)")
                }
            }
            NotSaved(why) => {
                if ja {
                    format!("保存前の確認で問題が見つかったため、保存しませんでした（{why}）")
                } else {
                    format!("not saved: the new file failed its check before replacing the old one ({why})")
                }
            }
            InUse(by) => {
                if ja {
                    format!("ほかのプログラムで開かれています（{by}）。閉じてからやり直してください（それでも書き込むには --force）")
                } else {
                    format!("the workbook is open in another program ({by}); close it and retry (--force writes anyway)")
                }
            }
        }
    }
}

/// One line: the file, sheet and cell and the message, with whatever a terminal would act on in
/// them (a sheet name holding ESC) shown escaped ([`shown`]).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = String::new();
        if let Some(file) = &self.file {
            line += &format!("{}: ", file.display());
        }
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => line += &format!("{s}!{c}: "),
            (Some(s), None) => line += &format!("{s}: "),
            (None, Some(c)) => line += &format!("{c}: "),
            (None, None) => {}
        }
        line += &self.message(lang());
        f.write_str(&shown(&line))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Io(e))
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}
