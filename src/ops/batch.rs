//! Batch runs: one command over many workbooks.
//!
//! The pieces the CLI's `fill`, `convert`, `inspect` and `edit` use when they are given several
//! inputs, usable from any program:
//!
//! - [`expand`] turns files, directories (walked recursively) and glob patterns (`*`, `?`, `**`)
//!   into a sorted, de-duplicated list of workbooks;
//! - [`output_path`] names each file's output in an output directory;
//! - [`run`] applies a job to every file on a pool of threads, one result per file: an error or
//!   even a panic in one file is that file's result and never stops the others (each save is its
//!   own atomic write), and results come back in input order whatever the order they finish in;
//! - [`Progress`] draws a progress bar on standard error when it is a terminal, and [`Tally`]
//!   counts the outcomes and prints the final table.
//!
//! ```no_run
//! use risksheet::ops::batch::{self, Expand, Status, Tally};
//! use std::path::PathBuf;
//! let files = batch::expand(&[PathBuf::from("clients"), PathBuf::from("sites/**/*.xlsx")], &Expand::workbooks());
//! let jobs = batch::default_jobs();
//! let mut tally = Tally::default();
//! let mut progress = batch::Progress::new(files.len(), false);
//! batch::run(&files, jobs, &mut progress, |path| {
//!     let mut wb = risksheet::xlsx::Workbook::open(path)?;
//!     let summary = risksheet::ops::ipa::fill::fill(&mut wb, None)?;
//!     wb.save()?;
//!     Ok(summary)
//! }, |input, result| {
//!     let status = match &result {
//!         Ok(s) if s.warnings.is_empty() => Status::Ok,
//!         Ok(_) => Status::Warnings,
//!         Err(_) => Status::Failed,
//!     };
//!     tally.add(status);
//!     println!("{} {}", status.label(), input.display());
//! });
//! print!("{}", tally.to_text());
//! ```
use crate::error::{lang, Error, ErrorKind, Result};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What [`expand`] collects from directories and patterns.
#[derive(Debug, Clone)]
pub struct Expand {
    /// File extensions taken from directories and patterns, lower case, without the dot.
    /// A file named on its own is always taken.
    pub extensions: Vec<String>,
    /// A directory left out of the walk (the output directory of a run, so that a second run
    /// does not take the first run's outputs as inputs).
    pub exclude: Option<PathBuf>,
}

impl Expand {
    /// `.xlsx` and `.xlsm`.
    pub fn workbooks() -> Expand {
        Expand { extensions: vec!["xlsx".into(), "xlsm".into()], exclude: None }
    }
    /// `.xlsx`, `.xlsm`, `.xls` and `.ods` (what `convert` reads).
    pub fn convertible() -> Expand {
        Expand { extensions: vec!["xlsx".into(), "xlsm".into(), "xls".into(), "ods".into()], exclude: None }
    }
    /// Leaves `dir` out of the walk.
    pub fn excluding(mut self, dir: Option<&Path>) -> Expand {
        self.exclude = dir.map(|d| d.canonicalize().unwrap_or_else(|_| d.to_path_buf()));
        self
    }
    fn wants(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // Excel's lock files (~$book.xlsx), hidden files and the backups of `--backup`
        // (NAME.bak.xlsx, NAME.bak-2.xlsx) are never workbooks to process.
        let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("~$") || name.starts_with('.') || crate::xlsx::file::is_backup_name(stem) {
            return false;
        }
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| self.extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }
    fn excluded(&self, dir: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|x| dir.canonicalize().is_ok_and(|d| &d == x))
    }
}

