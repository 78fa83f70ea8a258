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
