//! A progress bar on stderr for long runs, shown only on a terminal and only
//! once a run has taken longer than a second.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar that stays hidden for the first second, and off a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
}

impl Progress {
    /// A bar for `total` simulation draws.
    pub fn new(total: u64) -> Progress {
        Progress::with_template(total, "{bar:40} {pos}/{len} draws, {eta} left")
    }

    /// A bar for `total` steps, drawn with an `indicatif` template.
    pub fn with_template(total: u64, template: &str) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, start: Instant::now() }
    }

    /// Shows the bar once the run has taken more than a second.
    fn reveal(&self, bar: &ProgressBar) {
        if bar.is_hidden() && self.start.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// `k` more steps done.
    pub fn inc(&self, k: u64) {
        if let Some(bar) = &self.bar {
            self.reveal(bar);
            bar.inc(k);
        }
    }

    /// `k` more steps to do.
    pub fn add_length(&self, k: u64) {
        if let Some(bar) = &self.bar {
            bar.inc_length(k);
        }
    }

    /// Sets the text after the bar (`{msg}` in the template).
    pub fn set_message(&self, message: String) {
        if let Some(bar) = &self.bar {
            self.reveal(bar);
            bar.set_message(message);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
