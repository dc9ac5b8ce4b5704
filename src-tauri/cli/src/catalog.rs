//! `push3 commands`: every command with its parameters and allowed values, built from the core's
//! tables (never retyped here).

use crate::exit::Exit;
use clap::Args;
use push3::command::catalog::{self, METER_PASSWORD};
use push3::{CommandKind, MeterVersion, ParseOptions};
use std::fmt::Write;

#[derive(Args)]
pub struct CommandsArgs {
    /// Print the listing and every meter constant as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Show pulse output ratios valid for this CT ratio.
    #[arg(long, value_name = "AMPS")]
    ct_ratio: Option<u16>,
}

pub fn run(args: &CommandsArgs) -> Exit {
    let opts = ParseOptions {
        experimental_seasons: true,
        current_ct_ratio: args.ct_ratio,
    };
    if args.json {
        let listing = serde_json::json!({"commands": catalog::export(&opts), "limits": push3::tables::export()});
        return Exit::Success(listing.to_string());
    }
    Exit::Success(text(&opts))
}

fn text(opts: &ParseOptions) -> String {
    let mut out = String::new();
    for kind in CommandKind::ALL {
        let versions: Vec<String> = MeterVersion::ALL
            .iter()
            .filter(|v| kind.supported_by(**v))
            .map(|v| v.to_string())
            .collect();
        let mut notes = vec![format!("meters {}", versions.join("/"))];
        if kind.is_read() {
            notes.push("reads".into());
        }
        if kind.is_destructive() {
            notes.push("destructive".into());
        }
        if kind.is_experimental() {
            notes.push("experimental: needs --experimental-seasons".into());
        }
        let _ = writeln!(out, "{} ({})", kind.name(), notes.join(", "));
        let params = catalog::params_of(kind);
        if params.is_empty() {
            let _ = writeln!(out, "    (no parameters)");
        }
        for spec in params.iter().chain([&METER_PASSWORD]) {
            let assumed = if spec.assumed {
                " [shape assumed, not documented]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    {} ({}){assumed}: {}",
                spec.name,
                spec.json_type,
                (spec.allowed)(opts)
            );
        }
    }
    out.trim_end().to_string()
}
