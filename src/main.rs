//! The `risksheet` command: a thin layer over the library's operations.
use clap::{Parser, Subcommand};
use risksheet::error::{set_lang, Lang};
use risksheet::ops;
use risksheet::xlsx::Workbook;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "risksheet", version, about = "IPA形式のリスク分析シートを、壊さずにその場で読み書きする / Read and fill IPA-style risk analysis workbooks in place")]
struct Cli {
    /// メッセージの言語 / message language (ja, en)
    #[arg(long, global = true, env = "RISKSHEET_LANG", default_value = "ja")]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// セルを変更して保存する / set cells and save, changing nothing else
    Edit {
        /// ブック / workbook (.xlsx, .xlsm)
        book: PathBuf,
        /// 保存先（省略時は上書き） / output file (default: in place)
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 'SHEET!A1=VALUE'（数値、=数式、文字列） / number, =formula or text
        #[arg(long = "set", required = true)]
        sets: Vec<String>,
        /// 元のファイルを NAME.bak.xlsx に残す / keep the original as NAME.bak.xlsx
        #[arg(long)]
        backup: bool,
    },
    /// シート・セル・数式・入力規則の一覧 / list sheets with counts
    Inspect {
        /// ブック / workbook
        book: PathBuf,
        /// JSONで出力 / print JSON
        #[arg(long)]
        json: bool,
    },
}

fn run(cli: Cli) -> risksheet::Result<()> {
    match cli.command {
        Command::Edit { book, output, sets, backup } => {
            let mut wb = Workbook::open(&book)?;
            ops::edit::apply_all(&mut wb, &sets).map_err(|e| e.in_file(&book))?;
            let target = output.unwrap_or_else(|| book.clone());
            wb.save_as(&target, backup)?;
        }
        Command::Inspect { book, json } => {
            let mut wb = Workbook::open(&book)?;
            let report = ops::inspect::inspect(&mut wb)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                print!("{}", report.to_text());
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    set_lang(Lang::parse(&cli.lang).unwrap_or_default());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("risksheet: {e}");
            ExitCode::FAILURE
        }
    }
}
