//! Choosing which reading of a red line an analysis assumes (`--reading
//! ID=NAME`), shared by every command that analyses a scenario.

use crate::scenario::raw::ScenarioFile;
use accord::model::Scenario;

/// Makes `name` the active (default) reading of red line `id`: its rule
/// and provenance change places with the named alternative, so every
/// analysis that reads the red line's rule sees the chosen reading, and
/// the readings analysis sees the same set of readings as before.
pub fn select_reading(sc: &mut Scenario, id: &str, name: &str) -> Result<(), String> {
    let with: Vec<&str> = sc
        .readings
        .iter()
        .filter(|r| !r.alternatives.is_empty())
        .map(|r| sc.red_lines[r.red_line].id.as_str())
        .collect();
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

/// [`select_reading`] on a scenario file before it is validated (the
/// what-if path, so the timeline's steps see the chosen reading too).
pub fn select_reading_raw(raw: &mut ScenarioFile, id: &str, name: &str) -> Result<(), String> {
    let with: Vec<&str> = raw
        .red_lines
        .iter()
        .filter(|r| !r.readings.is_empty())
        .map(|r| r.id.as_str())
        .collect();
    let with = list(&with);
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
        return Ok(());
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
    Ok(())
}

/// Parses `ID=NAME` and applies it (see [`select_reading`]).
pub fn apply_reading_spec(sc: &mut Scenario, spec: &str) -> Result<(String, String), String> {
    let Some((id, name)) = spec.split_once('=') else {
        return Err(format!(
            "--reading `{spec}`: expected ID=NAME (a red line id and one of its readings)"
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
