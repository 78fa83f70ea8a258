//! The zip package under a workbook: reading parts within limits, and saving atomically with
//! every unchanged part copied raw (its compressed bytes untouched). Internal: the library's
//! users reach it through [`Workbook`](crate::xlsx::Workbook); [`Limits`] is re-exported as
//! [`crate::xlsx::Limits`].
use crate::error::{Error, Message, Result};
use crate::xlsx::file::{self, Fingerprint, SaveOptions, UpdateLock};
use crate::xlsx::XlsxError;
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
    /// # Errors
    ///
    /// [`ErrorKind::Usage`](crate::ErrorKind::Usage) when `mb` is 0 or more than [`MAX_PART_MB`].
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
            let msg = Message::new(
                format!("--max-part-mb {mb}: 1〜{MAX_PART_MB} で指定してください（MiB）"),
                format!("--max-part-mb {mb}: give a size from 1 to {MAX_PART_MB} (MiB)"),
            );
            return Err(Error::usage(msg));
        }
        let d = Limits::default();
        let max_part = mb << 20;
        Ok(Limits { max_part, max_total: d.max_total.max(max_part), ..d })
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
    /// What the file was when read (none for a package made in memory).
    source: Option<Fingerprint>,
    /// The lock of a read-modify-write ([`Package::open_for_update`]), held until the package is dropped.
    lock: Option<UpdateLock>,
    /// Entries read whole, so their checksums are known good.
    checked: std::collections::HashSet<usize>,
    /// Bytes inflated so far, all parts together (against `limits.max_total`).
    inflated: u64,
}

