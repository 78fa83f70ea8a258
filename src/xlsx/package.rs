//! The zip package under a workbook: reading parts within limits, and saving atomically with
//! every unchanged part copied raw (its compressed bytes untouched).
//!
//! ```no_run
//! use risksheet::xlsx::package::{Package, Limits, PartChanges};
//! let mut pkg = Package::open("ledger.xlsx", &Limits::default())?;
//! let wb = pkg.read_part("xl/workbook.xml")?;
//! let mut changes = PartChanges::default();
//! changes.replace("xl/workbook.xml", wb);
//! pkg.save("ledger.xlsx", &changes, false)?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, ErrorKind, Result};
use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Size limits that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file: u64,
    /// Largest uncompressed part, in bytes.
    pub max_part: u64,
    /// Most parts in one package.
    pub max_parts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file: 1 << 30, max_part: 1 << 30, max_parts: 20_000 }
    }
}

/// The new content of a part.
#[derive(Debug, Clone)]
pub enum PartContent {
    /// Whole bytes.
    Bytes(Vec<u8>),
    /// The original text with pieces replaced: (start, end, new text), sorted and disjoint.
    /// Written piece by piece, so a large sheet is never copied whole in memory.
    Spliced {
        /// The original text.
        base: std::sync::Arc<String>,
        /// Replacements.
        splices: Vec<(usize, usize, String)>,
    },
}

impl PartContent {
    /// Streams the content into `w`.
    pub fn write_to(&self, w: &mut impl Write) -> std::io::Result<()> {
        match self {
            PartContent::Bytes(b) => w.write_all(b),
            PartContent::Spliced { base, splices } => {
                let mut pos = 0;
                for (s, e, text) in splices {
                    w.write_all(&base.as_bytes()[pos..*s])?;
                    w.write_all(text.as_bytes())?;
                    pos = *e;
                }
                w.write_all(&base.as_bytes()[pos..])
            }
        }
    }

    /// The content as text (assembled; for small parts).
    pub fn to_text(&self) -> String {
        let mut v = Vec::new();
        let _ = self.write_to(&mut v);
        String::from_utf8_lossy(&v).into_owned()
    }
}

/// Changes to apply to a package on save: parts replaced or added, and parts removed.
#[derive(Debug, Default, Clone)]
pub struct PartChanges {
    /// New contents by part name (replacing a part, or adding one).
    pub replaced: BTreeMap<String, PartContent>,
    /// Parts to drop.
    pub removed: Vec<String>,
}

impl PartChanges {
    /// Replaces (or adds) a part.
    pub fn replace(&mut self, part: &str, bytes: Vec<u8>) {
        self.replaced.insert(part.to_string(), PartContent::Bytes(bytes));
    }
    /// Replaces (or adds) a part with content of any form.
    pub fn replace_with(&mut self, part: &str, content: PartContent) {
        self.replaced.insert(part.to_string(), content);
    }
    /// Drops a part.
    pub fn remove(&mut self, part: &str) {
        self.removed.push(part.to_string());
    }
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.replaced.is_empty() && self.removed.is_empty()
    }
}

/// An opened package: the file's bytes and its zip directory.
pub struct Package {
    path: PathBuf,
    archive: ZipArchive<Cursor<Vec<u8>>>,
    /// Entry names as stored, in stored order.
    names: Vec<String>,
    limits: Limits,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Canonical form of a part name for lookups: forward slashes, no leading slash, lower case.
/// Real files use backslashes or other letter case, and Excel and LibreOffice accept them.
pub fn canonical_part_name(name: &str) -> String {
    name.replace('\\', "/").trim_start_matches('/').to_lowercase()
}

impl Package {
    /// Opens a package, refusing non-zip, encrypted and oversized files with a clear error.
    pub fn open(path: impl AsRef<Path>, limits: &Limits) -> Result<Package> {
        let path = path.as_ref();
        Self::open_inner(path, limits).map_err(|e| e.in_file(path))
    }

