//! `docktutor completions SHELL` and `docktutor man`: shell completions and
//! manual pages, generated from the same clap definitions as the parser, so
//! they never fall behind a new flag or subcommand.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "docktutor", &mut out);
    out
}

/// The man page docktutor(1), in roff: the options and the subcommands.
pub fn man() -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    Ok(out)
}

/// Writes docktutor.1 and a page per subcommand (docktutor-check.1, …) into
/// `dir`, for packagers; returns the files written.
pub fn man_pages(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    let mut written: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "1"))
        .collect();
    written.sort();
    Ok(written)
}

/// Prints to stdout; a closed pipe (`docktutor man | head`) is not an error.
pub fn print(bytes: std::io::Result<Vec<u8>>) -> ExitCode {
    let result = bytes.and_then(|b| {
        let mut out = std::io::stdout().lock();
        out.write_all(&b)?;
        out.flush()
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("docktutor: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subcommand a learner can type, from the parser itself.
    fn subcommands() -> Vec<String> {
        Cli::command()
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .collect()
    }

    #[test]
    fn completions_know_every_subcommand_in_every_shell() {
        let names = subcommands();
        assert!(names.len() >= 10, "{names:?}");
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let script = String::from_utf8(completions(shell)).unwrap();
            for name in &names {
                assert!(
                    script.contains(name.as_str()),
                    "{shell} completion lacks {name}"
                );
            }
            assert!(
                script.contains("workdir"),
                "{shell} lacks the --workdir flag"
            );
        }
    }

    #[test]
    fn man_page_is_roff_naming_every_subcommand() {
        let page = String::from_utf8(man().unwrap()).unwrap();
        assert!(
            page.starts_with(".ie") || page.contains(".TH docktutor 1"),
            "{page}"
        );
        assert!(page.contains(".TH docktutor 1"), "{page}");
        for name in subcommands() {
            assert!(page.contains(&name), "the man page lacks {name}");
        }
    }

    #[test]
    fn man_pages_are_one_per_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        let files = man_pages(dir.path()).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&"docktutor.1".to_string()), "{names:?}");
        for sub in subcommands() {
            assert!(names.contains(&format!("docktutor-{sub}.1")), "{names:?}");
        }
    }
}
