//! Fuzz target: see `accord_formats::fuzzing::deu`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| accord_formats::fuzzing::deu(data));
