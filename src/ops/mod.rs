//! Operations on workbooks, shared by the CLI and the Python module.
pub mod edit;
pub mod inspect;
pub mod ipa;
pub mod report;
pub mod template;
pub mod convert;
pub mod soa;
pub mod batch;
