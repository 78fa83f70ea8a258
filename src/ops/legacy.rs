//! Guards around the legacy reader (calamine, for `.xls`, `.ods` and `.xlsb`), so that a
//! hostile or damaged file is one failed file with a clear message, never a panic, an abort or
//! gigabytes of memory.
//!
//! calamine builds every sheet as a dense rectangle (`Range::from_sparse`, and the `.ods`
//! row/column repeats) and reserves what a `.xls` DIMENSIONS record declares; an allocation
//! that fails aborts the process, which no `catch_unwind` can stop. So before calamine sees the
//! bytes, [`check`] measures what it would build:
//!
//! - the file itself is at most [`MAX_FILE`] bytes;
//! - `.xls`: the Workbook stream is read out of the compound file and its records walked as
//!   calamine walks them; every sheet's declared dimensions and the box spanned by its cells
//!   must hold at most [`MAX_CELLS`] cells (summed over the sheets);
//! - `.ods`: `content.xml` is inflated up to [`MAX_XML`] bytes and the rows and columns
//!   repeated around non-empty cells (`number-rows-repeated`, `number-columns-repeated`) are
//!   counted the same way.
//!
//! Then calamine runs behind [`crate::error::catch_panic`]: a panic inside it (an index out of
//! range on a mutated record) becomes an error naming the file. Internal: used by
//! [`convert`](crate::ops::convert).
use crate::error::{Error, Message, Result};
use crate::xlsx::xml::{attr, Scanner, TokenKind};
use crate::xlsx::XlsxError;
use std::io::Read;
use std::path::Path;

/// Largest legacy file read, in bytes (calamine holds the whole file in memory).
pub const MAX_FILE: u64 = 256 << 20;
/// Most cells calamine may build for one workbook (the dense box of each sheet, empty cells
/// included, summed over the sheets). A full `.xls` sheet (65,536 × 256) is 16.7 M cells;
/// risk workbooks hold a few thousand.
pub const MAX_CELLS: u64 = 4_000_000;
/// Largest `content.xml` of an `.ods` read, inflated, in bytes.
pub const MAX_XML: u64 = 128 << 20;

fn damaged(path: &Path, why: impl Into<Message>) -> Error {
    Error::from(XlsxError::Corrupt(why.into())).in_file(path)
}

fn too_many_cells(path: &Path, cells: u64) -> Error {
    let msg = Message::new(
        format!("シートの範囲が大きすぎます（{cells} セル。上限は {MAX_CELLS} セル）"),
        format!("the sheets span too many cells ({cells}; the limit is {MAX_CELLS})"),
    );
    damaged(path, msg)
}

/// Checks that calamine can read `bytes` (the content of `path`, a `.xls`, `.ods` or `.xlsb`)
/// within the limits of this module; see the module documentation.
pub fn check(path: &Path, bytes: &[u8]) -> Result<()> {
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::from(XlsxError::PartTooLarge { part: "(file)".into(), limit: MAX_FILE }).in_file(path));
    }
    if bytes.starts_with(&crate::xlsx::package::OLE_MAGIC[..4]) {
        let stream = workbook_stream(bytes).map_err(|why| damaged(path, why))?;
        let cells = xls_cells(&stream);
        if cells > MAX_CELLS {
            return Err(too_many_cells(path, cells));
        }
        return Ok(());
    }
    if bytes.starts_with(b"PK") {
        let is_ods = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ods"));
        if is_ods {
            let cells = ods_cells(bytes).map_err(|why| damaged(path, why))?;
            if cells > MAX_CELLS {
                return Err(too_many_cells(path, cells));
            }
        }
        return Ok(());
    }
    Err(damaged(path, Message::new("Excel・OpenDocument のブックではありません", "not an Excel or OpenDocument workbook")))
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

