//! The user's file on disk: read with a fingerprint (and, for a read-modify-write, a lock), and
//! replaced the safe way.
//!
//! A save never damages what is there. The new content goes to a temporary file beside the
//! target, is fsynced and checked ([`replace`]'s `verify`), and only then renamed over the
//! target; until the rename the target is untouched, after it the save has succeeded. Around that:
//!
//! - **Links and odd targets.** A symlinked target is resolved and the real file replaced (the
//!   link stays a link); a target that is not a regular file (a device, a FIFO, a folder) is
//!   refused.
//! - **Owner and mode.** The new file gets the replaced file's mode, and its owner and group where
//!   the process may set them (root always may).
//! - **Others.** A workbook open in LibreOffice (`.~lock.NAME#`) or Excel (`~$NAME`) is not
//!   replaced unless forced; a file changed since it was read (size, modification time, content
//!   hash) is not overwritten unless forced; risksheet processes updating one file take turns
//!   ([`read_for_update`] holds an advisory lock until the save is done).
//! - **Backups** ([`backup_path`]) never follow a link and never replace an earlier backup.
//! - **Leftovers.** Temporary files carry their process id; the next save in the folder removes
//!   those whose process is gone.
//!
//! ```no_run
//! use risksheet::xlsx::file::{replace, SaveOptions};
//! use std::io::Write;
//! replace("report.md".as_ref(), &SaveOptions::default(), None, |f| Ok(f.write_all(b"# report")?), |_tmp| Ok(()))?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, Message, Result};
use crate::xlsx::XlsxError;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How a save may replace its target.
#[derive(Debug, Clone, Copy, Default)]
pub struct SaveOptions {
    /// Keep the replaced file as a backup beside it ([`backup_path`]).
    pub backup: bool,
    /// Write even when the workbook is open in LibreOffice or Excel, or changed since it was read.
    pub force: bool,
}

/// What a file was when it was read: size, modification time and a hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    crc: u32,
}

impl Fingerprint {
    fn of(meta: &fs::Metadata, bytes: &[u8]) -> Fingerprint {
        Fingerprint { len: bytes.len() as u64, modified: meta.modified().ok(), crc: crc32fast::hash(bytes) }
    }

    /// Whether the file at `path` is still what was read: same size and time, and (checked only
    /// when those agree) the same bytes. A missing file has changed.
    pub fn still_matches(&self, path: &Path) -> bool {
        let Ok(meta) = fs::metadata(path) else { return false };
        if meta.len() != self.len || meta.modified().ok() != self.modified {
            return false;
        }
        let mut bytes = Vec::new();
        fs::File::open(path).and_then(|f| f.take(self.len + 1).read_to_end(&mut bytes)).is_ok() && crc32fast::hash(&bytes) == self.crc
    }
}

/// An advisory lock on a file, held while a read-modify-write is under way (released on drop).
#[derive(Debug)]
pub struct UpdateLock(#[allow(dead_code)] fs::File);

/// How long an update waits for another risksheet process updating the same file.
const LOCK_WAIT: Duration = Duration::from_secs(60);

/// Reads a whole regular file of at most `max` bytes, with its fingerprint. Folders, devices and
/// FIFOs are refused before anything is read (reading `/dev/zero` would never end).
///
/// # Errors
///
/// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be read;
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) for a folder and [`XlsxError::NotRegularFile`] for
/// a device or FIFO; [`XlsxError::PartTooLarge`] when it is larger than `max` bytes.
pub fn read(path: &Path, max: u64) -> Result<(Vec<u8>, Fingerprint)> {
    // Looked at before it is opened: opening a FIFO waits for a writer.
    refuse_irregular(path, &fs::metadata(path)?)?;
    let mut file = fs::File::open(path)?;
    read_open(path, &mut file, max)
}

/// Like [`read`], under an exclusive advisory lock that the returned [`UpdateLock`] holds until it
/// is dropped (after the save), so that two risksheet processes updating one file take turns
/// instead of one losing the other's edit. Waits up to a minute for the other process.
///
/// # Errors
///
/// [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be read;
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) for a folder and [`XlsxError::NotRegularFile`] for
/// a device or FIFO; [`XlsxError::PartTooLarge`] when it is larger than `max` bytes.
/// [`XlsxError::InUse`] when another risksheet process holds the file for more than a minute.
pub fn read_for_update(path: &Path, max: u64) -> Result<(Vec<u8>, Fingerprint, UpdateLock)> {
    let start = std::time::Instant::now();
    loop {
        refuse_irregular(path, &fs::metadata(path)?)?;
        let mut file = fs::File::open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_WAIT => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::from(XlsxError::InUse(Message::new("別の risksheet が更新中", "another risksheet is updating it"))))
            }
            // A file system without locks: the fingerprint check before the rename still holds.
            Err(fs::TryLockError::Error(_)) => {}
        }
        // The lock is on what was the file when it was opened; a save by the process that held
        // it has since put a new file under the name, which is the one to read.
        if !same_file(&file.metadata()?, &fs::metadata(path)?) {
            continue;
        }
        let (bytes, fp) = read_open(path, &mut file, max)?;
        return Ok((bytes, fp, UpdateLock(file)));
    }
}

