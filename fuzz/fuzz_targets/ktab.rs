//! Fuzz target: see `accord_formats::fuzzing::ktab`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_formats::fuzzing::ktab(data));
