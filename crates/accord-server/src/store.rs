//! The scenario library: scenarios with their full version history and the
//! analysis runs made on them, in one SQLite file.
//!
//! Every save is a new version written in its own transaction; the database
//! runs in WAL mode with `synchronous=FULL`, so a save the server has
//! acknowledged survives a crash of the process or the machine.

use accord_formats::Syntax;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// What can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused an operation.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// No (live) scenario with this id.
    #[error("no scenario `{0}`")]
    NoScenario(String),
    /// The scenario has no such version.
    #[error("scenario `{0}` has no version {1}")]
    NoVersion(String, i64),
    /// A live scenario already uses this id.
    #[error("a scenario `{0}` already exists")]
    Exists(String),
    /// The file was written by a newer Accord with a schema this build does not know.
    #[error(
        "the library has schema version {found}, newer than this build knows ({known}); \
         use a newer accord or another --db file"
    )]
    TooNew {
        /// `PRAGMA user_version` of the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// The id is not a valid scenario id.
    #[error("invalid scenario id `{0}`: use 1–64 letters, digits, `-`, `_` or `.`")]
    BadId(String),
}

/// A scenario in the list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScenarioSummary {
    /// Scenario id (also its URL segment).
    pub id: String,
    /// Title at the latest version (from the scenario file, if it parses).
    pub title: String,
    /// Latest version number.
    pub version: i64,
    /// How many versions are kept.
    pub versions: i64,
    /// When the latest version was saved (seconds since the Unix epoch).
    pub updated: i64,
    /// Whether the scenario ships with Accord.
    pub bundled: bool,
}

/// One saved version of a scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Version {
    /// Scenario id.
    pub id: String,
    /// Version number, from 1.
    pub version: i64,
    /// The scenario file text.
    pub text: String,
    /// `toml` or `json`.
    pub syntax: Syntax,
    /// When it was saved (seconds since the Unix epoch).
    pub saved: i64,
    /// A note: `bundled`, `created`, `saved`, `restored from N`.
    pub note: String,
}

/// An analysis run recorded against a stored version.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Run {
    /// Run number.
    pub run: i64,
    /// Scenario id.
    pub id: String,
    /// The version analysed.
    pub version: i64,
    /// `analyze`, `process`, `show` or `validate`.
    pub kind: String,
    /// When it ran (seconds since the Unix epoch).
    pub at: i64,
    /// Wall time in milliseconds.
    pub millis: i64,
    /// HTTP-like status: 200 done, 400 bad input, 503 over budget.
    pub status: i64,
    /// One-line result (e.g. `zopa 0, 3 blockers`).
    pub summary: String,
}

/// The library: a SQLite connection.
pub struct Store {
    conn: Connection,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether `id` is a valid scenario id (URL-safe, no path separators).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id != "."
        && id != ".."
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The schema migrations, in order: step `n` (from 1) brings a library at
/// `PRAGMA user_version = n - 1` to version `n`. Never edit a shipped step;
/// append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the tables as first shipped. Libraries made before versioning
    // (user_version 0) already hold them, hence `IF NOT EXISTS`.
    "
CREATE TABLE IF NOT EXISTS scenarios (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    bundled INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER
);
CREATE TABLE IF NOT EXISTS versions (
    id TEXT NOT NULL REFERENCES scenarios(id),
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    syntax TEXT NOT NULL,
    saved INTEGER NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    at INTEGER NOT NULL,
    millis INTEGER NOT NULL,
    status INTEGER NOT NULL,
    summary TEXT NOT NULL
);
",
    // 2: the run history is read per scenario, newest first.
    "CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (id, run);",
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to [`SCHEMA_VERSION`] in one transaction, so a
/// failed step leaves the file as it was; refuses a newer file.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if !(0..=SCHEMA_VERSION).contains(&found) {
        return Err(StoreError::TooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    for step in &MIGRATIONS[found as usize..] {
        tx.execute_batch(step)?;
    }
    if found < SCHEMA_VERSION {
        // PRAGMA takes no bound parameters; the value is our own constant.
        tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    }
    tx.commit()?;
    Ok(())
}

impl Store {
    /// Opens (or creates) the library at `path` and seeds the bundled scenarios.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::init(Connection::open(path)?)
    }

