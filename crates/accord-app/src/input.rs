//! Input files every front end reads the same way: text files under the
//! size limit, GENIUS folders, and the forecasting inputs (KTAB, DEU). The
//! CLI and the Python package call these, so a folder or a data file is
//! read, sorted and refused identically everywhere.

use accord::forecast::{ModelKind, SmpOptions, SpatialProblem};
use accord::negotiate::Domain;
use accord_formats::genius::{
    import_genius_files, is_nonlinear_genius, read_genius_nonlinear, GeniusFile, GeniusImport,
    GeniusOptions,
};
use accord_formats::LoadError;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input file or standard input a front end reads: 64 MiB.
///
/// Real scenarios are kilobytes and the largest bundled data files a few
/// megabytes; the cap keeps `accord check /dev/zero` (or a runaway pipe)
/// from growing memory without bound.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Why an input could not be read. The messages carry no `error:` prefix;
/// each front end adds its own.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A file or stream could not be opened or read (what the system said).
    #[error("{0}")]
    Unreadable(String),
    /// A file or stream is over the size limit or is not UTF-8 text.
    #[error("{0}")]
    Refused(String),
    /// A folder could not be listed.
    #[error("cannot read folder `{path}`: {source}")]
    Folder {
        /// The folder as given.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// A GENIUS folder holds no `*.xml` file.
    #[error("no .xml files in `{0}`")]
    NoXml(String),
    /// A bad argument (the scenario date), with what was expected.
    #[error("{0}")]
    Argument(String),
    /// The GENIUS files are not a valid negotiation (located diagnostics).
    #[error("{0}")]
    Genius(LoadError),
    /// A KTAB or DEU file is malformed: the file and what is wrong.
    #[error("in {path}: {message}")]
    Data {
        /// The file as given.
        path: String,
        /// What the reader said.
        message: String,
    },
    /// The DEU file has no issue with the id asked for.
    #[error("no DEU issue {issue:?} in {path}")]
    NoIssue {
        /// The id asked for (empty when none matched at all).
        issue: String,
        /// The file as given.
        path: String,
    },
}

