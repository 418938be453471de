//! Sets what `psephos --version` reports besides the version: the commit the
//! binary was built from (`unknown` outside a git checkout, or without git)
//! and the cargo features it was built with. Never fails the build.

use std::path::PathBuf;
use std::process::Command;

/// `git ARGS` run in the crate's folder, its output trimmed, if it succeeds.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (out.status.success() && !text.is_empty()).then_some(text)
}

fn main() {
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PSEPHOS_COMMIT={commit}");
    // Run again when HEAD moves: HEAD itself (a branch switch), the branch's
    // ref (a commit) and packed-refs (where refs go after `git gc`). In a
    // worktree these live in different folders, so ask git where they are
    // (its paths are relative to this folder, as cargo reads them).
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]) {
            if PathBuf::from(&path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");

    let mut features: Vec<String> = std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("CARGO_FEATURE_").map(|f| f.to_lowercase().replace('_', "-")))
        .collect();
    features.sort();
    let features = if features.is_empty() { "none".to_owned() } else { features.join(", ") };
    println!("cargo:rustc-env=PSEPHOS_FEATURES={features}");
}
