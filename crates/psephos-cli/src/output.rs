//! Where the binary's output goes.
//!
//! Everything printed on standard output goes through [`Stdout`], a buffered
//! writer whose errors are returned, never turned into a panic as `print!`
//! does. `main` then treats a closed pipe (`psephos rules | head -1`) as the
//! reader having had enough and exits quietly with status 0, as ripgrep, fd
//! and other command-line tools that ignore `SIGPIPE` do; any other write
//! error (a full disk) is reported as `error: cannot write to standard
//! output: …` with status 1. Messages on standard error go through [`note`],
//! which never panics either: with stderr closed, they are lost.
//!
//! [`refuse_overwrite`] keeps an output file from replacing an input file.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// Standard output, buffered; call [`Stdout::finish`] at the end so the
/// last write's error is seen (dropping it would swallow that error).
pub struct Stdout(BufWriter<io::Stdout>);

/// A write to standard output failed: says so, and keeps the error's kind
/// so a closed pipe can be told apart.
#[derive(Debug)]
struct StdoutError(io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

// No `source`: the message already quotes the error it wraps.
impl std::error::Error for StdoutError {}

fn stdout_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), StdoutError(e))
}

impl Default for Stdout {
    fn default() -> Self {
        Self::new()
    }
}

impl Stdout {
    /// A writer to standard output.
    pub fn new() -> Stdout {
        Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    /// Flushes what is left, returning any error.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        Ok(())
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(stdout_error)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(stdout_error)
    }
}

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<()> {
    let mut out = Stdout::new();
    out.write_all(text.as_bytes())?;
    out.finish()
}

/// Writes a line to standard error; a closed or full stderr loses it
/// rather than stopping the program.
pub fn note(message: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

/// Whether an error comes from writing to a pipe whose reader has gone.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let io = match e.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            // The CSV writer keeps its I/O error to itself.
            Some(csv::ErrorKind::Io(io)) => Some(io),
            _ => e.downcast_ref::<io::Error>(),
        };
        io.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Whether a path argument names standard input or output (`-`).
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// An output path in absolute, symlink-free form, even when the file does
/// not exist yet (its folder is resolved instead).
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

/// Whether two paths name the same file: the same resolved path or, on
/// Unix, the same device and inode (hard links).
fn same_file(a: &Path, b: &Path) -> bool {
    if resolved(a).is_some_and(|x| resolved(b).is_some_and(|y| x == y)) {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.is_file() && x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Refuses, before anything is written, an output file that is one of the
/// input files or another output. `-` (standard input or output) is never
/// a clash; `inputs` and `outputs` pair each path with its option name.
pub fn refuse_overwrite(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<()> {
    for (i, &(out_name, out)) in outputs.iter().enumerate() {
        if is_dash(out) {
            continue;
        }
        for &(in_name, input) in inputs.iter().filter(|(_, p)| !is_dash(p)) {
            if same_file(input, out) {
                bail!(
                    "{out_name} {} is the {in_name} {}: writing it would destroy the input; choose another file",
                    out.display(),
                    input.display()
                );
            }
        }
        for &(other_name, other) in &outputs[..i] {
            if !is_dash(other) && same_file(other, out) {
                bail!("{out_name} and {other_name} both name {}: choose two files", out.display());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_sees_through_spelling_and_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let spelled = dir.path().join(".").join("a.csv");
        assert!(same_file(&a, &spelled));
        assert!(!same_file(&a, &dir.path().join("b.csv")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::fs::hard_link(&a, &link).unwrap();
            assert!(same_file(&a, &link));
        }
    }

    #[test]
    fn refuses_an_output_that_is_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let err = refuse_overwrite(&[("ballot file", &a)], &[("--csv", &a)]).unwrap_err();
        assert!(err.to_string().contains("would destroy the input"), "{err}");
        let b = dir.path().join("b.csv");
        assert!(refuse_overwrite(&[("ballot file", &a)], &[("--csv", &b)]).is_ok());
        assert!(refuse_overwrite(&[("ballot file", Path::new("-"))], &[("--csv", Path::new("-"))]).is_ok());
        assert!(refuse_overwrite(&[], &[("--svg", &b), ("--csv", &b)]).is_err());
    }
}
