//! The command line: commands and their arguments (clap), each validated once here.
use super::load_profile;
use clap::{Parser, Subcommand};
use risksheet::ops;
use risksheet::xlsx::file::SaveOptions;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "risksheet",
    version,
    about = "IPA形式のリスク分析シートを、壊さずにその場で読み書きする / Read and fill IPA-style risk analysis workbooks in place"
)]
pub(crate) struct Cli {
    /// メッセージの言語 / message language (ja, en)
    #[arg(long, global = true, env = "RISKSHEET_LANG", default_value = "ja")]
    pub(crate) lang: String,
    /// 展開後のパーツサイズ上限（MiB、zip爆弾対策） / largest uncompressed part accepted, MiB
    #[arg(long, global = true, env = "RISKSHEET_MAX_PART_MB", default_value_t = 1024)]
    pub(crate) max_part_mb: u64,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// How several workbooks are processed.
#[derive(clap::Args)]
pub(crate) struct BatchArgs {
    /// 同時に処理するファイル数（既定: CPUのコア数） / files processed at once (default: all cores)
    #[arg(short, long, value_name = "N")]
    pub(crate) jobs: Option<usize>,
    /// 進捗バーを表示しない / no progress bar
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// Options of the commands that write workbooks.
#[derive(clap::Args)]
pub(crate) struct WriteArgs {
    /// 保存せず変更内容だけ表示 / print what would change, write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// 結果をJSONで出力（複数のときは1ファイル1行） / print the report as JSON (JSON Lines for several)
    #[arg(long)]
    pub(crate) json: bool,
    /// 元のファイルを NAME.bak.xlsx に残す（既にあれば NAME.bak-2.xlsx …） / keep the original as NAME.bak.xlsx (or NAME.bak-2.xlsx … when taken)
    #[arg(long)]
    pub(crate) backup: bool,
    /// LibreOffice や Excel で開かれていても、読み込み後に変更されていても書き込む / write even when the workbook is open in LibreOffice or Excel, or changed since it was read
    #[arg(long)]
    pub(crate) force: bool,
}

impl WriteArgs {
    /// How saves may replace their targets.
    pub(crate) fn save_options(&self) -> SaveOptions {
        SaveOptions { backup: self.backup, force: self.force }
    }
}

/// How a risk analysis workbook is read: the profile, explicit places, company facts.
#[derive(clap::Args)]
pub(crate) struct ReadArgs {
    /// プロファイル（ipa-3, ipa-2.1 またはTOMLファイル） / profile name or TOML file
    #[arg(long)]
    pub(crate) profile: Option<String>,
    /// 見つからない・紛らわしい列やシートの指定（例: ledger.medium=G, checklist=チェック表。繰り返し可） / where a column or sheet is (ledger.medium=G, checklist=SHEET; repeatable)
    #[arg(long = "map", value_name = "ROLE[.FIELD]=COLUMN|SHEET")]
    pub(crate) map: Vec<String>,
    /// 会社の状況（development, outsourcing, contractor_secrets, telework = はい/いいえ、employees = 人数。繰り返し可） / company facts (yes/no; employees = a number; repeatable)
    #[arg(long = "fact", value_name = "KEY=VALUE")]
    pub(crate) facts: Vec<String>,
}

impl ReadArgs {
    /// The options the operations take, their messages in `lang`; `KEY=VALUE` pairs are split
    /// here, once.
    pub(crate) fn options(&self, lang: risksheet::Lang) -> risksheet::Result<ops::ipa::ReadOptions> {
        let pairs = |flag: &str, items: &[String]| -> risksheet::Result<Vec<(String, String)>> {
            items
                .iter()
                .map(|item| match item.split_once('=') {
                    Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
                    _ => Err(risksheet::Error::usage(risksheet::lang::Message::new(
                        format!("{flag} {item}: KEY=VALUE の形で指定してください"),
                        format!("{flag} {item}: expected KEY=VALUE"),
                    ))),
                })
                .collect()
        };
        let facts = pairs("--fact", &self.facts)?;
        // An unknown key or an unreadable value stops before any file is read.
        ops::ipa::facts::from_pairs(&facts)?;
        Ok(ops::ipa::ReadOptions { profile: load_profile(self.profile.as_deref())?, map: pairs("--map", &self.map)?, facts, lang })
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// セルを変更して保存する / set cells and save, changing nothing else
    Edit {
        /// ブック（複数可。ディレクトリ、*.xlsx などのパターンも可） / workbooks: files, directories, patterns (.xlsx, .xlsm)
        #[arg(value_name = "BOOK", required = true)]
        books: Vec<PathBuf>,
        /// 保存先（省略時は上書き。複数のときはディレクトリ） / output file (default: in place; a directory for several)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 'SHEET!A1=VALUE'（数値、=数式、文字列） / number, =formula or text
        #[arg(long = "set", value_name = "SHEET!CELL=VALUE", required_unless_present = "texts")]
        sets: Vec<String>,
        /// 'SHEET!A1=TEXT'：入力どおりの文字列として保存（=で始まっても数式にしない。--set の後に適用） / stored as text exactly as typed, even when it starts with = or is a number (applied after --set)
        #[arg(long = "set-text", value_name = "SHEET!CELL=TEXT")]
        texts: Vec<String>,
        #[command(flatten)]
        write: WriteArgs,
        #[command(flatten)]
        batch: BatchArgs,
    },
    /// セルの値と数式を表示 / print cells (a sheet, or SHEET!A1 cells)
    Get {
        /// ブック / workbook
        book: PathBuf,
        /// シート名、または 'SHEET!A1' / a sheet name or 'SHEET!A1'
        #[arg(required = true)]
        targets: Vec<String>,
        /// JSONで出力 / print JSON
        #[arg(long)]
        json: bool,
    },
    /// 重要度・リスク値・診断結果を計算し、数式と入力規則をその場で書き込む / compute and write every result in place
    Fill {
        /// ブック（複数可。ディレクトリ、*.xlsx などのパターンも可） / workbooks: files, directories, patterns (.xlsx, .xlsm)
        #[arg(value_name = "BOOK", required = true)]
        books: Vec<PathBuf>,
        /// 保存先（省略時は上書き。複数のときはディレクトリ） / output file (default: in place; a directory for several)
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        write: WriteArgs,
        #[command(flatten)]
        batch: BatchArgs,
    },
    /// 新しいリスク分析シートを作る: ipa-3/ipa-2.1 は IPA形式、lv3/isms-seminar は資産目録・リスクアセスメント・リスク対応計画（--book-lang en で英語版） / create a fresh workbook: the IPA layout (ipa-3, ipa-2.1) or a risk register (lv3, isms-seminar); English sheets with --book-lang en
    New {
        /// 作成するファイル（--add-to のときは不要） / the file to create (none with --add-to)
        output: Option<PathBuf>,
        /// 版（ipa-3, ipa-2.1, lv3, isms-seminar, self-check は自社診断25項目のシート）またはプロファイルのTOMLファイル / edition (ipa-3, ipa-2.1, lv3, isms-seminar; self-check: the 25-item self check sheet) or profile file
        #[arg(long, default_value = "ipa-3")]
        edition: String,
        /// 既存のブックにシートとして追加する（その場で保存。--edition self-check） / add the sheet to this existing workbook, in place (--edition self-check)
        #[arg(long, value_name = "BOOK")]
        add_to: Option<PathBuf>,
        /// 自社診断の回答列を事業所・部署ごとに作る（例: 本社,工場） / one self-check answer column per site or department (e.g. HQ,Plant)
        #[arg(long, value_delimiter = ',')]
        sites: Vec<String>,
        /// 自社診断の規則を取るプロファイル（既定 ipa-3） / the profile whose [self_check] rules are used (default ipa-3)
        #[arg(long)]
        profile: Option<String>,
        /// ブックの言語（シート名・見出し・選択肢。省略時はコマンドラインの --lang、それもなければ ja。RISKSHEET_LANG は使いません） / language of the workbook's sheets (default: --lang given on the command line, else ja; never RISKSHEET_LANG)
        #[arg(long, value_name = "ja|en")]
        book_lang: Option<String>,
        /// 既存のファイルを上書きする / replace an existing file
        #[arg(long)]
        force: bool,
    },
    /// シート・セル・数式・入力規則の一覧 / list sheets with counts
    Inspect {
        /// ブック（複数可。ディレクトリ、*.xlsx などのパターンも可） / workbooks: files, directories, patterns
        #[arg(value_name = "BOOK", required = true)]
        books: Vec<PathBuf>,
        /// JSONで出力（複数のときは1ファイル1行） / print JSON (JSON Lines for several)
        #[arg(long)]
        json: bool,
        /// 見つけた表と列をプロファイルの [layout] の形で出力（直して --profile で渡せます） / print the layout found as a profile's [layout] table
        #[arg(long, conflicts_with = "json")]
        layout_toml: bool,
        #[command(flatten)]
        read: ReadArgs,
        #[command(flatten)]
        batch: BatchArgs,
    },
    /// リスク分析のレポート（Markdown / HTML） / the risk analysis as a report (Markdown or HTML)
    Report {
        /// ブック / workbook
        book: PathBuf,
        /// 出力先（.md または .html。省略時は標準出力にMarkdown） / output file (.md or .html; default: Markdown on stdout)
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// ISO/IEC 27001:2013 の管理策番号を2022年版にその場で書き換える / rewrite 2013 control references to 2022, in place
    Convert {
        /// ブック（複数可。ディレクトリ、パターンも可） / workbooks: files, directories, patterns (.xlsx, .xlsm; .xls, .ods give a new .xlsx)
        #[arg(value_name = "BOOK", required = true)]
        books: Vec<PathBuf>,
        /// 保存先（省略時は上書き、.xls/.ods は同名の .xlsx。複数のときはディレクトリ） / output file (default: in place; BOOK.xlsx for .xls/.ods; a directory for several)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 変換先の版 / target edition
        #[arg(long, default_value = "2022")]
        to: String,
        /// 元の版: 2005、2013、auto（ブックの記載・番号・名称から判断。判断できないセルは要確認） / source edition: 2005, 2013 or auto (decided from what the workbook states, its ids and titles; a cell that cannot be decided is listed for review)
        #[arg(long = "from", value_name = "EDITION", default_value = "auto")]
        from: String,
        /// 対象のシート（省略時はすべて） / sheets to convert (default: all)
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        sheets: Vec<String>,
        /// 管理策名のCSV（id,title_ja[,title_en]）を読み込む / load control titles over the bundled ones
        #[arg(long)]
        catalog: Option<PathBuf>,
        #[command(flatten)]
        write: WriteArgs,
        #[command(flatten)]
        batch: BatchArgs,
    },
    /// 2022年版の適用宣言書を作る（旧適用宣言書またはリスク分析シートから） / create a 2022 Statement of Applicability
    Soa {
        /// 旧適用宣言書またはリスク分析シート / legacy SoA or risk sheet (.xlsx, .xlsm, .xls, .ods)
        book: PathBuf,
        /// 作成するファイル / the file to create
        #[arg(short, long)]
        output: PathBuf,
        /// 管理策名のCSV（id,title_ja[,title_en]）を読み込む / load control titles over the bundled ones
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// 作成するブックの言語（省略時はコマンドラインの --lang、それもなければ ja。RISKSHEET_LANG は使いません） / language of the new workbook (default: --lang given on the command line, else ja; never RISKSHEET_LANG)
        #[arg(long, value_name = "ja|en")]
        book_lang: Option<String>,
        /// 既存のファイルを上書きする / replace an existing file
        #[arg(long)]
        force: bool,
        /// 結果をJSONで出力 / print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// シェル補完スクリプトを出力する（例: risksheet completions bash > /etc/bash_completion.d/risksheet） / print the shell completion script
    #[command(hide = true)]
    Completions {
        /// シェル / shell (bash, zsh, fish, elvish, powershell)
        shell: clap_complete::Shell,
    },
    /// man ページを出力する（--out-dir でコマンドごとのページをディレクトリに書く） / print the man page (with --out-dir: one page per command into DIR)
    #[command(hide = true)]
    Man {
        /// risksheet.1 と risksheet-fill.1 … を書き込むディレクトリ / directory to write risksheet.1, risksheet-fill.1 … into
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}
