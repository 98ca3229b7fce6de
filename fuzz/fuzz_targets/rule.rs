//! Fuzz target: see `accord_formats::fuzzing::rule`.
#![no_main]

use std::sync::OnceLock;

static ISSUES: OnceLock<Vec<accord::model::Issue>> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let issues = ISSUES.get_or_init(accord_formats::fuzzing::rule_issues);
    accord_formats::fuzzing::rule(data, issues)
});
