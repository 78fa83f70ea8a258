//! The styles part of the template: a small fixed set of cell formats (indexes are the
//! `STYLE_*` constants of the parent module) and the differential formats of the risk colours.
use super::{
    STYLE_BODY, STYLE_BODY_CENTER, STYLE_BODY_WRAP, STYLE_BOLD, STYLE_COMPUTED,
    STYLE_COMPUTED_WRAP, STYLE_DATE, STYLE_DEFAULT, STYLE_HEADER, STYLE_HEADER_COMPUTED,
    STYLE_NOTE, STYLE_PERCENT, STYLE_TITLE,
};
use crate::error::Lang;
use crate::xlsx::conditional::Highlight;
use crate::xlsx::xml::escape;

/// Number format id of 「0.0%」.
const FMT_PERCENT: u32 = 164;
/// Number format id of 「yyyy/mm/dd」.
const FMT_DATE: u32 = 165;

/// The look of the three risk levels, highest first: red, yellow, green (Excel's own
/// 「濃い赤の文字、明るい赤の背景」 family of presets).
pub(crate) fn level_highlights() -> [Highlight; 3] {
    [
        Highlight {
            font_rgb: Some("FF9C0006".into()),
            fill_rgb: Some("FFFFC7CE".into()),
            bold: true,
        },
        Highlight {
            font_rgb: Some("FF9C5700".into()),
            fill_rgb: Some("FFFFEB9C".into()),
            bold: false,
        },
        Highlight {
            font_rgb: Some("FF006100".into()),
            fill_rgb: Some("FFC6EFCE".into()),
            bold: false,
        },
    ]
}

/// One `<xf>`: font, fill, border, number format, alignment.
struct Xf {
    font: u32,
    fill: u32,
    border: u32,
    num_fmt: u32,
    /// (horizontal, vertical, wrap)
    align: Option<(&'static str, &'static str, bool)>,
}

/// The cell formats, in the order of the `STYLE_*` constants.
fn cell_xfs() -> Vec<(u32, Xf)> {
    let xf = |font, fill, border, num_fmt, align| Xf {
        font,
        fill,
        border,
        num_fmt,
        align,
    };
    vec![
        (STYLE_DEFAULT, xf(0, 0, 0, 0, None)),
        (STYLE_TITLE, xf(2, 0, 0, 0, Some(("left", "center", false)))),
        (
            STYLE_HEADER,
            xf(1, 2, 1, 0, Some(("center", "center", true))),
        ),
        (
            STYLE_HEADER_COMPUTED,
            xf(1, 3, 1, 0, Some(("center", "center", true))),
        ),
        (
            STYLE_BODY,
            xf(0, 0, 1, 0, Some(("general", "center", false))),
        ),
        (
            STYLE_BODY_WRAP,
            xf(0, 0, 1, 0, Some(("left", "center", true))),
        ),
        (
            STYLE_BODY_CENTER,
            xf(0, 0, 1, 0, Some(("center", "center", false))),
        ),
        (
            STYLE_PERCENT,
            xf(0, 4, 1, FMT_PERCENT, Some(("center", "center", false))),
        ),
        (
            STYLE_DATE,
            xf(0, 0, 1, FMT_DATE, Some(("center", "center", false))),
        ),
        (
            STYLE_COMPUTED,
            xf(0, 4, 1, 0, Some(("center", "center", false))),
        ),
        (
            STYLE_COMPUTED_WRAP,
            xf(0, 4, 1, 0, Some(("center", "center", true))),
        ),
        (STYLE_NOTE, xf(3, 0, 0, 0, Some(("left", "top", true)))),
        (STYLE_BOLD, xf(1, 0, 0, 0, Some(("left", "center", false)))),
    ]
}

