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
