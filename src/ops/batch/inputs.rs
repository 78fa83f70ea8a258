//! The inputs of a batch: files, directories walked (each once, regular files only) and glob
//! patterns (`*`, `?`, `**`), expanded into a sorted list of workbooks.
//!
//! The walk is `walkdir`'s and the matching `globset`'s, rather than the project's own: measured
//! with `cargo run --release --example bench_inputs` (20,000 files in 420 folders, 8,000 of them
//! workbooks; best of 5 on the 2-core machine, busy), the listing took 101–112 ms walked and
//! 105–109 ms through `**/*.xlsx` with the crates against 166–178 ms and 195–238 ms by hand
//! (`*/*/*.xlsx`: 106–110 against 142–156 ms; a narrow `site-0?/dept-1*/ledger-*.xlsx`: 32–39
//! against 25–37 ms, the same within the noise). walkdir takes a file's type from the directory
//! listing where the hand-made walk asked the file system for each entry.
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};
use walkdir::{DirEntry, WalkDir};

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
            walk(input, opts, &mut found);
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

/// The directories a walk has entered, so that a symlink loop (or two links to one folder) is
/// walked once: a walk always ends, even through links that make a folder reachable by many
/// paths. A directory is known by its device and inode and, in a pattern, by its last `names`
/// names, those the rest of the pattern still looks at (`**/b/*.xlsx`: one), so that a folder
/// linked under another name is searched under that name too.
#[derive(Default)]
struct Visited(HashSet<(String, PathBuf)>);

impl Visited {
    /// Whether `dir` is entered for the first time (a directory whose identity cannot be read is
    /// not entered).
    fn first(&mut self, dir: &Path, names: usize) -> bool {
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            std::fs::metadata(dir).ok().map(|m| format!("{}:{}", m.dev(), m.ino()))
        };
        #[cfg(not(unix))]
        let id = dir.canonicalize().ok().map(|p| p.to_string_lossy().into_owned());
        let mut tail: Vec<_> = dir.components().rev().take(names).collect();
        tail.reverse();
        id.is_some_and(|id| self.0.insert((id, tail.into_iter().collect())))
    }
}

/// Whether an entry below the start of a walk is hidden (its name starts with a dot).
fn hidden(e: &DirEntry) -> bool {
    e.depth() > 0 && e.file_name().as_encoded_bytes().first() == Some(&b'.')
}

/// A walk from `start` following links (a link to a file is taken as the file, a link to a
/// folder as the folder; a dangling link and a link back to a folder being walked are errors,
/// skipped), names in order so that which of two links to one folder is walked does not depend
/// on the file system.
fn walker(start: &Path) -> WalkDir {
    WalkDir::new(start).follow_links(true).sort_by_file_name()
}

fn walk(dir: &Path, opts: &Expand, out: &mut Vec<PathBuf>) {
    let mut seen = Visited::default();
    // Hidden files are never workbooks (`wants`) and hidden folders are not searched.
    let keep = |e: &DirEntry| !hidden(e) && (!e.file_type().is_dir() || !opts.excluded(e.path()) && seen.first(e.path(), 0));
    for e in walker(dir).into_iter().filter_entry(keep).filter_map(Result::ok) {
        // Regular files only (after links): devices, FIFOs and sockets are never taken.
        if e.file_type().is_file() && opts.wants(e.path()) {
            out.push(e.into_path());
        }
    }
}

/// A matcher of the pattern components `parts` joined by `/`: `*` and `?` within a name, `**` any
/// number of folders; every other character (`[`, `{`, `\`) is itself.
fn matcher(parts: &[String]) -> Option<GlobMatcher> {
    let mut text = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            text.push('/');
        }
        if part == "**" {
            text.push_str(part);
            continue;
        }
        let mut prev = '\0';
        for c in part.chars() {
            match c {
                // `a**b` is `a*b`, as in the shell.
                '*' if prev == '*' => {}
                '[' | ']' | '{' | '}' => text.extend(['[', c, ']']),
                _ => text.push(c),
            }
            prev = c;
        }
    }
    GlobBuilder::new(&text).literal_separator(true).backslash_escape(false).build().ok().map(|g| g.compile_matcher())
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
    let Some(whole) = matcher(&rest) else { return };
    // Folders above the first `**` must match the pattern's first components (the walk goes
    // only where the pattern can match); without `**` the walk is as deep as the pattern.
    let first_deep = rest.iter().position(|s| s == "**");
    let Some(above) = (1..=first_deep.unwrap_or(rest.len().saturating_sub(1))).map(|k| matcher(&rest[..k])).collect::<Option<Vec<_>>>() else { return };
    // Below it, a folder is entered once (a link loop ends), known by the names after the last `**`.
    let names = rest.iter().rposition(|s| s == "**").map_or(0, |last| rest.len().saturating_sub(last + 2));
    // `*` and `**` do not enter hidden folders; a component that starts with a dot does.
    let hidden_below = first_deep.is_some_and(|i| rest[i..].iter().any(|s| s.starts_with('.')));
    let mut seen = Visited::default();
    let mut walk = walker(&start);
    if first_deep.is_none() {
        walk = walk.max_depth(rest.len());
    }
    // Matched as text, as the pattern was read: a name that is not UTF-8 is matched lossily.
    let relative = |e: &DirEntry| -> PathBuf { e.path().strip_prefix(&start).unwrap_or(e.path()).to_string_lossy().into_owned().into() };
    let keep = |e: &DirEntry| {
        let k = e.depth();
        if !e.file_type().is_dir() {
            return true;
        }
        if k > 0 {
            let below = first_deep.is_some_and(|i| k > i);
            if hidden(e) && !(if below { hidden_below } else { rest[k - 1].starts_with('.') }) {
                return false;
            }
            if above.get(k - 1).is_some_and(|m| !m.is_match(relative(e))) {
                return false;
            }
        }
        !opts.excluded(e.path()) && (first_deep.is_none_or(|i| k < i) || seen.first(e.path(), names))
    };
    let prefix_dot = root.as_os_str().is_empty();
    for e in walk.into_iter().filter_entry(keep).filter_map(Result::ok) {
        if e.depth() > 0 && e.file_type().is_file() && opts.wants(e.path()) && whole.is_match(relative(&e)) {
            let f = e.into_path();
            // `*.xlsx` gives `a.xlsx`, not `./a.xlsx`.
            out.push(if prefix_dot { f.strip_prefix(".").map(Path::to_path_buf).unwrap_or(f) } else { f });
        }
    }
}