/// Whether `text` is a glob pattern (holds `*` or `?`).
///
/// ```
/// use risksheet::ops::batch::is_pattern;
/// assert!(is_pattern("clients/**/*.xlsx"));
/// assert!(!is_pattern("clients/a.xlsx"));
/// ```
pub fn is_pattern(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// Whether an input names a batch by itself: a directory, or a pattern that is not an existing
/// file. A command given exactly one input that is not a batch behaves as for a single file.
pub fn is_batch_input(input: &Path) -> bool {
    input.is_dir() || (!input.is_file() && is_pattern(&input.to_string_lossy()))
}

/// Whether one path component matches one pattern component: `*` is any run of characters,
/// `?` one character; neither matches a leading `.` (as in the shell).
///
/// ```
/// use risksheet::ops::batch::matches_component;
/// assert!(matches_component("*.xlsx", "台帳.xlsx"));
/// assert!(matches_component("site-?.xls?", "site-3.xlsm"));
/// assert!(!matches_component("*.xlsx", ".hidden.xlsx"));
/// assert!(!matches_component("*.xlsx", "a.xls"));
/// ```
pub fn matches_component(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matching with backtracking to the last `*`.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some('?') => {
                pi += 1;
                ni += 1;
            }
            Some(c) if *c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Expands inputs into the workbooks to process, sorted within each input and de-duplicated
/// (first occurrence kept): a file is taken as it is; a directory gives every file under it, at
/// any depth, with one of `opts.extensions`; a pattern gives the matching files with one of those
/// extensions (`*` and `?` within a name, `**` any number of directories). Directories and
/// patterns leave out hidden files and directories, Excel's lock files (`~$…`) and the backups
/// `--backup` makes (`NAME.bak.xlsx`). An input that gives
/// nothing (an empty directory, a pattern matching no file) is kept as it is, so that running it
/// fails with "not found" and is reported like any other failed file.
///
/// ```
/// use risksheet::ops::batch::{expand, Expand};
/// let d = tempfile::tempdir().unwrap();
/// std::fs::create_dir_all(d.path().join("a/b")).unwrap();
/// for f in ["x.xlsx", "a/y.xlsm", "a/b/z.xlsx", "a/b/notes.txt", "a/~$y.xlsm", "a/y.bak.xlsm"] {
///     std::fs::write(d.path().join(f), b"").unwrap();
/// }
/// let names = |v: Vec<std::path::PathBuf>| v.iter().map(|p| p.strip_prefix(d.path()).unwrap().display().to_string()).collect::<Vec<_>>();
/// assert_eq!(names(expand(&[d.path().join("a")], &Expand::workbooks())), ["a/b/z.xlsx", "a/y.xlsm"]);
/// assert_eq!(names(expand(&[d.path().join("**/*.xlsx")], &Expand::workbooks())), ["a/b/z.xlsx", "x.xlsx"]);
/// assert_eq!(names(expand(&[d.path().join("*.xlsx"), d.path().join("x.xlsx")], &Expand::workbooks())), ["x.xlsx"]);
/// ```
pub fn expand(inputs: &[PathBuf], opts: &Expand) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for input in inputs {
        let mut found = Vec::new();
        if input.is_dir() {
            walk(input, opts, &mut found, &mut Visited::default());
        } else if input.is_file() || !is_pattern(&input.to_string_lossy()) {
            found.push(input.clone());
        } else {
            glob(input, opts, &mut found);
        }
        found.sort();
        if found.is_empty() {
            found.push(input.clone());
        }
        for f in found {
            let key = f.canonicalize().unwrap_or_else(|_| f.clone());
            if seen.insert(key) {
                out.push(f);
            }
        }
    }
    out
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.sort();
    v
}

/// The directories a walk has entered, by device and inode, so that a symlink loop (or two
/// links to one folder) is walked once: a walk always ends.
#[derive(Default)]
struct Visited(HashSet<String>);

impl Visited {
    /// Whether `dir` is entered for the first time (a directory whose identity cannot be read is
    /// not entered).
    fn first(&mut self, dir: &Path) -> bool {
        #[cfg(unix)]
        let key = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(dir).ok().map(|m| format!("{}:{}", m.dev(), m.ino()))
        };
        #[cfg(not(unix))]
        let key = dir.canonicalize().ok().map(|p| p.to_string_lossy().into_owned());
        key.is_some_and(|k| self.0.insert(k))
    }
}

