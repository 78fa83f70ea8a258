//! Batch runs: one command over many workbooks.
//!
//! The pieces the CLI's `fill`, `convert`, `inspect` and `edit` use when they are given several
//! inputs, usable from any program:
//!
//! - [`expand`] turns files, directories (walked recursively) and glob patterns (`*`, `?`, `**`)
//!   into a sorted, de-duplicated list of workbooks;
//! - [`output_path`] names each file's output in an output directory;
//! - [`run`] applies a job to every file on a pool of threads, one result per file: an error or
//!   even a panic in one file is that file's result and never stops the others (each save is its
//!   own atomic write), and results come back in input order whatever the order they finish in;
//! - what it prints (each file's line, the progress bar, the table of counts) is the command
//!   line's own (`src/cli/batch.rs`); a program prints what it likes.
//!
//! ```no_run
//! use risksheet::ops::batch::{self, Expand};
//! use std::path::PathBuf;
//! let files = batch::expand(&[PathBuf::from("clients"), PathBuf::from("sites/**/*.xlsx")], &Expand::workbooks());
//! let jobs = batch::default_jobs();
//! let mut failed = 0;
//! batch::run(&files, jobs, &mut (), |path| {
//!     let mut wb = risksheet::xlsx::Workbook::open(path)?;
//!     let summary = risksheet::ops::ipa::fill::fill(&mut wb, None)?;
//!     wb.save()?;
//!     Ok(summary)
//! }, |input, result| match result {
//!     Ok(s) => println!("{}: {} assets, {} warnings", input.display(), s.assets, s.warnings.len()),
//!     Err(e) => {
//!         failed += 1;
//!         eprintln!("{}", e.display(risksheet::Lang::En));
//!     }
//! });
//! println!("{failed} failed");
//! ```
mod inputs;
mod outputs;
mod pool;

pub use inputs::*;
pub use outputs::*;
pub use pool::*;
