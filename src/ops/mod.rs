//! Operations on workbooks, shared by the CLI and the Python module.
pub mod batch;
pub mod convert;
pub mod edit;
pub mod inspect;
pub mod ipa;
pub(crate) mod legacy;
pub mod looks;
pub mod register;
pub mod report;
pub mod self_check;
pub mod soa;
pub mod template;