    /// An in-memory library (for tests), seeded like a new file.
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // journal_mode returns a row, so it is read rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        let mut conn = conn;
        migrate(&mut conn)?;
        let mut st = Store { conn };
        st.seed()?;
        Ok(st)
    }

    /// Adds each bundled scenario that the library has never held.
    fn seed(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        // `bundled` holds the rank in BUNDLED (from 1), so the flagship lists first.
        for (rank, b) in accord_formats::bundled::BUNDLED.iter().enumerate() {
            let known: Option<String> = tx
                .query_row("SELECT id FROM scenarios WHERE id = ?1", [b.name], |r| {
                    r.get(0)
                })
                .optional()?;
            if known.is_none() {
                tx.execute(
                    "INSERT INTO scenarios (id, title, bundled) VALUES (?1, ?2, ?3)",
                    params![b.name, title_of(b.text, Syntax::Toml), rank as i64 + 1],
                )?;
                tx.execute(
                    "INSERT INTO versions (id, version, text, syntax, saved, note)
                     VALUES (?1, 1, ?2, 'toml', ?3, 'bundled')",
                    params![b.name, b.text, now()],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The live scenarios, by id.
    pub fn list(&self) -> Result<Vec<ScenarioSummary>, StoreError> {
        let mut q = self.conn.prepare(
            "SELECT s.id, s.title, MAX(v.version), COUNT(v.version), MAX(v.saved), s.bundled
             FROM scenarios s JOIN versions v ON v.id = s.id
             WHERE s.deleted IS NULL GROUP BY s.id
             ORDER BY s.bundled = 0, s.bundled, s.id",
        )?;
        let rows = q.query_map([], |r| {
            Ok(ScenarioSummary {
                id: r.get(0)?,
                title: r.get(1)?,
                version: r.get(2)?,
                versions: r.get(3)?,
                updated: r.get(4)?,
                bundled: r.get::<_, i64>(5)? != 0,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn live(&self, id: &str) -> Result<(), StoreError> {
        let found: Option<Option<i64>> = self
            .conn
            .query_row("SELECT deleted FROM scenarios WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match found {
            Some(None) => Ok(()),
            _ => Err(StoreError::NoScenario(id.to_string())),
        }
    }

    /// Creates a scenario with its first version.
    pub fn create(&mut self, id: &str, text: &str, syntax: Syntax) -> Result<Version, StoreError> {
        if !valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        let tx = self.conn.transaction()?;
        let deleted: Option<Option<i64>> = tx
            .query_row("SELECT deleted FROM scenarios WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        let version = match deleted {
            Some(None) => return Err(StoreError::Exists(id.to_string())),
            // Re-creating a deleted id continues its history.
            Some(Some(_)) => {
                tx.execute(
                    "UPDATE scenarios SET deleted = NULL, title = ?2 WHERE id = ?1",
                    params![id, title_of(text, syntax)],
                )?;
                next_version(&tx, id)?
            }
            None => {
                tx.execute(
                    "INSERT INTO scenarios (id, title) VALUES (?1, ?2)",
                    params![id, title_of(text, syntax)],
                )?;
                1
            }
        };
        let v = insert_version(&tx, id, version, text, syntax, "created")?;
        tx.commit()?;
        Ok(v)
    }

    /// Saves a new version of a live scenario.
    pub fn save(&mut self, id: &str, text: &str, syntax: Syntax) -> Result<Version, StoreError> {
        self.save_note(id, text, syntax, "saved")
    }

    /// Saves a new version with the author's note (a what-if's reasoning);
    /// an empty note reads `saved`.
    pub fn save_with_note(
        &mut self,
        id: &str,
        text: &str,
        syntax: Syntax,
        note: &str,
    ) -> Result<Version, StoreError> {
        let note = note.trim();
        self.save_note(
            id,
            text,
            syntax,
            if note.is_empty() { "saved" } else { note },
        )
    }

    fn save_note(
        &mut self,
        id: &str,
        text: &str,
        syntax: Syntax,
        note: &str,
    ) -> Result<Version, StoreError> {
        self.live(id)?;
        let tx = self.conn.transaction()?;
        let version = next_version(&tx, id)?;
        let v = insert_version(&tx, id, version, text, syntax, note)?;
        tx.execute(
            "UPDATE scenarios SET title = ?2 WHERE id = ?1",
            params![id, title_of(text, syntax)],
        )?;
        tx.commit()?;
        Ok(v)
    }

    /// Saves an old version's text as the newest version.
    pub fn restore(&mut self, id: &str, version: i64) -> Result<Version, StoreError> {
        let old = self.version(id, Some(version))?;
        self.save_note(
            id,
            &old.text,
            old.syntax,
            &format!("restored from {version}"),
        )
    }

    /// One version of a live scenario (the latest when `version` is `None`).
    pub fn version(&self, id: &str, version: Option<i64>) -> Result<Version, StoreError> {
        self.live(id)?;
        let row = match version {
            Some(n) => self
                .conn
                .query_row(
                    "SELECT id, version, text, syntax, saved, note FROM versions
                     WHERE id = ?1 AND version = ?2",
                    params![id, n],
                    version_row,
                )
                .optional()?,
            None => self
                .conn
                .query_row(
                    "SELECT id, version, text, syntax, saved, note FROM versions
                     WHERE id = ?1 ORDER BY version DESC LIMIT 1",
                    [id],
                    version_row,
                )
                .optional()?,
        };
        row.ok_or_else(|| StoreError::NoVersion(id.to_string(), version.unwrap_or(0)))
    }

    /// Every version of a live scenario, newest first, without the text.
    pub fn history(&self, id: &str) -> Result<Vec<Version>, StoreError> {
        self.live(id)?;
        let mut q = self.conn.prepare(
            "SELECT id, version, '', syntax, saved, note FROM versions
             WHERE id = ?1 ORDER BY version DESC",
        )?;
        let rows = q.query_map([id], version_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Marks a scenario deleted; its versions and runs are kept.
    pub fn delete(&mut self, id: &str) -> Result<(), StoreError> {
        self.live(id)?;
        self.conn.execute(
            "UPDATE scenarios SET deleted = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        Ok(())
    }

    /// Records an analysis run against a stored version.
    pub fn record_run(
        &mut self,
        id: &str,
        version: i64,
        kind: &str,
        millis: i64,
        status: i64,
        summary: &str,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO runs (id, version, kind, at, millis, status, summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, version, kind, now(), millis, status, summary],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The runs on a scenario, newest first (at most `limit`).
    pub fn runs(&self, id: &str, limit: i64) -> Result<Vec<Run>, StoreError> {
        self.live(id)?;
        let mut q = self.conn.prepare(
            "SELECT run, id, version, kind, at, millis, status, summary FROM runs
             WHERE id = ?1 ORDER BY run DESC LIMIT ?2",
        )?;
        let rows = q.query_map(params![id, limit], |r| {
            Ok(Run {
                run: r.get(0)?,
                id: r.get(1)?,
                version: r.get(2)?,
                kind: r.get(3)?,
                at: r.get(4)?,
                millis: r.get(5)?,
                status: r.get(6)?,
                summary: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Checkpoints the write-ahead log into the main file and closes the
    /// connection, so SQLite removes the `-wal` and `-shm` side files.
    pub fn close(self) -> Result<(), StoreError> {
        self.checkpoint()?;
        self.conn.close().map_err(|(_, e)| StoreError::Sql(e))
    }

    /// Copies the write-ahead log into the main file and truncates it.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        // The pragma answers a row (busy, log pages, checkpointed pages).
        let _: (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        Ok(())
    }

    /// `PRAGMA user_version`: the schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// `PRAGMA integrity_check`: `ok` for a sound database.
    pub fn integrity(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// The syntax in a `syntax` column: the store writes `toml` or `json`;
/// anything else (a hand-edited database) reads as TOML, as it always has.
pub(crate) fn syntax_column(s: &str) -> Syntax {
    s.parse().unwrap_or(Syntax::Toml)
}

fn version_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Version> {
    Ok(Version {
        id: r.get(0)?,
        version: r.get(1)?,
        text: r.get(2)?,
        syntax: syntax_column(&r.get::<_, String>(3)?),
        saved: r.get(4)?,
        note: r.get(5)?,
    })
}

fn next_version(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<i64, StoreError> {
    Ok(tx.query_row(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM versions WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?)
}

fn insert_version(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    version: i64,
    text: &str,
    syntax: Syntax,
    note: &str,
) -> Result<Version, StoreError> {
    let saved = now();
    tx.execute(
        "INSERT INTO versions (id, version, text, syntax, saved, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, version, text, syntax.name(), saved, note],
    )?;
    Ok(Version {
        id: id.to_string(),
        version,
        text: text.to_string(),
        syntax,
        saved,
        note: note.to_string(),
    })
}

/// The scenario title if the text parses, else an empty string.
fn title_of(text: &str, syntax: Syntax) -> String {
    accord_formats::parse_scenario(text, "scenario", syntax)
        .map(|s| s.title)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_restore_and_soft_delete() {
        let mut st = Store::in_memory().unwrap();
        let ids: Vec<String> = st.list().unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["ukraine-2025-12", "sale", "triad"]);
        let sale = accord_formats::bundled::bundled("sale").unwrap().text;
        assert_eq!(st.create("mine", sale, Syntax::Toml).unwrap().version, 1);
        assert!(matches!(
            st.create("mine", sale, Syntax::Toml),
            Err(StoreError::Exists(_))
        ));
        let v2 = st.save("mine", "x = 1", Syntax::Toml).unwrap();
        assert_eq!(v2.version, 2);
        let v3 = st.restore("mine", 1).unwrap();
        assert_eq!((v3.version, v3.text.as_str()), (3, sale));
        assert_eq!(v3.note, "restored from 1");
        let h: Vec<i64> = st
            .history("mine")
            .unwrap()
            .iter()
            .map(|v| v.version)
            .collect();
        assert_eq!(h, [3, 2, 1]);
        st.record_run("mine", 2, "analyze", 5, 400, "bad input")
            .unwrap();
        assert_eq!(st.runs("mine", 10).unwrap()[0].version, 2);
        st.delete("mine").unwrap();
        assert!(matches!(
            st.version("mine", None),
            Err(StoreError::NoScenario(_))
        ));
        assert_eq!(st.list().unwrap().len(), 3);
        // Re-creating continues the history.
        assert_eq!(st.create("mine", sale, Syntax::Toml).unwrap().version, 4);
        assert_eq!(st.integrity().unwrap(), "ok");
    }

    /// The schema as shipped before it carried a version (user_version 0).
    const SCHEMA_V0: &str = "
        CREATE TABLE scenarios (id TEXT PRIMARY KEY, title TEXT NOT NULL,
            bundled INTEGER NOT NULL DEFAULT 0, deleted INTEGER);
        CREATE TABLE versions (id TEXT NOT NULL REFERENCES scenarios(id),
            version INTEGER NOT NULL, text TEXT NOT NULL, syntax TEXT NOT NULL,
            saved INTEGER NOT NULL, note TEXT NOT NULL, PRIMARY KEY (id, version));
        CREATE TABLE runs (run INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,
            version INTEGER NOT NULL, kind TEXT NOT NULL, at INTEGER NOT NULL,
            millis INTEGER NOT NULL, status INTEGER NOT NULL, summary TEXT NOT NULL);";

    fn scratch_db(name: &str) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!("accord-{name}-{}.db", std::process::id()));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
        p
    }

    #[test]
    fn an_unversioned_library_is_migrated_intact() {
        let path = scratch_db("v0");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V0).unwrap();
            c.execute_batch(
                "INSERT INTO scenarios VALUES ('sale', 'Old sale', 2, NULL);
                 INSERT INTO scenarios VALUES ('gone', 'Gone', 0, 1700000000);
                 INSERT INTO versions VALUES ('sale', 1, 'a = 1', 'toml', 1600000000, 'bundled');
                 INSERT INTO versions VALUES ('sale', 2, '{}', 'json', 1600000100, 'saved');
                 INSERT INTO versions VALUES ('gone', 1, 'b = 2', 'toml', 1600000200, 'created');
                 INSERT INTO runs (id, version, kind, at, millis, status, summary)
                   VALUES ('sale', 2, 'analyze', 1600000300, 12, 200, 'zopa 4');",
            )
            .unwrap();
            let v: i64 = c
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, 0);
        }
        let st = Store::open(&path).unwrap();
        assert_eq!(st.schema_version().unwrap(), 2);
        let v2 = st.version("sale", None).unwrap();
        assert_eq!(
            (v2.version, v2.text.as_str(), v2.syntax, v2.saved),
            (2, "{}", Syntax::Json, 1600000100)
        );
        assert_eq!(st.version("sale", Some(1)).unwrap().text, "a = 1");
        let runs = st.runs("sale", 10).unwrap();
        assert_eq!((runs.len(), runs[0].summary.as_str()), (1, "zopa 4"));
        // The deleted scenario stays deleted, and `sale` keeps its old title
        // (seeding skips ids the library has held).
        assert!(matches!(
            st.version("gone", None),
            Err(StoreError::NoScenario(_))
        ));
        let sale = st
            .list()
            .unwrap()
            .into_iter()
            .find(|s| s.id == "sale")
            .unwrap();
        assert_eq!((sale.title.as_str(), sale.versions), ("Old sale", 2));
        let index: i64 = st
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'runs_by_scenario'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
        st.close().unwrap();
        // Opening again applies nothing and finds the same data.
        let st = Store::open(&path).unwrap();
        assert_eq!(st.history("sale").unwrap().len(), 2);
        st.close().unwrap();
        for ext in ["-wal", "-shm"] {
            assert!(!std::path::Path::new(&format!("{}{ext}", path.display())).exists());
        }
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let path = scratch_db("v99");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch(SCHEMA_V0).unwrap();
            c.execute_batch("PRAGMA user_version = 99").unwrap();
        }
        let err = Store::open(&path).err().expect("refused");
        assert_eq!(
            err.to_string(),
            "the library has schema version 99, newer than this build knows (2); \
             use a newer accord or another --db file"
        );
        // Nothing was written: the file keeps its version.
        let c = Connection::open(&path).unwrap();
        let v: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 99);
        drop(c);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn ids_cannot_traverse_paths() {
        for bad in ["", "..", "a/b", "a\\b", "../etc", "a b", &"x".repeat(65)] {
            assert!(!valid_id(bad), "{bad:?}");
        }
        assert!(valid_id("ukraine-2025-12"));
    }
}
