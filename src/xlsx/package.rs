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
    /// Most bytes inflated from one package, all parts read together (counted on the bytes
    /// actually inflated, as they are read).
    pub max_total: u64,
    /// Most parts in one package.
    pub max_parts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file: 1 << 30, max_part: 1 << 30, max_total: 1 << 30, max_parts: 20_000 }
    }
}

/// The largest `--max-part-mb` (and Python `max_part_mb`) accepted: 64 GiB.
pub const MAX_PART_MB: u64 = 64 << 10;

impl Limits {
    /// The default limits with the largest part (and the whole package's inflated total, when
    /// it is larger) set to `mb` MiB; an error for 0 or more than [`MAX_PART_MB`].
    ///
    /// ```
    /// use risksheet::xlsx::Limits;
    /// assert_eq!(Limits::with_max_part_mb(16)?.max_part, 16 << 20);
    /// assert_eq!(Limits::with_max_part_mb(4096)?.max_total, 4096 << 20);
    /// assert!(Limits::with_max_part_mb(9223372036854775807).is_err());
    /// assert!(Limits::with_max_part_mb(0).is_err());
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn with_max_part_mb(mb: u64) -> Result<Limits> {
        if !(1..=MAX_PART_MB).contains(&mb) {
            let msg = if crate::error::lang() == crate::Lang::Ja {
                format!("--max-part-mb {mb}: 1〜{MAX_PART_MB} で指定してください（MiB）")
            } else {
                format!("--max-part-mb {mb}: give a size from 1 to {MAX_PART_MB} (MiB)")
            };
            return Err(Error::usage(msg));
        }
        let d = Limits::default();
        let max_part = mb << 20;
        Ok(Limits { max_part, max_total: d.max_total.max(max_part), ..d })
    }
}

