//! Input files, where `-` means standard input.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};

use crate::output::is_dash;

/// How standard input is named in messages.
pub const STDIN: &str = "<stdin>";

/// A file argument as messages name it: the path, or `<stdin>` for `-`.
pub fn name(path: &Path) -> String {
    if is_dash(path) {
        STDIN.to_owned()
    } else {
        path.display().to_string()
    }
}

/// The whole of standard input.
pub fn stdin_bytes() -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes).context("cannot read <stdin>")?;
    Ok(bytes)
}

/// A text file, or standard input for `-`.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = if is_dash(path) {
        stdin_bytes()?
    } else {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{}: not UTF-8 text ({e})", name(path)))
}
