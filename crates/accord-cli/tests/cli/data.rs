//! Where these tests find their data: the repository's own `data/`
//! folder, and the ANAC domains, which are not shipped.

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
