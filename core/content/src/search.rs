//! Finding a guide, a step or a phone line by the words a person types ("constipation",
//! "can't sleep", "benzo", "jail", "waiting list"), offline.
//!
//! The index is SQLite's FTS5 in memory (the same SQLite, built with FTS5, that the journal
//! already ships; see `docs/content.md`, "Search", for why this and not a search crate):
//! - one row per guide, per step of a guide that has steps, and per phone line, for one region,
//!   with the region's emergency number written into the steps;
//! - words are folded (case, accents) and stemmed (Porter), so "sleeping" finds "sleep" and
//!   "benzo" finds "benzos" and "benzodiazepines" (every word is also a prefix);
//! - ranked by BM25, a title counting most, then the summary, the extra search words
//!   (`search-words.toml`: words people type that a guide does not use itself), then the text;
//! - a word found nowhere is corrected to the nearest words of the pack (Damerau–Levenshtein,
//!   one edit for short words, two for long ones, by `strsim`), and the answer says so;
//! - the matching words come back marked, in the title and in a short extract of the text.
//!
//! Every word must match if any guide has them all; otherwise any of them may. Nothing here
//! panics on what a person types: the query is cut to [`MAX_QUERY_CHARS`] and [`MAX_WORDS`],
//! and only letters and digits reach FTS5, always quoted.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::{ContentPack, Item, Region, Resource, ResourceKind, EMERGENCY_PLACEHOLDER};

/// The longest query read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most words of a query used.
pub const MAX_WORDS: usize = 8;
/// The most results returned.
pub const MAX_HITS: usize = 20;
/// The most results for the steps of one guide (so one long guide does not fill the list).
const MAX_STEPS_PER_GUIDE: usize = 2;

/// Marks around a matching word in what FTS5 returns (control characters never in the pack).
const OPEN: char = '\u{2}';
const CLOSE: char = '\u{3}';

/// Words too common to search on alone ("how do I", "can't sleep"). English for now; the
/// language work gives each locale its own.
const STOP_WORDS: &[&str] = &[
    "a", "am", "an", "and", "are", "as", "at", "be", "can", "cant", "do", "does", "doesn", "dont",
    "for", "from", "get", "how", "i", "if", "im", "in", "is", "it", "me", "my", "of", "on", "or",
    "should", "so", "t", "the", "to", "what", "when", "where", "who", "why", "will", "with", "won",
    "you", "your",
];

/// What a result opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    /// A guide: opens the guide.
    Guide,
    /// One step of a guide: opens the guide at that step.
    Step,
    /// A phone or text line: shows the line, ready to call.
    Line,
}

/// A piece of text, marked when it is one of the words that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SearchHit {
    pub kind: HitKind,
    /// The guide's id (for a step, the guide it belongs to), or the line's id.
    pub id: String,
    /// For a step: its place in the guide, from 0.
    pub step: Option<u32>,
    /// The guide's, step's or line's title, with the matching words marked.
    pub title: Vec<Segment>,
    /// For a step: the title of its guide.
    pub within: Option<String>,
    /// The summary, or a short extract of the text around the matching words.
    pub text: Vec<Segment>,
    /// The words of the pack that matched, as the pack writes them, lower case.
    pub matched: Vec<String>,
}

/// A word of the query that was not in the pack, and what was searched for instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Correction {
    pub typed: String,
    pub instead: Vec<String>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename_all = "camelCase")]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Words corrected to the nearest words in the pack.
    pub corrected: Vec<Correction>,
    /// Words found nowhere, even after correction.
    pub unknown: Vec<String>,
    /// Whether every word had to match (`false`: no result had them all, so any one counts).
    pub all_words: bool,
}

/// Why the index could not be built or read. SQLite in memory fails only on a defect or when
/// memory runs out; the message is for the log, the screen says search is not available.
#[derive(Debug, thiserror::Error)]
#[error("the guide search is not available: {0}")]
pub struct SearchError(#[from] rusqlite::Error);

/// One region's search index, built once from the pack.
#[derive(Debug)]
pub struct SearchIndex {
    db: Connection,
    /// Every word in the region's pack (folded, not stemmed), with how many rows hold it: the
    /// words a misspelt one is corrected to.
    vocabulary: Vec<(String, i64)>,
}

/// A row to index.
struct Doc {
    kind: HitKind,
    id: String,
    step: Option<u32>,
    within: Option<String>,
    title: String,
    summary: String,
    words: String,
    body: String,
}

impl HitKind {
    fn code(self) -> &'static str {
        match self {
            HitKind::Guide => "guide",
            HitKind::Step => "step",
            HitKind::Line => "line",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "step" => HitKind::Step,
            "line" => HitKind::Line,
            _ => HitKind::Guide,
        }
    }
}

