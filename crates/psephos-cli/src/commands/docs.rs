//! `psephos completions` and `psephos man`: shell completion scripts and
//! manual pages, generated from the command-line definition itself so they
//! never fall out of step with it.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

use crate::output::Stdout;

/// Examples for `psephos completions --help`.
pub const COMPLETION_EXAMPLES: &str = "\
Examples:
  psephos completions bash > ~/.local/share/bash-completion/completions/psephos
  psephos completions zsh > \"${fpath[1]}/_psephos\"
  psephos completions fish > ~/.config/fish/completions/psephos.fish";

/// Examples for `psephos man --help`.
pub const MAN_EXAMPLES: &str = "\
Examples:
  psephos man | man -l -
  psephos man --out /usr/local/share/man/man1";

/// Arguments of `psephos completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `psephos man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write psephos.1 and one page per command (psephos-tally.1, …) into
    /// this folder instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for `cmd`, the whole command line.
pub fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> Result<()> {
    let mut out = Stdout::new();
    clap_complete::generate(args.shell, &mut cmd, "psephos", &mut out);
    out.finish()
}

/// Prints the main page of `cmd`, the whole command line, or writes every
/// page into a folder.
pub fn man(args: ManArgs, cmd: clap::Command) -> Result<()> {
    match args.out {
        None => {
            let mut out = Stdout::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.finish()
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("cannot write the pages into {}", dir.display()))?;
            let mut out = Stdout::new();
            writeln!(out, "wrote the manual pages into {}", dir.display())?;
            out.finish()
        }
    }
}
