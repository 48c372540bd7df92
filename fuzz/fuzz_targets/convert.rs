//! libFuzzer entry point of the `convert` target; the checks are in `src/convert.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| deluge_lang_fuzz::convert::check(data));