fn read_open(path: &Path, file: &mut fs::File, max: u64) -> Result<(Vec<u8>, Fingerprint)> {
    let meta = file.metadata()?;
    refuse_irregular(path, &meta)?;
    if meta.len() > max {
        return Err(Error::from(XlsxError::PartTooLarge { part: "(file)".into(), limit: max }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Error::from(XlsxError::PartTooLarge { part: "(file)".into(), limit: max }));
    }
    let fingerprint = Fingerprint::of(&meta, &bytes);
    Ok((bytes, fingerprint))
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    a.len() == b.len() && a.modified().ok() == b.modified().ok()
}

fn refuse_irregular(path: &Path, meta: &fs::Metadata) -> Result<()> {
    if meta.is_dir() {
        return Err(Error::usage(Message::new("フォルダーではなくファイルを指定してください", "a directory, not a file")).in_file(path));
    }
    if !meta.is_file() {
        return Err(Error::from(XlsxError::NotRegularFile).in_file(path));
    }
    Ok(())
}

/// Refuses to replace a file the user would not expect to change: one marked read-only (no write
/// permission for anyone, or none for this user: a rename would replace it all the same), and one
/// with other hard links (they would keep the old content under their names).
fn refuse_surprising_replace(real: &Path, meta: &fs::Metadata) -> Result<()> {
    if meta.permissions().readonly() || fs::OpenOptions::new().write(true).open(real).is_err() {
        return Err(Error::from(XlsxError::ReadOnly));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(Error::from(XlsxError::HardLinked(meta.nlink())));
        }
    }
    Ok(())
}

/// The file a save to `target` replaces: `target` itself, or the file a symlink at `target`
/// points to (through any number of links), so that the link stays and the real file gets the new
/// content. An existing target must be a regular file.
pub(crate) fn real_target(target: &Path) -> Result<PathBuf> {
    let mut path = target.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            Ok(m) => {
                refuse_irregular(target, &m)?;
                return Ok(path);
            }
            // A new file (or a link to one that does not exist yet).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(Error::from(e).in_file(target)),
        }
    }
    Err(Error::from(std::io::Error::other(Message::new("シンボリックリンクが循環しています", "too many levels of symbolic links"))).in_file(target))
}

/// Whether the file at `path` (through links) is a workbook or another zip or OLE package, by its
/// first bytes: what a report or other text output must never replace.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let (book, text) = (dir.path().join("b.xlsx"), dir.path().join("r.md"));
/// std::fs::write(&book, b"PK\x03\x04....")?;
/// std::fs::write(&text, "# report")?;
/// assert!(risksheet::xlsx::file::holds_package(&book) && !risksheet::xlsx::file::holds_package(&text));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn holds_package(path: &Path) -> bool {
    // Looked at before it is opened: opening a FIFO waits for a writer.
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 4];
    fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && (head == *b"PK\x03\x04" || head[..] == crate::xlsx::package::OLE_MAGIC[..4])
}

/// Who has the workbook at `path` open, by the lock files LibreOffice (`.~lock.NAME#`, whose first
/// field is the user's name) and Excel (`~$NAME`) keep beside it.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let book = dir.path().join("台帳.xlsx");
/// assert_eq!(risksheet::xlsx::file::opened_by(&book), None);
/// std::fs::write(dir.path().join(".~lock.台帳.xlsx#"), "佐藤,host,host,30.11.2026 09:00,file:///;")?;
/// assert!(risksheet::xlsx::file::opened_by(&book).unwrap().contains("佐藤"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn opened_by(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    let office_lock = path.with_file_name(format!(".~lock.{name}#"));
    // A lock that exists is a lock, even one this user may not read (a colleague's umask 077).
    if fs::symlink_metadata(&office_lock).is_ok() {
        let text = fs::read(&office_lock).unwrap_or_default();
        let user = String::from_utf8_lossy(&text).split(',').next().unwrap_or("").trim().to_string();
        let by = if user.is_empty() { "LibreOffice".to_string() } else { format!("LibreOffice ({user})") };
        return Some(format!("{by}: {}", office_lock.display()));
    }
    let excel_lock = path.with_file_name(format!("~${name}"));
    if fs::symlink_metadata(&excel_lock).is_ok() {
        return Some(format!("Excel: {}", excel_lock.display()));
    }
    None
}

