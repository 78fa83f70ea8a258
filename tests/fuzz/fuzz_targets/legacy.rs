//! Any bytes as a legacy workbook (`.xls`, `.ods`, `.xlsb`): the checks and the conversion to
//! `.xlsx` must give a result or an error, never a panic, an abort or unbounded memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("risksheet-fuzz-legacy-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    // The first byte picks the extension, as the command does by name.
    let (ext, bytes) = match data.split_first() {
        Some((b, rest)) => (["xls", "ods", "xlsb"][*b as usize % 3], rest),
        None => return,
    };
    let path = dir.join(format!("fuzz.{ext}"));
    if std::fs::write(&path, bytes).is_ok() {
        let _ = risksheet::ops::convert::legacy_to_xlsx(&path);
    }
});
