//! The `risksheet` command: a thin layer over the library's operations.
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use risksheet::error::{set_lang, Lang};
use risksheet::ops;
use risksheet::ops::batch::{self, Expand};
use risksheet::xlsx::file::SaveOptions;
use risksheet::xlsx::{Limits, Workbook};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "risksheet",
    version,
    about = "IPA形式のリスク分析シートを、壊さずにその場で読み書きする / Read and fill IPA-style risk analysis workbooks in place"
)]
struct Cli {
    /// メッセージの言語 / message language (ja, en)
    #[arg(long, global = true, env = "RISKSHEET_LANG", default_value = "ja")]
    lang: String,
    /// 展開後のパーツサイズ上限（MiB、zip爆弾対策） / largest uncompressed part accepted, MiB
    #[arg(long, global = true, env = "RISKSHEET_MAX_PART_MB", default_value_t = 1024)]
    max_part_mb: u64,
    #[command(subcommand)]
    command: Command,
}

/// How several workbooks are processed.
#[derive(clap::Args)]
struct BatchArgs {
    /// 同時に処理するファイル数（既定: CPUのコア数） / files processed at once (default: all cores)
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// 進捗バーを表示しない / no progress bar
    #[arg(short, long)]
    quiet: bool,
}

/// Options of the commands that write workbooks.
#[derive(clap::Args)]
struct WriteArgs {
    /// 保存せず変更内容だけ表示 / print what would change, write nothing
    #[arg(long)]
    dry_run: bool,
    /// 結果をJSONで出力（複数のときは1ファイル1行） / print the report as JSON (JSON Lines for several)
    #[arg(long)]
    json: bool,
    /// 元のファイルを NAME.bak.xlsx に残す（既にあれば NAME.bak-2.xlsx …） / keep the original as NAME.bak.xlsx (or NAME.bak-2.xlsx … when taken)
    #[arg(long)]
    backup: bool,
    /// LibreOffice や Excel で開かれていても、読み込み後に変更されていても書き込む / write even when the workbook is open in LibreOffice or Excel, or changed since it was read
    #[arg(long)]
    force: bool,
}

impl WriteArgs {
    /// How saves may replace their targets.
    fn save_options(&self) -> SaveOptions {
        SaveOptions { backup: self.backup, force: self.force }
    }
}

/// How a risk analysis workbook is read: the profile, explicit places, company facts.
#[derive(clap::Args)]
struct ReadArgs {
    /// プロファイル（ipa-3, ipa-2.1 またはTOMLファイル） / profile name or TOML file
    #[arg(long)]
    profile: Option<String>,
    /// 見つからない・紛らわしい列やシートの指定（例: ledger.medium=G, checklist=チェック表。繰り返し可） / where a column or sheet is (ledger.medium=G, checklist=SHEET; repeatable)
    #[arg(long = "map", value_name = "ROLE[.FIELD]=COLUMN|SHEET")]
    map: Vec<String>,
    /// 会社の状況（development, outsourcing, contractor_secrets, telework = はい/いいえ、employees = 人数。繰り返し可） / company facts (yes/no; employees = a number; repeatable)
    #[arg(long = "fact", value_name = "KEY=VALUE")]
    facts: Vec<String>,
}

impl ReadArgs {
    /// The options the operations take; `KEY=VALUE` pairs are split here, once.
    fn options(&self) -> risksheet::Result<ops::ipa::ReadOptions> {
        let pairs = |flag: &str, items: &[String]| -> risksheet::Result<Vec<(String, String)>> {
            items
                .iter()
                .map(|item| match item.split_once('=') {
                    Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
                    _ => Err(risksheet::Error::usage(format!(
                        "{flag} {item}: {}",
                        risksheet::error::lang().pick("KEY=VALUE の形で指定してください", "expected KEY=VALUE")
                    ))),
                })
                .collect()
        };
        let facts = pairs("--fact", &self.facts)?;
        // An unknown key or an unreadable value stops before any file is read.
        ops::ipa::facts::from_pairs(&facts)?;
        Ok(ops::ipa::ReadOptions { profile: load_profile(self.profile.as_deref())?, map: pairs("--map", &self.map)?, facts })
    }
}

