//! One module per subcommand.

pub mod analyze;
pub mod analyze_nonlinear;
pub mod check;
pub mod diff;
pub mod explain;
pub mod forecast_scenario;
pub mod import;
pub mod init;
pub mod process;
pub mod report;
pub mod scenarios;
pub mod sensitivity;
pub mod serve;
pub mod show;
pub mod simulate;
pub mod timeline;
pub mod tournament;

/// Prints a value as pretty JSON on standard output, streamed: the bytes
/// of `outln!("{}", serde_json::to_string_pretty(v)?)` without the whole
/// text in memory (tens of megabytes for a large frontier), through
/// [`crate::Visible`], which escapes the control characters that
/// serde_json leaves raw (DEL and the C1 controls) as JSON escapes.
pub fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    write_json(std::io::stdout().lock(), v)
}

/// [`print_json`] into any writer.
pub fn write_json<W: std::io::Write, T: serde::Serialize>(out: W, v: &T) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, crate::Visible::new(out));
    match serde_json::to_writer_pretty(&mut w, v) {
        Ok(()) => {}
        Err(e) if e.is_io() => return Err(crate::OutputError(e.into()).into()),
        Err(e) => return Err(e.into()),
    }
    w.write_all(b"\n").map_err(crate::OutputError)?;
    let visible = w
        .into_inner()
        .map_err(|e| crate::OutputError(e.into_error()))?;
    visible.finish().map_err(crate::OutputError)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    /// Text with every kind of character `visible` treats: controls it
    /// escapes (ESC, DEL, the C1 controls U+0085 and U+009B), ones it keeps
    /// (newline, tab), and multi-byte characters a write can cut.
    const TEXT: &str = "a\u{1b}[31mé\u{7f}\n\t\u{85}ü\u{9b}😀z\u{0}";

    #[test]
    fn the_visible_writer_escapes_as_visible_json_does_however_the_text_is_cut() {
        let want = crate::visible_json(TEXT).into_owned();
        assert_eq!(
            want, "a\\u001b[31mé\\u007f\n\t\\u0085ü\\u009b😀z\\u0000",
            "the escapes themselves"
        );
        assert_eq!(
            crate::visible(TEXT),
            "a\\u{1b}[31mé\\u{7f}\n\t\\u{85}ü\\u{9b}😀z\\u{0}",
            "the escapes of terminal text"
        );
        let bytes = TEXT.as_bytes();
        for cut in 0..=bytes.len() {
            for cut2 in cut..=bytes.len() {
                let mut w = crate::Visible::new(Vec::new());
                for part in [&bytes[..cut], &bytes[cut..cut2], &bytes[cut2..]] {
                    w.write_all(part).expect("write to a Vec");
                }
                let got = w.finish().expect("write to a Vec");
                assert_eq!(
                    String::from_utf8(got).expect("UTF-8"),
                    want,
                    "cut at {cut}, {cut2}"
                );
            }
        }
    }

    #[test]
    fn streamed_json_is_valid_json_with_every_control_character_escaped() {
        let doc = serde_json::json!({
            "scenario": TEXT,
            "pareto": [{"index": 3, "outcome": {"x": "b"}, "utilities": {"A": 0.55}}],
            "empty": [],
            "none": {},
        });
        let mut got = Vec::new();
        super::write_json(&mut got, &doc).expect("write to a Vec");
        let text = String::from_utf8(got).expect("UTF-8");
        // serde_json's own text, with DEL and the C1 controls it leaves raw
        // written as JSON escapes: nothing a terminal would act on.
        let want = format!(
            "{}\n",
            serde_json::to_string_pretty(&doc)
                .expect("json")
                .replace('\u{7f}', "\\u007f")
                .replace('\u{85}', "\\u0085")
                .replace('\u{9b}', "\\u009b")
        );
        assert_eq!(text, want);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
        // And it reads back as the same document.
        let back: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back, doc);
    }
}