/// The `Workbook` (or `Book`) stream of a compound file, read as calamine reads it: streams
/// under 4,096 bytes from the mini stream, others from the regular sectors. Every chain is
/// bounded by the number of sectors the file holds.
fn workbook_stream(file: &[u8]) -> std::result::Result<Vec<u8>, String> {
    const END: u32 = 0xFFFF_FFFA; // ids from here up are markers, not sectors
    let bad = |what: &str| format!("compound file: {what}");
    let shift = u16_at(file, 0x1E).ok_or_else(|| bad("header"))?;
    if !(7..=16).contains(&shift) {
        return Err(bad("sector size"));
    }
    let size = 1usize << shift;
    let sectors = file.len().saturating_sub(512) / size + 1;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        file.get(start..start.checked_add(size)?.min(file.len())).filter(|s| !s.is_empty())
    };
    // The FAT: sector ids from the header's DIFAT, then from the DIFAT chain.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(file, 0x4C + 4 * i)).collect();
    let mut next = u32_at(file, 0x44).ok_or_else(|| bad("header"))?;
    let mut hops = 0;
    while next < END {
        hops += 1;
        if hops > sectors {
            return Err(bad("DIFAT chain loops"));
        }
        let s = sector(next).ok_or_else(|| bad("DIFAT sector past the end"))?;
        let ids: Vec<u32> = (0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)).collect();
        let Some((last, rest)) = ids.split_last() else { break };
        difat.extend_from_slice(rest);
        next = *last;
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|id| *id < END).take(sectors) {
        let s = sector(id).ok_or_else(|| bad("FAT sector past the end"))?;
        fat.extend((0..s.len() / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |start: u32, table: &[u32], get: &dyn Fn(u32) -> Option<Vec<u8>>, len: usize| -> std::result::Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id < END && out.len() < len {
            hops += 1;
            if hops > table.len() + 1 {
                return Err(bad("sector chain loops"));
            }
            out.extend_from_slice(&get(id).ok_or_else(|| bad("sector past the end"))?);
            id = *table.get(id as usize).ok_or_else(|| bad("sector not in the FAT"))?;
        }
        out.truncate(len);
        Ok(out)
    };
    let regular = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dir_start = u32_at(file, 0x30).ok_or_else(|| bad("header"))?;
    let dirs = chain(dir_start, &fat, &regular, usize::MAX)?;
    let entries: Vec<&[u8]> = dirs.chunks_exact(128).collect();
    let root = entries.first().ok_or_else(|| bad("no root directory"))?;
    let name_of = |e: &[u8]| -> String {
        let n = (u16_at(e, 64).unwrap_or(0) as usize).min(64);
        let units: Vec<u16> = (0..n / 2).filter_map(|i| u16_at(e, 2 * i)).take_while(|u| *u != 0).collect();
        String::from_utf16_lossy(&units)
    };
    let len_of = |e: &[u8]| u32_at(e, 120).unwrap_or(0) as usize;
    let entry =
        ["Workbook", "Book"].iter().find_map(|want| entries.iter().find(|e| name_of(e).eq_ignore_ascii_case(want))).ok_or_else(|| bad("no Workbook stream"))?;
    let (start, len) = (u32_at(entry, 116).unwrap_or(END), len_of(entry));
    if len >= 4096 {
        return chain(start, &fat, &regular, len.min(file.len()));
    }
    let mini_stream = chain(u32_at(root, 116).unwrap_or(END), &fat, &regular, len_of(root).min(file.len()))?;
    let minifat_bytes = chain(u32_at(file, 0x3C).unwrap_or(END), &fat, &regular, file.len())?;
    let minifat: Vec<u32> = (0..minifat_bytes.len() / 4).filter_map(|i| u32_at(&minifat_bytes, 4 * i)).collect();
    let mini = |id: u32| {
        let s = (id as usize).checked_mul(64)?;
        mini_stream.get(s..s.checked_add(64)?.min(mini_stream.len())).filter(|s| !s.is_empty()).map(<[u8]>::to_vec)
    };
    chain(start, &minifat, &mini, len)
}

/// The BIFF records of a stream from `pos` on: (type, data), as calamine splits them.
fn records(stream: &[u8], pos: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream.get(pos..).unwrap_or(&[]);
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// The cells calamine would build for the sheets of a `.xls` Workbook stream: for each sheet
/// (found by its BOUNDSHEET offset), the larger of its declared dimensions and the box spanned by
/// its cell records; saturating.
fn xls_cells(stream: &[u8]) -> u64 {
    let starts: Vec<usize> = records(stream, 0).filter(|(t, _)| *t == 0x0085).filter_map(|(_, d)| u32_at(d, 0)).map(|p| p as usize).collect();
    let mut total = 0u64;
    for pos in starts {
        let (mut rows, mut cols) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
        let mut declared = 0u64;
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (typ, d) in records(stream, pos) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = |first: u32, last: u32, rows: &mut (u32, u32), cols: &mut (u32, u32)| {
                if let Some(r) = u16_at(d, 0) {
                    rows.0 = rows.0.min(r as u32);
                    rows.1 = rows.1.max(r as u32);
                    cols.0 = cols.0.min(first);
                    cols.1 = cols.1.max(last);
                }
            };
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => declared = declared.max(dimensions(d)),
                0x0006 | 0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
                    if let Some(c) = u16_at(d, 2) {
                        cell(c as u32, c as u32, &mut rows, &mut cols);
                    }
                }
                0x00BD => {
                    // MulRk: row, first column, 6-byte entries, last column.
                    if let Some(c) = u16_at(d, 2) {
                        let n = (d.len().saturating_sub(6) / 6) as u32;
                        cell(c as u32, c as u32 + n, &mut rows, &mut cols);
                    }
                }
                _ => {}
            }
        }
        let boxed = if rows.0 <= rows.1 { (rows.1 - rows.0 + 1) as u64 * (cols.1.saturating_sub(cols.0) + 1) as u64 } else { 0 };
        // Values and formulas are two ranges of the same box.
        total = total.saturating_add(declared.max(boxed).saturating_mul(2));
    }
    total
}