/// Words a line's kind adds to its row, so "suicide", "ambulance" or "family" find it.
fn kind_words(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Emergency => "emergency ambulance 911 999 000 112 111",
        ResourceKind::Crisis => "crisis suicide talk someone",
        ResourceKind::Drugs => "drugs alcohol information helpline",
        ResourceKind::Treatment => "treatment medicine methadone buprenorphine",
        ResourceKind::NeverUseAlone => "never use alone overdose line",
        ResourceKind::Health => "health advice nurse",
        ResourceKind::Family => "family friends support",
    }
}

fn docs_for(pack: &ContentPack, region: Region) -> Vec<Doc> {
    let number = pack
        .emergency_number(region)
        .map(|phone| phone.number.clone())
        .unwrap_or_default();
    let fill = |text: &str| text.replace(EMERGENCY_PLACEHOLDER, &number);
    let extra = |id: &str| {
        pack.search_words
            .iter()
            .filter(|entry| entry.id == id)
            .flat_map(|entry| entry.words.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(". ")
    };
    let mut docs = Vec::new();
    for item in pack.items_for(region) {
        docs.push(guide_doc(item, &fill, extra(&item.id)));
        for (place, step) in item.steps.iter().enumerate() {
            docs.push(Doc {
                kind: HitKind::Step,
                id: item.id.clone(),
                step: u32::try_from(place).ok(),
                within: Some(fill(&item.title)),
                title: fill(&step.title),
                summary: String::new(),
                words: String::new(),
                body: fill(&step.text),
            });
        }
    }
    for line in pack.resources_for(region) {
        docs.push(line_doc(line, extra(&line.id)));
    }
    docs
}

fn guide_doc(item: &Item, fill: &dyn Fn(&str) -> String, words: String) -> Doc {
    Doc {
        kind: HitKind::Guide,
        id: item.id.clone(),
        step: None,
        within: None,
        title: fill(&item.title),
        summary: fill(&item.summary),
        words,
        body: fill(&item.body.join("\n")),
    }
}

fn line_doc(line: &Resource, words: String) -> Doc {
    let mut body: Vec<String> = Vec::new();
    body.extend(line.area.clone());
    body.extend(line.phones.iter().map(|p| p.number.clone()));
    body.extend(line.texts.iter().map(|t| t.number.clone()));
    body.extend(line.hours.clone());
    body.extend(line.languages.iter().cloned());
    Doc {
        kind: HitKind::Line,
        id: line.id.clone(),
        step: None,
        within: None,
        title: line.name.clone(),
        summary: line.purpose.clone(),
        words: format!("{words}. {}", kind_words(line.kind)),
        body: body.join(". "),
    }
}

/// The words of a query: lower case, letters and digits only, at most [`MAX_WORDS`], without
/// the very common ones (unless nothing else is left).
pub fn query_words(query: &str) -> Vec<String> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let mut seen = BTreeSet::new();
    let words: Vec<String> = query
        // "can't" and "don't" are one word, as a person means them.
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| seen.insert(w.clone()))
        .take(MAX_WORDS)
        .collect();
    let kept: Vec<String> = words
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() {
        words
    } else {
        kept
    }
}

/// How many edits a word of this length may be away from a word of the pack.
fn allowed_edits(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    }
}

/// An FTS5 string for one word: quoted, so nothing a person types is read as query syntax,
/// and a prefix, so "benzo" finds "benzodiazepines". Words hold only letters and digits.
fn term(word: &str) -> String {
    format!("\"{word}\"*")
}

