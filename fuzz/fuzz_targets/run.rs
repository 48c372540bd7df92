//! libFuzzer entry point of the `run` target; the checks are in `src/run.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deluge_lang_fuzz::run::check(data));
