//! Where a batch writes: each input's output in an output directory, checked before anything
//! is written.
use crate::error::{Error, Message, Result};
use std::path::{Path, PathBuf};

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

/// The folder a batch's outputs keep their tree below: the deepest folder holding every input
/// (a directory given, the folder a pattern starts from, a file's folder), absolute and without
/// `.`/`..`. A consultant's `clients/A社/台帳.xlsx` and `clients/B社/台帳.xlsx`, run as `clients`,
/// are written to `OUT/A社/台帳.xlsx` and `OUT/B社/台帳.xlsx` ([`output_path_in_tree`]).
///
/// ```
/// use risksheet::ops::batch::tree_root;
/// let d = tempfile::tempdir().unwrap();
/// let top = d.path().canonicalize().unwrap();
/// std::fs::create_dir_all(top.join("clients/A社")).unwrap();
/// std::fs::create_dir_all(top.join("y")).unwrap();
/// assert_eq!(tree_root(&[top.join("clients")]), top.join("clients"));
/// assert_eq!(tree_root(&[top.join("clients/A社"), top.join("y/b.xlsx")]), top);
/// assert_eq!(tree_root(&[top.join("sites/**/*.xlsx")]), top.join("sites"));
/// ```
pub fn tree_root(inputs: &[PathBuf]) -> PathBuf {
    let mut root: Option<Vec<std::ffi::OsString>> = None;
    for input in inputs {
        let folder = if input.is_dir() {
            absolute(input)
        } else if !input.is_file() && super::is_pattern(&input.to_string_lossy()) {
            absolute(&input.components().take_while(|c| !super::is_pattern(&c.as_os_str().to_string_lossy())).collect::<PathBuf>())
        } else {
            let f = absolute(input);
            f.parent().map(Path::to_path_buf).unwrap_or(f)
        };
        let parts: Vec<_> = folder.iter().map(|c| c.to_os_string()).collect();
        root = Some(match root {
            None => parts,
            Some(r) => r.iter().zip(&parts).take_while(|(a, b)| a == b).map(|(a, _)| a.clone()).collect(),
        });
    }
    root.map(|r| r.iter().collect()).unwrap_or_else(|| absolute(Path::new(".")))
}

/// `path` from the root of the file system, with `.` and `..` resolved by name (links are not
/// followed: the tree kept is the one the user named).
fn absolute(path: &Path) -> PathBuf {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in full.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Where a batch writes `input`: in `out_dir` at the place `input` has below `root`
/// ([`tree_root`]), with the extension `new_ext` when given; `None` for in place. An input
/// outside `root` keeps its file name alone.
///
/// ```
/// use risksheet::ops::batch::{output_path_in_tree, tree_root};
/// use std::path::{Path, PathBuf};
/// let d = tempfile::tempdir().unwrap();
/// let clients = d.path().canonicalize().unwrap().join("clients");
/// std::fs::create_dir_all(&clients).unwrap();
/// let root = tree_root(&[clients.clone()]);
/// let out = |f: &str| output_path_in_tree(&clients.join(f), &root, Some(Path::new("out")), None);
/// assert_eq!(out("A社/台帳.xlsx"), Some(PathBuf::from("out/A社/台帳.xlsx")));
/// assert_eq!(out("B社/台帳.xlsx"), Some(PathBuf::from("out/B社/台帳.xlsx")));
/// assert_eq!(output_path_in_tree(&clients.join("a.xls"), &root, Some(Path::new("out")), Some("xlsx")), Some(PathBuf::from("out/a.xlsx")));
/// ```
pub fn output_path_in_tree(input: &Path, root: &Path, out_dir: Option<&Path>, new_ext: Option<&str>) -> Option<PathBuf> {
    let dir = out_dir?;
    let full = absolute(input);
    let place = match full.strip_prefix(root) {
        Ok(rel) if rel.file_name().is_some() => rel.to_path_buf(),
        _ => input.file_name().map(PathBuf::from).unwrap_or_else(|| PathBuf::from("out.xlsx")),
    };
    let place = match new_ext {
        Some(e) => place.with_extension(e),
        None => place,
    };
    Some(dir.join(place))
}

/// Checks that no two inputs would be written to the same output; the error names both.
///
/// # Errors
///
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage), naming both inputs, when two of them would be
/// written to the same output.
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
            let (first, input) = (first.display(), input.display());
            return Err(Error::usage(Message::new(
                format!("{first} と {input} の保存先が同じです（ファイル名が重複しています）"),
                format!("{first} and {input} would be written to the same file (duplicate file names)"),
            ))
            .in_file(o));
        }
    }
    Ok(())
}

/// Prepares an output directory: creates it when missing; an existing file there is an error.
///
/// # Errors
///
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) when `dir` exists and is not a folder;
/// [`ErrorKind::Io`](crate::ErrorKind::Io) when it cannot be created.
pub fn prepare_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::usage(Message::new(
            "複数のファイルを処理するときは -o にディレクトリを指定してください",
            "with several inputs, -o must name a directory",
        ))
        .in_file(dir));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))
}
