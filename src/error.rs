//! One error type for the whole crate: a kind that says what went wrong, and the place it went
//! wrong in (file, sheet, cell), filled in as the error travels up. Each layer has its kinds: the
//! package and workbook layer its own enum ([`XlsxError`]), the profile, the domain rules and the
//! operations one kind each. The message is in both languages until it is shown: `Display` shows
//! Japanese, [`Error::display`] the language asked for (the CLI's `--lang`).
//!
//! ```
//! use risksheet::error::{Error, ErrorKind};
//! use risksheet::lang::{Lang, Message};
//! let expected = Message::new("1〜3の数値", "a number 1–3");
//! let e = Error::new(ErrorKind::InvalidValue { expected, found: "高".into() })
//!     .in_file("ledger.xlsx").in_sheet("情報資産管理台帳").at_cell("J7");
//! assert_eq!(e.display(Lang::En).to_string(), "ledger.xlsx: 情報資産管理台帳!J7: expected a number 1–3, found 「高」");
//! assert_eq!(e.to_string(), "ledger.xlsx: 情報資産管理台帳!J7: 1〜3の数値 を入力してください（「高」が入っています）");
//! ```
use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::lang::{Lang, Message};
pub use crate::xlsx::XlsxError;

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
/// # Errors
///
/// The panic's message, when `f` panics (empty when the panic carried no text).
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

/// What an I/O error of `kind` means to a person, for the kinds a user meets and can act on
/// (a missing file, a folder given as a file, no permission); `None` for the rest, shown with the
/// system's own text.
///
/// ```
/// use risksheet::{Error, Lang};
/// let e = Error::from(std::io::Error::from(std::io::ErrorKind::NotFound)).in_file("a.xlsx");
/// assert_eq!(e.display(Lang::En).to_string(), "a.xlsx: no such file");
/// assert_eq!(e.display(Lang::Ja).to_string(), "a.xlsx: ファイルがありません");
/// let io = |k| Error::from(std::io::Error::from(k)).message(Lang::En);
/// assert!(io(std::io::ErrorKind::PermissionDenied).starts_with("permission denied"));
/// assert_eq!(io(std::io::ErrorKind::IsADirectory), "a folder, not a file");
/// assert!(io(std::io::ErrorKind::Interrupted).starts_with("cannot read or write the file ("));
/// ```
fn io_words(kind: std::io::ErrorKind) -> Option<Message> {
    use std::io::ErrorKind::*;
    Some(match kind {
        NotFound => Message::new("ファイルがありません", "no such file"),
        PermissionDenied => Message::new(
            "このファイル（またはフォルダー）を読み書きする権限がありません",
            "permission denied: you may not read or write this file (or its folder)",
        ),
        IsADirectory => Message::new("ファイルではなくフォルダーです", "a folder, not a file"),
        NotADirectory => Message::new("パスの途中にフォルダーでないものがあります", "a part of the path is not a folder"),
        ReadOnlyFilesystem => Message::new("読み取り専用の場所です（書き込めません）", "a read-only file system (cannot write here)"),
        StorageFull => Message::new("ディスクの空きがありません", "no space left on the disk"),
        _ => return None,
    })
}

