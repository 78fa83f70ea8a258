//! The inputs of a batch: files, directories walked (each once, regular files only) and glob
//! patterns (`*`, `?`, `**`), expanded into a sorted list of workbooks.
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

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
