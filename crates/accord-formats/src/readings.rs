//! Choosing which reading of a red line or a precondition an analysis
//! assumes (`--reading ID=NAME`), shared by every command that analyses a
//! scenario.

use crate::process_toml::{RawPrecondition, RawPreconditionReading};
use crate::scenario::raw::ScenarioFile;
use accord::model::Scenario;

/// Makes `name` the active (default) reading of red line `id`: its rule
/// and provenance change places with the named alternative, so every
/// analysis that reads the red line's rule sees the chosen reading, and
/// the readings analysis sees the same set of readings as before.
pub fn select_reading(sc: &mut Scenario, id: &str, name: &str) -> Result<(), String> {
    let mut with: Vec<&str> = sc
        .readings
        .iter()
        .filter(|r| !r.alternatives.is_empty())
        .map(|r| sc.red_lines[r.red_line].id.as_str())
        .collect();
    with.extend(
        sc.precondition_readings
            .iter()
            .filter(|r| !r.alternatives.is_empty())
            .map(|r| sc.process.preconditions[r.precondition].id.as_str()),
    );
    if !sc.red_lines.iter().any(|r| r.id == id) {
        if let Some(k) = sc.process.preconditions.iter().position(|p| p.id == id) {
            let with = list(&with);
            return select_precondition_reading(sc, k, name, &with);
        }
    }
    let Some(k) = sc.red_lines.iter().position(|r| r.id == id) else {
        return Err(format!(
            "--reading: no red line `{id}`; red lines with readings: {}",
            list(&with)
        ));
    };
    let Some(rs) = sc.readings.iter_mut().find(|r| r.red_line == k) else {
        return Err(format!(
            "--reading: red line `{id}` has no readings; red lines with readings: {}",
            list(&with)
        ));
    };
    if rs.default_name == name {
        return Ok(());
    }
    let Some(a) = rs.alternatives.iter().position(|r| r.name == name) else {
        let names = rs.names().join(", ");
        return Err(format!(
            "--reading: red line `{id}` has no reading `{name}`; its readings: {names}"
        ));
    };
    let alt = &mut rs.alternatives[a];
    let line = &mut sc.red_lines[k];
    std::mem::swap(&mut line.rule, &mut alt.rule);
    std::mem::swap(&mut line.provenance, &mut alt.provenance);
    std::mem::swap(&mut rs.default_name, &mut alt.name);
    std::mem::swap(&mut rs.default_weight, &mut alt.weight);
    // The red line's own grade is its source's; the swapped-out reading
    // keeps no override.
    alt.grade = None;
    Ok(())
}

/// The precondition half of [`select_reading`]: the precondition's
/// milestones, timing, rule and sources change places with the reading's
/// (its id, owner and `when` stay).
fn select_precondition_reading(
    sc: &mut Scenario,
    k: usize,
    name: &str,
    with: &str,
) -> Result<(), String> {
    let id = sc.process.preconditions[k].id.clone();
    let Some(rs) = sc
        .precondition_readings
        .iter_mut()
        .find(|r| r.precondition == k)
    else {
        return Err(format!(
            "--reading: precondition `{id}` has no readings; red lines and preconditions with readings: {with}"
        ));
    };
    if rs.default_name == name {
        return Ok(());
    }
    let Some(a) = rs.alternatives.iter().position(|r| r.name == name) else {
        let names = rs.names().join(", ");
        return Err(format!(
            "--reading: precondition `{id}` has no reading `{name}`; its readings: {names}"
        ));
    };
    let alt = &mut rs.alternatives[a];
    std::mem::swap(&mut sc.process.preconditions[k], &mut alt.precondition);
    std::mem::swap(&mut rs.default_name, &mut alt.name);
    std::mem::swap(&mut rs.default_weight, &mut alt.weight);
    alt.grade = None;
    Ok(())
}

