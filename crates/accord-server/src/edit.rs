//! `POST /api/edit`: the page's form view writes its common edits
//! (weights, reservations, ideals, option values) back into the scenario
//! TOML with a format-preserving editor, so the file's comments, order and
//! layout survive; the result is validated like `accord check`.

use crate::error::ApiError;
use accord_app::views::{check_view, CheckDoc};
use accord_formats::{parse_scenario, Syntax};
use axum::body::Bytes;
use axum::Json;
use serde::{Deserialize, Serialize};
use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// The body of `POST /api/edit`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    /// The scenario TOML as it stands in the editor.
    pub text: String,
    /// The edits, applied in order.
    pub edits: Vec<Edit>,
}

/// One form edit. Numbers given with provenance (`{ value = …, source = … }`)
/// keep it: only the `value` changes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// An actor's salience on an issue (`[preferences.issues.ISSUE] weight`).
    Weight {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// The new weight.
        value: f64,
    },
    /// An actor's utility of no deal (`reservation`).
    Reservation {
        /// Actor id.
        actor: String,
        /// The new reservation.
        value: f64,
    },
    /// An actor's ideal point on a numeric issue (`ideal`).
    Ideal {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// The new ideal.
        value: f64,
    },
    /// An actor's value of one option (`values.OPTION`).
    OptionValue {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// Option id.
        option: String,
        /// The new value.
        value: f64,
    },
}

impl Edit {
    /// The edit in words, for messages and the `changed` list.
    fn describe(&self) -> String {
        match self {
            Edit::Weight {
                actor,
                issue,
                value,
            } => format!("{actor}.{issue}.weight = {value}"),
            Edit::Reservation { actor, value } => format!("{actor}.reservation = {value}"),
            Edit::Ideal {
                actor,
                issue,
                value,
            } => format!("{actor}.{issue}.ideal = {value}"),
            Edit::OptionValue {
                actor,
                issue,
                option,
                value,
            } => format!("{actor}.{issue}.values.{option} = {value}"),
        }
    }

    fn value(&self) -> f64 {
        match self {
            Edit::Weight { value, .. }
            | Edit::Reservation { value, .. }
            | Edit::Ideal { value, .. }
            | Edit::OptionValue { value, .. } => *value,
        }
    }
}

/// The answer of `POST /api/edit`.
#[derive(Serialize)]
pub struct EditDoc {
    /// The scenario TOML with the edits applied (comments and layout kept).
    pub text: String,
    /// Each edit as applied, in words (`RU.nato.weight = 0.2`).
    pub changed: Vec<String>,
    /// The edited file checked as `accord check --json` checks it.
    pub check: CheckDoc,
}

/// Why an edit could not be applied.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    /// The text is not TOML (the message is located by the scenario reader).
    #[error("the text is not TOML")]
    NotToml,
    /// An edit names something the file does not have.
    #[error("edits[{index}] ({what}): {why}")]
    Missing {
        /// Position of the edit in the request.
        index: usize,
        /// The edit in words.
        what: String,
        /// What is missing.
        why: String,
    },
}

/// The `[[preferences]]` entry of `actor`.
fn preference<'a>(doc: &'a mut DocumentMut, actor: &str) -> Result<&'a mut Table, String> {
    let prefs = doc
        .get_mut("preferences")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| "the file has no [[preferences]]".to_string())?;
    prefs
        .iter_mut()
        .find(|t| t.get("actor").and_then(Item::as_str) == Some(actor))
        .ok_or_else(|| format!("no [[preferences]] entry for actor `{actor}`"))
}

/// The `[preferences.issues.ISSUE]` table (or inline table) of a preference.
fn issue_table<'a>(
    pref: &'a mut Table,
    actor: &str,
    issue: &str,
) -> Result<&'a mut dyn TableLike, String> {
    pref.get_mut("issues")
        .and_then(Item::as_table_like_mut)
        .and_then(|t| t.get_mut(issue))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("actor `{actor}` states no preference on issue `{issue}`"))
}

