//! libFuzzer entry point of the `parse` target; the checks are in `src/parse.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deluge_lang_fuzz::parse::check(data));
