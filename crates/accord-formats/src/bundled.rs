//! The scenarios shipped inside the binary.

/// A scenario bundled with Accord: its file name and text.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    /// Short name, also the scenario id.
    pub name: &'static str,
    /// File name as shown in diagnostics.
    pub file: &'static str,
    /// The TOML text.
    pub text: &'static str,
}

/// Every bundled scenario; the first is the flagship.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        name: "ukraine-2025-12",
        file: "scenarios/ukraine-2025-12.toml",
        text: include_str!("../../../scenarios/ukraine-2025-12.toml"),
    },
    Bundled {
        name: "sale",
        file: "scenarios/sale.toml",
        text: include_str!("../../../scenarios/sale.toml"),
    },
    Bundled {
        name: "triad",
        file: "scenarios/triad.toml",
        text: include_str!("../../../scenarios/triad.toml"),
    },
];

/// The flagship scenario used when a command gets no file.
pub fn flagship() -> &'static Bundled {
    &BUNDLED[0]
}

/// A bundled scenario by name.
pub fn bundled(name: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.name == name)
}
