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
//! - [`Progress`] draws a progress bar on standard error when it is a terminal, and [`Tally`]
//!   counts the outcomes and prints the final table.
//!
//! ```no_run
//! use risksheet::ops::batch::{self, Expand, Status, Tally};
//! use std::path::PathBuf;
//! let files = batch::expand(&[PathBuf::from("clients"), PathBuf::from("sites/**/*.xlsx")], &Expand::workbooks());
//! let jobs = batch::default_jobs();
//! let mut tally = Tally::default();
//! let mut progress = batch::Progress::new(files.len(), false);
//! batch::run(&files, jobs, &mut progress, |path| {
//!     let mut wb = risksheet::xlsx::Workbook::open(path)?;
//!     let summary = risksheet::ops::ipa::fill::fill(&mut wb, None)?;
//!     wb.save()?;
//!     Ok(summary)
//! }, |input, result| {
//!     let status = match &result {
//!         Ok(s) if s.warnings.is_empty() => Status::Ok,
//!         Ok(_) => Status::Warnings,
//!         Err(_) => Status::Failed,
//!     };
//!     tally.add(status);
//!     println!("{} {}", status.label(), input.display());
//! });
//! print!("{}", tally.to_text());
//! ```
mod inputs;
mod outputs;
mod pool;
mod report;

pub use inputs::*;
pub use outputs::*;
pub use pool::*;
pub use report::*;
