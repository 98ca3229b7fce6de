//! The library endpoints: create, list, read, update (a new version each
//! time), restore, soft delete, version history and run history.

use crate::error::ApiError;
use crate::store::{Store, StoreError};
use crate::AppState;
use accord_app::views::check_view;
use accord_formats::{parse_scenario, Syntax};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Runs `f` on the library in the blocking pool.
pub(crate) async fn with_store<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut st = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut st)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("library task failed: {e}")))?
    .map_err(ApiError::from)
}

/// A scenario text sent to the library: raw TOML/JSON, or
/// `{"text": …, "syntax": "toml"|"json", "id": …}`.
struct Upload {
    id: Option<String>,
    text: String,
    syntax: Syntax,
    /// Why this version was saved (kept in the history).
    note: Option<String>,
}

#[derive(Deserialize)]
struct UploadJson {
    id: Option<String>,
    text: String,
    syntax: Option<String>,
    note: Option<String>,
}

fn upload(body: &Bytes) -> Result<Upload, ApiError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        ApiError::BadRequest(format!(
            "the body is not UTF-8 text (byte {})",
            e.valid_up_to()
        ))
    })?;
    if text.trim_start().starts_with('{') {
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) {
            if m.contains_key("text") {
                let u: UploadJson = serde_json::from_value(Value::Object(m))
                    .map_err(|e| ApiError::BadRequest(format!("bad upload: {e}")))?;
                let syntax = match u.syntax.as_deref() {
                    None => Syntax::Toml,
                    Some(o) => o.parse().map_err(|_| {
                        ApiError::BadRequest(format!("unknown syntax `{o}`: use toml or json"))
                    })?,
                };
                return Ok(Upload {
                    id: u.id,
                    text: u.text,
                    syntax,
                    note: u.note,
                });
            }
        }
        return Ok(Upload {
            id: None,
            text: text.to_string(),
            syntax: Syntax::Json,
            note: None,
        });
    }
    Ok(Upload {
        id: None,
        text: text.to_string(),
        syntax: Syntax::Toml,
        note: None,
    })
}

/// The check document for a saved text (so the editor can show messages).
fn check(file: &str, text: &str, syntax: Syntax) -> (Value, Option<String>) {
    let parsed = parse_scenario(text, file, syntax);
    let id = parsed.as_ref().ok().map(|s| s.id.clone());
    let doc = serde_json::to_value(check_view(file, &parsed, false)).unwrap_or(Value::Null);
    (doc, id)
}

/// `GET /api/health`: liveness and the database's integrity check.
pub(crate) async fn health(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let integrity = with_store(&s, |st| st.integrity()).await?;
    Ok(Json(
        json!({"ok": integrity == "ok", "integrity": integrity}),
    ))
}

/// `GET /api/scenarios`: the live scenarios.
pub(crate) async fn list(State(s): State<AppState>) -> Result<Json<Value>, ApiError> {
    let rows = with_store(&s, |st| st.list()).await?;
    Ok(Json(json!(rows)))
}

/// `POST /api/scenarios`: a new scenario (id from the body or the file).
pub(crate) async fn create(
    State(s): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let u = upload(&body)?;
    let (checked, parsed_id) = check(&format!("new.{}", u.syntax), &u.text, u.syntax);
    let id = u.id.or(parsed_id).ok_or_else(|| {
        ApiError::BadRequest(
            "give an `id`, or a scenario that parses (its [scenario] id is used)".into(),
        )
    })?;
    let v = with_store(&s, move |st| st.create(&id, &u.text, u.syntax)).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": v.id, "version": v.version, "note": v.note, "check": checked})),
    ))
}

/// `?version=N`.
#[derive(Deserialize)]
pub(crate) struct VersionQuery {
    version: Option<i64>,
}

/// `GET /api/scenarios/{id}`: the latest (or `?version=N`) text.
pub(crate) async fn read(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<VersionQuery>,
) -> Result<Json<Value>, ApiError> {
    let v = with_store(&s, move |st| st.version(&id, q.version)).await?;
    Ok(Json(json!(v)))
}

/// `PUT /api/scenarios/{id}`: saves a new version.
pub(crate) async fn update(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let u = upload(&body)?;
    let (checked, _) = check(&format!("{id}.{}", u.syntax), &u.text, u.syntax);
    let note = u.note.unwrap_or_default();
    let v = with_store(&s, move |st| {
        st.save_with_note(&id, &u.text, u.syntax, &note)
    })
    .await?;
    Ok(Json(
        json!({"id": v.id, "version": v.version, "note": v.note, "check": checked}),
    ))
}

/// `DELETE /api/scenarios/{id}`: soft delete (history is kept).
pub(crate) async fn delete(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id2 = id.clone();
    with_store(&s, move |st| st.delete(&id2)).await?;
    Ok(Json(json!({"id": id, "deleted": true})))
}

/// `GET /api/scenarios/{id}/versions`: the history, newest first.
pub(crate) async fn versions(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let h = with_store(&s, move |st| st.history(&id)).await?;
    let rows: Vec<Value> = h
        .iter()
        .map(
            |v| json!({"version": v.version, "syntax": v.syntax, "saved": v.saved, "note": v.note}),
        )
        .collect();
    Ok(Json(json!(rows)))
}

/// Body of `restore`.
#[derive(Deserialize)]
pub(crate) struct RestoreBody {
    version: i64,
}

/// `POST /api/scenarios/{id}/restore`: an old version becomes the newest.
pub(crate) async fn restore(
    State(s): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let r: RestoreBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("expected {{\"version\": N}}: {e}")))?;
    let v = with_store(&s, move |st| st.restore(&id, r.version)).await?;
    Ok(Json(
        json!({"id": v.id, "version": v.version, "note": v.note}),
    ))
}

/// `?limit=N`.
#[derive(Deserialize)]
pub(crate) struct LimitQuery {
    limit: Option<i64>,
}

/// `GET /api/scenarios/{id}/runs`: analyses run on the scenario, newest first.
pub(crate) async fn runs(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<LimitQuery>,
) -> Result<Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    let r = with_store(&s, move |st| st.runs(&id, limit)).await?;
    Ok(Json(json!(r)))
}
