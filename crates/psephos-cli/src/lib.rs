//! The `psephos` command's commands and renderers, as a library so that
//! other front ends (the Python package) build the same objects and the
//! same JSON as the command line, without a copy of the code. Not a stable
//! API: the crates `psephos`, `psephos-io` and `psephos-sim` are.

pub mod args;
pub mod commands;
pub mod input;
pub mod output;
pub mod progress;
pub mod render;