/// Splits FTS5's marked text into segments.
fn segments(marked: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut hit = false;
    for c in marked.chars() {
        if c == OPEN || c == CLOSE {
            if !current.is_empty() {
                out.push(Segment {
                    text: std::mem::take(&mut current),
                    hit,
                });
            }
            hit = c == OPEN;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(Segment { text: current, hit });
    }
    out
}

fn hit_words(marked: &[&str], into: &mut BTreeSet<String>) {
    for text in marked {
        for segment in segments(text) {
            if segment.hit {
                into.insert(segment.text.to_lowercase());
            }
        }
    }
}

impl SearchIndex {
    /// Builds the index of everything `region` shows: its guides, their steps and its lines.
    pub fn build(pack: &ContentPack, region: Region) -> Result<Self, SearchError> {
        let db = Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE docs USING fts5(
                 title, summary, words, body,
                 kind UNINDEXED, id UNINDEXED, step UNINDEXED, within UNINDEXED,
                 tokenize = 'porter unicode61 remove_diacritics 2'
             );
             CREATE VIRTUAL TABLE plain USING fts5(
                 text, content = '', tokenize = 'unicode61 remove_diacritics 2'
             );
             CREATE VIRTUAL TABLE plain_words USING fts5vocab(plain, 'row');",
        )?;
        {
            let tx = db.unchecked_transaction()?;
            let mut add = tx.prepare(
                "INSERT INTO docs (title, summary, words, body, kind, id, step, within)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut add_plain = tx.prepare("INSERT INTO plain (text) VALUES (?1)")?;
            for doc in docs_for(pack, region) {
                add.execute(params![
                    doc.title,
                    doc.summary,
                    doc.words,
                    doc.body,
                    doc.kind.code(),
                    doc.id,
                    doc.step,
                    doc.within
                ])?;
                add_plain.execute(params![format!(
                    "{} {} {} {}",
                    doc.title, doc.summary, doc.words, doc.body
                )])?;
            }
            drop(add);
            drop(add_plain);
            tx.commit()?;
        }
        let vocabulary = db
            .prepare("SELECT term, doc FROM plain_words")?
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { db, vocabulary })
    }

    /// How many rows a match expression finds.
    fn count(&self, expression: &str) -> Result<i64, SearchError> {
        Ok(self.db.query_row(
            "SELECT count(*) FROM docs WHERE docs MATCH ?1",
            [expression],
            |row| row.get(0),
        )?)
    }

    /// The pack's words nearest to a word found nowhere: the fewest edits, then the most used,
    /// at most three.
    fn nearest(&self, word: &str) -> Vec<String> {
        let edits = allowed_edits(word);
        if edits == 0 {
            return Vec::new();
        }
        let length = word.chars().count();
        let mut best: Vec<(usize, i64, &str)> = self
            .vocabulary
            .iter()
            .filter(|(term, _)| term.chars().count().abs_diff(length) <= edits)
            .filter_map(|(term, docs)| {
                let distance = strsim::damerau_levenshtein(word, term);
                (distance <= edits).then_some((distance, -docs, term.as_str()))
            })
            .collect();
        best.sort();
        let Some(&(fewest, _, _)) = best.first() else {
            return Vec::new();
        };
        best.iter()
            .take_while(|(distance, _, _)| *distance == fewest)
            .take(3)
            .map(|(_, _, term)| (*term).to_owned())
            .collect()
    }

    /// Searches the region's guides, steps and lines.
    pub fn search(&self, query: &str) -> Result<SearchResults, SearchError> {
        let mut groups: Vec<String> = Vec::new();
        let mut corrected = Vec::new();
        let mut unknown = Vec::new();
        for word in query_words(query) {
            if self.count(&term(&word))? > 0 {
                groups.push(term(&word));
                continue;
            }
            let instead = self.nearest(&word);
            if instead.is_empty() {
                unknown.push(word);
            } else {
                groups.push(format!(
                    "({})",
                    instead
                        .iter()
                        .map(|w| term(w))
                        .collect::<Vec<_>>()
                        .join(" OR ")
                ));
                corrected.push(Correction {
                    typed: word,
                    instead,
                });
            }
        }
        let mut results = SearchResults {
            hits: Vec::new(),
            corrected,
            unknown,
            all_words: true,
        };
        if groups.is_empty() {
            return Ok(results);
        }
        let all = groups.join(" AND ");
        if groups.len() > 1 && self.count(&all)? == 0 {
            results.all_words = false;
            results.hits = self.hits(&groups.join(" OR "))?;
        } else {
            results.hits = self.hits(&all)?;
        }
        Ok(results)
    }

    fn hits(&self, expression: &str) -> Result<Vec<SearchHit>, SearchError> {
        let mut statement = self.db.prepare_cached(
            "SELECT kind, id, step, within, summary,
                    highlight(docs, 0, char(2), char(3)),
                    highlight(docs, 1, char(2), char(3)),
                    highlight(docs, 2, char(2), char(3)),
                    highlight(docs, 3, char(2), char(3)),
                    snippet(docs, 3, char(2), char(3), '…', 20)
             FROM docs WHERE docs MATCH ?1
             ORDER BY bm25(docs, 10.0, 4.0, 3.0, 1.0)",
        )?;
        let mut rows = statement.query([expression])?;
        let mut hits = Vec::new();
        let mut steps_of: BTreeMap<String, usize> = BTreeMap::new();
        while let Some(row) = rows.next()? {
            let kind = HitKind::from_code(&row.get::<_, String>(0)?);
            let id: String = row.get(1)?;
            if kind == HitKind::Step {
                let count = steps_of.entry(id.clone()).or_default();
                *count += 1;
                if *count > MAX_STEPS_PER_GUIDE {
                    continue;
                }
            }
            let summary: String = row.get(4)?;
            let title: String = row.get(5)?;
            let marked_summary: String = row.get(6)?;
            let words: String = row.get(7)?;
            let body: String = row.get(8)?;
            let extract: String = row.get(9)?;
            let mut matched = BTreeSet::new();
            hit_words(&[&title, &marked_summary, &words, &body], &mut matched);
            // The extract of the text when the text matched; otherwise the summary (a step's
            // own text has no summary, so its extract is shown).
            let text = if extract.contains(OPEN) || summary.is_empty() {
                segments(&extract)
            } else {
                segments(&marked_summary)
            };
            hits.push(SearchHit {
                kind,
                id,
                step: row.get(2)?,
                title: segments(&title),
                within: row.get(3)?,
                text,
                matched: matched.into_iter().collect(),
            });
            if hits.len() == MAX_HITS {
                break;
            }
        }
        Ok(hits)
    }
}
