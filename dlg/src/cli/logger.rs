//! `dlg --verbose`: the logger that prints the library's `debug` records (HTTP exchanges,
//! redirects, credential renewals, the connection store in use) to standard error as
//! `dlg: LINE`. Records of other crates (reqwest, rustls, ...) are not printed.

use log::{Level, LevelFilter, Log, Metadata, Record};

/// The library's log target prefix: records from `deluge_lang::*` modules.
const TARGET: &str = "deluge_lang";

/// Prints the library's records up to `debug` as `dlg: LINE` on standard error.
struct VerboseLogger;

impl Log for VerboseLogger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= Level::Debug && metadata.target().starts_with(TARGET)
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("dlg: {}", record.args());
        }
    }

    fn flush(&self) {}
}

static LOGGER: VerboseLogger = VerboseLogger;

/// Installs the `--verbose` logger when `verbose`; otherwise nothing is logged.
pub fn install(verbose: bool) {
    if verbose && log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Debug);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_library_records_up_to_debug_are_printed() {
        let at = |target: &str, level: Level| {
            VerboseLogger.enabled(&Metadata::builder().target(target).level(level).build())
        };
        assert!(at("deluge_lang::http::redirect", Level::Debug));
        assert!(at("deluge_lang::connections::store", Level::Info));
        assert!(!at("deluge_lang::http::redirect", Level::Trace));
        assert!(!at("reqwest::connect", Level::Debug));
    }
}
