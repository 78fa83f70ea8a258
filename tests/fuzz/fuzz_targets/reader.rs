//! Any bytes as a workbook: reading every sheet, inspecting it as an IPA ledger, and one edit
//! rendered to bytes must give a result or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use risksheet::xlsx::{CellRef, CellValue, Limits, Workbook};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_part: 1 << 22, ..Limits::default() };
    let Ok(mut wb) = Workbook::from_bytes("fuzz.xlsx", data.to_vec(), &limits) else { return };
    let _ = wb.summary();
    for name in wb.sheet_names() {
        let _ = wb.cells(&name);
        let _ = wb.validation_ranges(&name);
        if wb.set_value(&name, CellRef::new(2, 2), CellValue::Number(1.0)).is_ok() {
            let _ = wb.to_bytes();
        }
    }
    let _ = risksheet::ops::ipa::analyze(&mut wb, None);
});