/// Writes a file the safe way (see the module): `write` fills a temporary file beside the real
/// target, which is fsynced and given to `verify`; only when both succeed is it renamed over the
/// target (after a backup when asked). `expect` is what the target was when it was read: when it
/// has changed since, nothing is replaced (unless forced). On any error the target, and any
/// earlier backup, are as they were, and no temporary file is left. Returns the real target.
///
/// # Errors
///
/// The errors of `write` and `verify` (those of `verify` as [`XlsxError::NotSaved`]);
/// [`XlsxError::InUse`], [`XlsxError::ChangedSinceRead`], [`XlsxError::ReadOnly`] or
/// [`XlsxError::HardLinked`] unless `opts.force` (see [`SaveOptions`]);
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) or [`XlsxError::NotRegularFile`] when the target
/// is a folder or a device; [`ErrorKind::Io`](crate::ErrorKind::Io) when the folder does not exist
/// or the file cannot be written.
pub fn replace(
    target: &Path,
    opts: &SaveOptions,
    expect: Option<&Fingerprint>,
    write: impl FnOnce(&mut fs::File) -> Result<()>,
    verify: impl FnOnce(&Path) -> Result<()>,
) -> Result<PathBuf> {
    let real = real_target(target)?;
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::from(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            Message::new("保存先のフォルダーがありません", "the folder does not exist"),
        ))
        .in_file(&dir));
    }
    let in_file = |e: Error| e.in_file(target);
    // Read once: for the checks below and, at the rename, the owner and mode the new file keeps.
    let existing = fs::metadata(&real).ok();
    if !opts.force {
        // LibreOffice keeps its lock beside the path it opened: the link's or the real file's.
        if let Some(by) = opened_by(target).or_else(|| opened_by(&real)) {
            return Err(in_file(Error::from(XlsxError::InUse(by.into()))));
        }
        if let Some(meta) = &existing {
            refuse_surprising_replace(&real, meta).map_err(in_file)?;
        }
    }
    remove_leftovers(&dir);
    let mut tmp = temporary_in(&dir)?;
    write(tmp.as_file_mut()).map_err(in_file)?;
    tmp.as_file().sync_all().map_err(|e| in_file(e.into()))?;
    // Said of the target: the temporary file is gone once this returns.
    verify(tmp.path()).map_err(|e| in_file(Error::from(XlsxError::NotSaved(Message::each(|l| e.message(l))))))?;
    match &existing {
        Some(meta) => keep_owner_and_mode(tmp.as_file(), meta),
        // A temporary file is private (0600); a new file gets the usual permissions.
        None => set_mode(tmp.as_file(), 0o644),
    }
    if let (Some(fp), false) = (expect, opts.force) {
        if !fp.still_matches(&real) {
            return Err(in_file(Error::from(XlsxError::ChangedSinceRead)));
        }
    }
    if opts.backup && existing.is_some() {
        write_backup(&real, &dir).map_err(in_file)?;
    }
    tmp.persist(&real).map_err(|e| in_file(Error::from(e.error)))?;
    if let Ok(d) = fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(real)
}

/// [`replace`] for content already in memory, with nothing to verify (a report, a new workbook
/// checked before).
///
/// # Errors
///
/// As [`replace`]: [`XlsxError::InUse`], [`XlsxError::ReadOnly`] or [`XlsxError::HardLinked`]
/// unless `opts.force`; [`ErrorKind::Io`](crate::ErrorKind::Io) when the file cannot be written.
pub fn replace_with_bytes(target: &Path, opts: &SaveOptions, bytes: &[u8]) -> Result<PathBuf> {
    use std::io::Write;
    replace(target, opts, None, |f| Ok(f.write_all(bytes)?), |_| Ok(()))
}

