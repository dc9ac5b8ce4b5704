//! Secrets typed by the user (gateway key, API token, meter password): from a hidden prompt when
//! stdin is a terminal, one per line when it is piped. Never from a flag, where `ps` and the shell
//! history would keep them.

use crate::exit::Exit;
use push3_inventory::Secret;
use std::io::{BufRead, IsTerminal};

/// Where secrets come from for one run of the CLI.
pub enum SecretInput {
    /// A person at a terminal: prompt on the terminal and read without echo.
    Terminal,
    /// A script or a test: each secret is the next line of stdin.
    Piped(Box<dyn BufRead>),
}

impl SecretInput {
    pub fn stdin() -> Self {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            Self::Terminal
        } else {
            Self::Piped(Box::new(stdin.lock()))
        }
    }

    /// Reads one secret; `what` names it in the prompt and in errors ("gateway key").
    pub fn read(&mut self, what: &str) -> Result<Secret, Exit> {
        let text = match self {
            Self::Terminal => {
                rpassword::prompt_password(format!("{what} (not shown): ")).map_err(|e| {
                    Exit::invalid(format!("cannot read the {what} from the terminal ({e})"))
                })?
            }
            Self::Piped(reader) => next_line(reader.as_mut(), what)?,
        };
        if text.trim().is_empty() {
            return Err(Exit::invalid(format!(
                "the {what} is empty: type it at the prompt, or pipe it in on its own line"
            )));
        }
        Ok(Secret::new(text))
    }
}

/// The next line without its line ending. Errors say what was missing, never what was read.
fn next_line(reader: &mut dyn BufRead, what: &str) -> Result<String, Exit> {
    let mut line = String::new();
    let read = reader
        .read_line(&mut line)
        .map_err(|e| Exit::invalid(format!("cannot read the {what} from stdin ({})", e.kind())))?;
    if read == 0 {
        return Err(Exit::invalid(format!(
            "stdin ended before the {what}: pipe it in on its own line"
        )));
    }
    let trimmed = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(trimmed);
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piped(text: &'static str) -> SecretInput {
        SecretInput::Piped(Box::new(text.as_bytes()))
    }

    fn message(exit: Exit) -> String {
        match exit {
            Exit::InvalidInput(text) => text,
            _ => panic!("expected invalid input"),
        }
    }

    #[test]
    fn piped_secrets_are_read_one_per_line_without_line_endings() {
        let mut input = piped("key-one-1234\r\ntoken-two-5678\n");
        assert_eq!(input.read("gateway key").unwrap().expose(), "key-one-1234");
        assert_eq!(input.read("API token").unwrap().expose(), "token-two-5678");
    }

    #[test]
    fn a_missing_or_empty_line_is_refused_by_name() {
        let mut input = piped("only-the-key-9876");
        input.read("gateway key").unwrap();
        let e = message(input.read("API token").err().unwrap());
        assert!(e.contains("stdin ended before the API token"), "{e}");

        let e = message(piped("\n").read("gateway key").err().unwrap());
        assert!(e.contains("the gateway key is empty"), "{e}");
    }
}
