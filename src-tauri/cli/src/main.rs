//! `push3`: send one command to one meter through EKM's Device Settings API, apply a template to
//! many meters, read the history of what was sent, list the commands, make a utility's rate into
//! a TOU template, and keep the inventory of gateways and meters the app uses. The same core,
//! engine and records as the app; a key comes from the OS keychain (`--gateway`) or `PUSH3_KEY`,
//! never from a flag.

mod apply;
mod catalog;
mod data_dir;
mod exit;
mod gateway;
mod history;
mod listing;
mod meter;
mod profile;
mod rate;
mod read;
mod secret_input;
mod send;

use clap::{Parser, Subcommand};
use data_dir::{open_store, DATA_DIR_VARIABLE};
use exit::{Exit, EXIT_CODES_HELP};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "push3",
    version,
    about = "Configure EKM Omnimeters through a Push3 gateway (EKM Device Settings API)"
)]
#[command(after_help = EXIT_CODES_HELP)]
struct Cli {
    /// The folder of the inventory, the audit log and the known settings, shared with the app
    /// [default: the app's data folder].
    #[arg(long, global = true, value_name = "DIR", env = DATA_DIR_VARIABLE)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Subcommand)]
enum CliCommand {
    /// Send COMMAND to one meter and wait for the gateway's response.
    Send(send::SendArgs),
    /// Apply a template (display list, TOU program, settings) to many meters of one gateway.
    Apply(apply::ApplyArgs),
    /// Show the commands the app and push3 sent, newest first, from the shared audit log.
    History(history::HistoryArgs),
    /// List every command with its parameters and allowed values.
    Commands(catalog::CommandsArgs),
    /// Add, list and remove gateways; their keys live in the OS keychain.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Gateway(gateway::GatewayCommand),
    /// Add, list and remove meters.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Meter(meter::MeterCommand),
    /// List, show and load the wire profiles: the shapes gateways take the undocumented
    /// commands in.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Profile(profile::ProfileCommand),
    /// Read a meter's time-of-use program or tariff data, printed in the app's shapes.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Read(read::ReadCommand),
    /// Make a utility's time-of-use rate (OpenEI URDB) into a TOU template.
    #[command(subcommand, after_help = EXIT_CODES_HELP)]
    Rate(rate::RateCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        CliCommand::Commands(args) => catalog::run(&args),
        CliCommand::Rate(command) => rate::run(command),
        CliCommand::Gateway(gateway::GatewayCommand::Test(args)) => {
            match open_store(cli.data_dir) {
                Ok(store) => {
                    block_on(
                        async move { gateway::test(args, store).await.unwrap_or_else(|exit| exit) },
                    )
                }
                Err(exit) => exit,
            }
        }
        CliCommand::Gateway(command) => open_store(cli.data_dir)
            .and_then(|store| gateway::run(command, store.inventory()))
            .unwrap_or_else(|exit| exit),
        CliCommand::Profile(command) => open_store(cli.data_dir)
            .and_then(|store| profile::run(command, store.inventory()))
            .unwrap_or_else(|exit| exit),
        CliCommand::Meter(command) => open_store(cli.data_dir)
            .and_then(|store| meter::run(command, store.inventory()))
            .unwrap_or_else(|exit| exit),
        CliCommand::History(args) => history::run(&args, cli.data_dir).unwrap_or_else(|exit| exit),
        CliCommand::Send(args) => block_on(send::run(args, cli.data_dir)),
        CliCommand::Apply(args) => block_on(apply::run(args, cli.data_dir)),
        CliCommand::Read(command) => block_on(read::run(command, cli.data_dir)),
    };
    exit.report()
}

/// One thread is plenty: the work is waiting on the network, and an apply's meters are futures
/// polled together.
fn block_on(work: impl std::future::Future<Output = Exit>) -> Exit {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(work),
        Err(e) => Exit::failure(format!("cannot start the async runtime: {e}")),
    }
}