/// Whether `p` is a regular file (after links): devices, FIFOs and sockets are never taken.
fn is_regular(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file())
}

fn walk(dir: &Path, opts: &Expand, out: &mut Vec<PathBuf>, seen: &mut Visited) {
    if opts.excluded(dir) || !seen.first(dir) {
        return;
    }
    for p in entries(dir) {
        if p.is_dir() {
            if !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                walk(&p, opts, out, seen);
            }
        } else if opts.wants(&p) && is_regular(&p) {
            out.push(p);
        }
    }
}

fn glob(pattern: &Path, opts: &Expand, out: &mut Vec<PathBuf>) {
    // The leading components without wildcards are the directory the search starts from.
    let mut root = PathBuf::new();
    let mut rest: Vec<String> = Vec::new();
    for c in pattern.components() {
        let s = c.as_os_str().to_string_lossy().to_string();
        if rest.is_empty() && !is_pattern(&s) {
            root.push(c);
        } else if !matches!(c, Component::CurDir) {
            rest.push(s);
        }
    }
    let start = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root.clone() };
    let prefix_dot = root.as_os_str().is_empty();
    let mut found = Vec::new();
    glob_walk(&start, &rest, opts, &mut found, &mut Visited::default());
    for f in found {
        // `*.xlsx` gives `a.xlsx`, not `./a.xlsx`.
        out.push(if prefix_dot { f.strip_prefix(".").map(Path::to_path_buf).unwrap_or(f) } else { f });
    }
}

fn glob_walk(dir: &Path, segs: &[String], opts: &Expand, out: &mut Vec<PathBuf>, seen: &mut Visited) {
    let Some(seg) = segs.first() else { return };
    if opts.excluded(dir) {
        return;
    }
    if seg == "**" {
        // `**` recurses without end through a symlink loop: each directory once.
        if !seen.first(dir) {
            return;
        }
        glob_walk(dir, &segs[1..], opts, out, &mut Visited::default());
        for p in entries(dir) {
            if p.is_dir() && !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                glob_walk(&p, segs, opts, out, seen);
            }
        }
        return;
    }
    if !is_pattern(seg) {
        let p = dir.join(seg);
        if segs.len() == 1 {
            if is_regular(&p) && opts.wants(&p) {
                out.push(p);
            }
        } else if p.is_dir() {
            glob_walk(&p, &segs[1..], opts, out, seen);
        }
        return;
    }
    for p in entries(dir) {
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        if !matches_component(seg, &name) {
            continue;
        }
        if segs.len() == 1 {
            if is_regular(&p) && opts.wants(&p) {
                out.push(p);
            }
        } else if p.is_dir() {
            glob_walk(&p, &segs[1..], opts, out, seen);
        }
    }
}

/// Where a batch writes `input`: in `out_dir` under the same file name (with the extension
/// `new_ext` when given, as `convert` does for `.xls`/`.ods`), or `None` for in place.
///
/// ```
/// use risksheet::ops::batch::output_path;
/// use std::path::{Path, PathBuf};
/// assert_eq!(output_path(Path::new("a/台帳.xlsx"), Some(Path::new("out")), None), Some(PathBuf::from("out/台帳.xlsx")));
/// assert_eq!(output_path(Path::new("a/old.xls"), Some(Path::new("out")), Some("xlsx")), Some(PathBuf::from("out/old.xlsx")));
/// assert_eq!(output_path(Path::new("a/台帳.xlsx"), None, None), None);
/// ```
pub fn output_path(input: &Path, out_dir: Option<&Path>, new_ext: Option<&str>) -> Option<PathBuf> {
    let dir = out_dir?;
    let name = input.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("out.xlsx"));
    let name = match new_ext {
        Some(e) => name.with_extension(e),
        None => name,
    };
    Some(dir.join(name))
}

