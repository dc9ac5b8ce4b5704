//! The CLI's exit codes (issue 3 item 5) and what goes to stdout and stderr with each.

use std::process::ExitCode;

pub enum Exit {
    /// 0: stdout gets one line (the response message as JSON, or a listing).
    Success(String),
    /// 1: the gateway reported failure or the API refused or failed; the text goes to stderr.
    Failure(String),
    /// 2: invalid input; nothing was sent.
    InvalidInput(String),
    /// 3: no response before the timeout; the command may still run.
    Unconfirmed(String),
}

impl Exit {
    pub fn failure(text: impl Into<String>) -> Self {
        Exit::Failure(text.into())
    }

    pub fn invalid(text: impl Into<String>) -> Self {
        Exit::InvalidInput(text.into())
    }

    pub fn report(self) -> ExitCode {
        match self {
            Exit::Success(out) => {
                println!("{out}");
                ExitCode::SUCCESS
            }
            Exit::Failure(err) => {
                eprintln!("push3: {err}");
                ExitCode::from(1)
            }
            Exit::InvalidInput(err) => {
                eprintln!("push3: invalid input: {err}");
                ExitCode::from(2)
            }
            Exit::Unconfirmed(err) => {
                eprintln!("push3: unconfirmed: {err}");
                ExitCode::from(3)
            }
        }
    }
}
