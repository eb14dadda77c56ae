//! What the command-line examples share: one exit-status convention, help on
//! stdout, errors as one line on stderr, and output to a reader that may go away.
//!
//! Exit status: 0 on success (also when the reader of the output goes away,
//! as with `| head`) and after `--help`; 1 for an input error; 2 for a usage
//! error (an unknown flag, a bad or missing value).

use std::io::Write as _;
use std::process::ExitCode;

use clap::error::ErrorKind;

/// The end of every example's `--help`.
pub const EXIT_STATUS: &str = "\
Exit status: 0 on success, also when the reader of the output goes away (`| head`);
1 for an input error; 2 for a usage error. Errors are one line on stderr.";

/// Parses the program's arguments into `T`. `Err` carries the exit status when
/// the program is done: after `--help` (printed on stdout, 0) or a usage error
/// (one line on stderr, 2).
pub fn parse<T: clap::Parser>() -> Result<T, ExitCode> {
    T::try_parse().map_err(|error| {
        let program = T::command().get_name().to_owned();
        match error.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                print(&program, error.render().to_string().trim_end())
            }
            _ => {
                eprintln!(
                    "{program}: {} (see --help)",
                    escape_control(&usage_message(&error))
                );
                ExitCode::from(2)
            }
        }
    })
}

/// clap's message for a usage error as one line: its `error:` line and any
/// `tip:` lines, without the usage and the pointer to `--help`.
fn usage_message(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let mut message = String::new();
    let mut in_usage = false;
    for line in rendered.lines().map(str::trim) {
        if line.is_empty() {
            in_usage = false;
        } else if line.starts_with("Usage:") {
            in_usage = true;
        } else if !in_usage && !line.starts_with("For more information") {
            if !message.is_empty() {
                message.push_str(if message.ends_with(':') { " " } else { "; " });
            }
            message.push_str(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    message
}

/// Reports an input error: `message` as one line on stderr (control
/// characters escaped); exit status 1.
pub fn fail(program: &str, message: &str) -> ExitCode {
    eprintln!("{program}: {}", escape_control(message));
    ExitCode::FAILURE
}

/// `text` with every control character (newline, tab, escape, ...) written as
/// its Rust escape (`\n`, `\t`, `\u{1b}`), so that it stays on one line and
/// cannot drive a terminal. Everything else is kept as it is.
pub fn escape_control(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_debug());
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Writes `text` and a newline to stdout: success, also when the reader went
/// away (`| head`); any other write error is one line on stderr.
pub fn print(program: &str, text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => write_failed(program, &error),
    }
}

/// Writes to stdout through a buffer what `write` writes, then a newline,
/// without holding the whole text in memory: success, also when the reader
/// went away (`| head`); any other write error is one line on stderr.
// Not every example streams its output.
#[allow(dead_code)]
pub fn stream(
    program: &str,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> ExitCode {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut stdout)
        .and_then(|()| writeln!(stdout))
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => write_failed(program, &error),
    }
}

/// The exit status after a failed write to stdout: success when the reader
/// went away, else 1 with one line on stderr.
pub fn write_failed(program: &str, error: &std::io::Error) -> ExitCode {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        ExitCode::SUCCESS
    } else {
        fail(program, &format!("cannot write the output: {error}"))
    }
}
