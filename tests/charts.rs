//! Native charts written in place (issues 16 and 17): `Workbook::add_chart` on a user's workbook
//! that already holds a chart, and `fill` placing its charts on the self check, 集計 and
//! リスク対応集計. Each check reads the saved package as a user's viewer would: the parts exist,
//! parse, are related and typed, nothing of the user's is lost (`xlsx-features --lost`), the
//! user's chart is byte for byte what it was, and a second run changes no byte.
use risksheet::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
use risksheet::xlsx::{Range, SheetCell, Workbook};
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{fixture, ok, run, stderr};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every part of a package, by name.
fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().into_owned(), v)
        })
        .collect()
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(parts.get(name).unwrap_or_else(|| panic!("{name} missing")).clone()).unwrap()
}

/// A part read by an independent XML parser (quick-xml): every element's local name, and the
/// text of each element in document order.
struct Doc {
    elements: Vec<(String, String)>,
}

impl Doc {
    /// Parses `xml`: well formed, end tags matching, every prefix bound to a namespace.
    fn parse(xml: &str) -> Result<Doc, String> {
        use quick_xml::events::Event;
        use quick_xml::name::ResolveResult;
        let mut r = quick_xml::NsReader::from_str(xml);
        let mut elements: Vec<(String, String)> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut roots = 0;
        loop {
            let (ns, ev) = r.read_resolved_event().map_err(|e| e.to_string())?;
            let bound = |name: &str| !name.contains(':') || !matches!(ns, ResolveResult::Unbound | ResolveResult::Unknown(_));
            match ev {
                Event::Start(e) | Event::Empty(e) if !bound(e.name().as_ref()) => return Err(format!("unbound prefix on {:?}", e.name())),
                Event::Start(e) => {
                    roots += usize::from(open.is_empty());
                    open.push(elements.len());
                    elements.push((e.local_name().as_ref().to_string(), String::new()));
                }
                Event::Empty(e) => {
                    roots += usize::from(open.is_empty());
                    elements.push((e.local_name().as_ref().to_string(), String::new()));
                }
                Event::Text(t) => {
                    if let Some(&i) = open.last() {
                        elements[i].1 += &t;
                    }
                }
                Event::GeneralRef(g) => {
                    if let Some(&i) = open.last() {
                        let name = g.to_string();
                        let c = match name.as_str() {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "?",
                        };
                        elements[i].1 += c;
                    }
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if roots != 1 || !open.is_empty() {
            return Err(format!("{roots} root elements"));
        }
        Ok(Doc { elements })
    }

    /// The texts of the elements named `local`, in order.
    fn texts(&self, local: &str) -> Vec<String> {
        self.elements.iter().filter(|e| e.0 == local).map(|e| e.1.clone()).collect()
    }

    fn count(&self, local: &str) -> usize {
        self.elements.iter().filter(|e| e.0 == local).count()
    }
}

/// Parses a part as XML, panicking with the part's name.
fn parse(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> Doc {
    Doc::parse(&text(parts, name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `xlsx-features --lost BEFORE AFTER` passes: no feature of the user's file went down.
fn nothing_lost(before: &Path, after: &Path) {
    let tool = root().join("../shared/tools/xlsx-features");
    let o = Command::new(tool).arg("--lost").arg(before).arg(after).output().expect("xlsx-features");
    assert!(o.status.success(), "lost: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
}

fn demo_spec(name: &str) -> ChartSpec {
    let mut spec =
        ChartSpec::new(ChartKind::Column, name, "区分ごとの件数", DataRef::new("Data", Range::parse("A2:A5").unwrap()), Range::parse("E20:L35").unwrap());
    for col in ["B", "C"] {
        spec.series.push(ChartSeries {
            name: Some(SheetCell::parse(&format!("Data!{col}1")).unwrap()),
            values: DataRef::new("Data", Range::parse(&format!("{col}2:{col}5")).unwrap()),
            colour: None,
        });
    }
    spec
}

#[test]
fn a_chart_joins_the_users_drawing_and_leaves_their_chart_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("with-chart.xlsx");
    let out = dir.path().join("out.xlsx");
    let mut wb = Workbook::open(&src).unwrap();
    wb.add_chart("Data", demo_spec("risksheet:demo")).unwrap();
    wb.save_as(&out, &Default::default()).unwrap();
    nothing_lost(&src, &out);

    let (old, new) = (parts(&src), parts(&out));
    // The user's chart part, its sheet and everything else but the drawing, its rels and the
    // content types are byte for byte the same.
    for (name, bytes) in &old {
        if !["xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels", "[Content_Types].xml"].contains(&name.as_str()) {
            assert_eq!(new.get(name), Some(bytes), "{name} unchanged");
        }
    }
    // The user's anchor is kept as it was; ours follows it.
    let (before, after) = (text(&old, "xl/drawings/drawing1.xml"), text(&new, "xl/drawings/drawing1.xml"));
    let user_anchor = &before[before.find("<xdr:twoCellAnchor").unwrap()..before.find("</xdr:wsDr>").unwrap()];
    assert!(after.contains(user_anchor));
    assert_eq!(after.matches("<xdr:twoCellAnchor").count(), 2, "{after}");
    assert!(after.contains("name=\"risksheet:demo\""));
    parse(&new, "xl/drawings/drawing1.xml");
    // Related and typed.
    let rels = text(&new, "xl/drawings/_rels/drawing1.xml.rels");
    assert!(rels.contains("Target=\"../charts/chart2.xml\""), "{rels}");
    assert!(text(&new, "[Content_Types].xml").contains("PartName=\"/xl/charts/chart2.xml\""));
    // The chart refers to the cells and caches their values.
    let chart = parse(&new, "xl/charts/chart2.xml");
    assert_eq!(chart.texts("f"), ["Data!$B$1", "Data!$A$2:$A$5", "Data!$B$2:$B$5", "Data!$C$1", "Data!$A$2:$A$5", "Data!$C$2:$C$5"]);
    let values = chart.texts("v");
    for v in ["2023", "機密性", "重要度", "3", "7", "2", "5", "2024", "6"] {
        assert!(values.iter().any(|x| x == v), "{v} cached: {values:?}");
    }
    assert_eq!(chart.count("barChart"), 1);

    // Again: no byte changes.
    let mut again = Workbook::open(&out).unwrap();
    again.add_chart("Data", demo_spec("risksheet:demo")).unwrap();
    let report = again.save().unwrap();
    assert!(report.parts_changed.is_empty(), "{:?}", report.parts_changed);
    assert_eq!(parts(&out), new);

    // A changed value replaces our chart where it is, the user's still untouched.
    let mut edited = Workbook::open(&out).unwrap();
    edited.set_value("Data", risksheet::xlsx::CellRef::parse("B2").unwrap(), 9.0.into()).unwrap();
    edited.add_chart("Data", demo_spec("risksheet:demo")).unwrap();
    edited.save().unwrap();
    let third = parts(&out);
    assert_eq!(third["xl/charts/chart1.xml"], old["xl/charts/chart1.xml"]);
    assert!(!third.contains_key("xl/charts/chart3.xml"));
    assert!(text(&third, "xl/charts/chart2.xml").contains("<c:v>9</c:v>"));
    assert_eq!(text(&third, "xl/drawings/drawing1.xml").matches("twoCellAnchor editAs").count(), 2);
}

#[test]
fn odd_charts_are_refused_with_a_reason() {
    let src = fixture("with-chart.xlsx");
    let mut wb = Workbook::open(&src).unwrap();
    let mut two_d = demo_spec("x");
    two_d.categories = DataRef::new("Data", Range::parse("A2:B5").unwrap());
    let mut short = demo_spec("x");
    short.series[0].values = DataRef::new("Data", Range::parse("B2:B3").unwrap());
    let mut no_series = demo_spec("x");
    no_series.series.clear();
    let mut elsewhere = demo_spec("x");
    elsewhere.series[1].values = DataRef::new("Nowhere", Range::parse("B2:B5").unwrap());
    for (spec, says) in [(two_d, "one row or one column"), (short, "B2:B3"), (no_series, "series"), (demo_spec(" "), "name"), (elsewhere, "Nowhere")] {
        let e = wb.add_chart("Data", spec).unwrap_err();
        let shown = e.display(risksheet::lang::Lang::En).to_string();
        assert!(shown.contains(says) && shown.contains("with-chart.xlsx"), "{shown}");
    }
    assert!(wb.add_chart("NoSuchSheet", demo_spec("x")).is_err());
    assert!(!wb.is_modified());
}

/// Where a named chart of ours is in a saved package: the tab it is on, the sheet part's text,
/// the relationship id of the sheet's drawing, and the chart part's name.
struct Placed {
    tab: String,
    sheet_xml: String,
    drawing_rid: String,
    chart_part: String,
}

/// Follows workbook → sheet → drawing → chart to the chart named `name`, checking every link
/// and content type on the way.
fn find_chart(p: &BTreeMap<String, Vec<u8>>, name: &str) -> Placed {
    let rel_targets = |rels: &str| -> Vec<(String, String, String)> {
        Doc::parse(rels).unwrap();
        let mut out = Vec::new();
        for tag in rels.split("<Relationship ").skip(1) {
            let get = |a: &str| tag.split(&format!("{a}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
            out.push((get("Id"), get("Type"), get("Target")));
        }
        out
    };
    let ct = text(p, "[Content_Types].xml");
    let typed = |part: &str, kind: &str| assert!(ct.contains(&format!("PartName=\"/{part}\" ContentType=\"{kind}\"")), "{part} typed {kind}");
    let wb = text(p, "xl/workbook.xml");
    let wb_rels = rel_targets(&text(p, "xl/_rels/workbook.xml.rels"));
    let mut found = Vec::new();
    for tag in wb.split("<sheet ").skip(1) {
        let get = |a: &str| tag.split(&format!("{a}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or_default().to_string();
        let (tab, rid) = (get("name"), get("r:id"));
        let Some(target) = wb_rels.iter().find(|r| r.0 == rid).map(|r| r.2.clone()) else { continue };
        let sheet_part = format!("xl/{}", target.trim_start_matches("/xl/"));
        let sheet_rels = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels";
        let Some(rels) = p.get(&sheet_rels) else { continue };
        for (drid, kind, dtarget) in rel_targets(std::str::from_utf8(rels).unwrap()) {
            if !kind.ends_with("/drawing") {
                continue;
            }
            let drawing = format!("xl/{}", dtarget.trim_start_matches("../"));
            typed(&drawing, "application/vnd.openxmlformats-officedocument.drawing+xml");
            let dxml = text(p, &drawing);
            Doc::parse(&dxml).unwrap_or_else(|e| panic!("{drawing}: {e}"));
            let Some(at) = dxml.find(&format!("name=\"{name}\"")) else { continue };
            let crid = dxml[at..].split("r:id=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
            let drels = rel_targets(&text(p, &format!("{}.rels", drawing.replace("drawings/", "drawings/_rels/"))));
            let chart = drels.iter().find(|r| r.0 == crid && r.1.ends_with("/chart")).map(|r| format!("xl/{}", r.2.trim_start_matches("../"))).unwrap();
            typed(&chart, "application/vnd.openxmlformats-officedocument.drawingml.chart+xml");
            found.push(Placed { tab: tab.clone(), sheet_xml: text(p, &sheet_part), drawing_rid: drid.clone(), chart_part: chart });
        }
    }
    assert_eq!(found.len(), 1, "one chart named {name}");
    found.pop().unwrap()
}

/// The sheet holds `<drawing r:id>` once, where the schema puts it: after the page setup and
/// before the parts that follow it.
fn drawing_in_order(sheet_xml: &str, rid: &str) {
    let at = sheet_xml.find(&format!("<drawing r:id=\"{rid}\"/>")).unwrap_or_else(|| panic!("<drawing r:id=\"{rid}\"/> in the sheet"));
    assert_eq!(sheet_xml.matches("<drawing ").count(), 1);
    for before in ["<sheetData", "<pageMargins", "<pageSetup", "<headerFooter", "<dataValidations", "<conditionalFormatting"] {
        if let Some(i) = sheet_xml.find(before) {
            assert!(i < at, "{before} before <drawing>");
        }
    }
    for after in ["<legacyDrawing", "<tableParts", "<extLst"] {
        if let Some(i) = sheet_xml.find(after) {
            assert!(i > at, "{after} after <drawing>");
        }
    }
    Doc::parse(sheet_xml).unwrap();
}

/// `fill -o OUT` on `input`; checks nothing is lost and a second `fill` of OUT changes no byte.
fn fill_twice(input: &Path, dir: &Path) -> (PathBuf, BTreeMap<String, Vec<u8>>) {
    let out = dir.join("filled.xlsx");
    let o = run(&["fill", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    nothing_lost(input, &out);
    let first = parts(&out);
    let again = dir.join("again.xlsx");
    fs::copy(&out, &again).unwrap();
    let o = run(&["fill", again.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    assert_eq!(fs::read(&again).unwrap(), fs::read(&out).unwrap(), "a second fill changes no byte");
    (out, first)
}

/// The cached values of the cells a chart refers to, as `get --json` reads them.
fn cell_values(book: &Path, sheet: &str, cells: &[String]) -> Vec<String> {
    let mut args = vec!["get".to_string(), book.to_str().unwrap().to_string()];
    args.extend(cells.iter().map(|c| format!("'{sheet}'!{c}")));
    args.push("--json".into());
    let v: serde_json::Value = serde_json::from_str(&ok(&args.iter().map(String::as_str).collect::<Vec<_>>())).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| match &c[1]["value"] {
            serde_json::Value::Number(n) => risksheet::xlsx::value::format_number(n.as_f64().unwrap()),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// The chart's series formulas and its cached points, checked against the cells.
fn chart_matches_cells(book: &Path, p: &BTreeMap<String, Vec<u8>>, placed: &Placed, kind: &str) {
    let chart = parse(p, &placed.chart_part);
    assert_eq!(chart.count(kind), 1, "a {kind}");
    let xml = text(p, &placed.chart_part);
    // Each reference's cache holds what the cells hold (blank and text cells are gaps).
    for (f, cache) in xml.split("<c:f>").skip(1).map(|s| (s.split("</c:f>").next().unwrap(), s.split("</c:f>").nth(1).unwrap())) {
        let (sheet, range) = f.rsplit_once('!').unwrap();
        let sheet = sheet.trim_matches('\'');
        assert_eq!(sheet, placed.tab, "{f} on the chart's sheet");
        let range = Range::parse(&range.replace('$', "")).unwrap();
        let cells: Vec<String> = (range.start.row..=range.end.row)
            .flat_map(|r| (range.start.col..=range.end.col).map(move |c| risksheet::xlsx::CellRef::new(r, c).to_string()))
            .collect();
        let want = cell_values(book, sheet, &cells);
        let cache = &cache[..cache.find("</c:strCache>").or_else(|| cache.find("</c:numCache>")).unwrap()];
        let mut got = vec![String::new(); cells.len()];
        for pt in cache.split("<c:pt idx=\"").skip(1) {
            let i: usize = pt.split('"').next().unwrap().parse().unwrap();
            got[i] = pt.split("<c:v>").nth(1).unwrap().split("</c:v>").next().unwrap().to_string();
        }
        let numeric = cache.contains("numCache");
        let want: Vec<String> = want.into_iter().map(|w| if numeric && w.parse::<f64>().is_err() { String::new() } else { w }).collect();
        assert_eq!(got, want, "{f}");
    }
}

#[test]
fn fill_puts_the_rate_chart_on_the_summary_of_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("workbooks/example-ipa-3.xlsx");
    let (out, p) = fill_twice(&src, dir.path());
    let placed = find_chart(&p, risksheet::ops::ipa::fill::RATE_CHART);
    assert_eq!(placed.tab, "集計");
    drawing_in_order(&placed.sheet_xml, &placed.drawing_rid);
    chart_matches_cells(&out, &p, &placed, "barChart");
    let xml = text(&p, &placed.chart_part);
    assert!(xml.contains("<a:t>対策の種類ごとの実施率</a:t>") && xml.contains("formatCode=\"0%\""));
    // 11 areas; システム開発及び保守 (8th, 該当なし) is a gap, a rate of 0 % a bar.
    let values = &xml[xml.find("<c:numCache>").unwrap()..];
    assert!(values.contains("<c:ptCount val=\"11\"/>") && values.contains("<c:v>0</c:v>"), "{values}");
    assert!(!values.contains("<c:pt idx=\"7\">") && xml.contains("<c:v>システム開発及び保守</c:v>"));
}

#[test]
fn fill_puts_the_score_chart_below_the_self_check_result() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sc.xlsx");
    ok(&["new", book.to_str().unwrap(), "--edition", "self-check"]);
    let mut args = vec!["edit".to_string(), book.to_str().unwrap().to_string()];
    for (n, a) in [(1, "実施している"), (2, "一部実施している"), (7, "実施している"), (20, "分からない")] {
        args.extend(["--set".to_string(), format!("自社診断!D{}={a}", n + 4)]);
    }
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let (out, p) = fill_twice(&book, dir.path());
    let placed = find_chart(&p, risksheet::ops::self_check::CHART_NAME);
    assert_eq!(placed.tab, "自社診断");
    drawing_in_order(&placed.sheet_xml, &placed.drawing_rid);
    chart_matches_cells(&out, &p, &placed, "barChart");
    let xml = text(&p, &placed.chart_part);
    // 4 + 2 in part 1, 4 in part 2, −1 in part 3; full marks 20, 52, 28.
    for v in ["<c:v>6</c:v>", "<c:v>4</c:v>", "<c:v>-1</c:v>", "<c:v>52</c:v>", "<c:v>基本的対策</c:v>"] {
        assert!(xml.contains(v), "{v}");
    }
}

#[test]
fn fill_puts_the_priority_chart_on_the_register_summary() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("register/lv3-register.xlsx");
    let (out, p) = fill_twice(&src, dir.path());
    let placed = find_chart(&p, risksheet::ops::register::fill::CHART_NAME);
    assert_eq!(placed.tab, "リスク対応集計");
    drawing_in_order(&placed.sheet_xml, &placed.drawing_rid);
    chart_matches_cells(&out, &p, &placed, "barChart");
    let xml = text(&p, &placed.chart_part);
    assert!(xml.contains("<c:barDir val=\"col\"/>") && xml.contains("<c:v>一次評価</c:v>") && xml.contains("<c:v>二次評価</c:v>"));
}

#[test]
fn a_self_check_added_to_a_workbook_with_a_chart_keeps_the_users_chart() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("with-chart.xlsx");
    let book = dir.path().join("book.xlsx");
    fs::copy(&src, &book).unwrap();
    ok(&["new", "--add-to", book.to_str().unwrap(), "--edition", "self-check"]);
    let (_, p) = fill_twice(&book, dir.path());
    nothing_lost(&src, &dir.path().join("filled.xlsx"));
    let old = parts(&src);
    for part in ["xl/charts/chart1.xml", "xl/drawings/drawing1.xml", "xl/drawings/_rels/drawing1.xml.rels", "xl/worksheets/sheet1.xml"] {
        assert_eq!(p[part], old[part], "{part} untouched");
    }
    let placed = find_chart(&p, risksheet::ops::self_check::CHART_NAME);
    assert_eq!((placed.tab.as_str(), placed.chart_part.as_str()), ("自社診断", "xl/charts/chart2.xml"));
}

#[test]
fn a_sheet_whose_drawing_is_missing_is_refused_not_guessed() {
    // The sheet says <drawing r:id="rId1"/>, but its relationships part is gone.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.xlsx");
    let mut w = zip::ZipWriter::new(fs::File::create(&broken).unwrap());
    for (name, bytes) in parts(&fixture("with-chart.xlsx")) {
        if name != "xl/worksheets/_rels/sheet1.xml.rels" {
            w.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut w, &bytes).unwrap();
        }
    }
    w.finish().unwrap();
    let before = fs::read(&broken).unwrap();
    let mut wb = Workbook::open(&broken).unwrap();
    wb.add_chart("Data", demo_spec("risksheet:demo")).unwrap();
    let e = wb.save().unwrap_err().display(risksheet::lang::Lang::En).to_string();
    assert!(e.contains("broken.xlsx") && e.contains("Data") && e.contains("drawing part (rId1) is missing"), "{e}");
    assert_eq!(fs::read(&broken).unwrap(), before, "the file is untouched");
}

#[test]
fn charts_of_every_kind_sit_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let mut wb = Workbook::open(fixture("with-chart.xlsx")).unwrap();
    for (kind, name) in [(ChartKind::Bar, "risksheet:bar"), (ChartKind::Column, "risksheet:column"), (ChartKind::Radar, "risksheet:radar")] {
        let mut spec = demo_spec(name);
        spec.kind = kind;
        spec.number_format = Some("0.0".into());
        (spec.min, spec.max, spec.data_labels) = (Some(0.0), Some(10.0), true);
        spec.series[1].colour = Some("70AD47".into());
        wb.add_chart("Data", spec).unwrap();
    }
    wb.save_as(&out, &Default::default()).unwrap();
    nothing_lost(&fixture("with-chart.xlsx"), &out);
    let p = parts(&out);
    assert_eq!(text(&p, "xl/drawings/drawing1.xml").matches("twoCellAnchor editAs").count(), 4);
    for (n, kind) in [(2, "barChart"), (3, "barChart"), (4, "radarChart")] {
        let chart = parse(&p, &format!("xl/charts/chart{n}.xml"));
        assert_eq!(chart.count(kind), 1, "chart{n}");
        let xml = text(&p, &format!("xl/charts/chart{n}.xml"));
        assert!(xml.contains("<c:max val=\"10\"/>") && xml.contains("formatCode=\"0.0\"") && xml.contains("70AD47"));
    }
    // Shape ids stay unique.
    let drawing = text(&p, "xl/drawings/drawing1.xml");
    let mut ids: Vec<&str> = drawing.split("cNvPr id=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}
