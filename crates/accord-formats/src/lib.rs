//! Readers and writers for Accord: scenario files (TOML and JSON) and GENIUS
//! XML ([`genius`]), with
//! diagnostics that name the file, line and column of every problem.
#![deny(missing_docs)]

pub mod bundled;
pub mod deu;
pub mod diag;
#[doc(hidden)]
pub mod fuzzing;
pub mod genius;
pub mod ktab;
pub mod locate;
pub mod process_toml;
pub mod readings;
pub mod rule;
pub mod scenario;
pub mod timeline;
pub mod whatif;

pub use diag::{Diagnostic, LoadError};
pub use scenario::{parse_scenario, to_toml, Syntax};