/// The cells a DIMENSIONS record makes calamine reserve; `u64::MAX` for one that would wrap.
fn dimensions(d: &[u8]) -> u64 {
    let (rf, rl, cf, cl) = match d.len() {
        10 => (u16_at(d, 0).map(u32::from), u16_at(d, 2).map(u32::from), u16_at(d, 4).map(u32::from), u16_at(d, 6).map(u32::from)),
        14 | 16 => (u32_at(d, 0), u32_at(d, 4), u16_at(d, 8).map(u32::from), u16_at(d, 10).map(u32::from)),
        _ => return 0,
    };
    let (Some(rf), Some(rl), Some(c0), Some(cl)) = (rf, rl, cf, cl) else { return 0 };
    let cf = if c0 > 0xFF || cl < c0 { 0 } else { c0 };
    if rl < 1 || cl < 1 {
        return 1;
    }
    if rl - 1 < rf || cl - 1 < cf {
        return u64::MAX;
    }
    (rl - rf) as u64 * (cl - cf) as u64
}

/// The cells calamine would build for the tables of an `.ods`: per table, the rows spanned by
/// non-empty cells (repeats expanded, at most 1,048,576) times the columns they span (at most
/// 16,384); summed over the tables, times two (values and formulas).
fn ods_cells(bytes: &[u8]) -> std::result::Result<u64, String> {
    const MAX_ROWS: u64 = 1_048_576;
    const MAX_COLS: u64 = 16_384;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut file = zip.by_name("content.xml").map_err(|e| format!("content.xml: {e}"))?;
    let mut xml = Vec::new();
    (&mut file).take(MAX_XML + 1).read_to_end(&mut xml).map_err(|e| format!("content.xml: {e}"))?;
    if xml.len() as u64 > MAX_XML {
        return Err(format!("content.xml: over {MAX_XML} bytes uncompressed"));
    }
    let xml = String::from_utf8_lossy(&xml);
    let repeat = |tag: &str, name: &str| attr(tag, name).map_or(1, |v| v.trim().parse::<u64>().unwrap_or(u64::MAX));
    let mut total = 0u64;
    // Per table: rows so far, the span of rows and columns holding something.
    let (mut rows, mut row_span, mut col_span) = (0u64, (u64::MAX, 0u64), (u64::MAX, 0u64));
    // Per row: its repeat, columns so far, the columns holding something.
    let (mut row_repeat, mut col, mut in_row) = (1u64, 0u64, (u64::MAX, 0u64));
    for token in Scanner::new(&xml) {
        let t = token?;
        let (name, tag) = (t.name(&xml), t.text(&xml));
        match (t.kind, name) {
            (TokenKind::Start, "table:table") => (rows, row_span, col_span) = (0, (u64::MAX, 0), (u64::MAX, 0)),
            (TokenKind::End, "table:table") if row_span.0 <= row_span.1 => {
                let cells = (row_span.1 - row_span.0 + 1).saturating_mul(col_span.1 - col_span.0 + 1);
                total = total.saturating_add(cells.saturating_mul(2));
            }
            (TokenKind::Start | TokenKind::Empty, "table:table-row") => {
                row_repeat = repeat(tag, "table:number-rows-repeated").min(MAX_ROWS - rows.min(MAX_ROWS));
                (col, in_row) = (0, (u64::MAX, 0));
                if t.kind == TokenKind::Empty {
                    rows += row_repeat;
                }
            }
            (TokenKind::End, "table:table-row") => {
                if in_row.0 <= in_row.1 && row_repeat > 0 {
                    row_span = (row_span.0.min(rows), row_span.1.max(rows + row_repeat - 1));
                    col_span = (col_span.0.min(in_row.0), col_span.1.max(in_row.1));
                }
                rows += row_repeat;
            }
            (TokenKind::Start | TokenKind::Empty, "table:table-cell" | "table:covered-table-cell") => {
                let n = repeat(tag, "table:number-columns-repeated").min(MAX_COLS - col.min(MAX_COLS));
                let filled = t.kind == TokenKind::Start || attr(tag, "office:value-type").is_some() || attr(tag, "table:formula").is_some();
                if filled && n > 0 {
                    in_row = (in_row.0.min(col), in_row.1.max(col + n - 1));
                }
                col += n;
            }
            _ => {}
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("junk.xls");
        std::fs::write(&junk, b"not a compound file").unwrap();
        let e = check(&junk, &std::fs::read(&junk).unwrap()).unwrap_err();
        assert!(e.to_string().contains("junk.xls"));
    }

    #[test]
    fn dimensions_that_wrap_are_refused() {
        let mut d = Vec::new();
        for v in [5u32, 3] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&[0, 0, 4, 0, 0, 0]);
        assert_eq!(dimensions(&d), u64::MAX);
        let mut ok = Vec::new();
        for v in [0u32, 10] {
            ok.extend_from_slice(&v.to_le_bytes());
        }
        ok.extend_from_slice(&[0, 0, 4, 0, 0, 0]);
        assert_eq!(dimensions(&ok), 40);
    }

    #[test]
    fn ods_repeats_are_counted() {
        let content = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="a">
            <table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zw = zip::ZipWriter::new(&mut buf);
        zw.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut zw, content.as_bytes()).unwrap();
        zw.finish().unwrap();
        assert_eq!(ods_cells(buf.get_ref()).unwrap(), 2 * 1_000_000 * 16_384);
    }
}
