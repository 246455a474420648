//! The step illustrations: small hand-written SVG line drawings in `assets/illustrations/`, each
//! with a plain-language text alternative in `assets/illustrations/alt.toml`.
//!
//! Like the content pack, the drawings are compiled into the binary with `include_str!`, so they
//! are there offline. Loading pairs every drawing with its alt text and returns a typed error,
//! never a panic. The tests check that every illustration a content step names exists, that the
//! folder and the list here agree, and that every SVG is inert: no scripts, no event attributes,
//! no external references, no embedded images (see [`svg_problems`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One step illustration, as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct Illustration {
    /// The id a content step names in `illustration = "..."`.
    pub id: String,
    /// The text alternative: what the picture shows, in one plain sentence.
    pub alt: String,
    /// The SVG markup (its `<title>` holds the same text as `alt`).
    pub svg: String,
}

/// Why the illustrations could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IllustrationError {
    /// `alt.toml` is not valid TOML or does not fit the schema.
    #[error("illustrations/alt.toml is not valid: {0}")]
    Parse(String),
    /// A drawing has no alt text.
    #[error("illustration {0} has no alt text in alt.toml")]
    MissingAlt(String),
    /// `alt.toml` has an entry for a drawing that does not exist.
    #[error("alt.toml names illustration {0}, but there is no {0}.svg")]
    UnknownId(String),
    /// `alt.toml` has two entries for one drawing.
    #[error("alt.toml names illustration {0} more than once")]
    DuplicateAlt(String),
}

/// The text alternatives, as compiled into the binary.
pub const ALT_TOML: &str = include_str!("../../../assets/illustrations/alt.toml");

/// Every drawing, by id, as compiled into the binary. A test checks that this list and the
/// folder agree, so a new drawing cannot be left out by mistake.
pub const SVG_FILES: &[(&str, &str)] = &[
    (
        "call-emergency",
        include_str!("../../../assets/illustrations/call-emergency.svg"),
    ),
    (
        "check-breathing",
        include_str!("../../../assets/illustrations/check-breathing.svg"),
    ),
    (
        "cpr-hands",
        include_str!("../../../assets/illustrations/cpr-hands.svg"),
    ),
    (
        "dont-mix",
        include_str!("../../../assets/illustrations/dont-mix.svg"),
    ),
    (
        "door-unlocked",
        include_str!("../../../assets/illustrations/door-unlocked.svg"),
    ),
    (
        "injection-again",
        include_str!("../../../assets/illustrations/injection-again.svg"),
    ),
    (
        "injection-fill",
        include_str!("../../../assets/illustrations/injection-fill.svg"),
    ),
    (
        "injection-kit",
        include_str!("../../../assets/illustrations/injection-kit.svg"),
    ),
    (
        "injection-press",
        include_str!("../../../assets/illustrations/injection-press.svg"),
    ),
    (
        "injection-site",
        include_str!("../../../assets/illustrations/injection-site.svg"),
    ),
    (
        "low-slow",
        include_str!("../../../assets/illustrations/low-slow.svg"),
    ),
    (
        "naloxone",
        include_str!("../../../assets/illustrations/naloxone.svg"),
    ),
    (
        "never-alone",
        include_str!("../../../assets/illustrations/never-alone.svg"),
    ),
    (
        "plan",
        include_str!("../../../assets/illustrations/plan.svg"),
    ),
    (
        "recovery-position",
        include_str!("../../../assets/illustrations/recovery-position.svg"),
    ),
    (
        "rescue-breaths",
        include_str!("../../../assets/illustrations/rescue-breaths.svg"),
    ),
    (
        "shout-shake",
        include_str!("../../../assets/illustrations/shout-shake.svg"),
    ),
    (
        "smoke-not-inject",
        include_str!("../../../assets/illustrations/smoke-not-inject.svg"),
    ),
    (
        "spray-again",
        include_str!("../../../assets/illustrations/spray-again.svg"),
    ),
    (
        "spray-hold",
        include_str!("../../../assets/illustrations/spray-hold.svg"),
    ),
    (
        "spray-insert",
        include_str!("../../../assets/illustrations/spray-insert.svg"),
    ),
    (
        "spray-position",
        include_str!("../../../assets/illustrations/spray-position.svg"),
    ),
    (
        "spray-press",
        include_str!("../../../assets/illustrations/spray-press.svg"),
    ),
    (
        "spray-ready",
        include_str!("../../../assets/illustrations/spray-ready.svg"),
    ),
    (
        "stay",
        include_str!("../../../assets/illustrations/stay.svg"),
    ),
    (
        "strip-cup",
        include_str!("../../../assets/illustrations/strip-cup.svg"),
    ),
    (
        "strip-dip",
        include_str!("../../../assets/illustrations/strip-dip.svg"),
    ),
    (
        "strip-read",
        include_str!("../../../assets/illustrations/strip-read.svg"),
    ),
    (
        "strip-wait",
        include_str!("../../../assets/illustrations/strip-wait.svg"),
    ),
    (
        "strip-water",
        include_str!("../../../assets/illustrations/strip-water.svg"),
    ),
    (
        "take-turns",
        include_str!("../../../assets/illustrations/take-turns.svg"),
    ),
    (
        "test-amount",
        include_str!("../../../assets/illustrations/test-amount.svg"),
    ),
    (
        "test-strip",
        include_str!("../../../assets/illustrations/test-strip.svg"),
    ),
];

