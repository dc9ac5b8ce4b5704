//! `push3`: send one command to one meter through EKM's Device Settings API, or list the
//! commands. The same core as the app; the key comes from `PUSH3_KEY`, never from a flag.

mod catalog;
mod exit;
mod send;

use clap::{Parser, Subcommand};
use exit::Exit;

#[derive(Parser)]
#[command(
    name = "push3",
    version,
    about = "Configure EKM Omnimeters through a Push3 gateway (EKM Device Settings API)"
)]
#[command(
    after_help = "Exit codes: 0 success, 1 gateway or API failure, 2 invalid input (nothing sent), 3 unconfirmed."
)]
struct Cli {
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Subcommand)]
enum CliCommand {
    /// Send COMMAND to one meter and wait for the gateway's response.
    Send(send::SendArgs),
    /// List every command with its parameters and allowed values.
    Commands(catalog::CommandsArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        CliCommand::Commands(args) => catalog::run(&args),
        CliCommand::Send(args) => match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(send::run(args)),
            Err(e) => Exit::failure(format!("cannot start the async runtime: {e}")),
        },
    };
    exit.report()
}
