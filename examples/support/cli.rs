//! What the command-line examples share: arguments that may not be UTF-8,
//! and output to a reader that may go away.

use std::io::Write as _;
use std::process::ExitCode;

/// The program's arguments, or a message naming the first that is not UTF-8.
pub fn utf8_args() -> Result<Vec<String>, String> {
    std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| format!("argument \"{}\" is not UTF-8", arg.display()))
        })
        .collect()
}

/// Writes `text` and a newline to stdout: success, also when the reader went
/// away (`| head`); any other write error is one line on stderr.
pub fn print(program: &str, text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{program}: cannot write the output: {error}");
            ExitCode::FAILURE
        }
    }
}