/// Checks that no two inputs would be written to the same output; the error names both.
///
/// ```
/// use risksheet::ops::batch::check_outputs;
/// use std::path::PathBuf;
/// let a = (PathBuf::from("a/x.xlsx"), Some(PathBuf::from("out/x.xlsx")));
/// let b = (PathBuf::from("b/x.xlsx"), Some(PathBuf::from("out/x.xlsx")));
/// assert!(check_outputs(&[a.clone()]).is_ok());
/// assert!(check_outputs(&[a, b]).is_err());
/// ```
pub fn check_outputs(pairs: &[(PathBuf, Option<PathBuf>)]) -> Result<()> {
    let mut seen: std::collections::HashMap<PathBuf, &Path> = std::collections::HashMap::new();
    for (input, output) in pairs {
        let Some(o) = output else { continue };
        if let Some(first) = seen.insert(o.clone(), input) {
            let l = lang();
            return Err(Error::usage(format!(
                "{} {} {} {}",
                first.display(),
                l.pick("と", "and"),
                input.display(),
                l.pick("の保存先が同じです（ファイル名が重複しています）", "would be written to the same file (duplicate file names)")
            ))
            .in_file(o));
        }
    }
    Ok(())
}

/// Prepares an output directory: creates it when missing; an existing file there is an error.
pub fn prepare_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        let l = lang();
        return Err(Error::usage(
            l.pick("複数のファイルを処理するときは -o にディレクトリを指定してください", "with several inputs, -o must name a directory"),
        )
        .in_file(dir));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))
}

/// The number of worker threads by default: the cores available.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// Runs `job` on every file with `jobs` threads and hands each result to `emit` on the calling
/// thread, in the order of `files` (each as soon as it and every file before it are done). A
/// panic in `job` becomes that file's error. `progress` advances as files finish.
///
/// ```
/// use risksheet::ops::batch::{run, Progress};
/// use std::path::PathBuf;
/// let files: Vec<PathBuf> = (1..=20).map(|i| PathBuf::from(format!("{i}.xlsx"))).collect();
/// let mut seen = Vec::new();
/// run(&files, 4, &mut Progress::new(files.len(), false), |p| {
///     let n: u32 = p.file_stem().unwrap().to_str().unwrap().parse().unwrap();
///     if n == 7 { panic!("boom") }
///     if n % 5 == 0 { Err(risksheet::Error::usage("five")) } else { Ok(n * 2) }
/// }, |p, r| seen.push((p.display().to_string(), r.ok())));
/// assert_eq!(seen.len(), 20);
/// assert_eq!(seen[0], ("1.xlsx".to_string(), Some(2)));
/// assert_eq!(seen[4].1, None);
/// assert_eq!(seen[6].1, None);
/// assert_eq!(seen[19].0, "20.xlsx");
/// ```
pub fn run<T, F, G>(files: &[PathBuf], jobs: usize, progress: &mut Progress, job: F, mut emit: G)
where
    T: Send,
    F: Fn(&Path) -> Result<T> + Sync,
    G: FnMut(&Path, Result<T>),
{
    let n = files.len();
    let workers = jobs.max(1).min(n.max(1));
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Result<T>)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, job) = (&next, &job);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let path = &files[i];
                let r = crate::error::catch_panic(|| job(path))
                    .unwrap_or_else(|what| Err(Error::new(ErrorKind::Corrupt(format!("internal error: {what}"))).in_file(path)));
                if tx.send((i, r)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: Vec<Option<Result<T>>> = (0..n).map(|_| None).collect();
        let mut emitted = 0;
        for (i, r) in rx {
            progress.advance(r.is_err());
            pending[i] = Some(r);
            while emitted < n {
                let Some(r) = pending[emitted].take() else { break };
                progress.clear();
                emit(&files[emitted], r);
                progress.draw(false);
                emitted += 1;
            }
        }
        progress.finish();
    });
}

/// The outcome of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Done, nothing to look at.
    Ok,
    /// Done, with inputs or cells that need a person (the report lists them).
    Warnings,
    /// Not done; the file was left as it was.
    Failed,
}