/// Reads a whole file of at most `max` bytes, refusing anything but a regular file before
/// reading a byte: a directory, a FIFO, a device such as `/dev/zero` (which never ends) or a
/// socket. The size is checked again on the bytes actually read, since a file can grow.
/// Errors do not name the file (the caller adds it).
///
/// ```
/// use risksheet::xlsx::package::read_regular_file;
/// let e = read_regular_file("/dev/zero".as_ref(), 1 << 20).unwrap_err();
/// assert!(e.to_string().contains("regular file") || e.to_string().contains("通常のファイル"));
/// ```
pub fn read_regular_file(path: &Path, max: u64) -> Result<Vec<u8>> {
    let lang = crate::error::lang();
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(Error::usage(lang.pick("フォルダーではなくファイルを指定してください", "a directory, not a file")));
    }
    if !meta.is_file() {
        return Err(Error::usage(
            lang.pick("通常のファイルではありません（デバイス・FIFO・ソケットは読みません）", "not a regular file (devices, FIFOs and sockets are not read)"),
        ));
    }
    let too_large = || Error::new(ErrorKind::PartTooLarge { part: "(file)".into(), limit: max });
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    fs::File::open(path)?.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
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
        self.pieces().into_iter().try_for_each(|p| w.write_all(p))
    }

    /// The content's bytes in order, as slices of the original and of the new pieces.
    fn pieces(&self) -> Vec<&[u8]> {
        match self {
            PartContent::Bytes(b) => vec![b],
            PartContent::Spliced { base, splices } => {
                let mut out = Vec::with_capacity(2 * splices.len() + 1);
                let mut pos = 0;
                for (s, e, text) in splices {
                    out.push(&base.as_bytes()[pos..*s]);
                    out.push(text.as_bytes());
                    pos = *e;
                }
                out.push(&base.as_bytes()[pos..]);
                out
            }
        }
    }

    /// The content's length in bytes.
    fn len(&self) -> usize {
        match self {
            PartContent::Bytes(b) => b.len(),
            PartContent::Spliced { base, splices } => splices.iter().fold(base.len(), |n, (s, e, text)| n + text.len() - (e - s)),
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
    /// Bytes inflated so far, all parts together (against `limits.max_total`).
    inflated: u64,
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
        let bytes = read_regular_file(path, limits.max_file)?;
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
        let pkg = Package { path: path.to_path_buf(), archive, names, limits: limits.clone(), inflated: 0 };
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
        // What the whole package may still inflate: past it, the error names the budget.
        let left = self.limits.max_total.saturating_sub(self.inflated);
        let total = self.limits.max_total;
        let what = format!("{stored}（{}）", crate::error::lang().pick("先に読んだパーツとの合計", "with the parts read before it"));
        let over_total = || Error::new(ErrorKind::PartTooLarge { part: what.clone(), limit: total });
        if file.size() > left {
            return Err(over_total());
        }
        let cap = limit.min(left);
        let mut out = Vec::with_capacity(file.size().min(cap) as usize);
        let read = (&mut file).take(cap.saturating_add(1)).read_to_end(&mut out);
        self.inflated = self.inflated.saturating_add(out.len() as u64);
        read.map_err(|e| Error::corrupt(format!("{stored}: {e}")))?;
        if out.len() as u64 > limit {
            return Err(too_large());
        }
        if out.len() as u64 > left {
            return Err(over_total());
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
        let replaced: BTreeMap<String, (&String, &PartContent)> = changes.replaced.iter().map(|(k, v)| (canonical_part_name(k), (k, v))).collect();
        let removed: Vec<String> = changes.removed.iter().map(|n| canonical_part_name(n)).collect();
        let mut done = std::collections::HashSet::new();
        let mut zw = ZipWriter::new(out);
        for i in 0..self.archive.len() {
            let name = self.names[i].clone();
            let canon = canonical_part_name(&name);
            if removed.contains(&canon) || done.contains(&canon) {
                continue;
            }
            if let Some((_, content)) = replaced.get(&canon) {
                write_part(&mut zw, &name, content)?;
            } else {
                let file = self.archive.by_index_raw(i).map_err(zerr)?;
                zw.raw_copy_file(file).map_err(zerr)?;
            }
            done.insert(canon);
        }
        for (canon, (name, content)) in &replaced {
            if !done.contains(canon) {
                write_part(&mut zw, name, content)?;
            }
        }
        zw.finish().map_err(zerr)?;
        Ok(())
    }
}

/// The compression level of changed parts: as small as level 6 (zip's default) on worksheets,
/// a third faster.
const DEFLATE_LEVEL: u32 = 5;

/// A part larger than this is deflated in pieces of at most this size, on as many cores as there
/// are. The pieces depend on the size alone, so a file comes out byte for byte the same on any
/// machine.
const DEFLATE_PIECE: usize = 4 << 20;

/// Writes a changed part, deflated: a small one streamed into the zip, a large one in pieces on
/// all cores, then added as a raw entry.
fn write_part<W: Write + std::io::Seek>(zw: &mut ZipWriter<W>, name: &str, content: &PartContent) -> Result<()> {
    let zerr = |e: zip::result::ZipError| Error::corrupt(e.to_string());
    let len = content.len();
    // Deflated by the zip crate as it is written (zip64 when large).
    let stream = |zw: &mut ZipWriter<W>, large: bool| -> Result<()> {
        let options =
            SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).compression_level(Some(DEFLATE_LEVEL as i64)).large_file(large);
        zw.start_file(name, options).map_err(zerr)?;
        Ok(content.write_to(zw)?)
    };
    let n = len.div_ceil(DEFLATE_PIECE);
    if n < 2 || len > u32::MAX as usize {
        return stream(zw, len > u32::MAX as usize);
    }
    let pieces = content.pieces();
    let parts: Vec<(usize, Vec<&[u8]>)> = split_even(&pieces, n).into_iter().enumerate().collect();
    let last = parts.len() - 1;
    let compressed = crate::xlsx::parallel::map_runs(&parts, 1, |run| run.iter().map(|(i, p)| deflate_segment(p, *i == last).map_err(Error::from)).collect())?;
    if compressed.iter().map(Vec::len).sum::<usize>() > u32::MAX as usize - (1 << 16) {
        // Beyond what a zip entry without zip64 fields records.
        drop(compressed);
        return stream(zw, true);
    }
    let mut crc = crc32fast::Hasher::new();
    for p in &pieces {
        crc.update(p);
    }
    let entry = one_entry_zip(name, compressed, crc.finalize(), len as u32);
    let mut archive = ZipArchive::new(entry).map_err(zerr)?;
    let file = archive.by_index_raw(0).map_err(zerr)?;
    zw.raw_copy_file(file).map_err(zerr)?;
    Ok(())
}

