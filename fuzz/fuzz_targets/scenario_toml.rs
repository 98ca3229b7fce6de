//! Fuzz target: see `accord_formats::fuzzing::scenario_toml`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_formats::fuzzing::scenario_toml(data));