/// The namespace declaration every standalone SVG needs; the only `http:` text allowed.
pub const SVG_NAMESPACE: &str = r#"xmlns="http://www.w3.org/2000/svg""#;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AltFile {
    illustrations: Vec<AltEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AltEntry {
    id: String,
    alt: String,
}

/// The illustrations compiled into this binary, in id order.
pub fn embedded() -> Result<Vec<Illustration>, IllustrationError> {
    from_parts(SVG_FILES, ALT_TOML)
}

/// Pairs `(id, SVG text)` drawings with the alt texts in `alt_toml`.
pub fn from_parts(
    svgs: &[(&str, &str)],
    alt_toml: &str,
) -> Result<Vec<Illustration>, IllustrationError> {
    let file: AltFile = toml::from_str(alt_toml)
        .map_err(|err: toml::de::Error| IllustrationError::Parse(err.to_string()))?;
    let mut seen: Vec<&str> = Vec::new();
    for entry in &file.illustrations {
        if seen.contains(&entry.id.as_str()) {
            return Err(IllustrationError::DuplicateAlt(entry.id.clone()));
        }
        seen.push(&entry.id);
        if !svgs.iter().any(|(id, _)| *id == entry.id) {
            return Err(IllustrationError::UnknownId(entry.id.clone()));
        }
    }
    let mut out = Vec::with_capacity(svgs.len());
    for (id, svg) in svgs {
        let alt = file
            .illustrations
            .iter()
            .find(|entry| entry.id == *id)
            .ok_or_else(|| IllustrationError::MissingAlt((*id).to_owned()))?;
        out.push(Illustration {
            id: (*id).to_owned(),
            alt: alt.alt.clone(),
            svg: (*svg).to_owned(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The illustration with this id.
pub fn find<'a>(all: &'a [Illustration], id: &str) -> Option<&'a Illustration> {
    all.iter().find(|picture| picture.id == id)
}

/// Everything wrong with one SVG text: empty when it is a well-formed, inert drawing.
pub fn svg_problems(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let text = svg.trim();
    if !text.starts_with("<svg") {
        out.push("does not start with <svg".to_owned());
    }
    if !text.ends_with("</svg>") {
        out.push("does not end with </svg>".to_owned());
    }
    if !text.contains(r#"viewBox="0 0 240 160""#) {
        out.push("viewBox is not 0 0 240 160".to_owned());
    }
    if !text.contains(r#"role="img""#) {
        out.push(r#"no role="img""#.to_owned());
    }
    if title_of(text).is_none_or(|title| title.trim().is_empty()) {
        out.push("no <title>".to_owned());
    }
    let lower = text.to_lowercase();
    let without_ns = lower.replace(&SVG_NAMESPACE.to_lowercase(), "");
    for banned in [
        "<script",
        "http:",
        "https:",
        "@import",
        "<image",
        "<foreignobject",
        "<style",
        "url(",
        "<!doctype",
        "<!entity",
        "font-family",
        "data:",
    ] {
        if without_ns.contains(banned) {
            out.push(format!("contains {banned}"));
        }
    }
    if let Some(name) = event_attribute(&lower) {
        out.push(format!("has event attribute {name}"));
    }
    if let Some(target) = external_href(&lower) {
        out.push(format!("links to {target:?}; only #local ids are allowed"));
    }
    if let Err(problem) = balanced(text) {
        out.push(problem);
    }
    out
}

/// The stigmatising words in an alt text, and whether it is one short sentence.
pub fn alt_problems(alt: &str) -> Vec<String> {
    let mut out: Vec<String> = super::validate::stigma_in(alt)
        .into_iter()
        .map(|word| format!("stigmatising word {word:?}"))
        .collect();
    let alt = alt.trim();
    if alt.is_empty() {
        out.push("empty alt text".to_owned());
    }
    if alt.len() > 160 {
        out.push("alt text is longer than 160 characters".to_owned());
    }
    if !alt.ends_with('.') {
        out.push("alt text is not a sentence ending in a full stop".to_owned());
    }
    out
}

/// The text of the first `<title>` element.
pub fn title_of(svg: &str) -> Option<&str> {
    let start = svg.find("<title>")? + "<title>".len();
    let len = svg.get(start..)?.find("</title>")?;
    svg.get(start..start + len)
}

/// The first attribute whose name starts with `on` (`onload=`, `onclick =` ...).
fn event_attribute(lower: &str) -> Option<String> {
    let chars: Vec<char> = lower.chars().collect();
    for (i, pair) in chars.windows(3).enumerate() {
        if !(pair[0].is_whitespace() || pair[0] == '"' || pair[0] == '\'' || pair[0] == '/') {
            continue;
        }
        if pair[1] != 'o' || chars.get(i + 2) != Some(&'n') {
            continue;
        }
        let mut j = i + 1;
        while chars
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || *c == '-' || *c == ':')
        {
            j += 1;
        }
        let name: String = chars.get(i + 1..j).unwrap_or_default().iter().collect();
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if chars.get(j) == Some(&'=') && name.len() > 2 {
            return Some(name);
        }
    }
    None
}

/// The first `href` (or `xlink:href`) value that is not a `#local` id.
fn external_href(lower: &str) -> Option<String> {
    let mut rest = lower;
    while let Some(at) = rest.find("href") {
        rest = rest.get(at + 4..).unwrap_or_default();
        let value = rest.trim_start();
        let Some(value) = value.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next();
        let value = match quote {
            Some(q @ ('"' | '\'')) => {
                let inner = value.get(1..).unwrap_or_default();
                inner.split(q).next().unwrap_or_default()
            }
            _ => value.split_whitespace().next().unwrap_or_default(),
        };
        if !value.starts_with('#') {
            return Some(value.to_owned());
        }
    }
    None
}

/// Checks that the tags nest: every open tag is closed, in order, and nothing is left open.
fn balanced(svg: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let close = after
            .find('>')
            .ok_or_else(|| "a tag is not closed with >".to_owned())?;
        let tag = after.get(..close).unwrap_or_default();
        rest = after.get(close + 1..).unwrap_or_default();
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            match stack.pop() {
                Some(top) if top == name => {}
                Some(top) => return Err(format!("</{name}> closes <{top}>")),
                None => return Err(format!("</{name}> closes nothing")),
            }
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or_default();
            if name.is_empty() {
                return Err("an empty tag".to_owned());
            }
            stack.push(name.to_owned());
        }
    }
    match stack.pop() {
        Some(top) => Err(format!("<{top}> is never closed")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ContentPack;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const GOOD_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 160" role="img"><title>A cup.</title>
<g fill="none" stroke="#1f5f66" stroke-width="5"><path d="M10 10h20"/><use href="#a"/></g>
</svg>"##;

    fn assert_caught(svg: &str, what: &str) {
        let problems = svg_problems(svg);
        assert!(
            problems.iter().any(|p| p.contains(what)),
            "expected a problem mentioning {what:?}, got {problems:?}"
        );
    }

    fn bad(from: &str, to: &str) -> String {
        assert!(GOOD_SVG.contains(from), "test edit {from:?} does not apply");
        GOOD_SVG.replacen(from, to, 1)
    }

    #[test]
    fn embedded_illustrations_load() -> TestResult {
        let all = embedded()?;
        assert_eq!(all.len(), SVG_FILES.len());
        assert!(all.len() >= 30);
        Ok(())
    }

    #[test]
    fn every_step_illustration_exists_with_alt_text() -> TestResult {
        let pack = ContentPack::embedded()?;
        let all = embedded()?;
        let mut missing = Vec::new();
        for item in &pack.items {
            for step in &item.steps {
                if let Some(id) = &step.illustration {
                    match find(&all, id) {
                        Some(picture) if !picture.alt.trim().is_empty() => {}
                        _ => missing.push(format!("{} names {id}", item.id)),
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing illustrations: {missing:?}");
        Ok(())
    }

    #[test]
    fn every_svg_in_the_folder_is_compiled_in() -> TestResult {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/illustrations");
        let mut on_disk = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".svg") {
                on_disk.push(id.to_owned());
            } else {
                assert_eq!(name, "alt.toml", "unexpected file in assets/illustrations");
            }
        }
        on_disk.sort();
        let mut compiled: Vec<String> = SVG_FILES.iter().map(|(id, _)| (*id).to_owned()).collect();
        compiled.sort();
        assert_eq!(
            on_disk, compiled,
            "SVG_FILES must list every SVG in assets/illustrations"
        );
        Ok(())
    }

    #[test]
    fn every_svg_is_well_formed_and_inert() -> TestResult {
        let mut report = Vec::new();
        for picture in embedded()? {
            for problem in svg_problems(&picture.svg) {
                report.push(format!("{}: {problem}", picture.id));
            }
            if picture.svg.len() > 4096 {
                report.push(format!("{}: larger than 4 KB", picture.id));
            }
        }
        assert!(report.is_empty(), "SVG problems:\n{}", report.join("\n"));
        Ok(())
    }

    #[test]
    fn every_alt_text_is_plain_and_matches_the_title() -> TestResult {
        let mut report = Vec::new();
        for picture in embedded()? {
            for problem in alt_problems(&picture.alt) {
                report.push(format!("{}: {problem}", picture.id));
            }
            let title = title_of(&picture.svg).map(|t| t.replace("&amp;", "&"));
            if title.as_deref() != Some(picture.alt.as_str()) {
                report.push(format!(
                    "{}: <title> {title:?} differs from alt",
                    picture.id
                ));
            }
        }
        assert!(
            report.is_empty(),
            "alt text problems:\n{}",
            report.join("\n")
        );
        Ok(())
    }

    #[test]
    fn illustration_serialises_in_camel_case() -> TestResult {
        let all = embedded()?;
        let json = serde_json::to_value(all.first())?;
        assert!(json.get("id").is_some() && json.get("alt").is_some() && json.get("svg").is_some());
        Ok(())
    }

    #[test]
    fn the_sample_svg_is_good() {
        assert_eq!(svg_problems(GOOD_SVG), Vec::<String>::new());
    }

    #[test]
    fn catches_a_file_that_is_not_svg() {
        assert_caught(
            &format!("<?xml version=\"1.0\"?>{GOOD_SVG}"),
            "does not start with <svg",
        );
        assert_caught(&bad("</svg>", "</svg>\n<p>"), "does not end with </svg>");
    }

    #[test]
    fn catches_unbalanced_tags() {
        assert_caught(&bad("</g>", ""), "closes");
        assert_caught(
            &bad(r#"<path d="M10 10h20"/>"#, r#"<path d="M10 10h20">"#),
            "closes",
        );
    }

    #[test]
    fn catches_a_missing_role_and_title() {
        assert_caught(&bad(r#" role="img""#, ""), "role");
        assert_caught(&bad("<title>A cup.</title>", ""), "no <title>");
        assert_caught(
            &bad("<title>A cup.</title>", "<title> </title>"),
            "no <title>",
        );
        assert_caught(&bad("0 0 240 160", "0 0 24 16"), "viewBox");
    }

    #[test]
    fn catches_a_script() {
        assert_caught(&bad("</g>", "</g><script>alert(1)</script>"), "<script");
        assert_caught(&bad("</g>", "</g><SCRIPT>alert(1)</SCRIPT>"), "<script");
    }

    #[test]
    fn catches_event_attributes() {
        assert_caught(
            &bad(r#"role="img""#, r#"role="img" onload="alert(1)""#),
            "onload",
        );
        assert_caught(&bad("<path ", "<path onClick = \"x()\" "), "onclick");
        assert_caught(&bad("<path ", "<path\nonmouseover='x()' "), "onmouseover");
        // "stroke-linecap" or a word like "only" in the title are not attributes.
        let fine = bad("A cup.", "Only one cup, on a table.");
        assert_eq!(svg_problems(&fine), Vec::<String>::new());
    }

    #[test]
    fn catches_external_references() {
        assert_caught(&bad("</g>", "</g><a href=\"http://x.example\"/>"), "http:");
        assert_caught(
            &bad("</g>", "</g><a href=\"https://x.example\"/>"),
            "https:",
        );
        assert_caught(
            &bad(r##"href="#a""##, r#"href="other.svg#a""#),
            "only #local",
        );
        assert_caught(
            &bad(r##"href="#a""##, r#"xlink:href='x.svg'"#),
            "only #local",
        );
        assert_caught(
            &bad("</g>", "</g><style>@import 'x.css';</style>"),
            "@import",
        );
        assert_caught(
            &bad("</g>", "</g><style>@import 'x.css';</style>"),
            "<style",
        );
        assert_caught(&bad(r#"fill="none""#, r#"fill="url(other.svg#g)""#), "url(");
        assert_caught(
            &bad(
                r#"stroke-width="5""#,
                r#"stroke-width="5" font-family="Arial""#,
            ),
            "font-family",
        );
        // A second namespace-looking text is still caught; only the SVG namespace is allowed.
        assert_caught(
            &bad("<g ", "<g xmlns:x=\"http://www.w3.org/1999/xlink\" "),
            "http:",
        );
    }

    #[test]
    fn catches_embedded_images_and_foreign_objects() {
        assert_caught(&bad("</g>", "</g><image href=\"#a\"/>"), "<image");
        assert_caught(
            &bad("</g>", "</g><foreignObject><div/></foreignObject>"),
            "<foreignobject",
        );
        assert_caught(
            &bad(r##"href="#a""##, r#"href="data:image/png;base64,AAAA""#),
            "data:",
        );
    }

    #[test]
    fn catches_stigmatising_and_bad_alt_text() {
        let each = [
            ("A person who is an addict lying down.", "addict"),
            ("Drug abuse: a spray.", "abuse"),
            ("A clean needle.", "clean"),
            ("A dirty needle.", "dirty"),
        ];
        for (alt, word) in each {
            let problems = alt_problems(alt);
            assert!(
                problems.iter().any(|p| p.contains(word)),
                "{alt:?}: expected {word:?} to be caught, got {problems:?}"
            );
        }
        assert!(!alt_problems("").is_empty());
        assert!(!alt_problems("No full stop").is_empty());
        assert!(!alt_problems(&"A long sentence. ".repeat(20)).is_empty());
        assert!(alt_problems("A phone making a call.").is_empty());
    }

    #[test]
    fn loading_catches_missing_unknown_and_duplicate_alt_text() {
        let svgs = [("cup", GOOD_SVG), ("phone", GOOD_SVG)];
        let one = "[[illustrations]]\nid = \"cup\"\nalt = \"A cup.\"\n";
        let two = format!("{one}[[illustrations]]\nid = \"phone\"\nalt = \"A phone.\"\n");
        assert!(from_parts(&svgs, &two).is_ok());
        assert_eq!(
            from_parts(&svgs, one),
            Err(IllustrationError::MissingAlt("phone".to_owned()))
        );
        assert_eq!(
            from_parts(&svgs[..1], &two),
            Err(IllustrationError::UnknownId("phone".to_owned()))
        );
        assert_eq!(
            from_parts(&svgs[..1], &format!("{one}{one}")),
            Err(IllustrationError::DuplicateAlt("cup".to_owned()))
        );
        assert!(matches!(
            from_parts(&svgs, "[[illustrations]]\nid = \"cup\"\n"),
            Err(IllustrationError::Parse(_))
        ));
    }
}