impl Status {
    /// The word shown in the per-file line, in the language of messages.
    pub fn label(self) -> &'static str {
        let l = lang();
        match self {
            Status::Ok => l.pick("成功", "ok"),
            Status::Warnings => l.pick("警告", "warnings"),
            Status::Failed => l.pick("失敗", "failed"),
        }
    }
}

/// The one-line reason of an error for a batch line or JSON object: the message with its sheet
/// and cell, and its file only when that is another file than `input` (the output, say).
///
/// ```
/// use risksheet::ops::batch::reason;
/// use risksheet::{Error, ErrorKind};
/// let e = Error::new(ErrorKind::NotZip).in_file("a.xlsx");
/// risksheet::error::set_lang(risksheet::Lang::En);
/// assert_eq!(reason(&e, "a.xlsx".as_ref()), "not an Excel workbook (.xlsx): not a zip package");
/// assert_eq!(reason(&e, "b.xlsx".as_ref()), "a.xlsx: not an Excel workbook (.xlsx): not a zip package");
/// risksheet::error::set_lang(risksheet::Lang::Ja);
/// ```
pub fn reason(e: &Error, input: &Path) -> String {
    let mut s = String::new();
    if let Some(f) = &e.file {
        if f != input {
            s += &format!("{}: ", f.display());
        }
    }
    match (&e.sheet, &e.cell) {
        (Some(sh), Some(c)) => s += &format!("{sh}!{c}: "),
        (Some(sh), None) => s += &format!("{sh}: "),
        (None, Some(c)) => s += &format!("{c}: "),
        (None, None) => {}
    }
    s += &e.message(lang());
    s.replace('\n', " ")
}

/// Counts of outcomes, and the final table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Files done without warnings.
    pub ok: usize,
    /// Files done with warnings.
    pub warnings: usize,
    /// Files that failed.
    pub failed: usize,
}