    fn open_inner(path: &Path, limits: &Limits) -> Result<Package> {
        let meta = fs::metadata(path)?;
        if meta.is_dir() {
            return Err(Error::usage(crate::error::lang().pick("フォルダーではなくファイルを指定してください", "a directory, not a file")));
        }
        if meta.len() > limits.max_file {
            return Err(Error::new(ErrorKind::PartTooLarge { part: "(file)".into(), limit: limits.max_file }));
        }
        let bytes = fs::read(path)?;
        Self::from_bytes(path, bytes, limits)
    }

    /// Opens a package held in memory; `path` is used in messages and as the default save target.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Package> {
        if bytes.starts_with(&OLE_MAGIC) {
            // Encrypted OOXML is an OLE compound file with an "EncryptedPackage" stream.
            let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            let encrypted = bytes.windows(needle.len()).any(|w| w == needle.as_slice());
            return Err(Error::new(if encrypted { ErrorKind::Encrypted } else { ErrorKind::LegacyXls }));
        }
        if !bytes.starts_with(b"PK") {
            return Err(Error::new(ErrorKind::NotZip));
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::corrupt(e.to_string()))?;
        if archive.len() > limits.max_parts {
            return Err(Error::corrupt(format!("{} parts", archive.len())));
        }
        let names = (0..archive.len())
            .map(|i| match archive.name_for_index(i) {
                Some(Ok(n)) => Ok(n.into_owned()),
                _ => Err(Error::corrupt(format!("entry {i} has no readable name"))),
            })
            .collect::<Result<Vec<String>>>()?;
        let pkg = Package { path: path.to_path_buf(), archive, names, limits: limits.clone() };
        if pkg.find("[Content_Types].xml").is_none() {
            return Err(Error::new(ErrorKind::NotWorkbook("[Content_Types].xml missing".into())));
        }
        Ok(pkg)
    }

    /// The file the package was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Part names as stored, in stored order.
    pub fn part_names(&self) -> &[String] {
        &self.names
    }

    /// The stored name of a part, looked up as Excel does (case and slashes ignored).
    pub fn find(&self, part: &str) -> Option<&str> {
        self.position(part).map(|i| self.names[i].as_str())
    }

    fn position(&self, part: &str) -> Option<usize> {
        let want = canonical_part_name(part);
        self.names.iter().position(|n| canonical_part_name(n) == want)
    }

    /// Whether the package holds the part.
    pub fn has(&self, part: &str) -> bool {
        self.find(part).is_some()
    }

    /// Reads a whole part, refusing parts over the size limit (checked on the bytes actually
    /// inflated, since a zip header can lie).
    pub fn read_part(&mut self, part: &str) -> Result<Vec<u8>> {
        let index = self.position(part).ok_or_else(|| Error::new(ErrorKind::NotWorkbook(format!("{part} missing"))))?;
        let stored = self.names[index].clone();
        let limit = self.limits.max_part;
        let too_large = || Error::new(ErrorKind::PartTooLarge { part: stored.clone(), limit });
        let mut file = self.archive.by_index(index).map_err(|e| Error::corrupt(format!("{stored}: {e}")))?;
        if file.encrypted() {
            return Err(Error::new(ErrorKind::Encrypted));
        }
        if file.size() > limit {
            return Err(too_large());
        }
        let mut out = Vec::with_capacity(file.size().min(limit) as usize);
        (&mut file).take(limit + 1).read_to_end(&mut out).map_err(|e| Error::corrupt(format!("{stored}: {e}")))?;
        if out.len() as u64 > limit {
            return Err(too_large());
        }
        Ok(out)
    }

    /// Reads a part as UTF-8 text.
    pub fn read_text(&mut self, part: &str) -> Result<String> {
        let bytes = self.read_part(part)?;
        crate::xlsx::xml::into_text(part, bytes)
    }