/// `v` as a TOML value shaped like `old`: an integer stays an integer when
/// the new number is whole.
fn number_like(old: Option<&Value>, v: f64) -> Value {
    match old {
        Some(Value::Integer(_)) if v.fract() == 0.0 && v.abs() < 9e15 => Value::from(v as i64),
        _ => Value::from(v),
    }
}

/// Sets the number under `key`, keeping its comments and spacing, and its
/// provenance when it is written `{ value = …, source = … }`.
fn set_number(t: &mut dyn TableLike, key: &str, v: f64, must_exist: bool) -> Result<(), String> {
    match t.get_mut(key) {
        Some(Item::Value(Value::InlineTable(it))) if it.contains_key("value") => {
            let slot = it.get_mut("value").expect("checked");
            let decor = slot.decor().clone();
            *slot = number_like(Some(slot), v);
            *slot.decor_mut() = decor;
            Ok(())
        }
        Some(Item::Table(tt)) if tt.contains_key("value") => set_number(tt, "value", v, true),
        Some(Item::Value(old)) => {
            let decor = old.decor().clone();
            *old = number_like(Some(old), v);
            *old.decor_mut() = decor;
            Ok(())
        }
        Some(_) => Err(format!("`{key}` is not a number")),
        None if must_exist => Err(format!("no `{key}` to change")),
        None => {
            t.insert(key, Item::Value(Value::from(v)));
            Ok(())
        }
    }
}

fn apply_one(doc: &mut DocumentMut, e: &Edit) -> Result<(), String> {
    if !e.value().is_finite() {
        return Err("the value must be a finite number".into());
    }
    match e {
        Edit::Reservation { actor, value } => {
            set_number(preference(doc, actor)?, "reservation", *value, false)
        }
        Edit::Weight {
            actor,
            issue,
            value,
        } => set_number(
            issue_table(preference(doc, actor)?, actor, issue)?,
            "weight",
            *value,
            false,
        ),
        Edit::Ideal {
            actor,
            issue,
            value,
        } => set_number(
            issue_table(preference(doc, actor)?, actor, issue)?,
            "ideal",
            *value,
            true,
        )
        .map_err(|w| format!("{w} (only a peaked numeric preference has an ideal)")),
        Edit::OptionValue {
            actor,
            issue,
            option,
            value,
        } => {
            let t = issue_table(preference(doc, actor)?, actor, issue)?;
            let values = t
                .get_mut("values")
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("actor `{actor}` gives no option values on `{issue}`"))?;
            set_number(values, option, *value, true).map_err(|_| {
                format!("actor `{actor}` gives no value to option `{option}` of `{issue}`")
            })
        }
    }
}

/// Applies `edits` to the TOML `text`, keeping everything else byte for
/// byte; returns the new text and each edit in words.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Result<(String, Vec<String>), EditError> {
    let mut doc: DocumentMut = text.parse().map_err(|_| EditError::NotToml)?;
    let mut changed = Vec::new();
    for (index, e) in edits.iter().enumerate() {
        apply_one(&mut doc, e).map_err(|why| EditError::Missing {
            index,
            what: e.describe(),
            why,
        })?;
        changed.push(e.describe());
    }
    Ok((doc.to_string(), changed))
}

