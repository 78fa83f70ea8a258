//! What an installed `risksheet` brings beside itself: shell completions and man pages generated
//! from the command's own definition (`risksheet completions SHELL`, `risksheet man`).
use std::fs;
use std::process::Command;

mod common;
use common::{ok, run, stderr};

#[test]
fn bash_completion_completes_the_commands_and_their_options() {
    let script = ok(&["completions", "bash"]);
    assert!(script.contains("complete -F _risksheet"), "{script}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("risksheet.bash");
    fs::write(&path, &script).unwrap();
    // What bash does on `risksheet fi<TAB>` and `risksheet fill --dr<TAB>`.
    let complete = |words: &str, cword: usize| {
        let prog = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD={cword}; _risksheet risksheet \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display()
        );
        let o = Command::new("bash").args(["--norc", "-c", &prog]).output().expect("bash");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(complete("risksheet fi", 1), ["fill"]);
    assert_eq!(complete("risksheet fill --dr", 2), ["--dry-run"]);
    assert!(complete("risksheet completions ''", 2).iter().any(|w| w == "bash"));
}

#[test]
fn zsh_and_fish_completions_name_fill() {
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = ok(&["completions", shell]);
        assert!(script.contains("fill") && script.contains("dry-run"), "{shell}: {script}");
    }
    let o = run(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tcsh"), "{}", stderr(&o));
}

#[test]
fn man_page_lists_the_commands() {
    let page = ok(&["man"]);
    assert!(page.starts_with(".ie") && page.contains(".TH risksheet 1"), "{page}");
    assert!(page.contains("risksheet\\-fill(1)"), "{page}");
    assert!(!page.contains("risksheet\\-man(1)") && !page.contains("risksheet\\-completions(1)"), "{page}");
}

#[test]
fn man_out_dir_writes_a_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    ok(&["man", "--out-dir", out.to_str().unwrap()]);
    let mut names: Vec<String> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "risksheet-convert.1",
            "risksheet-edit.1",
            "risksheet-fill.1",
            "risksheet-get.1",
            "risksheet-inspect.1",
            "risksheet-new.1",
            "risksheet-report.1",
            "risksheet-soa.1",
            "risksheet.1"
        ]
    );
    let fill = fs::read_to_string(out.join("risksheet-fill.1")).unwrap();
    assert!(fill.contains(".TH risksheet-fill 1") && fill.contains("\\-\\-dry\\-run"), "{fill}");
    // A place that cannot be a directory: one line naming it, exit 1.
    let blocker = dir.path().join("file");
    fs::write(&blocker, "x").unwrap();
    let bad = blocker.join("man1");
    let o = run(&["man", "--out-dir", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(bad.to_str().unwrap()) && err.lines().count() == 1 && !err.contains("panicked"), "{err}");
}
