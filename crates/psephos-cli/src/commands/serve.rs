//! `psephos serve`: the web app on this machine.

use anyhow::{Context, Result};
use clap::Args;
use psephos_web::{Limits, Server};

use crate::output;

/// Examples for `psephos serve --help`.
pub const EXAMPLES: &str = "\
Examples:
  psephos serve
  psephos serve --port 9000 --open
  psephos serve --max-upload 200000000";

/// Arguments of `psephos serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on; anything other than a loopback address
    /// (127.0.0.1, ::1) lets other machines use the server, and is warned about.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the app in the default web browser once it listens.
    #[arg(long)]
    pub open: bool,
    /// The largest ballot file or scenario a request may send, in bytes (larger: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20)]
    pub max_upload: usize,
}

/// Serves until Ctrl-C.
pub fn run(args: ServeArgs) -> Result<()> {
    let limits = Limits { max_upload: args.max_upload, ..Limits::default() };
    let server = Server::bind(&args.host, args.port, limits)?;
    let addr = server.local_addr()?;
    if !psephos_web::is_loopback(&addr) {
        output::note(format_args!(
            "warning: listening on {addr}, which other machines can reach; anyone who can reach it can run counts \
             on this machine (use --host 127.0.0.1 to keep it to this machine)"
        ));
    }
    let url =
        if addr.is_ipv6() { format!("http://[{}]:{}/", addr.ip(), addr.port()) } else { format!("http://{addr}/") };
    output::print(&format!("psephos is serving {url} (Ctrl-C stops it)\n"))?;
    if args.open {
        open_browser(&url);
    }
    server.serve().context("psephos serve")?;
    output::note(format_args!("stopped"));
    Ok(())
}

/// Asks the desktop to open `url`; says so if it cannot.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program).arg(url).spawn().is_err() {
        output::note(format_args!("could not start `{program}` to open a browser; open {url} yourself"));
    }
}