/// `POST /api/edit`: `{text, edits}` → `{text, changed, check}`. A text
/// that is not TOML answers 400 with the reader's located diagnostics; an
/// edit that names nothing answers 400 naming the edit.
pub(crate) async fn edit(body: Bytes) -> Result<Json<EditDoc>, ApiError> {
    let req: EditRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::BadRequest(format!(
            "expected {{\"text\": TOML, \"edits\": [{{\"op\": \"weight\" | \"reservation\" | \"ideal\" | \"option_value\", …}}]}}: {e}"
        ))
    })?;
    let file = "scenario.toml";
    let (text, changed) = match apply_edits(&req.text, &req.edits) {
        Ok(x) => x,
        Err(EditError::NotToml) => {
            // The scenario reader locates the syntax error.
            accord_formats::scenario::parse_raw(&req.text, file, Syntax::Toml)?;
            return Err(ApiError::BadRequest("the text is not TOML".into()));
        }
        Err(e) => return Err(ApiError::BadRequest(e.to_string())),
    };
    let parsed = parse_scenario(&text, file, Syntax::Toml);
    let check = check_view(file, &parsed, false);
    Ok(Json(EditDoc {
        text,
        changed,
        check,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALE: &str = include_str!("../../../scenarios/sale.toml");

    #[test]
    fn edits_keep_comments_and_provenance() {
        let text = SALE.replace(
            "[[preferences]]\nactor = \"seller\"",
            "# The seller's view, from the example.\n[[preferences]]\nactor = \"seller\" # the one who sells",
        );
        let edits = [
            Edit::Reservation {
                actor: "seller".into(),
                value: 0.35,
            },
            // The buyer's weights still sum to 1.
            Edit::Weight {
                actor: "buyer".into(),
                issue: "price".into(),
                value: 0.5,
            },
            Edit::Weight {
                actor: "buyer".into(),
                issue: "delivery".into(),
                value: 0.5,
            },
            Edit::OptionValue {
                actor: "buyer".into(),
                issue: "delivery".into(),
                option: "standard".into(),
                value: 0.25,
            },
        ];
        let (out, changed) = apply_edits(&text, &edits).unwrap();
        assert!(out.contains("# The seller's view, from the example.\n[[preferences]]\nactor = \"seller\" # the one who sells\n"));
        assert!(
            out.contains("reservation = { value = 0.35, source = \"example\" }"),
            "{out}"
        );
        assert!(
            out.contains("weight = { value = 0.5, source = \"example\" }"),
            "{out}"
        );
        assert!(
            out.contains("values = { express = 1, standard = 0.25 }"),
            "{out}"
        );
        assert_eq!(
            changed,
            [
                "seller.reservation = 0.35",
                "buyer.price.weight = 0.5",
                "buyer.delivery.weight = 0.5",
                "buyer.delivery.values.standard = 0.25"
            ]
        );
        // Only the four lines changed.
        let diff: Vec<_> = text
            .lines()
            .zip(out.lines())
            .filter(|(a, b)| a != b)
            .collect();
        assert_eq!(diff.len(), 4, "{diff:?}");
        assert_eq!(text.lines().count(), out.lines().count());
        // The result re-validates, with the new numbers.
        let sc = parse_scenario(&out, "t.toml", Syntax::Toml).unwrap();
        let seller = sc.actors.iter().position(|a| a.id == "seller").unwrap();
        assert_eq!(sc.preferences[seller].reservation.value, 0.35);
    }

    #[test]
    fn integers_stay_integers_and_ideals_need_a_peak() {
        let triad = include_str!("../../../scenarios/triad.toml");
        let (out, _) = apply_edits(
            triad,
            &[Edit::Ideal {
                actor: "C".into(),
                issue: "years".into(),
                value: 20.0,
            }],
        )
        .unwrap();
        assert!(out.contains("ideal = 20\n"), "{out}");
        assert!(parse_scenario(&out, "t.toml", Syntax::Toml).is_ok());
        let e = apply_edits(
            SALE,
            &[Edit::Ideal {
                actor: "seller".into(),
                issue: "price".into(),
                value: 3.0,
            }],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "edits[0] (seller.price.ideal = 3): no `ideal` to change (only a peaked numeric preference has an ideal)"
        );
        let e = apply_edits(
            SALE,
            &[Edit::Reservation {
                actor: "nobody".into(),
                value: 0.1,
            }],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "edits[0] (nobody.reservation = 0.1): no [[preferences]] entry for actor `nobody`"
        );
        assert_eq!(apply_edits("x = = 1", &[]).unwrap_err(), EditError::NotToml);
    }
}