/// Splits a sequence of byte slices into `n` runs of about equal length (cutting slices).
fn split_even<'a>(pieces: &[&'a [u8]], n: usize) -> Vec<Vec<&'a [u8]>> {
    let total: usize = pieces.iter().map(|p| p.len()).sum();
    let target = total.div_ceil(n).max(1);
    let mut out = vec![Vec::new()];
    let mut filled = 0;
    for mut p in pieces.iter().copied() {
        while !p.is_empty() {
            if filled == target {
                out.push(Vec::new());
                filled = 0;
            }
            let take = p.len().min(target - filled);
            out.last_mut().expect("one run at least").push(&p[..take]);
            filled += take;
            p = &p[take..];
        }
    }
    out
}

/// Raw deflate of a run of bytes. A run other than the last ends with a sync flush (byte
/// aligned, not final), so the runs' outputs joined are one deflate stream, as pigz does.
fn deflate_segment(pieces: &[&[u8]], last: bool) -> std::io::Result<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress};
    let len: usize = pieces.iter().map(|p| p.len()).sum();
    let mut z = Compress::new(Compression::new(DEFLATE_LEVEL), false);
    // Worksheets deflate to a tenth or less; the buffer grows when they do not.
    let mut out = Vec::with_capacity(len / 10 + 1024);
    let mut feed = |input: &[u8], flush: FlushCompress| -> std::io::Result<()> {
        let mut input = input;
        loop {
            if out.capacity() - out.len() < 64 * 1024 {
                out.reserve(256 * 1024);
            }
            let before = (z.total_in(), z.total_out());
            let status = z.compress_vec(input, &mut out, flush).map_err(std::io::Error::other)?;
            let read = (z.total_in() - before.0) as usize;
            input = &input[read..];
            let wrote = z.total_out() - before.1;
            let done = match flush {
                FlushCompress::Finish => status == flate2::Status::StreamEnd,
                // All input taken and room left over: the flush is complete.
                _ => input.is_empty() && out.capacity() > out.len(),
            };
            if done || (read == 0 && wrote == 0 && flush == FlushCompress::None) {
                return Ok(());
            }
        }
    };
    for p in pieces {
        feed(p, FlushCompress::None)?;
    }
    feed(&[], if last { FlushCompress::Finish } else { FlushCompress::Sync })?;
    Ok(out)
}

