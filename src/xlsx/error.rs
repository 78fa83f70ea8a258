//! What can go wrong in the package and workbook layer: the file on disk, the zip package, its XML
//! parts, sheets and cell addresses. Wrapped by the crate's [`Error`](crate::Error), which adds the
//! file, sheet and cell, as [`ErrorKind::Xlsx`](crate::ErrorKind::Xlsx).
//!
//! ```
//! use risksheet::xlsx::XlsxError;
//! use risksheet::{Error, Lang};
//! let e = Error::from(XlsxError::NotZip).in_file("a.xlsx");
//! assert!(matches!(e.xlsx(), Some(XlsxError::NotZip)));
//! assert_eq!(e.display(Lang::En).to_string(), "a.xlsx: not an Excel workbook (.xlsx): not a zip package");
//! ```
use crate::lang::{Lang, Message};

/// What went wrong with the file, the package or a workbook part.
#[derive(Debug)]
#[non_exhaustive]
pub enum XlsxError {
    /// The file is not a zip package at all.
    NotZip,
    /// An encrypted (password-protected) workbook: an OLE compound file, not a zip.
    Encrypted,
    /// A legacy binary `.xls` where an `.xlsx` was expected.
    LegacyXls,
    /// A zip package that is not a spreadsheet (no workbook part).
    NotWorkbook(Message),
    /// A damaged package: truncated, bad zip structure, a part that cannot be read.
    Corrupt(Message),
    /// A part whose uncompressed size is over the limit (a zip bomb or an absurd sheet).
    PartTooLarge {
        /// Part name inside the package.
        part: Message,
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
    /// A path that is not a regular file (a device, a FIFO, a socket).
    NotRegularFile,
    /// The file changed on disk after it was read: saving would overwrite another program's save.
    ChangedSinceRead,
    /// The workbook is open in another program (which one, and the lock file that says so).
    InUse(Message),
    /// The new file failed its check before it would have replaced the old one (why); nothing
    /// was replaced.
    NotSaved(Message),
    /// The file to replace is read-only (for everyone, or for this user).
    ReadOnly,
    /// The file to replace has other hard links (how many names in all), which a save would leave
    /// with the old content.
    HardLinked(u64),
}

impl XlsxError {
    /// The message in `lang`, without the place.
    pub fn message(&self, lang: Lang) -> String {
        use XlsxError::*;
        let ja = lang == Lang::Ja;
        match self {
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
                let why = why.get(lang);
                if ja {
                    format!("zipですがExcelブックではありません（{why}）")
                } else {
                    format!("a zip package but not an Excel workbook ({why})")
                }
            }
            Corrupt(why) => {
                let why = why.get(lang);
                if ja {
                    format!("ファイルが壊れています（{why}）")
                } else {
                    format!("the file is damaged ({why})")
                }
            }
            PartTooLarge { part, limit } => {
                let part = part.get(lang);
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
            InvalidAddress(a) => crate::xlsx::address::address_problem(a).get(lang).to_string(),
            ArrayFormula { range } => {
                if ja {
                    format!("配列数式（{range}）の一部は変更できません")
                } else {
                    format!("cannot change part of an array formula ({range})")
                }
            }
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
                let why = why.get(lang);
                if ja {
                    format!("保存前の確認で問題が見つかったため、保存しませんでした（{why}）")
                } else {
                    format!("not saved: the new file failed its check before replacing the old one ({why})")
                }
            }
            InUse(by) => {
                let by = by.get(lang);
                if ja {
                    format!("ほかのプログラムで開かれています（{by}）。閉じてからやり直してください（それでも書き込むには --force）")
                } else {
                    format!("the workbook is open in another program ({by}); close it and retry (--force writes anyway)")
                }
            }
        }
    }
}
