//! Turn a form export and its mapping into a cohort file.
//!
//! ```text
//! cargo run --release --example import_survey -- examples/data/survey-export.csv \
//!     --mapping examples/data/survey-mapping.toml --output cohort.json
//! cargo run --release --example import_survey -- EXPORT.xlsx --mapping MAPPING.toml
//! cargo run --release --example import_survey -- --help
//! ```
//!
//! Writes the cohort JSON to `--output`, or to stdout. Any error: one line on
//! stderr naming the row, column and cell (or the mapping's line), nothing
//! written, exit status 1 (2 for a usage error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[path = "support/cli.rs"]
mod cli;

use mentor_match::{SurveyMapping, SurveyTable};

/// Reads a form export (CSV, or Excel .xlsx as Microsoft Forms downloads it)
/// and a mapping (TOML) that says which columns hold which answers, and writes
/// the cohort file (JSON) that the matching example reads.
///
/// Respondents are identified by their id trimmed and lower-cased. Errors name
/// the row as a spreadsheet shows it (the header is row 1), the column and the
/// cell.
#[derive(Parser)]
#[command(
    name = "import_survey",
    bin_name = "import_survey",
    args_override_self = true,
    after_help = cli::EXIT_STATUS,
)]
struct Args {
    /// The form export: CSV (comma, semicolon or tab) or .xlsx (read by content, not by name)
    #[arg(value_name = "EXPORT")]
    export: PathBuf,
    /// The mapping (TOML): the questionnaire and which columns hold which answers
    #[arg(long, value_name = "MAPPING")]
    mapping: PathBuf,
    /// Write the cohort JSON to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Args = match cli::parse() {
        Ok(args) => args,
        Err(code) => return code,
    };
    let json = match run(&args) {
        Ok(json) => json,
        Err(message) => return cli::fail("import_survey", &message),
    };
    match &args.output {
        Some(path) => match std::fs::write(path, json + "\n") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => cli::fail("import_survey", &format!("{}: {e}", path.display())),
        },
        None => cli::print("import_survey", &json),
    }
}

fn run(args: &Args) -> Result<String, String> {
    let mapping_file = args.mapping.display();
    let text =
        std::fs::read_to_string(&args.mapping).map_err(|e| format!("{mapping_file}: {e}"))?;
    let mapping: SurveyMapping = text.parse().map_err(|e| format!("{mapping_file}: {e}"))?;
    let export_file = args.export.display();
    let bytes = std::fs::read(&args.export).map_err(|e| format!("{export_file}: {e}"))?;
    let table = SurveyTable::read(&bytes).map_err(|e| format!("{export_file}: {e}"))?;
    let cohort = mapping
        .import(&table)
        .map_err(|e| format!("{export_file}: {e}"))?;
    serde_json::to_string_pretty(&cohort).map_err(|e| e.to_string())
}
