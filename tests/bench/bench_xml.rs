//! Benchmark (not a test): the project's XML tokenizer (`risksheet::xlsx::xml::Scanner`) against
//! quick-xml's borrowed `Reader` over `&[u8]`, on a large sheet part. Both walk every event,
//! take every tag's byte span (quick-xml: `buffer_position()` before and after the event) and
//! name, and count the tags; the report gives MB/s for each (best of 5).
//!
//! ```text
//! cargo run --release --example bench_xml [-- ROWS | BOOK.xlsx]
//! ```
//!
//! With a number (default 100,000), the sheet is a ledger of that many rows shaped as
//! tests/xlsxgen.py writes it (`write_rows_sheet` in tests/bench/bench_edit.py: 8 cells a row,
//! numbers and inline strings); with a workbook, its first worksheet part.
use quick_xml::events::Event;
use quick_xml::Reader;
use risksheet::xlsx::xml::{Scanner, TokenKind};
use std::io::Read;
use std::time::{Duration, Instant};

/// A sheet part of `rows` ledger rows, as tests/xlsxgen.py writes `write_rows_sheet`'s cells.
fn ledger_sheet(rows: usize) -> String {
    let mut s = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>"#
    ));
    let inline = |s: &mut String, r: String, t: &str| s.push_str(&format!(r#"<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>"#));
    let num = |s: &mut String, r: String, v: String| s.push_str(&format!(r#"<c r="{r}"><v>{v}</v></c>"#));
    for r in 1..=rows {
        s.push_str(&format!(r#"<row r="{r}">"#));
        num(&mut s, format!("A{r}"), r.to_string());
        inline(&mut s, format!("B{r}"), &format!("資産{r}"));
        inline(&mut s, format!("C{r}"), "書類");
        num(&mut s, format!("D{r}"), (r % 3 + 1).to_string());
        num(&mut s, format!("E{r}"), (r % 2 + 1).to_string());
        num(&mut s, format!("F{r}"), "2".into());
        inline(&mut s, format!("G{r}"), "総務部");
        num(&mut s, format!("H{r}"), (r as f64 * 0.5).to_string());
        s.push_str("</row>");
    }
    s.push_str("</sheetData></worksheet>");
    s
}

/// The first worksheet part of a workbook.
fn first_sheet(path: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open the workbook")).expect("a zip");
    let name = (0..zip.len())
        .filter_map(|i| zip.name_for_index(i).and_then(Result::ok).map(|n| n.to_string()))
        .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
        .min()
        .expect("a worksheet part");
    let mut s = String::new();
    zip.by_name(&name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// (tags, sum of spans and name lengths): the work both tokenizers do, so that neither is
/// optimised away and both can be checked to see the same tags.
fn ours(xml: &str) -> (usize, usize) {
    let (mut tags, mut sum) = (0, 0);
    for t in Scanner::new(xml) {
        let t = t.expect("well-formed");
        if matches!(t.kind, TokenKind::Start | TokenKind::Empty | TokenKind::End) {
            tags += 1;
            sum += t.end - t.start + t.name(xml).len();
        }
    }
    (tags, sum)
}

fn quick(xml: &str) -> (usize, usize) {
    let mut reader = Reader::from_reader(xml.as_bytes());
    // As ours: no check that end names match their starts, text kept as it is.
    reader.config_mut().check_end_names = false;
    let (mut tags, mut sum) = (0, 0);
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().expect("well-formed");
        let end = reader.buffer_position() as usize;
        let name = match &event {
            Event::Start(e) | Event::Empty(e) => e.name().as_ref().len(),
            Event::End(e) => e.name().as_ref().len(),
            Event::Eof => break,
            _ => continue,
        };
        tags += 1;
        sum += end - start + name;
    }
    (tags, sum)
}

fn best_of(runs: usize, f: impl Fn() -> (usize, usize)) -> ((usize, usize), Duration) {
    let mut best = Duration::MAX;
    let mut out = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        out = std::hint::black_box(f());
        best = best.min(t.elapsed());
    }
    (out, best)
}

fn main() {
    let arg = std::env::args().nth(1);
    let (xml, what) = match arg.as_deref() {
        Some(p) if p.ends_with(".xlsx") || p.ends_with(".xlsm") => (first_sheet(p), format!("the first sheet of {p}")),
        other => {
            let rows = other.and_then(|a| a.parse().ok()).unwrap_or(100_000);
            (ledger_sheet(rows), format!("a ledger sheet of {rows} rows"))
        }
    };
    let mb = xml.len() as f64 / 1e6;
    println!("tokenizing {what}: {mb:.1} MB, best of 5");
    let (a, ta) = best_of(5, || ours(&xml));
    let (b, tb) = best_of(5, || quick(&xml));
    let rate = |t: Duration| mb / t.as_secs_f64();
    println!("  {:<44} {:>9} tags {:>8.1} ms {:>8.0} MB/s", "risksheet::xlsx::xml::Scanner", a.0, ta.as_secs_f64() * 1e3, rate(ta));
    println!("  {:<44} {:>9} tags {:>8.1} ms {:>8.0} MB/s", "quick_xml::Reader (borrowed, buffer_position)", b.0, tb.as_secs_f64() * 1e3, rate(tb));
    println!("  same tags and spans: {}", a == b);
    println!("  quick-xml time / ours: {:.2}x", tb.as_secs_f64() / ta.as_secs_f64());
}
