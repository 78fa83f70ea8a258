//! Benchmark (not a test) of the batch input listing, `risksheet::ops::batch::expand`, alone:
//! a tree of 20,000 files in nested directories, walked as a directory and through patterns.
//!
//! ```text
//! cargo run --release --example bench_inputs [-- DIRS_PER_LEVEL FILES_PER_DIR]
//! ```
//!
//! The tree: 20 × 20 directories of 50 files each (20,000 files): workbooks, text files, Excel lock
//! files and `--backup` backups, plus a hidden directory of 2,000 workbooks that no listing takes.
//! Each listing is timed best of 5; the report gives the files found and the time.
use risksheet::ops::batch::{expand, Expand};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn make_tree(root: &Path, dirs: usize, files: usize) -> usize {
    let mut n = 0;
    for i in 0..dirs {
        for j in 0..dirs {
            let d = root.join(format!("site-{i:02}/dept-{j:02}"));
            std::fs::create_dir_all(&d).unwrap();
            for k in 0..files {
                let name = match k % 5 {
                    0 | 1 => format!("ledger-{k:03}.xlsx"),
                    2 => format!("notes-{k:03}.txt"),
                    3 => format!("~$ledger-{k:03}.xlsx"),
                    _ => format!("ledger-{k:03}.bak.xlsx"),
                };
                std::fs::write(d.join(name), b"").unwrap();
                n += 1;
            }
        }
    }
    let hidden = root.join(".cache/old");
    std::fs::create_dir_all(&hidden).unwrap();
    for k in 0..2000 {
        std::fs::write(hidden.join(format!("{k}.xlsx")), b"").unwrap();
    }
    n
}

fn best_of(runs: usize, inputs: &[PathBuf]) -> (usize, Duration) {
    let mut best = Duration::MAX;
    let mut found = 0;
    for _ in 0..runs {
        let t = Instant::now();
        found = expand(inputs, &Expand::workbooks()).len();
        best = best.min(t.elapsed());
    }
    (found, best)
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let (dirs, files) = (args.first().copied().unwrap_or(20), args.get(1).copied().unwrap_or(50));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let n = make_tree(root, dirs, files);
    println!("batch input listing (expand) over {n} files in {} directories, best of 5", dirs * dirs + dirs);
    for (label, input) in [
        ("directory (walked)", root.to_path_buf()),
        ("**/*.xlsx", root.join("**/*.xlsx")),
        ("*/*/*.xlsx", root.join("*/*/*.xlsx")),
        ("site-0?/dept-1*/ledger-*.xlsx", root.join("site-0?/dept-1*/ledger-*.xlsx")),
    ] {
        let (found, t) = best_of(5, &[input]);
        println!("  {label:<32} {found:>6} files {:>9.1} ms", t.as_secs_f64() * 1000.0);
    }
}
