//! What an installed command needs beside itself: shell completions and man pages, generated
//! from the clap definition ([`Cli`]) so that they never disagree with `--help`.
use super::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::Write;
use std::path::Path;

/// `risksheet completions SHELL`: the completion script for `shell` on standard output.
pub(crate) fn completions(shell: Shell) -> risksheet::Result<()> {
    // Rendered into memory first: clap_complete panics on a failed write (`… | head`), while a
    // closed pipe on our own write is an ordinary, quiet end (see main).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "risksheet", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}

/// `risksheet man`: the page risksheet(1) on standard output.
pub(crate) fn man_page() -> risksheet::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    std::io::stdout().lock().write_all(&page)?;
    Ok(())
}

/// `risksheet man --out-dir DIR`: risksheet.1 and a page per command (risksheet-fill.1 …) in
/// `dir`, created when missing. The hidden generator commands get no page.
pub(crate) fn man_pages(dir: &Path) -> risksheet::Result<()> {
    std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(Cli::command(), dir)).map_err(|e| risksheet::Error::from(e).in_file(dir))
}
