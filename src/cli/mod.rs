//! The `risksheet` command: arguments validated once ([`args`]), each command one job over the
//! library's operations, used for a single file and for every file of a batch; what is printed
//! lives in [`output`].
pub(crate) mod args;
pub(crate) mod batch;
pub(crate) mod install;
pub(crate) mod output;

use args::*;
use output::{say, say_json, say_raw};
use risksheet::error::{Lang, Message};
use risksheet::ops;
use risksheet::ops::batch::Expand;
use risksheet::xlsx::file::SaveOptions;
use risksheet::xlsx::{Limits, Workbook};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The language of a workbook risksheet creates (`new`, `soa`): `--book-lang`; for compatibility
/// an explicit `--lang` on the command line (what `new --lang en` always did); never the
/// environment's message language, so RISKSHEET_LANG=en does not turn a company's new workbook
/// English.
fn book_language(book_lang: Option<&str>, cli_lang: Option<&str>) -> risksheet::Result<Lang> {
    match book_lang.or(cli_lang) {
        None => Ok(Lang::Ja),
        Some(l) => Lang::parse(l).ok_or_else(|| {
            risksheet::Error::usage(Message::new(format!("--book-lang {l}: ja か en を指定してください"), format!("--book-lang {l}: expected ja or en")))
        }),
    }
}