/// [`select_reading`] on a scenario file before it is validated (the
/// what-if path, so the timeline's steps see the chosen reading too).
/// Returns whether `id` is a precondition (else a red line).
pub fn select_reading_raw(raw: &mut ScenarioFile, id: &str, name: &str) -> Result<bool, String> {
    let mut with: Vec<&str> = raw
        .red_lines
        .iter()
        .filter(|r| !r.readings.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    with.extend(
        raw.preconditions
            .iter()
            .filter(|p| !p.readings.is_empty())
            .map(|p| p.id.as_str()),
    );
    let with = list(&with);
    if !raw.red_lines.iter().any(|r| r.id == id) {
        if let Some(p) = raw.preconditions.iter_mut().find(|p| p.id == id) {
            select_precondition_reading_raw(p, name, &with)?;
            return Ok(true);
        }
    }
    let Some(line) = raw.red_lines.iter_mut().find(|r| r.id == id) else {
        return Err(format!(
            "no red line `{id}`; red lines with readings: {with}"
        ));
    };
    let own = line
        .default_reading
        .clone()
        .unwrap_or_else(|| "default".into());
    if own == name {
        return Ok(false);
    }
    if line.readings.is_empty() {
        return Err(format!(
            "red line `{id}` has no readings; red lines with readings: {with}"
        ));
    }
    let Some(alt) = line.readings.iter_mut().find(|r| r.name == name) else {
        let mut names = vec![own];
        names.extend(line.readings.iter().map(|r| r.name.clone()));
        return Err(format!(
            "red line `{id}` has no reading `{name}`; its readings: {}",
            names.join(", ")
        ));
    };
    std::mem::swap(&mut line.rule, &mut alt.rule);
    std::mem::swap(&mut line.source, &mut alt.source);
    std::mem::swap(&mut line.quote, &mut alt.quote);
    std::mem::swap(&mut line.assumption, &mut alt.assumption);
    std::mem::swap(&mut line.default_weight, &mut alt.weight);
    line.default_reading = Some(std::mem::replace(&mut alt.name, own));
    // The red line's own grade is its source's; the swapped-out reading
    // keeps no override (as in `select_reading`).
    alt.grade = None;
    Ok(false)
}

/// The raw half of [`select_precondition_reading`].
fn select_precondition_reading_raw(
    p: &mut RawPrecondition,
    name: &str,
    with: &str,
) -> Result<(), String> {
    let own = p
        .default_reading
        .clone()
        .unwrap_or_else(|| "default".into());
    if own == name {
        return Ok(());
    }
    if p.readings.is_empty() {
        return Err(format!(
            "precondition `{}` has no readings; red lines and preconditions with readings: {with}",
            p.id
        ));
    }
    let Some(k) = p.readings.iter().position(|r| r.name == name) else {
        let mut names = vec![own];
        names.extend(p.readings.iter().map(|r| r.name.clone()));
        return Err(format!(
            "precondition `{}` has no reading `{name}`; its readings: {}",
            p.id,
            names.join(", ")
        ));
    };
    let alt = p.readings[k].clone();
    let chosen = p.under(&alt);
    let old = RawPreconditionReading {
        name: own,
        before: Some(p.before.clone()),
        then: Some(p.then.clone()),
        min_days: p.min_days,
        max_days: p.max_days,
        // An explicit kind, so the swapped-out reading keeps its own timing
        // even when it had none of the day fields.
        kind: Some(p.kind.clone().unwrap_or_else(|| {
            match (p.min_days, p.max_days) {
                (None, None) => "before",
                (Some(_), None) => "at_least",
                (None, Some(_)) => "within",
                (Some(_), Some(_)) => "between",
            }
            .to_string()
        })),
        rule: Some(p.rule.clone()),
        weight: p.default_weight,
        grade: None,
        source: p.source.clone(),
        quote: p.quote.clone(),
        assumption: p.assumption.clone(),
        note: None,
    };
    p.before = chosen.before;
    p.then = chosen.then;
    p.min_days = chosen.min_days;
    p.max_days = chosen.max_days;
    p.kind = chosen.kind;
    p.rule = chosen.rule;
    p.source = chosen.source;
    p.quote = chosen.quote;
    p.assumption = chosen.assumption;
    p.default_weight = alt.weight;
    p.default_reading = Some(alt.name.clone());
    p.readings[k] = old;
    Ok(())
}

/// Parses `ID=NAME` and applies it (see [`select_reading`]).
pub fn apply_reading_spec(sc: &mut Scenario, spec: &str) -> Result<(String, String), String> {
    let Some((id, name)) = spec.split_once('=') else {
        return Err(format!(
            "--reading `{spec}`: expected ID=NAME (a red line or precondition id and one of its readings)"
        ));
    };
    let (id, name) = (id.trim(), name.trim());
    select_reading(sc, id, name)?;
    Ok((id.to_string(), name.to_string()))
}

fn list(xs: &[&str]) -> String {
    if xs.is_empty() {
        "none".into()
    } else {
        xs.join(", ")
    }
}