/// A zip holding one deflated entry, built by hand so that already deflated data can join the
/// package through `raw_copy_file` (the zip crate has no other way to add it). The deflated runs
/// are read where they are, not copied into one buffer.
fn one_entry_zip(name: &str, data: Vec<Vec<u8>>, crc: u32, size: u32) -> Pieces {
    let compressed_size: usize = data.iter().map(Vec::len).sum();
    const DOS_DATE_1980_01_01: u16 = (1 << 5) | 1;
    let header = |central: bool| {
        let mut h = Vec::new();
        if central {
            h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            h.extend_from_slice(&20u16.to_le_bytes()); // version made by
        } else {
            h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        }
        h.extend_from_slice(&20u16.to_le_bytes()); // version needed
        h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 name
        h.extend_from_slice(&8u16.to_le_bytes()); // deflate
        h.extend_from_slice(&0u16.to_le_bytes()); // time
        h.extend_from_slice(&DOS_DATE_1980_01_01.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&(compressed_size as u32).to_le_bytes());
        h.extend_from_slice(&size.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // extra
        if central {
            h.extend_from_slice(&[0; 14]); // comment, disk, attributes, local header offset 0
        }
        h.extend_from_slice(name.as_bytes());
        h
    };
    let local = header(false);
    let cd_offset = (local.len() + compressed_size) as u32;
    let mut tail = header(true);
    let cd_len = tail.len() as u32;
    tail.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    tail.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]); // disks, entries
    tail.extend_from_slice(&cd_len.to_le_bytes());
    tail.extend_from_slice(&cd_offset.to_le_bytes());
    tail.extend_from_slice(&0u16.to_le_bytes());
    let mut pieces = vec![local];
    pieces.extend(data);
    pieces.push(tail);
    Pieces::new(pieces)
}

/// Byte buffers read as one stream, with seeking.
struct Pieces {
    pieces: Vec<Vec<u8>>,
    /// Offset of each piece in the stream.
    starts: Vec<u64>,
    len: u64,
    pos: u64,
}

impl Pieces {
    fn new(pieces: Vec<Vec<u8>>) -> Pieces {
        let mut starts = Vec::with_capacity(pieces.len());
        let mut len = 0u64;
        for p in &pieces {
            starts.push(len);
            len += p.len() as u64;
        }
        Pieces { pieces, starts, len, pos: 0 }
    }
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let i = self.starts.partition_point(|&s| s <= self.pos) - 1;
        let offset = (self.pos - self.starts[i]) as usize;
        let n = (self.pieces[i].len() - offset).min(buf.len());
        buf[..n].copy_from_slice(&self.pieces[i][offset..offset + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for Pieces {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            std::io::SeekFrom::Start(n) => Some(n),
            std::io::SeekFrom::End(d) => self.len.checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
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
        return Err(Error::from(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            crate::error::lang().pick("保存先のフォルダーがありません", "the folder does not exist"),
        ))
        .in_file(&dir));
    }
    let mut tmp = tempfile::Builder::new().prefix(".risksheet-").suffix(".tmp").tempfile_in(&dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(target) {
        // Keep the user's permissions on the replaced file.
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
        if backup {
            write_backup(target, &dir)?;
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

/// Copies `target` to a new backup beside it ([`backup_path`]) the safe way: into a temporary
/// file, fsync, then linked under a name nothing holds yet — never through a symlink, never over
/// an earlier backup; a full disk leaves no truncated backup behind (and the target untouched).
fn write_backup(target: &Path, dir: &Path) -> Result<()> {
    let mut tmp = tempfile::Builder::new().prefix(".risksheet-").suffix(".tmp").tempfile_in(dir)?;
    std::io::copy(&mut fs::File::open(target)?, tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    if let Ok(meta) = fs::metadata(target) {
        let _ = fs::set_permissions(tmp.path(), meta.permissions());
    }
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
/// assert_eq!(risksheet::xlsx::package::backup_path(&book), dir.path().join("book.bak.xlsx"));
/// std::fs::write(dir.path().join("book.bak.xlsx"), b"")?;
/// assert_eq!(risksheet::xlsx::package::backup_path(&book), dir.path().join("book.bak-2.xlsx"));
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
/// use risksheet::xlsx::package::is_backup_name;
/// assert!(is_backup_name("book.bak") && is_backup_name("book.bak-12"));
/// assert!(!is_backup_name("book") && !is_backup_name("book.bak-x"));
/// ```
pub fn is_backup_name(stem: &str) -> bool {
    stem.ends_with(".bak") || stem.rsplit_once(".bak-").is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
#[path = "tests/package.rs"]
mod tests;