/// The first bytes of an OLE compound file (a legacy .xls, or an encrypted workbook).
pub(crate) const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

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
        let (bytes, fingerprint) = file::read(path, limits.max_file)?;
        let mut pkg = Self::from_bytes(path, bytes, limits)?;
        pkg.source = Some(fingerprint);
        Ok(pkg)
    }

    /// Opens a package to change it and save it in place: as [`Package::open`], holding an
    /// advisory lock until the package is dropped, so that risksheet processes updating the same
    /// file take turns (see [`file::read_for_update`]).
    pub fn open_for_update(path: impl AsRef<Path>, limits: &Limits) -> Result<Package> {
        let path = path.as_ref();
        let opened = file::read_for_update(path, limits.max_file).and_then(|(bytes, fingerprint, lock)| {
            let mut pkg = Self::from_bytes(path, bytes, limits)?;
            pkg.source = Some(fingerprint);
            pkg.lock = Some(lock);
            Ok(pkg)
        });
        opened.map_err(|e| e.in_file(path))
    }

    /// Opens a package held in memory; `path` is used in messages and as the default save target.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>, limits: &Limits) -> Result<Package> {
        if bytes.starts_with(&OLE_MAGIC) {
            // Encrypted OOXML is an OLE compound file with an "EncryptedPackage" stream.
            let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
            let encrypted = bytes.windows(needle.len()).any(|w| w == needle.as_slice());
            return Err(Error::from(if encrypted { XlsxError::Encrypted } else { XlsxError::LegacyXls }));
        }
        if !bytes.starts_with(b"PK") {
            return Err(Error::from(XlsxError::NotZip));
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
        refuse_overlapping_entries(&archive)?;
        let pkg =
            Package { path: path.to_path_buf(), archive, names, limits: limits.clone(), source: None, lock: None, checked: Default::default(), inflated: 0 };
        if pkg.find("[Content_Types].xml").is_none() {
            return Err(Error::from(XlsxError::NotWorkbook("[Content_Types].xml missing".into())));
        }
        Ok(pkg)
    }

    /// The file the package was read from.
    pub fn path(&self) -> &Path {
        &self.path
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
        let index = self.position(part).ok_or_else(|| Error::from(XlsxError::NotWorkbook(format!("{part} missing").into())))?;
        let stored = self.names[index].clone();
        let limit = self.limits.max_part;
        let too_large = || Error::from(XlsxError::PartTooLarge { part: stored.clone().into(), limit });
        // What the whole package may still inflate: past it, the error names the budget.
        let left = self.limits.max_total.saturating_sub(self.inflated);
        let total = self.limits.max_total;
        let what = Message::new(format!("{stored}（先に読んだパーツとの合計）"), format!("{stored} (with the parts read before it)"));
        let over_total = || Error::from(XlsxError::PartTooLarge { part: what.clone(), limit: total });
        let cap = limit.min(left);
        let mut entry = self.inflate(index, cap)?;
        if entry.inner.encrypted() {
            return Err(Error::from(XlsxError::Encrypted));
        }
        let declared = entry.inner.size();
        if declared > limit {
            return Err(too_large());
        }
        if declared > left {
            return Err(over_total());
        }
        let mut out = Vec::with_capacity(declared.min(cap) as usize);
        let read = entry.read_to_end(&mut out);
        let (inflated, over) = (entry.read, entry.over());
        drop(entry);
        self.inflated = self.inflated.saturating_add(inflated);
        if over {
            return Err(if inflated > limit { too_large() } else { over_total() });
        }
        read.map_err(|e| Error::corrupt(format!("{stored}: {e}")))?;
        self.checked.insert(index);
        Ok(out)
    }

    /// Reads a part as UTF-8 text.
    pub fn read_text(&mut self, part: &str) -> Result<String> {
        let bytes = self.read_part(part)?;
        crate::xlsx::xml::into_text(part, bytes)
    }

    /// Writes the package with `changes` to `target` the safe way ([`file::replace`]): the new
    /// package is checked before it replaces anything (it opens within the limits, every changed
    /// XML part is well-formed, every copied part has a good checksum), and when `target` is the
    /// file the package was read from, it must not have changed since. On any error the target is
    /// untouched. Returns the file written (the real file behind a symlinked target). The
    /// reopened new package is handed to `then` before the rename, so that a caller can check
    /// more, or keep it as what it now has open.
    pub(crate) fn save_checked(
        &mut self,
        target: &Path,
        changes: &PartChanges,
        opts: &SaveOptions,
        then: impl FnOnce(Package) -> Result<()>,
    ) -> Result<PathBuf> {
        let same_file = match (fs::canonicalize(target), fs::canonicalize(&self.path)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        let expect = if same_file { self.source.clone() } else { None };
        let limits = self.limits.clone();
        let written = file::replace(
            target,
            opts,
            expect.as_ref(),
            |f| self.write_package(f, changes),
            |tmp| {
                let mut saved = Package::open(tmp, &limits)?;
                for part in changes.replaced.keys().filter(|p| is_xml_part(p)) {
                    saved.check_xml_part(part)?;
                }
                then(saved)
            },
        );
        written.map_err(|e| e.in_file(target))
    }

    /// Makes the package stand for `path` (after its temporary file was renamed there).
    pub(crate) fn renamed(&mut self, path: &Path) {
        self.path = path.to_path_buf();
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
                self.check_entry(i)?;
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

impl Package {
    /// Inflates an entry not yet read whole, so that a damaged part (a bad checksum, broken
    /// compressed data) is found before it is copied into a new file, not after.
    fn check_entry(&mut self, index: usize) -> Result<()> {
        if self.checked.contains(&index) {
            return Ok(());
        }
        let name = self.names[index].clone();
        let limit = self.limits.max_part;
        let mut entry = self.inflate(index, limit)?;
        let read = std::io::copy(&mut entry, &mut std::io::sink());
        if entry.over() {
            return Err(Error::from(XlsxError::PartTooLarge { part: name.into(), limit }));
        }
        read.map_err(|e| Error::corrupt(format!("{name}: {e}")))?;
        drop(entry);
        self.checked.insert(index);
        Ok(())
    }
}

impl Package {
    /// Checks that a part is well-formed XML with a good checksum, inflating it piece by piece
    /// (a saved sheet is not held whole a second time).
    fn check_xml_part(&mut self, part: &str) -> Result<()> {
        let index = self.position(part).ok_or_else(|| Error::from(XlsxError::NotWorkbook(format!("{part} missing").into())))?;
        let limit = self.limits.max_part;
        let mut entry = self.inflate(index, limit)?;
        let checked = crate::xlsx::xml::check_well_formed_stream(BomSkip { inner: &mut entry, start: true });
        if entry.over() {
            return Err(Error::from(XlsxError::PartTooLarge { part: part.into(), limit }));
        }
        checked.map_err(|m| Error::xml(part, m))
    }

    /// Entry `index` opened to be inflated, at most `bound` bytes (an entry that cannot be opened
    /// is damage, named).
    fn inflate(&mut self, index: usize, bound: u64) -> Result<Bounded<zip::read::ZipFile<'_, Cursor<Vec<u8>>>>> {
        let name = &self.names[index];
        let inner = self.archive.by_index(index).map_err(|e| Error::corrupt(format!("{name}: {e}")))?;
        Ok(Bounded { inner, bound, read: 0 })
    }
}

/// An entry being inflated within a bound, the one reader behind `read_part`, the check of an
/// entry before it is copied and the check of a saved XML part: reading more than `bound` bytes
/// fails, counted on the bytes actually inflated since a zip header's sizes can lie.
struct Bounded<R> {
    inner: R,
    bound: u64,
    /// Bytes inflated so far (at most `bound` + 1).
    read: u64,
}

impl<R> Bounded<R> {
    /// Whether the entry holds more than the bound.
    fn over(&self) -> bool {
        self.read > self.bound
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let past = || std::io::Error::other("the part is over its size limit");
        // One byte past the bound is read, to tell an entry of exactly `bound` bytes from a larger one.
        let room = (self.bound.saturating_add(1).saturating_sub(self.read)).min(buf.len() as u64) as usize;
        if room == 0 && !buf.is_empty() {
            return Err(past());
        }
        let n = self.inner.read(&mut buf[..room])?;
        self.read += n as u64;
        if self.over() {
            return Err(past());
        }
        Ok(n)
    }
}

/// A reader that drops a UTF-8 byte-order mark at the start.
struct BomSkip<R> {
    inner: R,
    start: bool,
}

impl<R: Read> Read for BomSkip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.start {
            return self.inner.read(buf);
        }
        self.start = false;
        let mut head = [0u8; 3];
        let mut got = 0;
        while got < 3 {
            match self.inner.read(&mut head[got..])? {
                0 => break,
                n => got += n,
            }
        }
        let keep: &[u8] = if head[..got] == *b"\xEF\xBB\xBF" { &[] } else { &head[..got] };
        if keep.is_empty() {
            return self.inner.read(buf);
        }
        let n = keep.len().min(buf.len());
        buf[..n].copy_from_slice(&keep[..n]);
        if n < keep.len() {
            // A buffer under 3 bytes: put the rest back in front (never happens with the checker).
            return Err(std::io::Error::other("buffer too small"));
        }
        Ok(n)
    }
}

/// Whether a part is XML (and so must be well-formed when changed).
fn is_xml_part(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".xml") || n.ends_with(".rels") || n.ends_with(".vml")
}

/// Refuses a package whose entries overlap: the same stored data listed under several names
/// (15,000 entries sharing one local file make a 0.8 MB file inflate to 1.1 GB). No writer makes
/// such files; they are zip bombs or damage.
fn refuse_overlapping_entries(archive: &ZipArchive<Cursor<Vec<u8>>>) -> Result<()> {
    let mut spans = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry = archive.by_index_data(i).map_err(|e| Error::corrupt(e.to_string()))?;
        spans.push((entry.header_start(), entry.compressed_size()));
    }
    spans.sort_unstable();
    // Each entry's data starts after its local header, so it ends beyond header + compressed size.
    if spans.windows(2).any(|w| w[0].0 == w[1].0 || w[0].0.saturating_add(w[0].1) > w[1].0) {
        return Err(Error::corrupt(Message::new("zip の項目が重なっています", "zip entries overlap")));
    }
    Ok(())
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

#[cfg(test)]
#[path = "tests/package.rs"]
mod tests;