/// What went wrong, by the layer that found it.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io(std::io::Error),
    /// The package and workbook layer ([`crate::xlsx`]): the file on disk, the zip, XML, sheets,
    /// addresses.
    Xlsx(XlsxError),
    /// A profile or catalogue file that cannot be used ([`crate::profile`], [`crate::controls`]).
    Profile(Message),
    /// A value of the wrong kind in an input cell, by the domain rules ([`crate::domain`]): 「高」
    /// where a number 1–3 belongs.
    InvalidValue {
        /// What the cell should hold.
        expected: Message,
        /// What it holds.
        found: String,
    },
    /// A sheet or column that an operation needs could not be found by its header text
    /// ([`crate::ops`]).
    MissingHeader(Message),
    /// A bad command-line or API argument.
    Usage(Message),
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
    /// Shorthand for a [`XlsxError::Corrupt`] error.
    pub fn corrupt(msg: impl Into<Message>) -> Error {
        Error::from(XlsxError::Corrupt(msg.into()))
    }
    /// Shorthand for a [`ErrorKind::Usage`] error.
    pub fn usage(msg: impl Into<Message>) -> Error {
        Error::new(ErrorKind::Usage(msg.into()))
    }
    /// Shorthand for an [`XlsxError::Xml`] error.
    pub fn xml(part: &str, message: impl fmt::Display) -> Error {
        Error::from(XlsxError::Xml { part: part.to_string(), message: message.to_string() })
    }
    /// The package-layer kind, if that is what this is.
    pub fn xlsx(&self) -> Option<&XlsxError> {
        match &self.kind {
            ErrorKind::Xlsx(x) => Some(x),
            _ => None,
        }
    }
    /// The message of the kind alone, in the given language.
    pub fn message(&self, lang: Lang) -> String {
        use ErrorKind::*;
        let ja = lang == Lang::Ja;
        match &self.kind {
            Io(e) => {
                // An I/O error risksheet raised itself carries its text in both languages.
                let e: &dyn fmt::Display = match e.get_ref().and_then(|inner| inner.downcast_ref::<Message>()) {
                    Some(m) => &m.get(lang).to_string(),
                    None => match io_words(e.kind()) {
                        Some(words) => return words.get(lang).to_string(),
                        None => e,
                    },
                };
                if ja {
                    format!("ファイルを読み書きできません（{e}）")
                } else {
                    format!("cannot read or write the file ({e})")
                }
            }
            Xlsx(x) => x.message(lang),
            InvalidValue { expected, found } => {
                let expected = expected.get(lang);
                if ja {
                    format!("{expected} を入力してください（「{found}」が入っています）")
                } else {
                    format!("expected {expected}, found 「{found}」")
                }
            }
            MissingHeader(what) => {
                let what = what.get(lang);
                if ja {
                    format!("見出し「{what}」が見つかりません")
                } else {
                    format!("cannot find the header '{what}'")
                }
            }
            Profile(why) => {
                let why = why.get(lang);
                if ja {
                    format!("プロファイルを使えません（{why}）")
                } else {
                    format!("cannot use the profile ({why})")
                }
            }
            Usage(why) => why.get(lang).to_string(),
        }
    }
    /// The place and the message in `lang`: `file: sheet!cell: message`, the file left out when it
    /// is `known` (a batch line already names it). Nothing is escaped: [`Error::display`] is the
    /// form for a terminal.
    ///
    /// ```
    /// use risksheet::{Error, Lang};
    /// let e = Error::usage("bad").in_file("a.xlsx").in_sheet("台帳").at_cell("B2");
    /// assert_eq!(e.line(Lang::En, None), "a.xlsx: 台帳!B2: bad");
    /// assert_eq!(e.line(Lang::En, Some("a.xlsx".as_ref())), "台帳!B2: bad");
    /// ```
    pub fn line(&self, lang: Lang, known: Option<&Path>) -> String {
        let mut line = String::new();
        if let Some(file) = self.file.as_deref().filter(|f| Some(*f) != known) {
            line += &format!("{}: ", file.display());
        }
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => line += &format!("{s}!{c}: "),
            (Some(s), None) => line += &format!("{s}: "),
            (None, Some(c)) => line += &format!("{c}: "),
            (None, None) => {}
        }
        line + &self.message(lang)
    }
    /// The error as one line in `lang`: the file, sheet and cell and the message, with whatever a
    /// terminal would act on in them (a sheet name holding ESC) shown escaped ([`shown`]).
    pub fn display(&self, lang: Lang) -> impl fmt::Display + '_ {
        Shown { error: self, lang }
    }
}

struct Shown<'a> {
    error: &'a Error,
    lang: Lang,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&shown(&self.error.line(self.lang, None)))
    }
}

/// One line in Japanese, the default language ([`Error::display`] for the other).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display(Lang::Ja).fmt(f)
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

impl From<XlsxError> for Error {
    fn from(kind: XlsxError) -> Error {
        Error::new(ErrorKind::Xlsx(kind))
    }
}
