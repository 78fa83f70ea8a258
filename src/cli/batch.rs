//! What a batch prints (the library runs it: `risksheet::ops::batch`): each file's outcome and reason, the progress bar, and the table of
//! counts.
use risksheet::error::{Error, Lang, Result};
use risksheet::ops::batch::{run, Watch};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The outcome of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// Done, nothing to look at.
    Ok,
    /// Done, with inputs or cells that need a person (the report lists them).
    Warnings,
    /// Not done; the file was left as it was.
    Failed,
}

impl Status {
    /// The word shown in the per-file line.
    pub(crate) fn label(self, l: Lang) -> &'static str {
        match self {
            Status::Ok => l.pick("成功", "ok"),
            Status::Warnings => l.pick("警告", "warnings"),
            Status::Failed => l.pick("失敗", "failed"),
        }
    }
}

/// The one-line reason of an error for a batch line or JSON object: the message with its sheet
/// and cell, and its file only when that is another file than `input` (the output, say).
pub(crate) fn reason(e: &Error, input: &Path, l: Lang) -> String {
    e.line(l, Some(input)).replace('\n', " ")
}

/// Counts of outcomes, and the final table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    /// Files done without warnings.
    pub ok: usize,
    /// Files done with warnings.
    pub warnings: usize,
    /// Files that failed.
    pub failed: usize,
}

impl Tally {
    /// Counts one outcome.
    pub(crate) fn add(&mut self, s: Status) {
        match s {
            Status::Ok => self.ok += 1,
            Status::Warnings => self.warnings += 1,
            Status::Failed => self.failed += 1,
        }
    }
    /// Files counted.
    pub(crate) fn total(&self) -> usize {
        self.ok + self.warnings + self.failed
    }
    /// The final table.
    pub(crate) fn to_text(self, l: Lang) -> String {
        let rows = [
            (Status::Ok.label(l), self.ok),
            (Status::Warnings.label(l), self.warnings),
            (Status::Failed.label(l), self.failed),
            (l.pick("合計", "total"), self.total()),
        ];
        let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>();
        let mut s = String::new();
        for (name, n) in rows {
            s += &format!("{name}{} {n:>6}\n", " ".repeat(10usize.saturating_sub(width(name))));
        }
        s
    }
}

/// A progress bar on standard error, drawn only when standard error is a terminal and the run
/// is not quiet; otherwise every call does nothing.
pub(crate) struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    enabled: bool,
    lang: Lang,
    /// Standard output is the same terminal: the bar is erased before each line printed there.
    shared: bool,
    start: Instant,
    last: Option<Instant>,
    drawn: bool,
}