/// `lang`: the language of messages; `cli_lang`: `--lang` when it was given on the command line
/// (not taken from RISKSHEET_LANG).
pub(crate) fn run(cli: Cli, lang: Lang, cli_lang: Option<String>) -> risksheet::Result<ExitCode> {
    let limits = Limits::with_max_part_mb(cli.max_part_mb)?;
    // Legacy files (.xls, .ods, .xlsb), one rule for every command: those that only read them
    // (get, inspect, report) read their values in memory; those that write a new workbook
    // (convert, soa) write a new .xlsx; those that change a workbook in place (fill, edit) refuse,
    // since a copy holding only the values would lose the formulas, styles and dropdowns.
    let open = |book: &Path| {
        if ops::convert::is_legacy(book) {
            Workbook::from_bytes(book, ops::convert::legacy_to_xlsx(book)?, &limits).map_err(|e| e.in_file(book))
        } else {
            Workbook::open_with(book, &limits)
        }
    };
    // A workbook changed in place is read under a lock held until it is saved, so that two
    // risksheet runs on one file take turns instead of one losing the other's edit.
    let open_to_change = |book: &Path, output: Option<&Path>, dry_run: bool| {
        if ops::convert::is_legacy(book) {
            Err(legacy_not_changed(book))
        } else if output.is_none() && !dry_run {
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
                return run_batch(None, &books, output.as_deref(), Expand::workbooks(), no_ext, &args, json, dry_run, lang, job);
            };
            let report = job(&book, output.as_deref())?.save;
            if json {
                say_json(&report)?;
            } else {
                say(output::edit_summary(&report, dry_run, lang))?;
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
            let opts = read.options(lang)?;
            let job = |path: &Path, out: Option<&Path>| {
                let mut wb = open_to_change(path, out, dry_run)?;
                let fill = ops::ipa::fill::fill_with(&mut wb, &opts).map_err(|e| e.in_file(path))?;
                let save = if dry_run { wb.preview()? } else { wb.save_as(out.unwrap_or(path), &save_opts)? };
                Ok(batch::FillOutcome { fill, save })
            };
            let Some(book) = single(&books).cloned() else {
                return run_batch(Some(EXIT_CHECK_INPUTS), &books, output.as_deref(), Expand::workbooks(), no_ext, &args, json, dry_run, lang, job);
            };
            let batch::FillOutcome { fill: summary, save: saved } = job(&book, output.as_deref())?;
            if json {
                let v = serde_json::json!({ "fill": summary, "save": saved });
                say_json(&v)?;
            } else {
                say(output::fill_summary(&summary, &saved, dry_run, lang))?;
            }
            if !summary.warnings.is_empty() {
                return Ok(ExitCode::from(EXIT_CHECK_INPUTS));
            }
        }
        Command::New { output, edition, add_to, sites, profile, book_lang, force } => {
            let wl = book_language(book_lang.as_deref(), cli_lang.as_deref())?;
            if edition == "self-check" {
                let p = load_profile(Some(profile.as_deref().unwrap_or("ipa-3")))?.ok_or_else(|| risksheet::Error::usage("profile"))?;
                let (path, s) = match (&output, &add_to) {
                    (None, Some(book)) => {
                        if ops::convert::is_legacy(book) {
                            return Err(legacy_not_changed(book));
                        }
                        let mut wb = Workbook::open_for_update(book, &limits)?;
                        let s = ops::template::self_check::add_self_check(&mut wb, &p, wl, &sites).map_err(|e| e.in_file(book))?;
                        wb.save_as(book, &risksheet::xlsx::file::SaveOptions { backup: false, force })?;
                        (book.clone(), s)
                    }
                    (Some(out), None) => {
                        new_output_ok(out, force)?;
                        (out.clone(), ops::template::self_check::new_self_check(out, &p, wl, &sites)?)
                    }
                    _ => {
                        let msg = Message::new(
                            "作成するファイルか --add-to のどちらか一方を指定してください",
                            "give either the file to create or --add-to, not both",
                        );
                        return Err(risksheet::Error::usage(msg));
                    }
                };
                say(format_args!("{}: {} {}", path.display(), s.sheet, lang.pick("（自社診断）を作成しました", "(self check) created")))?;
                return Ok(ExitCode::SUCCESS);
            }
            let Some(output) = output.filter(|_| add_to.is_none()) else {
                let msg = Message::new(
                    "--add-to は --edition self-check で使います。作成するファイルを指定してください",
                    "--add-to goes with --edition self-check; give the file to create",
                );
                return Err(risksheet::Error::usage(msg));
            };
            let profile = load_profile(Some(&edition))?.ok_or_else(|| risksheet::Error::usage("edition"))?;
            new_output_ok(&output, force)?;
            let summary = ops::template::new_workbook(&output, &profile, wl)?;
            let what = if ops::template::register::writes_register(&profile) {
                lang.pick(
                    "の新しいリスクアセスメント（資産目録・リスク一覧・リスク対応計画）を作成しました",
                    "risk register (asset inventory, risks, treatment plan) created",
                )
            } else {
                lang.pick("の新しいリスク分析シートを作成しました", "risk analysis workbook created")
            };
            say(format_args!("{}: {} {}", output.display(), summary.edition, what))?;
        }
        Command::Inspect { books, json, layout_toml, read, batch: args } => {
            let opts = read.options(lang)?;
            let Some(book) = single(&books).cloned() else {
                return run_batch(None, &books, None, Expand::convertible(), no_ext, &args, json, true, lang, |path, _| {
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
                say(output::inspect_text(&report, lang).trim_end())?;
            }
        }
        Command::Report { book, output, read } => {
            let opts = read.options(lang)?;
            let mut wb = open(&book)?;
            let analysis = ops::ipa::analyze_with(&mut wb, &opts).map_err(|e| e.in_file(&book))?;
            match output {
                Some(path) => {
                    let Some(format) = path.extension().and_then(|e| e.to_str()).and_then(ops::report::Format::from_name) else {
                        let msg = Message::new("レポートの形式は .md か .html です", "a report is .md or .html");
                        return Err(risksheet::Error::usage(msg).in_file(&path));
                    };
                    // `-o` through a link to the workbook itself, or onto any workbook: never.
                    if risksheet::xlsx::file::holds_package(&path) {
                        let msg = Message::new(
                            "既存のブック（zip）にはレポートを上書きしません。別の名前を指定してください",
                            "will not write a report over a workbook (a zip package); name another file",
                        );
                        return Err(risksheet::Error::usage(msg).in_file(&path));
                    }
                    let text = ops::report::render(&analysis, format, lang);
                    risksheet::xlsx::file::replace_with_bytes(&path, &SaveOptions::default(), text.as_bytes())?;
                }
                None => say(ops::report::render(&analysis, ops::report::Format::Markdown, lang).trim_end())?,
            }
        }
        Command::Convert { books, output, to, from, sheets, catalog, write, batch: args } => {
            let (dry_run, json, save_opts) = (write.dry_run, write.json, write.save_options());
            if to.trim() != "2022" {
                return Err(risksheet::Error::usage(Message::new(format!("--to {to}: 変換先は 2022 のみです"), format!("--to {to}: only 2022 is supported"))));
            }
            let cat = risksheet::controls::Catalog::with_titles(catalog.as_deref())?;
            let from = match from.trim() {
                "auto" => None,
                f => Some(risksheet::controls::Edition::parse(f).ok_or_else(|| {
                    risksheet::Error::usage(Message::new(
                        format!("--from {f}: 2005、2013、auto のいずれかです"),
                        format!("--from {f}: expected 2005, 2013 or auto"),
                    ))
                })?),
            };
            let opts = ops::convert::Options { sheets, lang, from, ..Default::default() };
            let job = |path: &Path, out: Option<&Path>| {
                let (convert, save) = ops::convert::convert_file(path, out, &cat, &opts, dry_run, &save_opts, &limits)?;
                Ok(batch::ConvertOutcome { convert, save })
            };
            let Some(book) = single(&books).cloned() else {
                let xlsx_for_legacy = |p: &Path| ops::convert::is_legacy(p).then_some("xlsx");
                return run_batch(None, &books, output.as_deref(), Expand::convertible(), xlsx_for_legacy, &args, json, dry_run, lang, job);
            };
            let batch::ConvertOutcome { convert: report, save: saved } = job(&book, output.as_deref())?;
            if json {
                let v = serde_json::json!({ "convert": report, "save": saved });
                say_json(&v)?;
            } else {
                say(output::convert_summary(&report, &saved, dry_run, lang))?;
            }
        }
        Command::Soa { book, output, catalog, book_lang, force, json } => {
            let wl = book_language(book_lang.as_deref(), cli_lang.as_deref())?;
            if output.exists() && !force {
                return Err(
                    risksheet::Error::usage(Message::new("既にあります（上書きするには --force）", "exists (use --force to replace it)")).in_file(&output)
                );
            }
            let cat = risksheet::controls::Catalog::with_titles(catalog.as_deref())?;
            let mut wb = open(&book)?;
            let report = ops::soa::build_soa(&mut wb, &cat, &output, wl, lang).map_err(|e| e.in_file(&book))?;
            if json {
                say_json(&report)?;
            } else {
                say(output::soa_summary(&report, lang))?;
            }
        }
        Command::Completions { shell } => install::completions(shell)?,
        Command::Man { out_dir: Some(dir) } => install::man_pages(&dir)?,
        Command::Man { out_dir: None } => install::man_page()?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Why `fill` and `edit` do not change a `.xls`/`.ods`/`.xlsb`: what to do instead.
fn legacy_not_changed(book: &Path) -> risksheet::Error {
    let ext = book.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let msg = Message::new(
        format!("旧形式（.{ext}）のブックは書き換えません。Excel か LibreOffice で .xlsx として保存し直してください（risksheet convert は値だけの新しい .xlsx を隣に書き、管理策番号を2022年版にします）"),
        format!("a legacy .{ext} workbook is not changed in place; save it as .xlsx in Excel or LibreOffice (risksheet convert writes a new .xlsx beside it with the values only, its control ids in 2022 numbering)"),
    );
    risksheet::Error::usage(msg).in_file(book)
}

/// The one workbook of a command given a single file; `None` for a batch (several inputs, a
/// directory or a pattern).
fn single(books: &[PathBuf]) -> Option<&PathBuf> {
    match books {
        [b] if !risksheet::ops::batch::is_batch_input(b) => Some(b),
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
    lang: Lang,
    job: impl Fn(&Path, Option<&Path>) -> risksheet::Result<T> + Sync,
) -> risksheet::Result<ExitCode> {
    if let Some(dir) = out_dir.filter(|_| !dry_run) {
        risksheet::ops::batch::prepare_out_dir(dir)?;
    }
    let files = risksheet::ops::batch::expand(inputs, &expand.excluding(out_dir));
    // Outputs keep the inputs' folder tree (one folder per client: A社/台帳.xlsx, B社/台帳.xlsx).
    let root = risksheet::ops::batch::tree_root(inputs);
    let output_of = |p: &Path| risksheet::ops::batch::output_path_in_tree(p, &root, out_dir, new_ext(p));
    risksheet::ops::batch::check_outputs(&files.iter().map(|f| (f.clone(), output_of(f))).collect::<Vec<_>>())?;
    let opts = batch::Options { jobs: args.jobs.filter(|&n| n > 0).unwrap_or_else(risksheet::ops::batch::default_jobs), quiet: args.quiet, json, lang };
    let tally = batch::report(&files, &opts, &mut std::io::stdout(), |p| {
        let out = output_of(p);
        if let (Some(folder), false) = (out.as_deref().and_then(Path::parent), dry_run) {
            std::fs::create_dir_all(folder).map_err(|e| risksheet::Error::from(e).in_file(folder))?;
        }
        job(p, out.as_deref())
    })?;
    if json {
        // Standard output holds only the JSON Lines.
        if !args.quiet {
            eprint!("{}", tally.to_text(lang));
        }
    } else {
        say(format_args!("\n{}", tally.to_text(lang).trim_end()))?;
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

/// A profile by builtin name or TOML file path.
/// A new workbook's name ends in .xlsx, and an existing file is replaced only with `--force`.
fn new_output_ok(output: &Path, force: bool) -> risksheet::Result<()> {
    let ext = output.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if ext.as_deref() != Some("xlsx") {
        let msg = Message::new("作成するブックの名前は .xlsx で終えてください", "the new workbook's name must end in .xlsx");
        return Err(risksheet::Error::usage(msg).in_file(output));
    }
    if output.exists() && !force {
        let msg = Message::new("既にあります（上書きするには --force）", "exists (use --force to replace it)");
        return Err(risksheet::Error::usage(msg).in_file(output));
    }
    Ok(())
}

pub(crate) fn load_profile(arg: Option<&str>) -> risksheet::Result<Option<risksheet::profile::Profile>> {
    arg.map(risksheet::profile::Profile::resolve).transpose()
}
