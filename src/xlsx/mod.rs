//! The workbook layer: reading an .xlsx/.xlsm package and editing it in place.
//!
//! Unchanged parts are copied raw; changed worksheet parts are rewritten by splicing only the
//! rows and elements that change into the original XML (see `edit`), because a whole-model
//! rewrite, as general xlsx libraries do, loses validations, shared and array formulas, x14
//! extensions and cached values that the user's file depends on.
pub mod address;
pub mod chart;
pub mod conditional;
mod deps;
pub mod edit;
mod error;
pub mod file;
pub mod formula;
pub mod new_book;
pub(crate) mod package;
pub(crate) mod parallel;
mod rels;
mod shared_strings;
pub mod sheet;
mod styles;
mod table;
pub mod validation;
pub mod value;
pub mod workbook;
pub mod xml;
mod xml_writer;

pub use address::{CellRef, Range, SheetCell};
pub use error::XlsxError;
pub use package::{Limits, MAX_PART_MB};
pub use value::{Cell, CellValue};
pub use workbook::{NewSheet, SaveReport, SheetKind, SheetSummary, Workbook};
