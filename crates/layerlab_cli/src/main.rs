//! The `layerlab` command line: the native host of the layerlab core.
//!
//! Each subcommand lives in its own module with its own `Args`; this file only
//! dispatches. It is the only place (with its modules) that touches the real
//! filesystem, the environment and the process exit code.

#![allow(
    clippy::disallowed_methods,
    reason = "the CLI is the host: it does the IO the core may not"
)]

mod build;
mod catalog;
mod check;
mod context;
mod image;
mod output;
mod parse;
mod render;
mod sh;
mod share;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Simulate `docker build` without Docker: parse Dockerfiles, explain `.dockerignore`,
/// build images on an in-memory filesystem, and explore image archives.
#[derive(Parser)]
#[command(name = "layerlab", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a Dockerfile and print its instructions.
    Parse(parse::Args),
    /// Build an image from a Dockerfile and a context directory, with an explained cache.
    Build(build::Args),
    /// Explore image archives (inspect, layers, ls, waste) and write a demo image.
    Image(image::Args),
    /// Run BuildKit's build checks and best-practice hints on a Dockerfile.
    Check(check::Args),
    /// Show what the build context sends and why (.dockerignore, BuildKit's rules).
    Context(context::Args),
    /// List, show, browse and export the simulated base images FROM resolves to.
    Catalog(catalog::Args),
    /// Simulate one RUN step (shell form or --exec) and show its output and layer.
    Sh(sh::Args),
    /// Print a page link (`#v1:…`) carrying a context directory's files.
    Share(share::ShareArgs),
    /// Write the files of a page link into a new directory.
    Unshare(share::UnshareArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Build(args) => build::run(args),
        Command::Image(args) => image::run(args),
        Command::Check(args) => check::run(args),
        Command::Context(args) => context::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Sh(args) => sh::run_cmd(args),
        Command::Share(args) => share::share(args),
        Command::Unshare(args) => share::unshare(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("layerlab: {err:#}");
            ExitCode::FAILURE
        }
    }
}