impl Tally {
    /// Counts one outcome.
    pub fn add(&mut self, s: Status) {
        match s {
            Status::Ok => self.ok += 1,
            Status::Warnings => self.warnings += 1,
            Status::Failed => self.failed += 1,
        }
    }
    /// Files counted.
    pub fn total(&self) -> usize {
        self.ok + self.warnings + self.failed
    }
    /// The final table.
    ///
    /// ```
    /// use risksheet::ops::batch::{Status, Tally};
    /// let mut t = Tally::default();
    /// t.add(Status::Ok);
    /// t.add(Status::Failed);
    /// risksheet::error::set_lang(risksheet::Lang::En);
    /// assert!(t.to_text().contains("failed"));
    /// assert!(t.to_text().lines().last().unwrap().ends_with(" 2"));
    /// risksheet::error::set_lang(risksheet::Lang::Ja);
    /// ```
    pub fn to_text(&self) -> String {
        let l = lang();
        let rows = [
            (Status::Ok.label(), self.ok),
            (Status::Warnings.label(), self.warnings),
            (Status::Failed.label(), self.failed),
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
pub struct Progress {
    total: usize,
    done: usize,
    failed: usize,
    enabled: bool,
    /// Standard output is the same terminal: the bar is erased before each line printed there.
    shared: bool,
    start: Instant,
    last: Option<Instant>,
    drawn: bool,
}

impl Progress {
    /// A bar for `total` files; `quiet` turns it off.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let enabled = !quiet && std::io::stderr().is_terminal();
        Progress { total, done: 0, failed: 0, enabled, shared: std::io::stdout().is_terminal(), start: Instant::now(), last: None, drawn: false }
    }
    /// One file finished.
    pub fn advance(&mut self, failed: bool) {
        self.done += 1;
        self.failed += failed as usize;
        self.draw(false);
    }
    /// Draws the bar (at most ten times a second unless `force`).
    pub fn draw(&mut self, force: bool) {
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
        let l = lang();
        let failed = if self.failed > 0 { format!(" {} {}", l.pick("失敗", "failed"), self.failed) } else { String::new() };
        let secs = self.start.elapsed().as_secs();
        let line =
            format!("\r[{}{}] {}/{}{} {}:{:02}\x1b[K", "#".repeat(filled), "-".repeat(width - filled), self.done, self.total, failed, secs / 60, secs % 60);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes());
        let _ = err.flush();
        self.drawn = true;
    }
    /// Erases the bar before a line is printed on standard output, when that is the same terminal.
    pub fn clear(&mut self) {
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
    pub fn finish(&mut self) {
        self.erase();
        self.enabled = false;
    }
}

/// What a batch shows of one file's report: the per-file line and the warnings that make its
/// status [`Status::Warnings`].
pub trait Outcome: Serialize + Send {
    /// A short account for the per-file line (`資産 12 件を計算（ipa-3）、…`).
    fn detail(&self) -> String;
    /// What needs a person, one line each; empty for [`Status::Ok`].
    fn warnings(&self) -> Vec<String>;
    /// The file written, when it is not the input itself.
    fn output(&self) -> Option<&str> {
        None
    }
}

/// The report of `fill` on one file.
#[derive(Serialize)]
pub struct FillOutcome {
    /// What was computed.
    pub fill: crate::ops::ipa::fill::FillSummary,
    /// What was saved.
    pub save: crate::xlsx::SaveReport,
}

impl Outcome for FillOutcome {
    fn detail(&self) -> String {
        let l = lang();
        format!(
            "{} {} {}（{}）、{} {}",
            l.pick("資産", "assets"),
            self.fill.assets,
            l.pick("件を計算", "computed"),
            self.fill.edition,
            self.save.cells_written.len(),
            l.pick("セルを書き込み", "cells written")
        )
    }
    fn warnings(&self) -> Vec<String> {
        self.fill.warnings.iter().map(|w| w.to_string()).collect()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// The report of `convert` on one file.
#[derive(Serialize)]
pub struct ConvertOutcome {
    /// What was converted.
    pub convert: crate::ops::convert::Report,
    /// What was saved.
    pub save: crate::xlsx::SaveReport,
}

impl Outcome for ConvertOutcome {
    fn detail(&self) -> String {
        let l = lang();
        format!("{} {}, {} {}", self.convert.converted, l.pick("セルを変換", "cells converted"), self.convert.review, l.pick("セルは要確認", "cells to review"))
    }
    fn warnings(&self) -> Vec<String> {
        use crate::ops::convert::Status as S;
        self.convert.changes.iter().filter(|c| c.status == S::Review).map(|c| format!("{}!{}: {}", c.sheet, c.cell, c.note)).collect()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// The report of `inspect` on one file.
#[derive(Serialize)]
pub struct InspectOutcome {
    /// What the workbook holds.
    pub inspect: crate::ops::inspect::Inspection,
}

impl Outcome for InspectOutcome {
    fn detail(&self) -> String {
        let l = lang();
        let r = &self.inspect;
        let mut s = format!("{} {}", l.pick("シート", "sheets"), r.sheets.len());
        if let Some(a) = &r.ipa {
            s += &format!(
                "、{} {}（{}）、{} {}",
                l.pick("資産", "assets"),
                a.assets.len(),
                a.edition,
                l.pick("リスク大", "high risk"),
                a.assets.iter().filter(|x| x.high).count()
            );
        }
        s
    }
    fn warnings(&self) -> Vec<String> {
        let r = &self.inspect;
        let mut w: Vec<String> =
            r.ipa_error.iter().map(|e| format!("{}: {e}", lang().pick("リスク分析シートとしては読めません", "not read as a risk analysis workbook"))).collect();
        if let Some(a) = &r.ipa {
            w.extend(a.warnings.iter().map(|x| x.to_string()));
        }
        w
    }
}

/// The report of `edit` on one file.
#[derive(Serialize)]
pub struct EditOutcome {
    /// What was saved.
    pub save: crate::xlsx::SaveReport,
}

impl Outcome for EditOutcome {
    fn detail(&self) -> String {
        let l = lang();
        format!(
            "{} {}, {} {}",
            self.save.cells_written.len(),
            l.pick("セルを変更", "cells written"),
            self.save.formulas_affected.len(),
            l.pick("個の数式を再計算対象に", "formulas to recalculate")
        )
    }
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }
    fn output(&self) -> Option<&str> {
        Some(&self.save.file)
    }
}

/// One file's entry of a batch: a line of the text output, or an object of the JSON Lines
/// output (`{"file":…,"status":…,"error":…,"warnings":[…], …the command's report}`).
///
/// ```
/// use risksheet::ops::batch::{EditOutcome, Record, Status};
/// use risksheet::{Error, ErrorKind};
/// let failed: Record<EditOutcome> = Record::new("a.xlsx".as_ref(), Err(Error::new(ErrorKind::NotZip).in_file("a.xlsx")));
/// assert_eq!(failed.status, Status::Failed);
/// let json = serde_json::to_value(&failed).unwrap();
/// assert_eq!(json["status"], "failed");
/// assert!(json["error"].as_str().unwrap().contains("zip"));
/// ```
#[derive(Serialize)]
pub struct Record<T> {
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
    pub fn new(input: &Path, result: Result<T>) -> Record<T> {
        let file = input.display().to_string();
        match result {
            Ok(r) => {
                let warnings = r.warnings();
                let status = if warnings.is_empty() { Status::Ok } else { Status::Warnings };
                Record { file, status, error: None, warnings, report: Some(r) }
            }
            Err(e) => Record { file, status: Status::Failed, error: Some(reason(&e, input)), warnings: Vec::new(), report: None },
        }
    }

    /// The per-file line: status, file (→ output), and the account or the one-line reason.
    pub fn to_line(&self) -> String {
        let l = lang();
        let label = self.status.label();
        let pad = 8usize.saturating_sub(label.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum());
        let mut s = format!("{label}{} {}", " ".repeat(pad), self.file);
        if let Some(o) = self.report.as_ref().and_then(|r| r.output()).filter(|o| *o != self.file) {
            s += &format!(" → {o}");
        }
        match (&self.report, &self.error) {
            (Some(r), _) => {
                s += &format!(": {}", r.detail());
                if let Some(w) = self.warnings.first() {
                    s += &format!("; {}: {w}", l.pick("要確認", "check"));
                    if self.warnings.len() > 1 {
                        let more = self.warnings.len() - 1;
                        s += &match l {
                            crate::Lang::Ja => format!("（ほか {more} 件）"),
                            crate::Lang::En => format!(" (and {more} more)"),
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
pub struct Options {
    /// Worker threads.
    pub jobs: usize,
    /// No progress bar.
    pub quiet: bool,
    /// JSON Lines instead of text lines.
    pub json: bool,
}

/// Runs `job` over `files` with [`run`] and writes one entry per file to `out` as it comes
/// (a text line, or a JSON object on one line with `json`), in input order. Returns the counts;
/// a write error on `out` (a closed pipe) is returned after the run.
pub fn report<T, F>(files: &[PathBuf], opts: &Options, out: &mut dyn Write, job: F) -> Result<Tally>
where
    T: Outcome,
    F: Fn(&Path) -> Result<T> + Sync,
{
    let mut progress = Progress::new(files.len(), opts.quiet);
    let mut tally = Tally::default();
    let mut failed_write: Option<std::io::Error> = None;
    run(files, opts.jobs, &mut progress, job, |input, r| {
        let rec = Record::new(input, r);
        tally.add(rec.status);
        if failed_write.is_some() {
            return;
        }
        let text = if opts.json { serde_json::to_string(&rec).unwrap_or_default() } else { crate::error::shown_lines(&rec.to_line()).into_owned() };
        if let Err(e) = writeln!(out, "{text}").and_then(|_| out.flush()) {
            failed_write = Some(e);
        }
    });
    match failed_write {
        Some(e) => Err(e.into()),
        None => Ok(tally),
    }
}
