use super::*;

fn package_with(part: &str, bytes: &[u8]) -> Package {
    let mut zw = ZipWriter::new(Cursor::new(Vec::new()));
    zw.start_file("[Content_Types].xml", SimpleFileOptions::default()).unwrap();
    zw.write_all(b"<Types/>").unwrap();
    zw.start_file(part, SimpleFileOptions::default()).unwrap();
    zw.write_all(bytes).unwrap();
    let bytes = zw.finish().unwrap().into_inner();
    Package::from_bytes("t.xlsx".as_ref(), bytes, &Limits::default()).unwrap()
}

#[test]
fn split_even_keeps_every_byte_in_order() {
    let pieces: Vec<&[u8]> = vec![b"abc", b"", b"defghij", b"k"];
    for n in 1..=6 {
        let runs = split_even(&pieces, n);
        assert!(runs.len() <= n, "{n}: {runs:?}");
        let joined: Vec<u8> = runs.iter().flatten().flat_map(|p| p.iter().copied()).collect();
        assert_eq!(joined, b"abcdefghijk");
    }
}

#[test]
fn a_large_part_deflated_in_pieces_reads_back_the_same() {
    // Text much like a worksheet, larger than the parallel threshold, with splices.
    let base: String = (1..=150_000).map(|r| format!("<row r=\"{r}\"><c r=\"A{r}\"><v>{}</v></c></row>", r * 7 % 1000)).collect();
    assert!(base.len() > DEFLATE_PIECE);
    let base = std::sync::Arc::new(base);
    let splices = vec![(10, 20, "新しい".to_string()), (base.len() / 2, base.len() / 2 + 5, String::new()), (base.len(), base.len(), "<end/>".into())];
    let content = PartContent::Spliced { base: base.clone(), splices };
    let mut expected = Vec::new();
    content.write_to(&mut expected).unwrap();
    assert_eq!(content.len(), expected.len());

    let mut pkg = package_with("xl/worksheets/sheet1.xml", b"old");
    let mut changes = PartChanges::default();
    changes.replace_with("xl/worksheets/sheet1.xml", content);
    let out = pkg.write_to_vec(&changes).unwrap();
    assert!(out == pkg.write_to_vec(&changes).unwrap(), "the same bytes every time");
    let mut z = ZipArchive::new(Cursor::new(out)).unwrap();
    let mut f = z.by_name("xl/worksheets/sheet1.xml").unwrap();
    assert!(f.compressed_size() < f.size() / 4, "deflated");
    let mut got = Vec::new();
    f.read_to_end(&mut got).unwrap(); // checks the CRC too
    assert!(got == expected, "same bytes");
}

#[test]
fn a_changed_part_is_checked_piece_by_piece_with_or_without_a_byte_order_mark() {
    for bom in [&b""[..], &b"\xEF\xBB\xBF"[..]] {
        let body: String = (0..200_000).map(|r| format!("<row r=\"{r}\"/>")).collect();
        let good = [bom, format!("<sheetData>{body}</sheetData>").as_bytes()].concat();
        let mut pkg = package_with("xl/worksheets/sheet1.xml", &good);
        assert!(pkg.check_xml_part("xl/worksheets/sheet1.xml").is_ok());
        let bad = [bom, format!("<sheetData>{body}</sheetData").as_bytes()].concat();
        let mut pkg = package_with("xl/worksheets/sheet1.xml", &bad);
        assert!(pkg.check_xml_part("xl/worksheets/sheet1.xml").is_err());
    }
}

#[test]
fn open_read_replace_save_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.xlsx");
    let mut zw = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in [("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"), ("xl/other.xml", "<other/>")] {
        zw.start_file(name, SimpleFileOptions::default()).unwrap();
        zw.write_all(text.as_bytes()).unwrap();
    }
    fs::write(&path, zw.finish().unwrap().into_inner()).unwrap();
    let mut pkg = Package::open(&path, &Limits::default()).unwrap();
    assert_eq!(pkg.read_part("xl/workbook.xml").unwrap(), b"<workbook/>");
    let mut changes = PartChanges::default();
    changes.replace("xl/workbook.xml", b"<workbook><sheets/></workbook>".to_vec());
    pkg.save_checked(&path, &changes, &Default::default(), |_| Ok(())).unwrap();
    let mut saved = Package::open(&path, &Limits::default()).unwrap();
    assert_eq!(saved.read_text("xl/workbook.xml").unwrap(), "<workbook><sheets/></workbook>");
    assert_eq!(saved.read_part("xl/other.xml").unwrap(), b"<other/>");
}

#[cfg(unix)]
#[test]
fn a_link_is_followed_to_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("real.xlsx"), b"").unwrap();
    std::os::unix::fs::symlink("real.xlsx", dir.path().join("link.xlsx")).unwrap();
    let real = file::real_target(&dir.path().join("link.xlsx")).unwrap();
    assert_eq!(real.file_name().unwrap(), "real.xlsx");
}