#[derive(Subcommand)]
enum Command {
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
    /// IPA形式の新しいリスク分析シートを作る（--book-lang en で英語版） / create a fresh workbook in the IPA layout (English sheets with --book-lang en)
    New {
        /// 作成するファイル / the file to create
        output: PathBuf,
        /// 版（ipa-3, ipa-2.1）またはプロファイルのTOMLファイル / edition or profile file
        #[arg(long, default_value = "ipa-3")]
        edition: String,
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
}

/// The language of a workbook risksheet creates (`new`, `soa`): `--book-lang`; for compatibility
/// an explicit `--lang` on the command line (what `new --lang en` always did); never the
/// environment's message language, so RISKSHEET_LANG=en does not turn a company's new workbook
/// English.
fn book_language(book_lang: Option<&str>, cli_lang: Option<&str>) -> risksheet::Result<Lang> {
    match book_lang.or(cli_lang) {
        None => Ok(Lang::Ja),
        Some(l) => Lang::parse(l).ok_or_else(|| {
            risksheet::Error::usage(format!("--book-lang {l}: {}", risksheet::error::lang().pick("ja か en を指定してください", "expected ja or en")))
        }),
    }
}

/// `cli_lang`: `--lang` when it was given on the command line (not taken from RISKSHEET_LANG).
fn run(cli: Cli, cli_lang: Option<String>) -> risksheet::Result<ExitCode> {
    let limits = Limits::with_max_part_mb(cli.max_part_mb)?;
    let open = |book: &Path| Workbook::open_with(book, &limits);
    // A workbook changed in place is read under a lock held until it is saved, so that two
    // risksheet runs on one file take turns instead of one losing the other's edit.
    let open_to_change = |book: &Path, output: Option<&Path>, dry_run: bool| {
        if output.is_none() && !dry_run {
            Workbook::open_for_update(book, &limits)
        } else {
            Workbook::open_with(book, &limits)
        }
    };
    match cli.command {
        Command::Edit { books, output, sets, texts, write, batch: args } => {
            let (dry_run, json, save_opts) = (write.dry_run, write.json, write.save_options());
            // One job for a single file and for each file of a batch.
            let job = |path: &Path, out: Option<&Path>| {
                let mut wb = open_to_change(path, out, dry_run)?;
                ops::edit::apply_all(&mut wb, &sets, &texts).map_err(|e| e.in_file(path))?;
                let save = if dry_run { wb.preview()? } else { wb.save_as(out.unwrap_or(path), &save_opts)? };
                Ok(batch::EditOutcome { save })
            };
            let Some(book) = single(&books).cloned() else {
                return run_batch(None, &books, output.as_deref(), Expand::workbooks(), no_ext, &args, json, dry_run, job);
            };
            let report = job(&book, output.as_deref())?.save;
            if json {
                say_json(&report)?;
            } else {
                let lang = risksheet::error::lang();
                say(format_args!(
                    "{}: {} {}, {} {}{}",
                    report.file,
                    report.cells_written.len(),
                    lang.pick("セルを変更", "cells written"),
                    report.formulas_affected.len(),
                    lang.pick("個の数式を再計算対象に", "formulas to recalculate"),
                    if dry_run { lang.pick("（試行のみ。保存していません）", " (dry run: nothing saved)") } else { "" }
                ))?;
            }
        }
        Command::Get { book, targets, json } => {
            let mut wb = open(&book)?;
            let cells = ops::edit::get_cells(&mut wb, &targets).map_err(|e| e.in_file(&book))?;
            if json {
                say_json(&cells)?;
            } else {
                // One line per cell: a tab, a line break or ESC in a sheet name, a text or a
                // formula is shown escaped.
                use risksheet::error::shown;
                for (sheet, c) in cells {
                    let (sheet, value) = (shown(&sheet), c.value.to_string());
                    match &c.formula {
                        Some(f) => say(format_args!("{sheet}!{}\t{}\t={}", c.address, shown(&value), shown(f)))?,
                        None => say(format_args!("{sheet}!{}\t{}", c.address, shown(&value)))?,
                    }
                }
            }
        }
        Command::Fill { books, output, read, write, batch: args } => {
            let (dry_run, json, save_opts) = (write.dry_run, write.json, write.save_options());
            let opts = read.options()?;
            let job = |path: &Path, out: Option<&Path>| {
                let mut wb = open_to_change(path, out, dry_run)?;
                let fill = ops::ipa::fill::fill_with(&mut wb, &opts).map_err(|e| e.in_file(path))?;
                let save = if dry_run { wb.preview()? } else { wb.save_as(out.unwrap_or(path), &save_opts)? };
                Ok(batch::FillOutcome { fill, save })
            };
            let Some(book) = single(&books).cloned() else {
                return run_batch(Some(EXIT_CHECK_INPUTS), &books, output.as_deref(), Expand::workbooks(), no_ext, &args, json, dry_run, job);
            };
            let batch::FillOutcome { fill: summary, save: saved } = job(&book, output.as_deref())?;
            if json {
                let v = serde_json::json!({ "fill": summary, "save": saved });
                say_json(&v)?;
            } else {
                say(ops::ipa::fill::summary_text(&summary, &saved, dry_run))?;
            }
            if !summary.warnings.is_empty() {
                return Ok(ExitCode::from(EXIT_CHECK_INPUTS));
            }
        }
        Command::New { output, edition, book_lang, force } => {
            let profile = load_profile(Some(&edition))?.ok_or_else(|| risksheet::Error::usage("edition"))?;
            let lang = book_language(book_lang.as_deref(), cli_lang.as_deref())?;
            let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            if ext.as_deref() != Some("xlsx") {
                let msg = risksheet::error::lang().pick("作成するブックの名前は .xlsx で終えてください", "the new workbook's name must end in .xlsx");
                return Err(risksheet::Error::usage(msg).in_file(&output));
            }
            if output.exists() && !force {
                let msg = risksheet::error::lang().pick("既にあります（上書きするには --force）", "exists (use --force to replace it)");
                return Err(risksheet::Error::usage(msg).in_file(&output));
            }
            let summary = ops::template::new_workbook(&output, &profile, lang)?;
            say(format_args!(
                "{}: {} {}",
                output.display(),
                summary.edition,
                risksheet::error::lang().pick("の新しいリスク分析シートを作成しました", "risk analysis workbook created")
            ))?;
        }
        Command::Inspect { books, json, layout_toml, read, batch: args } => {
            let opts = read.options()?;
            let Some(book) = single(&books).cloned() else {
                return run_batch(None, &books, None, Expand::workbooks(), no_ext, &args, json, true, |path, _| {
                    let mut wb = open(path)?;
                    Ok(batch::InspectOutcome { inspect: ops::inspect::inspect_with(&mut wb, &opts)? })
                });
            };
            let mut wb = open(&book)?;
            let report = ops::inspect::inspect_with(&mut wb, &opts)?;
            if layout_toml {
                return match (&report.ipa, &report.ipa_error) {
                    (Some(a), _) => {
                        say_raw(a.layout.to_toml().trim_end())?;
                        Ok(ExitCode::SUCCESS)
                    }
                    (None, e) => Err(risksheet::Error::usage(e.clone().unwrap_or_default()).in_file(&book)),
                };
            }
            if json {
                say_json(&report)?;
            } else {
                say(report.to_text().trim_end())?;
            }
        }
        Command::Report { book, output, read } => {
            let opts = read.options()?;
            let mut wb = open(&book)?;
            let analysis = ops::ipa::analyze_with(&mut wb, &opts).map_err(|e| e.in_file(&book))?;
            match output {
                Some(path) => {
                    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                    if !matches!(ext.as_deref(), Some("md" | "markdown" | "html" | "htm")) {
                        let msg = risksheet::error::lang().pick("レポートの形式は .md か .html です", "a report is .md or .html");
                        return Err(risksheet::Error::usage(msg).in_file(&path));
                    }
                    let text = ops::report::render(&analysis, ops::report::Format::for_path(&path));
                    risksheet::xlsx::file::replace_with_bytes(&path, &SaveOptions::default(), text.as_bytes())?;
                }
                None => say(ops::report::render(&analysis, ops::report::Format::Markdown).trim_end())?,
            }
        }
        Command::Convert { books, output, to, sheets, catalog, write, batch: args } => {
            let (dry_run, json, save_opts) = (write.dry_run, write.json, write.save_options());
            if to.trim() != "2022" {
                return Err(risksheet::Error::usage(format!(
                    "--to {to}: {}",
                    risksheet::error::lang().pick("変換先は 2022 のみです", "only 2022 is supported")
                )));
            }
            let cat = load_catalog(catalog.as_ref())?;
            let opts = ops::convert::Options { sheets, ..Default::default() };
            let job = |path: &Path, out: Option<&Path>| {
                let (convert, save) = ops::convert::convert_file(path, out, &cat, &opts, dry_run, &save_opts, &limits)?;
                Ok(batch::ConvertOutcome { convert, save })
            };
            let Some(book) = single(&books).cloned() else {
                let xlsx_for_legacy = |p: &Path| ops::convert::is_legacy(p).then_some("xlsx");
                return run_batch(None, &books, output.as_deref(), Expand::convertible(), xlsx_for_legacy, &args, json, dry_run, job);
            };
            let batch::ConvertOutcome { convert: report, save: saved } = job(&book, output.as_deref())?;
            if json {
                let v = serde_json::json!({ "convert": report, "save": saved });
                say_json(&v)?;
            } else {
                say(ops::convert::summary_text(&report, &saved, dry_run))?;
            }
        }
        Command::Soa { book, output, catalog, book_lang, force, json } => {
            let lang = book_language(book_lang.as_deref(), cli_lang.as_deref())?;
            if output.exists() && !force {
                return Err(risksheet::Error::usage(
                    risksheet::error::lang().pick("既にあります（上書きするには --force）", "exists (use --force to replace it)"),
                )
                .in_file(&output));
            }
            let cat = load_catalog(catalog.as_ref())?;
            let mut wb =
                if ops::convert::is_legacy(&book) { Workbook::from_bytes(&book, ops::convert::legacy_to_xlsx(&book)?, &limits)? } else { open(&book)? };
            let report = ops::soa::build_soa(&mut wb, &cat, &output, lang).map_err(|e| e.in_file(&book))?;
            if json {
                say_json(&report)?;
            } else {
                say(ops::soa::summary_text(&report))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The one workbook of a command given a single file; `None` for a batch (several inputs, a
/// directory or a pattern).
fn single(books: &[PathBuf]) -> Option<&PathBuf> {
    match books {
        [b] if !batch::is_batch_input(b) => Some(b),
        _ => None,
    }
}

fn no_ext(_: &Path) -> Option<&'static str> {
    None
}

/// Runs a command over every workbook the inputs name, in parallel, printing a line (or a JSON
/// object) per file and the table of counts. Exit code 1 when any file failed; when none failed
/// but some have warnings, `warnings_code` if the command has one (`fill`), else 0.
#[allow(clippy::too_many_arguments)]
fn run_batch<T: batch::Outcome>(
    warnings_code: Option<u8>,
    inputs: &[PathBuf],
    out_dir: Option<&Path>,
    expand: Expand,
    new_ext: impl Fn(&Path) -> Option<&'static str> + Sync,
    args: &BatchArgs,
    json: bool,
    dry_run: bool,
    job: impl Fn(&Path, Option<&Path>) -> risksheet::Result<T> + Sync,
) -> risksheet::Result<ExitCode> {
    if let Some(dir) = out_dir.filter(|_| !dry_run) {
        batch::prepare_out_dir(dir)?;
    }
    let files = batch::expand(inputs, &expand.excluding(out_dir));
    let output_of = |p: &Path| batch::output_path(p, out_dir, new_ext(p));
    batch::check_outputs(&files.iter().map(|f| (f.clone(), output_of(f))).collect::<Vec<_>>())?;
    let opts = batch::Options { jobs: args.jobs.filter(|&n| n > 0).unwrap_or_else(batch::default_jobs), quiet: args.quiet, json };
    let tally = batch::report(&files, &opts, &mut std::io::stdout(), |p| job(p, output_of(p).as_deref()))?;
    if json {
        // Standard output holds only the JSON Lines.
        if !args.quiet {
            eprint!("{}", tally.to_text());
        }
    } else {
        say(format_args!("\n{}", tally.to_text().trim_end()))?;
    }
    Ok(match (tally.failed, tally.warnings, warnings_code) {
        (1.., _, _) => ExitCode::FAILURE,
        (0, 1.., Some(code)) => ExitCode::from(code),
        _ => ExitCode::SUCCESS,
    })
}

/// Exit code of `fill` when it wrote everything it could but some inputs need a person (「高」 in
/// a number column, a missing sheet): non-zero, and distinct from a failure (1).
const EXIT_CHECK_INPUTS: u8 = 3;

/// The bundled control catalogue, with titles loaded over it from `--catalog`.
fn load_catalog(file: Option<&PathBuf>) -> risksheet::Result<risksheet::controls::Catalog> {
    let mut cat = risksheet::controls::Catalog::bundled().clone();
    if let Some(f) = file {
        cat.load_titles(f)?;
    }
    Ok(cat)
}

/// Keeps freed memory in the process for reuse: reading and rewriting a large sheet allocates
/// and frees buffers of megabytes, which glibc otherwise maps and unmaps each time (the pages
/// are zeroed again on every reuse). Measured 2–4 ms off the 100 ms fill of 10,000 assets, with
/// the same peak memory.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only sets allocator parameters; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    set_lang(Lang::parse(&cli.lang).unwrap_or_default());
    let from_command_line = matches!(matches.value_source("lang"), Some(clap::parser::ValueSource::CommandLine));
    let cli_lang = from_command_line.then(|| cli.lang.clone());
    match run(cli, cli_lang) {
        Ok(code) => code,
        // `risksheet get … | head` closes the pipe early: that is not an error.
        Err(e) if matches!(&e.kind, risksheet::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("risksheet: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A profile by builtin name or TOML file path.
fn load_profile(arg: Option<&str>) -> risksheet::Result<Option<risksheet::profile::Profile>> {
    use risksheet::profile::Profile;
    Ok(match arg {
        None => None,
        Some(a) if std::path::Path::new(a).is_file() => Some(Profile::from_file(a)?),
        Some(a) => Some(Profile::builtin(a)?),
    })
}

/// Writes text output to standard output, whatever a terminal would act on in it (ESC in a sheet
/// name) shown escaped, reporting a closed pipe as an error instead of panicking.
fn say(text: impl std::fmt::Display) -> risksheet::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{}", risksheet::error::shown_lines(&text.to_string()))?;
    Ok(())
}

/// Writes machine-readable output (JSON, TOML) as it is: its format escapes what it must, and a
/// string in it keeps every character.
fn say_raw(text: &str) -> risksheet::Result<()> {
    use std::io::Write;
    writeln!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}

/// Writes a value as pretty JSON (see [`say_raw`]).
fn say_json(value: &impl serde::Serialize) -> risksheet::Result<()> {
    say_raw(&serde_json::to_string_pretty(value).unwrap_or_default())
}