impl Progress {
    /// A bar for `total` files; `quiet` turns it off.
    pub(crate) fn new(total: usize, quiet: bool, lang: Lang) -> Progress {
        let enabled = !quiet && std::io::stderr().is_terminal();
        Progress { total, done: 0, failed: 0, enabled, lang, shared: std::io::stdout().is_terminal(), start: Instant::now(), last: None, drawn: false }
    }
    /// One file finished.
    pub(crate) fn advance(&mut self, failed: bool) {
        self.done += 1;
        self.failed += failed as usize;
        self.draw(false);
    }
    /// Draws the bar (at most ten times a second unless `force`).
    pub(crate) fn draw(&mut self, force: bool) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if !force && self.drawn && self.last.is_some_and(|t| now - t < Duration::from_millis(100)) && self.done < self.total {
            return;
        }
        self.last = Some(now);
        let width = 30;
        let filled = (self.done * width).checked_div(self.total).unwrap_or(width).min(width);
        let failed = if self.failed > 0 { format!(" {} {}", self.lang.pick("失敗", "failed"), self.failed) } else { String::new() };
        let secs = self.start.elapsed().as_secs();
        let line =
            format!("\r[{}{}] {}/{}{} {}:{:02}\x1b[K", "#".repeat(filled), "-".repeat(width - filled), self.done, self.total, failed, secs / 60, secs % 60);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
        self.drawn = true;
    }
    /// Erases the bar before a line is printed on standard output, when that is the same terminal.
    pub(crate) fn clear(&mut self) {
        if self.shared {
            self.erase();
        }
    }
    fn erase(&mut self) {
        if self.enabled && self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(b"\r\x1b[K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
    /// Erases the bar for good.
    pub(crate) fn finish(&mut self) {
        self.erase();
        self.enabled = false;
    }
}

impl Watch for Progress {
    fn finished(&mut self, failed: bool) {
        self.advance(failed);
    }
    fn emitting(&mut self) {
        self.clear();
    }
    fn emitted(&mut self) {
        self.draw(false);
    }
    fn end(&mut self) {
        self.finish();
    }
}

/// What a batch shows of one file's report: the per-file line and the warnings that make its
/// status [`Status::Warnings`].
pub(crate) trait Outcome: Serialize + Send {
    /// A short account for the per-file line (`資産 12 件を計算（ipa-3）、…`).
    fn detail(&self, l: Lang) -> String;
    /// What needs a person, one line each; empty for [`Status::Ok`].
    fn warnings(&self, l: Lang) -> Vec<String>;
    /// The file written, when it is not the input itself.
    fn output(&self) -> Option<&str> {
        None
    }
}

/// The report of `fill` on one file.
#[derive(Serialize)]
pub(crate) struct FillOutcome {
    /// What was computed.
    pub fill: risksheet::ops::ipa::fill::FillSummary,
    /// What was saved.
    pub save: risksheet::xlsx::SaveReport,
}

impl Outcome for FillOutcome {
    fn detail(&self, l: Lang) -> String {
        let (assets, edition, cells) = (self.fill.assets, &self.fill.edition, self.save.cells_written.len());
        match l {
            Lang::Ja => format!("資産 {assets} 件を計算（{edition}）、{cells} セルを書き込み"),
            Lang::En => format!("{assets} assets computed ({edition}), {cells} cells written"),
        }
    }
    fn warnings(&self, _: Lang) -> Vec<String> {
        self.fill.warnings.iter().map(|w| w.to_string()).collect()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// The report of `convert` on one file.
#[derive(Serialize)]
pub(crate) struct ConvertOutcome {
    /// What was converted.
    pub convert: risksheet::ops::convert::Report,
    /// What was saved.
    pub save: risksheet::xlsx::SaveReport,
}

impl Outcome for ConvertOutcome {
    fn detail(&self, l: Lang) -> String {
        format!("{} {}, {} {}", self.convert.converted, l.pick("セルを変換", "cells converted"), self.convert.review, l.pick("セルは要確認", "cells to review"))
    }
    fn warnings(&self, _: Lang) -> Vec<String> {
        use risksheet::ops::convert::Status as S;
        self.convert.changes.iter().filter(|c| c.status == S::Review).map(|c| format!("{}!{}: {}", c.sheet, c.cell, c.note)).collect()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// The report of `inspect` on one file.
#[derive(Serialize)]
pub(crate) struct InspectOutcome {
    /// What the workbook holds.
    pub inspect: risksheet::ops::inspect::Inspection,
}

impl Outcome for InspectOutcome {
    fn detail(&self, l: Lang) -> String {
        let r = &self.inspect;
        let sheets = r.sheets.len();
        let Some(a) = &r.ipa else {
            return match l {
                Lang::Ja => format!("シート {sheets}"),
                Lang::En => format!("{sheets} sheets"),
            };
        };
        let (assets, edition, high) = (a.assets.len(), &a.edition, a.assets.iter().filter(|x| x.high).count());
        match l {
            Lang::Ja => format!("シート {sheets}、資産 {assets}（{edition}）、リスク大 {high}"),
            Lang::En => format!("{sheets} sheets, {assets} assets ({edition}), {high} high risk"),
        }
    }
    fn warnings(&self, l: Lang) -> Vec<String> {
        let r = &self.inspect;
        let mut w: Vec<String> =
            r.ipa_error.iter().map(|e| format!("{}: {e}", l.pick("リスク分析シートとしては読めません", "not read as a risk analysis workbook"))).collect();
        if let Some(a) = &r.ipa {
            w.extend(a.warnings.iter().map(|x| x.to_string()));
        }
        w
    }
}

/// The report of `edit` on one file.
#[derive(Serialize)]
pub(crate) struct EditOutcome {
    /// What was saved.
    pub save: risksheet::xlsx::SaveReport,
}

impl Outcome for EditOutcome {
    fn detail(&self, l: Lang) -> String {
        format!(
            "{} {}, {} {}",
            self.save.cells_written.len(),
            l.pick("セルを変更", "cells written"),
            self.save.formulas_affected.len(),
            l.pick("個の数式を再計算対象に", "formulas to recalculate")
        )
    }
    fn warnings(&self, _: Lang) -> Vec<String> {
        Vec::new()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// One file's entry of a batch: a line of the text output, or an object of the JSON Lines
/// output (`{"file":…,"status":…,"error":…,"warnings":[…], …the command's report}`).
#[derive(Serialize)]
pub(crate) struct Record<T> {
    /// The input file.
    pub file: String,
    /// Its outcome.
    pub status: Status,
    /// Why it failed.
    pub error: Option<String>,
    /// What needs a person.
    pub warnings: Vec<String>,
    /// The command's report (absent when the file failed).
    #[serde(flatten)]
    pub report: Option<T>,
}

impl<T: Outcome> Record<T> {
    /// The entry of `input` with its result.
    pub(crate) fn new(input: &Path, result: Result<T>, l: Lang) -> Record<T> {
        let file = input.display().to_string();
        match result {
            Ok(r) => {
                let warnings = r.warnings(l);
                let status = if warnings.is_empty() { Status::Ok } else { Status::Warnings };
                Record { file, status, error: None, warnings, report: Some(r) }
            }
            Err(e) => Record { file, status: Status::Failed, error: Some(reason(&e, input, l)), warnings: Vec::new(), report: None },
        }
    }

    /// The per-file line: status, file (→ output), and the account or the one-line reason.
    pub(crate) fn to_line(&self, l: Lang) -> String {
        let label = self.status.label(l);
        let pad = 8usize.saturating_sub(label.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum());
        let mut s = format!("{label}{} {}", " ".repeat(pad), self.file);
        if let Some(o) = self.report.as_ref().and_then(|r| r.output()).filter(|o| *o != self.file) {
            s += &format!(" → {o}");
        }
        match (&self.report, &self.error) {
            (Some(r), _) => {
                s += &format!(": {}", r.detail(l));
                if let Some(w) = self.warnings.first() {
                    s += &format!("; {}: {w}", l.pick("要確認", "check"));
                    if self.warnings.len() > 1 {
                        let more = self.warnings.len() - 1;
                        s += &match l {
                            Lang::Ja => format!("（ほか {more} 件）"),
                            Lang::En => format!(" (and {more} more)"),
                        };
                    }
                }
            }
            (None, Some(e)) => s += &format!(": {e}"),
            (None, None) => {}
        }
        s.replace('\n', " ")
    }
}

/// How [`report`] runs and prints.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Worker threads.
    pub jobs: usize,
    /// No progress bar.
    pub quiet: bool,
    /// JSON Lines instead of text lines.
    pub json: bool,
    /// The language of the lines.
    pub lang: Lang,
}

/// Runs `job` over `files` with [`run`] and writes one entry per file to `out` as it comes
/// (a text line, or a JSON object on one line with `json`), in input order. Returns the counts;
/// a write error on `out` (a closed pipe) is returned after the run.
pub(crate) fn report<T, F>(files: &[PathBuf], opts: &Options, out: &mut dyn Write, job: F) -> Result<Tally>
where
    T: Outcome,
    F: Fn(&Path) -> Result<T> + Sync,
{
    let mut progress = Progress::new(files.len(), opts.quiet, opts.lang);
    let mut tally = Tally::default();
    let mut failed_write: Option<std::io::Error> = None;
    run(files, opts.jobs, &mut progress, job, |input, r| {
        let rec = Record::new(input, r, opts.lang);
        tally.add(rec.status);
        if failed_write.is_some() {
            return;
        }
        let text =
            if opts.json { serde_json::to_string(&rec).unwrap_or_default() } else { risksheet::error::shown_lines(&rec.to_line(opts.lang)).into_owned() };
        if let Err(e) = writeln!(out, "{text}").and_then(|_| out.flush()) {
            failed_write = Some(e);
        }
    });
    match failed_write {
        Some(e) => Err(e.into()),
        None => Ok(tally),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use risksheet::xlsx::XlsxError;

    #[test]
    fn reason_names_another_file_only() {
        let e = Error::from(XlsxError::NotZip).in_file("a.xlsx");
        assert_eq!(reason(&e, "a.xlsx".as_ref(), Lang::En), "not an Excel workbook (.xlsx): not a zip package");
        assert_eq!(reason(&e, "b.xlsx".as_ref(), Lang::En), "a.xlsx: not an Excel workbook (.xlsx): not a zip package");
    }

    #[test]
    fn tally_table() {
        let mut t = Tally::default();
        t.add(Status::Ok);
        t.add(Status::Failed);
        assert!(t.to_text(Lang::En).contains("failed"));
        assert!(t.to_text(Lang::Ja).contains("失敗"));
        assert!(t.to_text(Lang::En).lines().last().unwrap().ends_with(" 2"));
    }

    #[test]
    fn failed_record_as_json() {
        let failed: Record<EditOutcome> = Record::new("a.xlsx".as_ref(), Err(Error::from(XlsxError::NotZip).in_file("a.xlsx")), Lang::Ja);
        assert_eq!(failed.status, Status::Failed);
        let json = serde_json::to_value(&failed).unwrap();
        assert_eq!(json["status"], "failed");
        assert!(json["error"].as_str().unwrap().contains("zip"));
    }
}
