//! The command-line examples, as tests run them: built once per test
//! process with the test's own profile, so that a test of an example always
//! runs its current code.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;

/// The examples' folder, after `cargo build --examples` with this test's
/// profile: beside this test's own binary.
fn examples_dir() -> &'static Path {
    static DIR: LazyLock<PathBuf> = LazyLock::new(|| {
        let mut dir = std::env::current_exe().unwrap();
        dir.pop();
        if dir.ends_with("deps") {
            dir.pop();
        }
        let profile = match dir.file_name().and_then(|name| name.to_str()) {
            Some("debug") | None => "dev",
            Some(profile) => profile,
        };
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let build = Command::new(&cargo)
            .args(["build", "--quiet", "--examples", "--profile", profile])
            .arg("--manifest-path")
            .arg(&manifest)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", Path::new(&cargo).display()));
        assert!(
            build.status.success(),
            "building the examples failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        dir.join("examples")
    });
    &DIR
}

/// The command that runs example `name`, built first.
pub fn command(name: &str) -> Command {
    let binary = examples_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} was not built", binary.display());
    Command::new(binary)
}