/// The styles part.
pub(crate) fn styles_xml(lang: Lang) -> String {
    // A Japanese font for Japanese sheets; Excel and LibreOffice substitute when it is missing.
    let (font, family, charset) = match lang {
        Lang::Ja => ("游ゴシック", 3, "<charset val=\"128\"/>"),
        Lang::En => ("Calibri", 2, ""),
    };
    let font_xml = |size: u32, bold: bool, color: Option<&str>| {
        format!(
            "<font>{}<sz val=\"{size}\"/>{}<name val=\"{}\"/><family val=\"{family}\"/>{charset}</font>",
            if bold { "<b/>" } else { "" },
            color.map(|c| format!("<color rgb=\"{c}\"/>")).unwrap_or_default(),
            escape(font)
        )
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    s.push_str("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    s.push_str(&format!(
        "<numFmts count=\"2\"><numFmt numFmtId=\"{FMT_PERCENT}\" formatCode=\"0.0%\"/>\
         <numFmt numFmtId=\"{FMT_DATE}\" formatCode=\"yyyy/mm/dd\"/></numFmts>"
    ));
    let fonts = [
        font_xml(11, false, None),
        font_xml(11, true, None),
        font_xml(16, true, None),
        font_xml(10, false, Some("FF404040")),
    ];
    s.push_str(&format!(
        "<fonts count=\"{}\">{}</fonts>",
        fonts.len(),
        fonts.concat()
    ));
    let solid = |rgb: &str| {
        format!("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{rgb}\"/><bgColor indexed=\"64\"/></patternFill></fill>")
    };
    let fills = [
        "<fill><patternFill patternType=\"none\"/></fill>".to_string(),
        "<fill><patternFill patternType=\"gray125\"/></fill>".to_string(),
        solid("FFDDEBF7"), // input headers: light blue
        solid("FFE7E6E6"), // computed headers: grey
        solid("FFF2F2F2"), // computed cells: light grey
    ];
    s.push_str(&format!(
        "<fills count=\"{}\">{}</fills>",
        fills.len(),
        fills.concat()
    ));
    let side = |n: &str| format!("<{n} style=\"thin\"><color rgb=\"FF808080\"/></{n}>");
    s.push_str(&format!(
        "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>\
         <border>{}{}{}{}<diagonal/></border></borders>",
        side("left"),
        side("right"),
        side("top"),
        side("bottom")
    ));
    s.push_str("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
    let xfs = cell_xfs();
    s.push_str(&format!("<cellXfs count=\"{}\">", xfs.len()));
    for (_, x) in &xfs {
        s.push_str(&format!(
            "<xf numFmtId=\"{}\" fontId=\"{}\" fillId=\"{}\" borderId=\"{}\" xfId=\"0\"",
            x.num_fmt, x.font, x.fill, x.border
        ));
        for (flag, on) in [
            ("applyNumberFormat", x.num_fmt != 0),
            ("applyFont", x.font != 0),
            ("applyFill", x.fill != 0),
            ("applyBorder", x.border != 0),
            ("applyAlignment", x.align.is_some()),
        ] {
            if on {
                s.push_str(&format!(" {flag}=\"1\""));
            }
        }
        match x.align {
            Some((h, v, wrap)) => {
                s.push_str(&format!("><alignment horizontal=\"{h}\" vertical=\"{v}\""));
                if wrap {
                    s.push_str(" wrapText=\"1\"");
                }
                s.push_str("/></xf>");
            }
            None => s.push_str("/>"),
        }
    }
    s.push_str("</cellXfs>");
    s.push_str("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>");
    let dxfs = level_highlights();
    s.push_str(&format!("<dxfs count=\"{}\">", dxfs.len()));
    for h in &dxfs {
        s.push_str(&h.to_dxf_xml());
    }
    s.push_str("</dxfs><tableStyles count=\"0\"/></styleSheet>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_constants_match_the_xf_order() {
        for (i, (id, _)) in cell_xfs().iter().enumerate() {
            assert_eq!(*id as usize, i);
        }
        let x = styles_xml(Lang::Ja);
        assert!(x.contains("<cellXfs count=\"13\">"));
        assert!(x.contains("<dxfs count=\"3\">"));
    }
}
