//! `push3 rate import`: a utility's time-of-use rate (an OpenEI URDB tariff record) made into a
//! TOU template in the app's template format, with the report of what the meter cannot hold.
//! The translation is push3-rates', as in the app.

use crate::exit::Exit;
use chrono::Datelike;
use clap::{Args, Subcommand};
use push3_fleet::Template;
use push3_rates::holidays::HolidaySet;
use push3_rates::{check_year, translate, Options, Tariff};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum RateCommand {
    /// Make a TOU template from a URDB tariff: one record, or the first of an API answer's
    /// `items`. The report (registers, approximations, the month-by-hour grids) goes to stderr.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The URDB tariff file (JSON).
    file: PathBuf,
    /// Where to write the template; `-` for stdout.
    #[arg(long, value_name = "TEMPLATE.json")]
    out: PathBuf,
    /// The template's name [default: the tariff's name].
    #[arg(long)]
    name: Option<String>,
    /// Fill the meter's holidays with a holiday set of --year (they follow the weekend
    /// schedule, as the rate's weekends).
    #[arg(long, value_name = "SET", value_parser = clap::builder::PossibleValuesParser::new(HolidaySet::NAMES))]
    holidays: Option<String>,
    /// The year the report counts hours in, and the holidays are computed for [default: this
    /// year].
    #[arg(long)]
    year: Option<i32>,
    /// Replace TEMPLATE.json if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(command: RateCommand) -> Exit {
    match command {
        RateCommand::Import(args) => import(&args),
    }
}

fn import(args: &ImportArgs) -> Exit {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(e) => return Exit::invalid(format!("cannot read {}: {e}", args.file.display())),
    };
    let tariff = match Tariff::from_json(&text) {
        Ok(tariff) => tariff,
        Err(e) => {
            return Exit::invalid(format!(
                "{}: {e}; no template was written",
                args.file.display()
            ))
        }
    };
    let to_stdout = args.out.as_os_str() == "-";
    if !to_stdout && args.out.exists() && !args.force {
        return Exit::invalid(format!(
            "{} exists; choose another --out or add --force to replace it",
            args.out.display()
        ));
    }
    let year = match check_year(args.year.unwrap_or_else(|| chrono::Local::now().year())) {
        Ok(year) => year,
        Err(e) => return Exit::invalid(format!("--year {e}")),
    };
    let options = Options {
        year,
        holidays: args.holidays.as_deref().and_then(HolidaySet::parse),
    };
    let import = translate(&tariff, options);
    let name = args.name.clone().unwrap_or_else(|| import.name.clone());
    let template = match Template::new(&name, import.program.to_program()) {
        Ok(template) => template,
        Err(e) => return Exit::invalid(format!("the template: {e}")),
    };
    eprint!("{}", import.report_text());
    if to_stdout {
        return Exit::Success(template.to_json());
    }
    // Written whole, then renamed: an interrupted run never leaves half a template.
    let temp = args.out.with_extension("json.part");
    let written = std::fs::write(&temp, template.to_json() + "\n")
        .and_then(|()| std::fs::rename(&temp, &args.out));
    match written {
        Ok(()) => Exit::Success(format!(
            "Wrote the TOU template \"{name}\" to {}",
            args.out.display()
        )),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Exit::failure(format!("cannot write {}: {e}", args.out.display()))
        }
    }
}
