//! The CLI's exit codes (issue 3 item 5) and what goes to stdout and stderr with each.

use push3_audit::AuditError;
use push3_inventory::InventoryError;
use std::process::ExitCode;

/// Printed by `push3 --help`; the one description of the codes.
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0    success
  1    the gateway reported failure, the API refused or failed, or the inventory file or the
       audit log could not be read or written (apply: a meter failed)
  2    invalid input, an unknown or duplicate gateway or meter, no usable keychain (missing or
       locked), or no audit log to record the command in: nothing was sent and nothing was
       changed
  3    no response before the timeout (unconfirmed): the command may still run (apply: a meter
       is unconfirmed, which outranks a failed one)
  130  stopped by you (apply: Ctrl-C, or no at the prompt): meters not started were sent nothing";

#[derive(Debug)]
pub enum Exit {
    /// 0: stdout gets the output (the response message as one line of JSON, or a listing);
    /// nothing when it is empty (it was streamed, e.g. a CSV export).
    Success(String),
    /// 1: the gateway reported failure or the API refused or failed; the text goes to stderr.
    Failure(String),
    /// 2: invalid input; nothing was sent.
    InvalidInput(String),
    /// 2: the input was well formed but cannot be acted on (no such gateway, a duplicate, no
    /// usable keychain); the text says what to do.
    Refused(String),
    /// 3: no response before the timeout; the command may still run.
    Unconfirmed(String),
    /// 130, as a shell reports Ctrl-C: the user stopped it; what was not started was not sent.
    Stopped(String),
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
                if !out.is_empty() {
                    println!("{out}");
                }
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
            Exit::Refused(err) => {
                eprintln!("push3: {err}");
                ExitCode::from(2)
            }
            Exit::Unconfirmed(err) => {
                eprintln!("push3: unconfirmed: {err}");
                ExitCode::from(3)
            }
            Exit::Stopped(err) => {
                eprintln!("push3: stopped: {err}");
                ExitCode::from(130)
            }
        }
    }
}

/// The inventory's messages never carry a secret (see `push3_inventory::InventoryError`), so they
/// are printed as they are.
impl From<InventoryError> for Exit {
    fn from(e: InventoryError) -> Self {
        match e {
            InventoryError::Invalid(_) => Exit::InvalidInput(e.message()),
            InventoryError::NotFound { .. }
            | InventoryError::Duplicate { .. }
            | InventoryError::InUse { .. }
            | InventoryError::KeychainUnavailable { .. }
            | InventoryError::KeychainLocked { .. } => Exit::Refused(e.message()),
            InventoryError::Store(push3_store::StoreError::NewerSchema { .. }) => {
                Exit::Refused(e.message())
            }
            InventoryError::Io { .. } | InventoryError::Store(_) => Exit::Failure(e.message()),
        }
    }
}

/// For reading the audit log (`push3 history`). Sending refuses earlier and more strictly: a
/// command that cannot be put on record is not sent (exit 2).
impl From<AuditError> for Exit {
    fn from(e: AuditError) -> Self {
        match e {
            AuditError::Invalid(_) => Exit::InvalidInput(e.message()),
            AuditError::NewerSchema { .. } => Exit::Refused(e.message()),
            _ => Exit::Failure(e.message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use push3_inventory::ValidationError;

    fn code(exit: Exit) -> u8 {
        match exit {
            Exit::Success(_) => 0,
            Exit::Failure(_) => 1,
            Exit::InvalidInput(_) | Exit::Refused(_) => 2,
            Exit::Unconfirmed(_) => 3,
            Exit::Stopped(_) => 130,
        }
    }

    #[test]
    fn inventory_errors_exit_2_except_a_file_that_cannot_be_read_or_written() {
        let message = || "m".to_string();
        let cases = [
            (
                InventoryError::Invalid(ValidationError::new("f", "v", "a")),
                2,
            ),
            (InventoryError::NotFound { message: message() }, 2),
            (InventoryError::Duplicate { message: message() }, 2),
            (InventoryError::InUse { message: message() }, 2),
            (
                InventoryError::KeychainUnavailable { message: message() },
                2,
            ),
            (InventoryError::KeychainLocked { message: message() }, 2),
            (InventoryError::Io { message: message() }, 1),
        ];
        for (error, expected) in cases {
            let label = error.code();
            assert_eq!(code(error.into()), expected, "{label}");
        }
    }

    #[test]
    fn reading_the_audit_log_exits_2_for_a_bad_filter_or_a_newer_file_and_1_otherwise() {
        let message = || "m".to_string();
        let cases = [
            (AuditError::Invalid(ValidationError::new("to", "v", "a")), 2),
            (
                AuditError::NewerSchema {
                    found: 9,
                    supported: 1,
                },
                2,
            ),
            (AuditError::Busy { message: message() }, 1),
            (AuditError::Corrupt { message: message() }, 1),
            (AuditError::Io { message: message() }, 1),
        ];
        for (error, expected) in cases {
            let label = error.code();
            assert_eq!(code(error.into()), expected, "{label}");
        }
    }
}
