//! Runs axe-core (installed from npm into ui/node_modules) inside the real web view.

use serde_json::Value;

use crate::harness::workspace_root;
use crate::webdriver::Session;
use crate::Result;

/// The WCAG 2.2 A and AA rule tags the audit runs.
pub const TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

/// What one audit found.
#[derive(Debug)]
pub struct Report {
    /// One line per violation: rule id, impact, help text and the offending nodes.
    pub violations: Vec<String>,
    /// How many rules passed (an audit that checked nothing would be worthless).
    pub passes: usize,
}

fn axe_source() -> Result<String> {
    let path = workspace_root().join("ui/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {} ({e}); run npm ci in ui/", path.display()).into())
}

/// Injects axe-core (once per page) and audits the whole document.
pub fn audit(session: &Session) -> Result<Report> {
    let loaded = session.execute("return typeof window.axe === 'object';", vec![])?;
    if loaded != Value::Bool(true) {
        let src = axe_source()?;
        session.execute(&format!("{src}\nreturn typeof window.axe;"), vec![])?;
    }
    let script = r#"
        const done = arguments[arguments.length - 1];
        const tags = arguments[0];
        window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
          .then((r) => done(JSON.stringify({
            passes: r.passes.length,
            violations: r.violations.map((v) =>
              `${v.id} (${v.impact}): ${v.help} -> ` +
              v.nodes.map((n) => n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\s+/g, ' ') + ']').join('; ')),
          })))
          .catch((e) => done(JSON.stringify({ error: String(e) })));
    "#;
    let raw = session.execute_async(script, vec![serde_json::json!(TAGS)])?;
    let text = raw.as_str().ok_or("axe returned no text")?;
    let parsed: Value = serde_json::from_str(text)?;
    if let Some(err) = parsed.get("error") {
        return Err(format!("axe-core failed to run: {err}").into());
    }
    let violations = parsed
        .get("violations")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let passes = parsed.get("passes").and_then(Value::as_u64).unwrap_or(0) as usize;
    if passes == 0 {
        return Err("axe-core ran no rule that passed: the audit did not really run".into());
    }
    Ok(Report { violations, passes })
}
