//! The content rules, as checks that return every problem they find (an empty list means the
//! pack passes). The tests run each check on the real pack and on a deliberately bad one.
//! See `docs/content.md` for the rules in words.

use std::collections::HashSet;

use super::model::{Confidence, Item, Region, ResourceKind, Source, StepAction, Topic};
use super::{readability, ContentPack, EMERGENCY_PLACEHOLDER};

/// Which rule a problem breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Schema,
    Phone,
    Readability,
    Stigma,
    Network,
    Completeness,
    /// The life-critical rules: breathing support, CPR, the recovery position, staying, the
    /// benzo wording and each region's order (see [`life_critical`]).
    LifeCritical,
}

/// One broken rule, on one item, fact or resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: String,
    pub check: Check,
    pub detail: String,
}

fn problem(id: &str, check: Check, detail: impl Into<String>) -> Problem {
    Problem {
        id: id.to_owned(),
        check,
        detail: detail.into(),
    }
}

/// Highest Flesch–Kincaid grade allowed for an item's or fact's text taken as a whole.
pub const MAX_GRADE: f64 = 8.0;
/// Highest grade allowed for any single paragraph or step (short texts score noisily, so this
/// is a looser cap that stops one hard paragraph hiding inside an easy item).
pub const MAX_PARAGRAPH_GRADE: f64 = 10.0;

/// The date content was last reviewed may not be later than this.
pub const LATEST_REVIEW_DATE: &str = "2026-11-23";

/// Rows of `safety-facts.md` marked `[U]` (unverified). No source may cite them.
pub const UNVERIFIED_FACT_IDS: &[&str] = &[
    "1.1e", "1.4c", "1.7c", "1.8b", "1.11d", "3.1d", "3.1l", "4l", "6d", "6e", "6g", "6l",
];

/// Words that stigmatise people who use drugs. Matched as whole words, case-insensitive, in
/// every text a person reads (not in source citations, which quote names such as "Substance
/// Abuse and Mental Health Services Administration").
pub const STIGMA_WORDS: &[&str] = &[
    "addict",
    "addicts",
    "addicted",
    "abuse",
    "abuses",
    "abused",
    "abuser",
    "abusers",
    "abusing",
    "clean",
    "dirty",
    "junkie",
    "junkies",
    "junky",
    "druggie",
    "druggies",
    "crackhead",
    "crackheads",
    "stoner",
    "stoners",
    "fiend",
    "fiends",
    "misuse",
    "misuser",
    "misusers",
    "relapser",
    "relapsers",
    "dopehead",
    "dopeheads",
    "user",
    "users",
];

/// Stigmatising phrases (matched as consecutive whole words; hyphens split words).
pub const STIGMA_PHRASES: &[&[&str]] = &[
    &["drug", "seeker"],
    &["drug", "seekers"],
    &["drug", "seeking"],
    &["drug", "habit"],
    &["substance", "abuse"],
];

