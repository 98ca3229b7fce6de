//! Names of the engine's options as users type them (`--method search`,
//! `mechanism="mediated"`), parsed in one place for every front end.

use crate::analysis::Method;
use crate::forecast::ModelKind;
use crate::negotiate::{Mechanism, VoteRule};
use std::str::FromStr;

/// A name that is not one of an option's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{got}` (expected {})", .expected.join(", "))]
pub struct UnknownName {
    /// What was being named ("method", "mechanism", …).
    pub what: &'static str,
    /// The text given.
    pub got: String,
    /// Every accepted name.
    pub expected: &'static [&'static str],
}

/// Looks `s` up in a table of (name, value) pairs.
fn lookup<T: Copy>(
    what: &'static str,
    table: &[(&'static str, T)],
    expected: &'static [&'static str],
    s: &str,
) -> Result<T, UnknownName> {
    table
        .iter()
        .find(|(name, _)| *name == s)
        .map(|&(_, v)| v)
        .ok_or_else(|| UnknownName {
            what,
            got: s.to_string(),
            expected,
        })
}

impl Method {
    /// Every method's name, in the order `--help` lists them.
    pub const NAMES: &'static [&'static str] = &["auto", "enumerate", "search"];
}

impl FromStr for Method {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        let table = [
            ("auto", Method::Auto),
            ("enumerate", Method::Enumerate),
            ("search", Method::Search),
        ];
        lookup("method", &table, Method::NAMES, s)
    }
}

impl FromStr for crate::Reference {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        use crate::Reference as R;
        let table = [
            ("implementable_nash", R::ImplementableNash),
            ("nash", R::Nash),
            ("relaxation", R::Relaxation),
            ("none", R::None),
        ];
        lookup("reference deal", &table, R::NAMES, s)
    }
}

impl Mechanism {
    /// Every mechanism's name.
    pub const NAMES: &'static [&'static str] = &["saop", "multilateral", "mediated"];
}

impl FromStr for Mechanism {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        let table = [
            ("saop", Mechanism::Saop),
            ("multilateral", Mechanism::Multilateral),
            ("mediated", Mechanism::Mediated),
        ];
        lookup("mechanism", &table, Mechanism::NAMES, s)
    }
}

impl VoteRule {
    /// Every vote rule's name.
    pub const NAMES: &'static [&'static str] = &["unanimous", "majority"];
}

impl FromStr for VoteRule {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        let table = [
            ("unanimous", VoteRule::Unanimous),
            ("majority", VoteRule::Majority),
        ];
        lookup("vote rule", &table, VoteRule::NAMES, s)
    }
}

impl ModelKind {
    /// Every forecasting model's name, in [`ModelKind::ALL`] order.
    pub const NAMES: &'static [&'static str] = &["compromise", "median", "eum", "smp"];
}

impl FromStr for ModelKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        let table = ModelKind::ALL.map(|k| (k.name(), k));
        lookup("model", &table, ModelKind::NAMES, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_parses_and_others_say_what_is_expected() {
        for n in Method::NAMES {
            assert!(n.parse::<Method>().is_ok(), "{n}");
        }
        for n in Mechanism::NAMES {
            assert!(n.parse::<Mechanism>().is_ok(), "{n}");
        }
        for n in VoteRule::NAMES {
            assert!(n.parse::<VoteRule>().is_ok(), "{n}");
        }
        assert_eq!("search".parse::<Method>(), Ok(Method::Search));
        assert_eq!("mediated".parse::<Mechanism>(), Ok(Mechanism::Mediated));
        assert_eq!("majority".parse::<VoteRule>(), Ok(VoteRule::Majority));
        for (k, n) in ModelKind::ALL.iter().zip(ModelKind::NAMES) {
            assert_eq!(n.parse::<ModelKind>(), Ok(*k));
            assert_eq!(k.name(), *n);
        }
        for n in crate::Reference::NAMES {
            let r = n.parse::<crate::Reference>().unwrap();
            // The name parses back to the same name (`name` is what JSON
            // writes: the document tests pin it).
            assert_eq!(r.name(), *n);
        }
        assert!("Nash".parse::<crate::Reference>().is_err());
        let e = "Mediated".parse::<Mechanism>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown mechanism `Mediated` (expected saop, multilateral, mediated)"
        );
    }
}
