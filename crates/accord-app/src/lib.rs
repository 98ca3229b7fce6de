//! Accord's application layer, between the engine and the front ends (the
//! CLI, the server and the Python package): the documents every front end
//! prints (`--json`, the API's answers, Python's dicts), the orchestration
//! that combines analyses into them, the engine's errors in the scenario's
//! own words, and the offline HTML/Markdown report. Front ends parse
//! arguments or requests, call one function here and print the result.
#![deny(missing_docs)]

pub mod diff;
pub mod explain;
pub mod forecast_doc;
pub mod input;
pub mod narrative;
pub mod nonlinear;
pub mod report;
pub mod reports;
mod svg;
pub mod verdict;
pub mod views;