const TEMP_PREFIX: &str = ".risksheet-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file beside the target, named `.risksheet-PID-RANDOM.tmp`.
fn temporary_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(&format!("{TEMP_PREFIX}{}-", std::process::id())).suffix(TEMP_SUFFIX).tempfile_in(dir).map_err(|e| {
        // A folder that exists but takes no new file (`/proc`, a read-only mount): not "no such file".
        match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::ReadOnlyFilesystem => Error::from(std::io::Error::new(
                e.kind(),
                Message::new("保存先のフォルダーに書き込めません（読み取り専用の場所です）", "cannot write in the folder (a read-only place)"),
            )),
            _ => Error::from(e),
        }
    })
}

/// Removes the temporary files a killed risksheet left in `dir`: those whose process is gone and
/// that have not been written to for a minute (a process of another machine sharing the folder
/// may still be writing a younger one). Once per folder and process.
fn remove_leftovers(dir: &Path) {
    static DONE: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut done = DONE.lock().unwrap_or_else(|e| e.into_inner());
        if done.contains(&key) {
            return;
        }
        done.push(key);
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        let idle = meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|d| d > Duration::from_secs(60));
        if meta.is_file() && idle && !process_exists(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name (`.risksheet-1234-AbC123.tmp` → 1234).
fn leftover_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    rest.split_once('-')?.0.parse().ok()
}

fn process_exists(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true // Unknown: keep the file.
    }
}

#[cfg(unix)]
fn keep_owner_and_mode(file: &fs::File, meta: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    // Owner first: changing it may clear set-id bits, which the mode then restores. A process
    // that may not give the file away (not root) keeps its own ownership.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    set_mode(file, meta.mode() & 0o7777);
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &fs::File, meta: &fs::Metadata) {
    let _ = file.set_permissions(meta.permissions());
}

#[cfg(unix)]
fn set_mode(file: &fs::File, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = file.set_permissions(fs::Permissions::from_mode(mode));
}

#[cfg(not(unix))]
fn set_mode(_file: &fs::File, _mode: u32) {}

/// Copies `target` to a new backup beside it ([`backup_path`]) the safe way: into a temporary
/// file, fsync, then linked under a name nothing holds yet — never through a symlink, never over
/// an earlier backup; a full disk leaves no truncated backup behind (and the target untouched).
fn write_backup(target: &Path, dir: &Path) -> Result<()> {
    let mut tmp = temporary_in(dir)?;
    let mut source = fs::File::open(target)?;
    std::io::copy(&mut source, tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    keep_owner_and_mode(tmp.as_file(), &source.metadata()?);
    // Another process may take the free name first: try the next one.
    for _ in 0..16 {
        match tmp.persist_noclobber(backup_path(target)) {
            Ok(_) => return Ok(()),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(Error::from(e.error)),
        }
    }
    Err(Error::from(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "backup")))
}

/// Where the next backup of `target` goes, beside it: `book.bak.xlsx`, or when that name is taken
/// (by an earlier backup, or by anything else, a symlink included) `book.bak-2.xlsx`,
/// `book.bak-3.xlsx` …: earlier backups are kept, the first one being the oldest.
///
/// ```
/// let dir = tempfile::tempdir()?;
/// let book = dir.path().join("book.xlsx");
/// assert_eq!(risksheet::xlsx::file::backup_path(&book), dir.path().join("book.bak.xlsx"));
/// std::fs::write(dir.path().join("book.bak.xlsx"), b"")?;
/// assert_eq!(risksheet::xlsx::file::backup_path(&book), dir.path().join("book.bak-2.xlsx"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn backup_path(target: &Path) -> PathBuf {
    let stem = target.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = target.extension().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "xlsx".into());
    // symlink_metadata: a dangling link still takes its name.
    let free = |p: &PathBuf| fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    let first = target.with_file_name(format!("{stem}.bak.{ext}"));
    if free(&first) {
        return first;
    }
    (2u32..).map(|n| target.with_file_name(format!("{stem}.bak-{n}.{ext}"))).find(free).unwrap_or(first)
}

/// Whether a file's stem is one of risksheet's backups (`book.bak.xlsx`, `book.bak-2.xlsx`).
///
/// ```
/// use risksheet::xlsx::file::is_backup_name;
/// assert!(is_backup_name("book.bak") && is_backup_name("book.bak-12"));
/// assert!(!is_backup_name("book") && !is_backup_name("book.bak-x"));
/// ```
pub fn is_backup_name(stem: &str) -> bool {
    stem.ends_with(".bak") || stem.rsplit_once(".bak-").is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_carry_their_process() {
        assert_eq!(leftover_pid(".risksheet-1234-AbC123.tmp"), Some(1234));
        assert_eq!(leftover_pid(".risksheet-AbC123.tmp"), None);
        assert_eq!(leftover_pid("book.xlsx"), None);
    }
}
