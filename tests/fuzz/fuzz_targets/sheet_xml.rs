//! Any text as a worksheet part or a formula: indexing, reading rows, splicing an edit and
//! moving formulas must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use risksheet::xlsx::edit::{render_sheet, Content, Pending, SheetEdits};
use risksheet::xlsx::sheet::SheetIndex;
use risksheet::xlsx::{formula, CellValue};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = formula::shift(text, 3, -1);
    let _ = formula::references(text);
    let Ok(ix) = SheetIndex::scan("fuzz", text) else { return };
    for row in &ix.rows {
        let _ = ix.row_cells("fuzz", text, row);
    }
    let mut edits = SheetEdits::default();
    edits.cells.insert((1, 1), Pending { content: Some(Content::Value(CellValue::Number(1.0))), ..Default::default() });
    edits.cells.insert((3, 2), Pending { drop_cache: true, ..Default::default() });
    let _ = render_sheet("fuzz", text, &ix, &edits);
});
