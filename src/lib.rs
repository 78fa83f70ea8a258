//! risksheet: read, fill and convert IPA-style information-security risk analysis workbooks
//! in place, without damaging anything else in them.
#![warn(clippy::missing_errors_doc)]
pub mod controls;
pub mod domain;
pub mod error;
pub mod lang;
pub mod ops;
pub mod profile;
#[cfg(feature = "python")]
mod python;
pub mod text;
pub mod xlsx;

pub use error::{Error, ErrorKind, Lang, Result};
