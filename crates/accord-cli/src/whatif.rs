//! The what-if flags every analysing command shares (`--drop`, `--set`):
//! parsed here, applied by `accord_formats::whatif` before validation, and
//! echoed in the command's output.

use crate::input::{self, Source};
use crate::BadInput;
use accord::Scenario;
use accord_formats::scenario::raw::ScenarioFile;
use accord_formats::scenario::{parse_raw, validate_raw, Syntax};
use accord_formats::whatif::{self, Assumed, Op, WhatIfError, WithAssumed};
use clap::{Arg, ArgAction, ArgMatches, Command, FromArgMatches};

/// The what-if operations of one command line, in the order typed.
///
/// clap's derive keeps each flag's values apart, which would lose the
/// order between `--drop`, `--set` and `--reading`; this reads them with
/// their positions on the command line and merges them.
#[derive(Debug, Clone, Default)]
pub struct WhatIf {
    /// The operations, in command-line order.
    pub ops: Vec<Op>,
}

const DROP: &str = "whatif_drop";
const SET: &str = "whatif_set";
const READING: &str = "whatif_reading";

impl clap::Args for WhatIf {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(
            Arg::new(DROP)
                .long("drop")
                .value_name("ID")
                .action(ArgAction::Append)
                .value_parser(|s: &str| whatif::parse_drop(s).map_err(why))
                .help_heading("What-ifs")
                .help(
                    "What if this red line, precondition, ratifier, deadline or feasibility \
                     constraint were dropped? (repeatable; KIND:ID picks one kind)",
                ),
        )
        .arg(
            Arg::new(SET)
                .long("set")
                .value_name("PATH=VALUE")
                .action(ArgAction::Append)
                .value_parser(|s: &str| whatif::parse_set(s).map_err(why))
                .help_heading("What-ifs")
                .help(
                    "What if this number were VALUE: ACTOR.reservation, ACTOR.power, \
                     ACTOR.ISSUE.weight or RATIFIER.quota (repeatable; applied in order)",
                ),
        )
        .arg(
            Arg::new(READING)
                .long("reading")
                .value_name("ID=NAME")
                .action(ArgAction::Append)
                .value_parser(|s: &str| whatif::parse_reading(s).map_err(why))
                .help_heading("What-ifs")
                .help(
                    "What if red line ID were read as its reading NAME, e.g. \
                     ru-nato-renunciation=literal (repeatable)",
                ),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for WhatIf {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut ops: Vec<(usize, Op)> = Vec::new();
        for id in [DROP, SET, READING] {
            if let (Some(values), Some(at)) = (m.get_many::<Op>(id), m.indices_of(id)) {
                ops.extend(at.zip(values.cloned()));
            }
        }
        ops.sort_by_key(|(at, _)| *at);
        Ok(WhatIf {
            ops: ops.into_iter().map(|(_, op)| op).collect(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

/// The reason alone, for clap, which names the flag and value itself.
fn why(e: WhatIfError) -> String {
    match e {
        WhatIfError::BadSet { why, .. }
        | WhatIfError::BadDrop { why, .. }
        | WhatIfError::BadReading { why, .. } => why,
        e => e.to_string(),
    }
}

fn bad(e: WhatIfError) -> anyhow::Error {
    match e {
        // Located diagnostics carry their own `error:` lines.
        WhatIfError::Invalid(l) => BadInput(l.to_string()).into(),
        e => BadInput(format!("error: {e}")).into(),
    }
}

impl WhatIf {
    /// Whether no what-if was given.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Loads the scenario a command was given, with the what-ifs applied.
    pub fn load(&self, file: Option<&str>) -> anyhow::Result<(Scenario, Assumed)> {
        let src = input::read(file)?;
        self.scenario(&src)
    }

    /// Checks a scenario source with the what-ifs applied (without any, the
    /// very same path as [`Source::scenario`]).
    pub fn scenario(&self, src: &Source) -> anyhow::Result<(Scenario, Assumed)> {
        if self.is_empty() {
            return Ok((src.scenario()?, Assumed::default()));
        }
        let syntax = Syntax::detect(&src.file, &src.text);
        whatif::load(&src.text, &src.file, syntax, &self.ops).map_err(bad)
    }

    /// The raw scenario with the what-ifs applied, for commands that work on
    /// the raw file (the timeline), and the validated scenario.
    pub fn raw(
        &self,
        src: &Source,
        syntax: Syntax,
    ) -> anyhow::Result<(ScenarioFile, Scenario, Assumed)> {
        let lerr = |e: accord_formats::LoadError| anyhow::Error::from(BadInput(e.to_string()));
        let mut raw = parse_raw(&src.text, &src.file, syntax).map_err(lerr)?;
        let assumed = whatif::apply(&mut raw, &self.ops).map_err(bad)?;
        let sc = validate_raw(&raw, &src.text, &src.file, syntax).map_err(lerr)?;
        Ok((raw, sc, assumed))
    }

    /// Refuses what-ifs where there is no scenario to apply them to.
    pub fn refuse(&self, input: &str) -> anyhow::Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        Err(BadInput(format!(
            "error: --drop, --set and --reading change a scenario; they do not apply to {input}"
        ))
        .into())
    }
}

/// Prints the `Assuming: …` line when anything was assumed.
pub fn echo(assumed: &Assumed) -> anyhow::Result<()> {
    if let Some(line) = assumed.line() {
        outln!("{line}");
    }
    Ok(())
}

/// Prints a JSON document with an `assumed` field when anything was
/// assumed (and byte for byte as before when nothing was).
pub fn print_json<T: serde::Serialize>(doc: &T, assumed: &Assumed) -> anyhow::Result<()> {
    crate::cmd::print_json(&WithAssumed { doc, assumed })
}
