//! `dlg test [PATH]... [--jobs N] [--filter PATTERN] [--record] [--junit FILE] [--coverage]
//! [--lcov FILE]`: runs the tests of `*_test.dg` files (see `crate::testing`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::api::engine::Engine;
use crate::eval::coverage::Coverage;
use crate::testing::report::{self, EXIT_USAGE};
use crate::testing::runner::{run_tests, HttpMode, TestConfig};

/// Arguments of `dlg test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Test files (`*_test.dg`) and folders to search recursively; default: the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Tests run at once; default: one per core.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Only the tests whose name `FILE::function` contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
    /// Send HTTP requests for real (through the connections) and write each test file's
    /// cassette; without it, requests are answered from the cassettes, offline.
    #[arg(long)]
    pub record: bool,
    /// Also write the results as JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Report line coverage of the code under test.
    #[arg(long)]
    pub coverage: bool,
    /// Write line coverage in lcov format to FILE (implies --coverage).
    #[arg(long, value_name = "FILE")]
    pub lcov: Option<PathBuf>,
}

/// Runs the command; returns the exit code.
pub fn run(args: TestArgs) -> i32 {
    if args.jobs == Some(0) {
        eprintln!("error: --jobs needs at least 1");
        return EXIT_USAGE;
    }
    let jobs = args.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let config = TestConfig {
        paths: args.paths.clone(),
        jobs,
        filter: args.filter.clone(),
        http: if args.record {
            HttpMode::Record
        } else {
            HttpMode::Replay
        },
        coverage: args.coverage || args.lcov.is_some(),
    };
    let mut engine = Engine::new();
    if config.http == HttpMode::Replay {
        engine.set_connections(None);
    }
    let coverage = config.coverage.then(|| Arc::new(Coverage::new()));
    let mut stdout = std::io::stdout();
    let mut print = |line: String| {
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
    };
    let shown = &mut |result: &crate::testing::runner::TestResult| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", report::result_line(result));
        let _ = out.flush();
    };
    let suite = match run_tests(&config, &engine, coverage.clone(), shown) {
        Ok(suite) => suite,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    if suite.plans.is_empty() && suite.problems.is_empty() {
        eprintln!("no test files (names ending in `_test.dg`) were found");
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let failures = report::failures(&suite, color);
    if !failures.is_empty() {
        print(failures.trim_end().to_owned());
    }
    if let Some(coverage) = &coverage {
        let report = crate::testing::coverage::collect(&suite.plans, coverage);
        print(format!("\n{}", report.table().trim_end()));
        if let Some(path) = &args.lcov {
            if let Err(e) = std::fs::write(path, report.lcov()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return EXIT_USAGE;
            }
        }
    }
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, crate::testing::junit::junit_xml(&suite)) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    print(String::new());
    print(report::summary(&suite));
    report::exit_code(&suite)
}
