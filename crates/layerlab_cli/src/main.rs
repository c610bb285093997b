//! The `layerlab` command line: the native host of the layerlab core.
//!
//! Each subcommand lives in its own module with its own `Args`; this file only
//! dispatches. It is the only place (with its modules) that touches the real
//! filesystem, the environment and the process exit code.

mod image;
mod parse;
mod render;
mod sh;

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
    /// Explore image archives (inspect, layers, ls, waste) and write a demo image.
    Image(image::Args),
    /// Simulate one RUN step (shell form or --exec) and show its output and layer.
    Sh(sh::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Image(args) => image::run(args),
        Command::Sh(args) => sh::run_cmd(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("layerlab: {err:#}");
            ExitCode::FAILURE
        }
    }
}