/// Reads at most [`MAX_INPUT_BYTES`] from `r`, refusing anything larger and
/// anything that is not UTF-8; `shown` names the input in the message.
pub fn read_capped(r: impl Read, shown: &str) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    r.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Unreadable(format!("cannot read {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::Refused(format!(
            "{shown} is larger than the 64 MiB input limit"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        InputError::Refused(format!(
            "{shown} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads a whole text file under the input size limit (see [`read_capped`]).
pub fn read_file(path: &Path) -> Result<String, InputError> {
    let shown = format!("`{}`", path.display());
    let f = std::fs::File::open(path)
        .map_err(|e| InputError::Unreadable(format!("cannot read {shown}: {e}")))?;
    read_capped(f, &shown)
}

/// The GENIUS files named by `inputs`: the files themselves, or, for a
/// single folder, every `*.xml` file in it sorted by name (the order the
/// profiles become actors in).
pub fn read_genius_files(inputs: &[PathBuf]) -> Result<Vec<GeniusFile>, InputError> {
    let paths: Vec<PathBuf> = match inputs {
        [one] if one.is_dir() => {
            let shown = one.display().to_string();
            let rd = std::fs::read_dir(one).map_err(|source| InputError::Folder {
                path: shown.clone(),
                source,
            })?;
            let mut v: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("xml"))
                })
                .collect();
            v.sort();
            if v.is_empty() {
                return Err(InputError::NoXml(shown));
            }
            v
        }
        _ => inputs.to_vec(),
    };
    paths
        .iter()
        .map(|p| Ok(GeniusFile::new(p.display().to_string(), read_file(p)?)))
        .collect()
}

/// Reads and imports a linear GENIUS negotiation (see
/// [`read_genius_files`]) into a scenario; `opts.as_of` must be a date
/// (GENIUS files carry none, so it comes from the user).
pub fn import_genius(inputs: &[PathBuf], opts: &GeniusOptions) -> Result<GeniusImport, InputError> {
    check_date(opts)?;
    let files = read_genius_files(inputs)?;
    import_genius_files(&files, opts).map_err(InputError::Genius)
}

/// Refuses a scenario date that is not `YYYY-MM-DD`.
fn check_date(opts: &GeniusOptions) -> Result<(), InputError> {
    if !accord_formats::scenario::is_iso_date(&opts.as_of) {
        return Err(InputError::Argument(format!(
            "the scenario date `{}` is not a date: expected YYYY-MM-DD",
            opts.as_of
        )));
    }
    Ok(())
}

/// Reads a GENIUS negotiation to negotiate on (`simulate`, `tournament`):
/// non-linear profiles become a box problem, linear ones a scenario
/// imported as [`import_genius`] does.
pub fn genius_domain(inputs: &[PathBuf], opts: &GeniusOptions) -> Result<Domain, InputError> {
    check_date(opts)?;
    let files = read_genius_files(inputs)?;
    if is_nonlinear_genius(&files) {
        return read_genius_nonlinear(&files)
            .map(Domain::Boxes)
            .map_err(InputError::Genius);
    }
    import_genius_files(&files, opts)
        .map(|i| Domain::Scenario(i.scenario))
        .map_err(InputError::Genius)
}

/// The forecasting models a name selects: one model by its name, or every
/// model for `all`, in [`ModelKind::ALL`] order.
pub fn model_selection(name: &str) -> Result<Vec<ModelKind>, accord::UnknownName> {
    if name == "all" {
        return Ok(ModelKind::ALL.to_vec());
    }
    name.parse::<ModelKind>()
        .map(|k| vec![k])
        .map_err(|e| accord::UnknownName {
            expected: &["compromise", "median", "eum", "smp", "all"],
            ..e
        })
}

/// Runs one model on a problem with the SMP options its file gave (the
/// other models take no options from files).
pub fn run_forecast_model(
    kind: ModelKind,
    p: &SpatialProblem,
    smp_opts: &SmpOptions,
    cancel: &dyn accord::forecast::Cancel,
) -> accord::forecast::Forecast {
    match kind {
        ModelKind::Smp => accord::forecast::smp(p, smp_opts, cancel),
        k => accord::forecast::run_model(k, p, cancel),
    }
}

/// Where `accord forecast` takes its spatial problems from.
#[derive(Debug, Clone, Copy)]
pub enum ForecastSource<'a> {
    /// A KTAB SMP input: `.xml` or, by any other name, CSV.
    Ktab(&'a Path),
    /// A DEU CSV, every issue or only the one with this id.
    Deu(&'a Path, Option<&'a str>),
}

/// One spatial problem to forecast, with the SMP options its file gave.
#[derive(Debug, Clone)]
pub struct ForecastUnit {
    /// The KTAB scenario's name or the DEU issue id.
    pub label: String,
    /// The actors' positions, saliences and capabilities.
    pub problem: SpatialProblem,
    /// SMP settings (the KTAB file's, or the defaults for DEU).
    pub smp: SmpOptions,
}

/// The problems a forecasting input holds.
#[derive(Debug, Clone)]
pub struct ForecastInput {
    /// One unit per problem, in file order.
    pub units: Vec<ForecastUnit>,
    /// The KTAB file asks for stochastic transitions (SMP runs
    /// deterministically; front ends say so).
    pub stochastic: bool,
}

/// Reads a KTAB or DEU forecasting input into its spatial problems.
pub fn load_forecast_input(src: ForecastSource<'_>) -> Result<ForecastInput, InputError> {
    let data = |path: &Path, e: &dyn std::fmt::Display| InputError::Data {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    match src {
        ForecastSource::Ktab(path) => {
            let text = read_file(path)?;
            let xml = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            let sc = if xml {
                accord_formats::ktab::read_ktab_xml(&text)
            } else {
                accord_formats::ktab::read_ktab_csv(&text)
            }
            .map_err(|e| data(path, &e))?;
            Ok(ForecastInput {
                units: vec![ForecastUnit {
                    label: sc.name,
                    problem: sc.problem,
                    smp: sc.smp,
                }],
                stochastic: sc.stochastic,
            })
        }
        ForecastSource::Deu(path, issue) => {
            let text = read_file(path)?;
            let issues = accord_formats::deu::read_deu(&text).map_err(|e| data(path, &e))?;
            let units: Vec<_> = issues
                .into_iter()
                .filter(|i| issue.is_none_or(|id| i.id == id))
                .map(|i| ForecastUnit {
                    label: i.id,
                    problem: i.problem,
                    smp: SmpOptions::default(),
                })
                .collect();
            if units.is_empty() {
                return Err(InputError::NoIssue {
                    issue: issue.unwrap_or("").to_string(),
                    path: path.display().to_string(),
                });
            }
            Ok(ForecastInput {
                units,
                stochastic: false,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's own data files.
    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

    #[test]
    fn a_genius_folder_reads_its_xml_files_sorted() {
        let files = read_genius_files(&[format!("{DATA}/genius/picnic").into()]).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.base_name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert!(names.len() >= 4, "{names:?}");
        let imp = import_genius(
            &[format!("{DATA}/genius/picnic").into()],
            &Default::default(),
        )
        .unwrap();
        // Three parties over 3 × 4 × 2 outcomes.
        assert_eq!(imp.scenario.actors.len(), 3);
        assert_eq!(imp.scenario.space_size(), 24);
    }

    #[test]
    fn model_names_select_one_model_or_all() {
        assert_eq!(model_selection("eum").unwrap(), [ModelKind::Eum]);
        assert_eq!(model_selection("all").unwrap(), ModelKind::ALL);
        assert_eq!(
            model_selection("EUM").unwrap_err().to_string(),
            "unknown model `EUM` (expected compromise, median, eum, smp, all)"
        );
    }

    #[test]
    fn a_bad_as_of_is_refused_before_any_file_is_read() {
        let opts = GeniusOptions {
            as_of: "2025-+1-01".into(),
            ..Default::default()
        };
        let e = import_genius(&["/nonexistent".into()], &opts).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the scenario date `2025-+1-01` is not a date: expected YYYY-MM-DD"
        );
    }

    #[test]
    fn deu_issues_filter_by_id_and_a_missing_one_is_named() {
        let path = PathBuf::from(format!("{DATA}/deu/deu3.csv"));
        let all = load_forecast_input(ForecastSource::Deu(&path, None)).unwrap();
        assert!(all.units.len() > 1);
        let first = all.units[0].label.clone();
        let one = load_forecast_input(ForecastSource::Deu(&path, Some(&first))).unwrap();
        assert_eq!(one.units.len(), 1);
        assert_eq!(one.units[0].label, first);
        let e = load_forecast_input(ForecastSource::Deu(&path, Some("nope"))).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("no DEU issue \"nope\" in {}", path.display())
        );
    }
}
