//! libFuzzer entry point of the `json` target; the checks are in `src/json.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deluge_lang_fuzz::json::check(data));