    /// Writes the package with `changes` to `target` atomically: a temporary file beside the
    /// target, fsync, then rename. With `backup`, an existing target is first copied to
    /// `NAME.bak.EXT`. On any error the target is untouched.
    pub fn save(&mut self, target: impl AsRef<Path>, changes: &PartChanges, backup: bool) -> Result<()> {
        let target = target.as_ref();
        self.save_inner(target, changes, backup).map_err(|e| e.in_file(target))
    }

    fn save_inner(&mut self, target: &Path, changes: &PartChanges, backup: bool) -> Result<()> {
        // The package streams into the temporary file: no second copy of it in memory.
        write_atomically(target, backup, |file| self.write_package(file, changes))
    }

    /// The new package as bytes (see [`Package::write_package`]).
    pub fn write_to_vec(&mut self, changes: &PartChanges) -> Result<Vec<u8>> {
        let mut out = Cursor::new(Vec::new());
        self.write_package(&mut out, changes)?;
        Ok(out.into_inner())
    }

    /// Writes the new package: parts in their stored order, unchanged ones copied raw,
    /// replaced ones deflated, added ones at the end.
    pub fn write_package<W: Write + std::io::Seek>(&mut self, out: W, changes: &PartChanges) -> Result<()> {
        let zerr = |e: zip::result::ZipError| Error::corrupt(e.to_string());
        let replaced: BTreeMap<String, (&String, &PartContent)> =
            changes.replaced.iter().map(|(k, v)| (canonical_part_name(k), (k, v))).collect();
        let removed: Vec<String> = changes.removed.iter().map(|n| canonical_part_name(n)).collect();
        let mut done = std::collections::HashSet::new();
        let mut zw = ZipWriter::new(out);
        let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for i in 0..self.archive.len() {
            let name = self.names[i].clone();
            let canon = canonical_part_name(&name);
            if removed.contains(&canon) || done.contains(&canon) {
                continue;
            }
            if let Some((_, content)) = replaced.get(&canon) {
                zw.start_file(name.as_str(), deflate).map_err(zerr)?;
                content.write_to(&mut zw)?;
            } else {
                let file = self.archive.by_index_raw(i).map_err(zerr)?;
                zw.raw_copy_file(file).map_err(zerr)?;
            }
            done.insert(canon);
        }
        for (canon, (name, content)) in &replaced {
            if !done.contains(canon) {
                zw.start_file(name.as_str(), deflate).map_err(zerr)?;
                content.write_to(&mut zw)?;
            }
        }
        zw.finish().map_err(zerr)?;
        Ok(())
    }
}

/// Writes a file the safe way: into a temporary file beside `target`, fsync, then rename over
/// it (keeping the user's permissions), so that `target` is either the old file or the complete
/// new one, never a partial one. With `backup`, an existing target is first copied to
/// `NAME.bak.EXT`. Errors name the target (or its missing folder), not the temporary file.
///
/// ```no_run
/// use std::io::Write;
/// risksheet::xlsx::package::write_atomically("report.xlsx".as_ref(), false, |f| Ok(f.write_all(b"...")?))?;
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn write_atomically(target: &Path, backup: bool, write: impl FnOnce(&mut fs::File) -> Result<()>) -> Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::from(std::io::Error::new(std::io::ErrorKind::NotFound, crate::error::lang().pick("保存先のフォルダーがありません", "the folder does not exist"))).in_file(&dir));
    }
    let mut tmp = tempfile::Builder::new().prefix(".risksheet-").suffix(".tmp").tempfile_in(&dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(target) {
        // Keep the user's permissions on the replaced file.
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
        if backup {
            fs::copy(target, backup_path(target))?;
        }
    } else {
        // A temporary file is private (0600); a new workbook gets the usual permissions.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644));
        }
    }
    tmp.persist(target).map_err(|e| Error::from(e.error))?;
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// `book.xlsx` → `book.bak.xlsx`, beside it.
pub fn backup_path(target: &Path) -> PathBuf {
    let stem = target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = target.extension().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "xlsx".into());
    target.with_file_name(format!("{stem}.bak.{ext}"))
}