/// Every check.
pub fn all(pack: &ContentPack) -> Vec<Problem> {
    let mut problems = schema(pack);
    problems.extend(phones(pack));
    problems.extend(readability(pack));
    problems.extend(stigma(pack));
    problems.extend(network(pack));
    problems.extend(completeness(pack));
    problems.extend(life_critical(pack));
    problems
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_iso_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A fact-sheet row id (`3.2a`, `1.11b`, `4k`), a section 5 row (`5 US: 988 ...`), or `added`.
fn is_fact_ref(fact: &str) -> bool {
    if fact == "added" {
        return true;
    }
    if let Some(rest) = fact.strip_prefix("5 ") {
        return Region::ALL
            .iter()
            .any(|r| rest.starts_with(&format!("{}: ", r.code())));
    }
    let mut chars = fact.chars().peekable();
    let mut digits = 0;
    while chars.peek().is_some_and(char::is_ascii_digit) {
        chars.next();
        digits += 1;
    }
    if digits == 0 {
        return false;
    }
    if chars.peek() == Some(&'.') {
        chars.next();
        let mut sub = 0;
        while chars.peek().is_some_and(char::is_ascii_digit) {
            chars.next();
            sub += 1;
        }
        if sub == 0 {
            return false;
        }
    }
    if chars.peek().is_some_and(char::is_ascii_lowercase) {
        chars.next();
    }
    chars.next().is_none()
}

fn check_sources(id: &str, sources: &[Source], out: &mut Vec<Problem>) {
    if sources.is_empty() {
        out.push(problem(id, Check::Schema, "has no source"));
    }
    for source in sources {
        if source.title.trim().is_empty() || source.organisation.trim().is_empty() {
            out.push(problem(
                id,
                Check::Schema,
                "a source has no title or organisation",
            ));
        }
        if source.fact_ids.is_empty() {
            out.push(problem(
                id,
                Check::Schema,
                format!("source {:?} ties to no fact-sheet row", source.title),
            ));
        }
        for fact in &source.fact_ids {
            if !is_fact_ref(fact) {
                out.push(problem(
                    id,
                    Check::Schema,
                    format!("{fact:?} is not a fact-sheet row id"),
                ));
            }
            if UNVERIFIED_FACT_IDS.contains(&fact.as_str()) {
                out.push(problem(
                    id,
                    Check::Schema,
                    format!("cites fact {fact}, which is marked [U] (unverified)"),
                ));
            }
            if fact == "added" && source.confidence != Confidence::V2 {
                out.push(problem(
                    id,
                    Check::Schema,
                    "a source added outside the fact sheet must be marked V2 until reviewed",
                ));
            }
        }
        if source.url.is_none() && source.notes.as_deref().is_none_or(|n| n.trim().is_empty()) {
            out.push(problem(
                id,
                Check::Schema,
                format!(
                    "source {:?} has no url and no note saying why",
                    source.title
                ),
            ));
        }
        if let Some(year) = source.year {
            if !(1990..=2026).contains(&year) {
                out.push(problem(
                    id,
                    Check::Schema,
                    format!("source year {year} is implausible"),
                ));
            }
        }
    }
}

fn check_reviewed(id: &str, reviewed: &str, out: &mut Vec<Problem>) {
    // ISO dates of the same length compare correctly as strings.
    if !is_iso_date(reviewed) {
        out.push(problem(
            id,
            Check::Schema,
            format!("reviewed {reviewed:?} is not an ISO date"),
        ));
    } else if reviewed > LATEST_REVIEW_DATE {
        out.push(problem(
            id,
            Check::Schema,
            format!("reviewed {reviewed} is in the future"),
        ));
    }
}

/// The item's or fact's confidence must be the lowest of its sources', and a `V2` item must say
/// why (a `V2` source, or a `review_note`).
fn check_confidence(
    id: &str,
    confidence: Confidence,
    sources: &[Source],
    review_note: Option<&str>,
    out: &mut Vec<Problem>,
) {
    let any_v2 = sources.iter().any(|s| s.confidence == Confidence::V2);
    match confidence {
        Confidence::V if any_v2 => out.push(problem(
            id,
            Check::Schema,
            "marked V but cites a V2 source: mark it V2 so the reviewer sees it",
        )),
        Confidence::V2 if !any_v2 && review_note.is_none_or(|n| n.trim().is_empty()) => {
            out.push(problem(
                id,
                Check::Schema,
                "marked V2 but names no V2 source and has no review_note",
            ))
        }
        _ => {}
    }
}

fn check_item(item: &Item, out: &mut Vec<Problem>) {
    let id = item.id.as_str();
    if item.title.trim().is_empty() || item.summary.trim().is_empty() {
        out.push(problem(id, Check::Schema, "needs a title and a summary"));
    }
    match (item.body.is_empty(), item.steps.is_empty()) {
        (true, true) => out.push(problem(id, Check::Schema, "has neither body nor steps")),
        (false, false) => out.push(problem(id, Check::Schema, "has both body and steps")),
        _ => {}
    }
    if item.body.iter().any(|p| p.trim().is_empty()) {
        out.push(problem(id, Check::Schema, "has an empty paragraph"));
    }
    for step in &item.steps {
        if step.title.trim().is_empty() || step.text.trim().is_empty() {
            out.push(problem(
                id,
                Check::Schema,
                "has a step without title or text",
            ));
        }
        if let Some(picture) = &step.illustration {
            if !is_id(picture) {
                out.push(problem(
                    id,
                    Check::Schema,
                    format!("bad illustration id {picture:?}"),
                ));
            }
        }
    }
    if item.regions.is_empty() {
        out.push(problem(id, Check::Schema, "applies to no region"));
    }
    let unique: HashSet<_> = item.regions.iter().collect();
    if unique.len() != item.regions.len() {
        out.push(problem(id, Check::Schema, "lists a region twice"));
    }
    if item.regions.len() > 1 && item.regions.iter().any(|r| r.region().is_none()) {
        out.push(problem(id, Check::Schema, "mixes ALL with single regions"));
    }
    if (item.topic == Topic::GoodSamaritan) != item.law_status.is_some() {
        out.push(problem(
            id,
            Check::Schema,
            "law_status is required on Good Samaritan items and only there",
        ));
    }
    let texts = item_texts(item);
    let uses_placeholder = texts.iter().any(|t| t.contains(EMERGENCY_PLACEHOLDER));
    if uses_placeholder && item.topic != Topic::Respond {
        out.push(problem(
            id,
            Check::Schema,
            "only response steps may use {emergency}",
        ));
    }
    if texts
        .iter()
        .any(|t| t.replace(EMERGENCY_PLACEHOLDER, "").contains(['{', '}']))
    {
        out.push(problem(
            id,
            Check::Schema,
            "has a stray { or } (a mistyped placeholder?)",
        ));
    }
    check_reviewed(id, &item.reviewed, out);
    check_sources(id, &item.sources, out);
    check_confidence(
        id,
        item.confidence,
        &item.sources,
        item.review_note.as_deref(),
        out,
    );
}

/// Every text of an item a person reads.
fn item_texts(item: &Item) -> Vec<&str> {
    let mut texts = vec![item.title.as_str(), item.summary.as_str()];
    texts.extend(item.body.iter().map(String::as_str));
    for step in &item.steps {
        texts.push(&step.title);
        texts.push(&step.text);
    }
    texts
}

/// Ids unique and well formed; sources, dates, regions, confidence and shape of every entry.
pub fn schema(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let ids = pack
        .items
        .iter()
        .map(|i| &i.id)
        .chain(pack.facts.iter().map(|f| &f.id))
        .chain(pack.resources.iter().map(|r| &r.id));
    for id in ids {
        if !is_id(id) {
            out.push(problem(id, Check::Schema, "ids use a-z, 0-9 and - only"));
        }
        if !seen.insert(id.as_str()) {
            out.push(problem(id, Check::Schema, "id is used more than once"));
        }
    }
    for item in &pack.items {
        check_item(item, &mut out);
    }
    for entry in &pack.search_words {
        if pack.item(&entry.id).is_none() && pack.resource(&entry.id).is_none() {
            out.push(problem(
                &entry.id,
                Check::Schema,
                "search words for an id that is neither an item nor a line",
            ));
        }
        if entry.words.iter().any(|w| w.trim().is_empty()) || entry.words.is_empty() {
            out.push(problem(&entry.id, Check::Schema, "empty search words"));
        }
    }
    for fact in &pack.facts {
        if fact.text.trim().is_empty() {
            out.push(problem(&fact.id, Check::Schema, "fact has no text"));
        }
        check_reviewed(&fact.id, &fact.reviewed, &mut out);
        check_sources(&fact.id, &fact.sources, &mut out);
        check_confidence(&fact.id, fact.confidence, &fact.sources, None, &mut out);
    }
    let mut advice_ids = HashSet::new();
    for advice in &pack.advice {
        let id = advice.id.as_str();
        if !is_id(id) {
            out.push(problem(id, Check::Schema, "ids use a-z, 0-9 and - only"));
        }
        if !advice_ids.insert(id) {
            out.push(problem(
                id,
                Check::Schema,
                "advice id is used more than once",
            ));
        }
        if advice.text.trim().is_empty() {
            out.push(problem(id, Check::Schema, "advice has no text"));
        }
        if pack.fact(&advice.cites).is_none() && pack.item(&advice.cites).is_none() {
            out.push(problem(
                id,
                Check::Schema,
                format!(
                    "cites {:?}, which is neither a fact nor an item",
                    advice.cites
                ),
            ));
        }
    }
    for item in &pack.items {
        for step in &item.steps {
            if let Some(guide) = &step.guide {
                if pack.item(guide).is_none() {
                    out.push(problem(
                        &item.id,
                        Check::Schema,
                        format!("a step names guide {guide:?}, which does not exist"),
                    ));
                }
            }
        }
    }
    for resource in &pack.resources {
        let id = resource.id.as_str();
        if resource.name.trim().is_empty() || resource.purpose.trim().is_empty() {
            out.push(problem(id, Check::Schema, "needs a name and a purpose"));
        }
        if resource.phones.is_empty() && resource.texts.is_empty() {
            out.push(problem(
                id,
                Check::Schema,
                "has no phone number and no text number",
            ));
        }
        check_reviewed(id, &resource.reviewed, &mut out);
        check_sources(id, &resource.sources, &mut out);
        check_confidence(id, resource.confidence, &resource.sources, None, &mut out);
    }
    out
}

/// Every number has its URI: E.164 for full numbers, bare digits for short codes.
pub fn phones(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    for resource in &pack.resources {
        let id = resource.id.as_str();
        let region = resource.region;
        for line in &resource.phones {
            match super::phone::tel_uri(&line.number, line.short_code, region) {
                Ok(uri) if uri == line.tel_uri => {}
                Ok(uri) => out.push(problem(
                    id,
                    Check::Phone,
                    format!("tel URI is {:?}, want {uri:?}", line.tel_uri),
                )),
                Err(err) => out.push(problem(id, Check::Phone, format!("{}: {err}", line.number))),
            }
            let digits = line.tel_uri.trim_start_matches("tel:");
            let e164 = digits.strip_prefix('+').is_some_and(|d| {
                (8..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit())
            });
            let short = !digits.starts_with('+')
                && (3..=8).contains(&digits.len())
                && digits.chars().all(|c| c.is_ascii_digit());
            if !line.tel_uri.starts_with("tel:") || !(if line.short_code { short } else { e164 }) {
                out.push(problem(
                    id,
                    Check::Phone,
                    format!("bad tel URI {:?}", line.tel_uri),
                ));
            }
        }
        if resource.sms == resource.texts.is_empty() {
            out.push(problem(
                id,
                Check::Phone,
                "sms flag does not match the text lines",
            ));
        }
        for line in &resource.texts {
            match super::phone::sms_uri(
                &line.number,
                line.short_code,
                line.keyword.as_deref(),
                region,
            ) {
                Ok(uri) if uri == line.sms_uri && uri.starts_with("sms:") => {}
                Ok(uri) => out.push(problem(
                    id,
                    Check::Phone,
                    format!("sms URI is {:?}, want {uri:?}", line.sms_uri),
                )),
                Err(err) => out.push(problem(id, Check::Phone, format!("{}: {err}", line.number))),
            }
        }
    }
    out
}

/// Flesch–Kincaid grade ≤ 8 for each item (summary and all paragraphs or steps taken together),
/// each fact and each resource's purpose, and ≤ 10 for every single paragraph or step.
pub fn readability(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    let clean = |t: &str| t.replace(EMERGENCY_PLACEHOLDER, "");
    for item in &pack.items {
        let mut total = readability::Counts::default();
        let mut parts: Vec<String> = item.body.iter().map(|p| clean(p)).collect();
        parts.extend(item.steps.iter().map(|s| clean(&s.text)));
        for part in &parts {
            let grade = readability::grade(part);
            if grade > MAX_PARAGRAPH_GRADE {
                out.push(problem(
                    &item.id,
                    Check::Readability,
                    format!("grade {grade:.1} > {MAX_PARAGRAPH_GRADE}: {part:?}"),
                ));
            }
        }
        for text in [&item.summary]
            .into_iter()
            .chain(item.body.iter())
            .chain(item.steps.iter().map(|s| &s.text))
        {
            total = total + readability::counts(&clean(text));
        }
        if total.grade() > MAX_GRADE {
            out.push(problem(
                &item.id,
                Check::Readability,
                format!("item grade {:.1} > {MAX_GRADE}", total.grade()),
            ));
        }
    }
    for resource in &pack.resources {
        let grade = readability::grade(&resource.purpose);
        if grade > MAX_GRADE {
            out.push(problem(
                &resource.id,
                Check::Readability,
                format!("purpose grade {grade:.1} > {MAX_GRADE}"),
            ));
        }
    }
    let sentences = pack
        .facts
        .iter()
        .map(|f| (&f.id, &f.text))
        .chain(pack.advice.iter().map(|a| (&a.id, &a.text)));
    for (id, text) in sentences {
        let grade = readability::grade(text);
        if grade > MAX_GRADE {
            out.push(problem(
                id,
                Check::Readability,
                format!("grade {grade:.1} > {MAX_GRADE}"),
            ));
        }
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The stigmatising words or phrases in a text.
pub fn stigma_in(text: &str) -> Vec<String> {
    let words = words(text);
    let mut found: Vec<String> = words
        .iter()
        .filter(|w| STIGMA_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    for phrase in STIGMA_PHRASES {
        if words
            .windows(phrase.len())
            .any(|window| window.iter().zip(phrase.iter()).all(|(w, p)| w == p))
        {
            found.push(phrase.join(" "));
        }
    }
    found
}

/// No stigmatising words in anything a person reads.
pub fn stigma(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut check = |id: &str, text: &str| {
        for word in stigma_in(text) {
            out.push(problem(
                id,
                Check::Stigma,
                format!("uses {word:?}: {text:?}"),
            ));
        }
    };
    for item in &pack.items {
        for text in item_texts(item) {
            check(&item.id, text);
        }
    }
    for fact in &pack.facts {
        check(&fact.id, &fact.text);
    }
    for advice in &pack.advice {
        check(&advice.id, &advice.text);
    }
    // Shown as the words that matched.
    for entry in &pack.search_words {
        for word in &entry.words {
            check(&entry.id, word);
        }
    }
    for resource in &pack.resources {
        check(&resource.id, &resource.name);
        check(&resource.id, &resource.purpose);
        for text in resource.hours.iter().chain(&resource.area) {
            check(&resource.id, text);
        }
        for label in resource
            .phones
            .iter()
            .filter_map(|p| p.label.as_ref())
            .chain(resource.texts.iter().filter_map(|t| t.label.as_ref()))
        {
            check(&resource.id, label);
        }
    }
    out
}

fn check_url(id: &str, url: &str, out: &mut Vec<Problem>) {
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split('/').next().unwrap_or(""));
    match host {
        Some(host) if host.contains('.') && !url.contains(char::is_whitespace) => {}
        _ => out.push(problem(
            id,
            Check::Network,
            format!("{url:?} is not an https: link"),
        )),
    }
}

/// Every link is `https:` and stored as data; no text a person reads contains an address.
pub fn network(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut texts: Vec<(&str, &str)> = Vec::new();
    let mut sources: Vec<(&str, &Source)> = Vec::new();
    for item in &pack.items {
        texts.extend(item_texts(item).into_iter().map(|t| (item.id.as_str(), t)));
        sources.extend(item.sources.iter().map(|s| (item.id.as_str(), s)));
    }
    for fact in &pack.facts {
        texts.push((&fact.id, &fact.text));
        sources.extend(fact.sources.iter().map(|s| (fact.id.as_str(), s)));
    }
    for advice in &pack.advice {
        texts.push((&advice.id, &advice.text));
    }
    for resource in &pack.resources {
        texts.push((&resource.id, &resource.name));
        texts.push((&resource.id, &resource.purpose));
        sources.extend(resource.sources.iter().map(|s| (resource.id.as_str(), s)));
        if let Some(web) = &resource.web {
            check_url(&resource.id, web, &mut out);
        }
    }
    for (id, source) in sources {
        if let Some(url) = &source.url {
            check_url(id, url, &mut out);
        }
    }
    for (id, text) in texts {
        let lower = text.to_lowercase();
        if lower.contains("://") || lower.contains("www.") {
            out.push(problem(
                id,
                Check::Network,
                format!("text contains a web address: {text:?}"),
            ));
        }
    }
    out
}

/// The raw files contain no `http://` at all (comments included).
pub fn no_plain_http(files: &[(&str, &str)]) -> Vec<Problem> {
    files
        .iter()
        .filter(|(_, text)| text.to_lowercase().contains("http://"))
        .map(|(name, _)| problem(name, Check::Network, "contains http://"))
        .collect()
}

/// Each region has an emergency number, response steps, a crisis line, treatment information,
/// a Good Samaritan entry and support for family and friends of its own.
pub fn completeness(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    for region in Region::ALL {
        let code = region.code();
        let own = |topic: Topic| {
            pack.items
                .iter()
                .filter(|item| item.topic == topic && item.names_region(region))
                .count()
        };
        if pack.emergency_number(region).is_none() {
            out.push(problem(code, Check::Completeness, "no emergency number"));
        }
        match own(Topic::Respond) {
            1 => {}
            n => out.push(problem(
                code,
                Check::Completeness,
                format!("{n} response step lists, want 1"),
            )),
        }
        let steps = pack.response_steps(region);
        if steps.is_empty() {
            out.push(problem(code, Check::Completeness, "no response steps"));
        }
        if steps
            .iter()
            .any(|s| s.text.contains(['{', '}']) || s.title.contains(['{', '}']))
        {
            out.push(problem(
                code,
                Check::Completeness,
                "response steps keep a placeholder",
            ));
        }
        if !pack
            .resources
            .iter()
            .any(|r| r.region == region && r.kind == ResourceKind::Crisis)
        {
            out.push(problem(code, Check::Completeness, "no crisis line"));
        }
        if own(Topic::Treatment) == 0 {
            out.push(problem(
                code,
                Check::Completeness,
                "no treatment information of its own",
            ));
        }
        match own(Topic::GoodSamaritan) {
            1 => {}
            n => out.push(problem(
                code,
                Check::Completeness,
                format!("{n} Good Samaritan entries, want 1"),
            )),
        }
        if own(Topic::SupportForYou) == 0 {
            out.push(problem(
                code,
                Check::Completeness,
                "no support for family and friends of its own",
            ));
        }
    }
    out
}

/// Every text a person reads in the pack, with the id of its entry: item titles, summaries,
/// paragraphs and steps, facts, advice, and resource names and purposes.
fn reader_texts(pack: &ContentPack) -> Vec<(&str, &str)> {
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for item in &pack.items {
        texts.extend(item_texts(item).into_iter().map(|t| (item.id.as_str(), t)));
    }
    texts.extend(pack.facts.iter().map(|f| (f.id.as_str(), f.text.as_str())));
    texts.extend(pack.advice.iter().map(|a| (a.id.as_str(), a.text.as_str())));
    for resource in &pack.resources {
        texts.push((&resource.id, &resource.name));
        texts.push((&resource.id, &resource.purpose));
    }
    texts
}

/// Words that make a side-position sentence an instruction ("roll them onto their side").
const SIDE_VERBS: &[&str] = &["roll", "turn", "put", "move", "place", "lay"];
/// Words that make such an instruction conditional on the person breathing (or on having to
/// leave them, or on their being sick), as every source says it must be.
const SIDE_CONDITIONS: &[&str] = &[
    "if they",
    "once they",
    "when they",
    "if you must",
    "if you have to",
];

fn contains_any(text: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| text.contains(p))
}

/// Whether a sentence tells the helper to put the person on their side without a condition.
pub fn unconditional_side_position(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let about_side = contains_any(
        &lower,
        &[
            "on their side",
            "onto their side",
            "on to their side",
            "recovery position",
        ],
    );
    let said = words(&lower);
    let instructs = said.iter().any(|w| SIDE_VERBS.contains(&w.as_str()));
    about_side && instructs && !contains_any(&lower, SIDE_CONDITIONS)
}

/// Whether a text says naloxone does not work on benzos without saying to give it anyway.
pub fn benzo_without_give_anyway(text: &str) -> bool {
    let lower = text.to_lowercase();
    let negated = contains_any(
        &lower,
        &[
            "not work",
            "not undo",
            "not reverse",
            "doesn't work",
            "don't respond",
            "not respond",
            "won't work",
        ],
    );
    lower.contains("benzo")
        && lower.contains("naloxone")
        && negated
        && !(lower.contains("anyway") || lower.contains("still give"))
}

/// The order a region's own source fixes: each pair `(a, b)` means the first step doing `a`
/// comes before the first step doing `b`.
pub fn region_order(region: Region) -> &'static [(StepAction, StepAction)] {
    use StepAction::{Breathe, Call, Check, Cpr, Naloxone};
    match region {
        // SAMHSA toolkit 2018 (SMA18-4742): evaluate, call 911, naloxone, support breathing.
        // Canada (CAMH, Ottawa Public Health): shout and shake, call 911, naloxone, breaths.
        Region::Us | Region::Ca => &[(Check, Call), (Call, Naloxone), (Naloxone, Breathe)],
        // Prenoxad and Resuscitation Council UK; ANZCOR 9.5.2: call, CPR, then naloxone.
        Region::Uk | Region::Au | Region::Nz => &[(Call, Cpr), (Cpr, Naloxone)],
        // HSE: check, call an ambulance, CPR if not breathing, naloxone.
        Region::Ie => &[(Check, Call), (Call, Cpr), (Cpr, Naloxone)],
    }
}

/// The rules that an overdose response must keep, in every region's flow and everywhere else in
/// the pack:
/// - every response step names its action;
/// - breathing support with its technique (tilt the head, lift the chin, pinch the nose) and a
///   rate (1 breath every 5 seconds, or 100 to 120 compressions a minute), and every rescue
///   breathing step gives the 5-second rate;
/// - CPR when they are not breathing normally, with the call-taker's help;
/// - the recovery position only if they are breathing (any side-position instruction anywhere in
///   the pack must be conditional);
/// - a last step that says to stay and that naloxone wears off;
/// - naloxone comes after the call and never after the recovery position, and the region's own
///   order where its source fixes one ([`region_order`]);
/// - no text says naloxone does not work on benzos without saying to give it anyway.
pub fn life_critical(pack: &ContentPack) -> Vec<Problem> {
    let mut out = Vec::new();
    for region in Region::ALL {
        let Some(guide) = pack.response_guide(region) else {
            continue; // `completeness` reports a missing flow
        };
        let id = format!("{} ({})", guide.id, region.code());
        let steps = &guide.steps;
        let lower = |s: &super::Step| format!("{} {}", s.title, s.text).to_lowercase();
        if steps.iter().any(|s| s.action.is_none()) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "a response step names no action",
            ));
        }
        let doing = |action: StepAction| steps.iter().filter(move |s| s.action == Some(action));
        let support = || doing(StepAction::Breathe).chain(doing(StepAction::Cpr));
        if !support().any(|s| {
            let t = lower(s);
            t.contains("tilt") && t.contains("chin") && t.contains("pinch")
        }) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "no breathing step says how (tilt the head, lift the chin, pinch the nose)",
            ));
        }
        if !support().any(|s| {
            let t = lower(s);
            t.contains("every 5 seconds") || t.contains("100 to 120")
        }) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "breathing support gives no rate",
            ));
        }
        if doing(StepAction::Breathe).any(|s| {
            let t = s.text.to_lowercase();
            t.contains("not at all") || t.contains("not breathing")
        }) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "rescue breaths alone are for someone still breathing: not breathing means CPR",
            ));
        }
        if doing(StepAction::Breathe).any(|s| !lower(s).contains("every 5 seconds")) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "a rescue breathing step does not say 1 breath every 5 seconds",
            ));
        }
        if !doing(StepAction::Cpr).any(|s| {
            let t = lower(s);
            t.contains("not breathing normally") && t.contains("talk you through")
        }) {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "no CPR step for someone not breathing normally, with the call-taker's help",
            ));
        }
        if doing(StepAction::Recovery).count() == 0 {
            out.push(problem(
                &id,
                Check::LifeCritical,
                "no recovery position step",
            ));
        }
        for s in doing(StepAction::Recovery) {
            let text = s.text.to_lowercase();
            if !SIDE_CONDITIONS.iter().any(|c| text.starts_with(c)) {
                out.push(problem(
                    &id,
                    Check::LifeCritical,
                    format!(
                        "the recovery position is not conditional on breathing: {:?}",
                        s.text
                    ),
                ));
            }
        }
        match steps.last() {
            Some(last)
                if last.action == Some(StepAction::Stay)
                    && (last.text.contains("wear off") || last.text.contains("wears off")) => {}
            _ => out.push(problem(
                &id,
                Check::LifeCritical,
                "the last step must say to stay and that naloxone wears off",
            )),
        }
        let first = |action: StepAction| steps.iter().position(|s| s.action == Some(action));
        let before = |a: StepAction, b: StepAction| match (first(a), first(b)) {
            (Some(x), Some(y)) => x < y,
            _ => false,
        };
        use StepAction::{Call, Naloxone, Recovery};
        for &(a, b) in region_order(region)
            .iter()
            .chain(&[(Call, Naloxone), (Naloxone, Recovery)])
        {
            if !before(a, b) {
                out.push(problem(
                    &id,
                    Check::LifeCritical,
                    format!("{a:?} must come before {b:?} in this region's order"),
                ));
            }
        }
    }
    for (id, text) in reader_texts(pack) {
        for sentence in text.split_inclusive(['.', '!', '?', ':']) {
            if unconditional_side_position(sentence) {
                out.push(problem(
                    id,
                    Check::LifeCritical,
                    format!(
                        "puts them on their side without 'if they are breathing': {sentence:?}"
                    ),
                ));
            }
        }
        if benzo_without_give_anyway(text) {
            out.push(problem(
                id,
                Check::LifeCritical,
                format!("says naloxone does not work on benzos without 'give it anyway': {text:?}"),
            ));
        }
    }
    out
}
