//! Helpers the CLI integration tests share: running the built binary with Japanese messages, and
//! the checks every failure must pass (exit 1, one line naming the file, no panic).
#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built `risksheet`, with Japanese messages whatever the environment says.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_risksheet"));
    c.env("RISKSHEET_LANG", "ja");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run risksheet")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A file of tests/fixtures.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A file of tests/fixtures/legacy (made by make_legacy.py).
pub fn legacy(name: &str) -> PathBuf {
    fixture("legacy").join(name)
}

/// A successful command's standard output.
pub fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Runs a failing command; checks exit code 1, one line naming `name` and saying `reason`, no panic.
pub fn fails(args: &[&str], name: &str, reason: &str) -> String {
    let o = run(args);
    one_line_failure(&o, name, reason);
    stderr(&o)
}

/// A failed single-file run: exit 1, one line naming `name` and saying `reason`, no panic.
pub fn one_line_failure(o: &Output, name: &str, reason: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains(name), "names {name}: {err}");
    assert!(err.contains(reason), "says {reason}: {err}");
}
