//! The engine stays below every other crate and does no I/O: its manifest
//! may name only the dependencies listed here. A new dependency is a design
//! decision, so this test makes it one (edit `ALLOWED` in the same change,
//! and say why in ARCHITECTURE.md).

/// Pure-computation crates the engine may use.
const ALLOWED: &[&str] = &["thiserror", "serde", "rayon", "rand", "indexmap"];

/// Names of the dependencies in one `[section]` of a Cargo manifest.
fn section_deps(manifest: &str, section: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == section;
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, rest)) = line.split_once('=') {
            let name = key.trim().split('.').next().unwrap_or("").to_string();
            out.push((name, rest.trim().to_string()));
        }
    }
    out
}

#[test]
fn engine_depends_on_no_sibling_and_no_io_crate() {
    let manifest = include_str!("../Cargo.toml");
    let deps = section_deps(manifest, "[dependencies]");
    assert!(!deps.is_empty(), "no [dependencies] section read");
    for (name, spec) in &deps {
        assert!(
            ALLOWED.contains(&name.as_str()),
            "the engine gained the dependency `{name}`: the engine does no I/O and \
             depends on no sibling crate (ARCHITECTURE.md, invariants)"
        );
        assert!(
            !spec.contains("path"),
            "`{name}` is a path dependency: the engine depends on no sibling crate"
        );
    }
    assert!(
        !manifest.contains("[target."),
        "platform-specific dependencies in the engine's manifest"
    );
}

/// The sibling crates a manifest names in `[dependencies]`.
fn siblings(manifest: &str) -> Vec<String> {
    section_deps(manifest, "[dependencies]")
        .into_iter()
        .map(|(name, _)| name)
        .filter(|n| n.starts_with("accord"))
        .collect()
}

#[test]
fn formats_and_the_application_layer_point_down_only() {
    // Formats read and write files: they know the engine and nothing above.
    let formats = include_str!("../../accord-formats/Cargo.toml");
    assert_eq!(
        siblings(formats),
        ["accord"],
        "accord-formats may depend on the engine only (ARCHITECTURE.md, invariants)"
    );
    // The application layer sits under every front end: never on the
    // server, the CLI or the Python package.
    let app = include_str!("../../accord-app/Cargo.toml");
    assert_eq!(
        siblings(app),
        ["accord", "accord-formats"],
        "accord-app may depend on the engine and the formats only (ARCHITECTURE.md, invariants)"
    );
}

#[test]
fn the_section_reader_sees_what_it_should() {
    let m = "[package]\nname = \"x\"\n[dependencies]\nserde.workspace = true\n\
             foo = { path = \"../foo\" }\n[dev-dependencies]\nbar = \"1\"\n";
    let deps = section_deps(m, "[dependencies]");
    let names: Vec<&str> = deps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["serde", "foo"]);
    assert!(deps[1].1.contains("path"));
}
