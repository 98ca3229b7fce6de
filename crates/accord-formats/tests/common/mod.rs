//! Where the test files of this crate find their data: the repository's
//! own `data/` folder, and the ANAC domains, which are not shipped.

// Each test file compiles this module on its own and uses a subset of it.
#![allow(dead_code)]

use accord_formats::genius::GeniusFile;
use std::path::{Path, PathBuf};

/// The repository's `data/` folder (shipped; see `data/README.md`).
pub const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// The folder named by `ACCORD_ANAC_DATA` (holding `genius/y2010`,
/// `genius/y2011`, `genius/other`), or `None` after printing why `test`
/// is skipped: the ANAC domains are GPL/AGPL and stay outside the
/// repository.
pub fn anac(test: &str) -> Option<PathBuf> {
    const WHY: &str = "ANAC domains are GPL/AGPL and not shipped; see data/README.md";
    match std::env::var_os("ACCORD_ANAC_DATA") {
        None => {
            eprintln!("SKIP {test}: ACCORD_ANAC_DATA not set ({WHY})");
            None
        }
        Some(dir) if !Path::new(&dir).join("genius").is_dir() => {
            let dir = Path::new(&dir).display().to_string();
            eprintln!("SKIP {test}: ACCORD_ANAC_DATA={dir} holds no genius/ folder ({WHY})");
            None
        }
        Some(dir) => Some(PathBuf::from(dir)),
    }
}

/// The `*.xml` files of a GENIUS folder, sorted by name.
pub fn genius_files(dir: &Path) -> Vec<GeniusFile> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("utf-8 file");
            GeniusFile::new(p.display().to_string(), text)
        })
        .collect()
}

/// The files of one of the repository's own GENIUS domains
/// (`data/genius/<name>`).
pub fn own(name: &str) -> Vec<GeniusFile> {
    genius_files(&Path::new(DATA).join("genius").join(name))
}
