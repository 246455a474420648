//! The guide search, on the real pack: the words the issue names find the right guide, every
//! guide is found by its own title, misspellings are corrected, results stay in their region,
//! and nothing a person types breaks it.

use proptest::prelude::*;

use super::search::{query_words, HitKind, SearchIndex, SearchResults, MAX_HITS};
use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn index(region: Region) -> Result<SearchIndex, Box<dyn std::error::Error>> {
    Ok(SearchIndex::build(&ContentPack::embedded()?, region)?)
}

/// The ids of the first `n` results, kind and id.
fn top(results: &SearchResults, n: usize) -> Vec<(HitKind, String)> {
    results
        .hits
        .iter()
        .take(n)
        .map(|hit| (hit.kind, hit.id.clone()))
        .collect()
}

fn first_guide(results: &SearchResults) -> Option<&str> {
    results
        .hits
        .iter()
        .find(|hit| hit.kind == HitKind::Guide)
        .map(|hit| hit.id.as_str())
}

#[test]
fn the_words_people_type_find_the_right_guide() -> TestResult {
    let search = index(Region::Us)?;
    for (query, guide) in [
        ("constipation", "side-effects"),
        ("can't sleep", "withdrawal"),
        ("benzo", "restart-other-drugs"),
        ("waiting list", "bridging-a-wait"),
        ("jail", "bridging-a-wait"),
        ("pain", "living-with-pain"),
        ("cold turkey", "taper-not-sudden-stop"),
        ("tranq sores", "xylazine-wounds"),
        ("cocaine overdose", "stimulant-overdose"),
        ("expired naloxone", "naloxone-storage"),
    ] {
        let results = search.search(query)?;
        let ids: Vec<&str> = results.hits.iter().take(3).map(|h| h.id.as_str()).collect();
        assert!(
            ids.contains(&guide),
            "{query:?}: expected {guide} in the first three, got {:?}",
            top(&results, 5)
        );
    }
    Ok(())
}

#[test]
fn the_matching_words_are_marked() -> TestResult {
    let results = index(Region::Us)?.search("constipation")?;
    let hit = results.hits.first().ok_or("no result for constipation")?;
    assert_eq!(hit.id, "side-effects");
    assert!(
        hit.matched.iter().any(|w| w == "constipation"),
        "{:?}",
        hit.matched
    );
    let marked: Vec<&str> = hit
        .title
        .iter()
        .chain(&hit.text)
        .filter(|s| s.hit)
        .map(|s| s.text.as_str())
        .collect();
    assert!(
        marked
            .iter()
            .any(|w| w.eq_ignore_ascii_case("constipation")),
        "marked: {marked:?}"
    );
    Ok(())
}

#[test]
fn a_misspelt_word_is_corrected_and_said() -> TestResult {
    let search = index(Region::Uk)?;
    for (typed, meant, guide) in [
        ("constipaton", "constipation", "side-effects"),
        ("withdrawl", "withdrawal", "withdrawal"),
        ("naloxne storage", "naloxone", "naloxone-storage"),
    ] {
        let results = search.search(typed)?;
        assert!(
            results
                .corrected
                .iter()
                .any(|c| c.instead.iter().any(|w| w == meant)),
            "{typed:?}: corrections {:?}",
            results.corrected
        );
        assert_eq!(
            first_guide(&results),
            Some(guide),
            "{typed:?}: {:?}",
            top(&results, 5)
        );
    }
    Ok(())
}

#[test]
fn every_guide_is_found_by_its_title_in_its_region() -> TestResult {
    let pack = ContentPack::embedded()?;
    for region in Region::ALL {
        let search = SearchIndex::build(&pack, region)?;
        for item in pack.items_for(region) {
            let results = search.search(&item.title)?;
            let ids: Vec<&str> = results.hits.iter().take(5).map(|h| h.id.as_str()).collect();
            assert!(
                ids.contains(&item.id.as_str()),
                "{region:?}: {:?} not in the first five for its title {:?}: {:?}",
                item.id,
                item.title,
                top(&results, 5)
            );
        }
    }
    Ok(())
}

#[test]
fn results_stay_in_their_region() -> TestResult {
    let pack = ContentPack::embedded()?;
    for region in Region::ALL {
        let search = SearchIndex::build(&pack, region)?;
        for query in ["naloxone", "treatment", "help line", "support", "overdose"] {
            for hit in search.search(query)?.hits {
                let shown = match hit.kind {
                    HitKind::Line => pack.resource(&hit.id).is_some_and(|r| r.region == region),
                    _ => pack.item(&hit.id).is_some_and(|i| i.applies_to(region)),
                };
                assert!(shown, "{region:?} {query:?}: {} is not shown there", hit.id);
            }
        }
    }
    Ok(())
}

#[test]
fn lines_and_steps_are_found_and_open_the_right_place() -> TestResult {
    let search = index(Region::Us)?;
    let results = search.search("988")?;
    assert!(
        top(&results, 3).contains(&(HitKind::Line, "us-988".to_owned())),
        "{:?}",
        top(&results, 5)
    );
    let results = search.search("suicide")?;
    assert!(
        results.hits.iter().any(|h| h.kind == HitKind::Line),
        "a crisis line for 'suicide': {:?}",
        top(&results, 5)
    );
    let results = index(Region::Ca)?.search("chest compressions")?;
    let step = results
        .hits
        .iter()
        .find(|h| h.kind == HitKind::Step)
        .ok_or("no step for chest compressions")?;
    let pack = ContentPack::embedded()?;
    let guide = pack
        .item(&step.id)
        .ok_or("the step's guide is not in the pack")?;
    let place = usize::try_from(step.step.ok_or("a step without its place")?)?;
    assert!(place < guide.steps.len());
    assert_eq!(step.within.as_deref(), Some(guide.title.as_str()));
    Ok(())
}

#[test]
fn steps_show_the_regions_emergency_number() -> TestResult {
    let pack = ContentPack::embedded()?;
    for region in Region::ALL {
        let number = pack
            .emergency_number(region)
            .ok_or("no emergency number")?
            .number
            .clone();
        let results = SearchIndex::build(&pack, region)?.search(&number)?;
        assert!(
            results.hits.iter().any(|h| h.kind == HitKind::Step),
            "{region:?}: searching {number} finds no response step"
        );
        for hit in &results.hits {
            for segment in hit.title.iter().chain(&hit.text) {
                assert!(!segment.text.contains(EMERGENCY_PLACEHOLDER), "{segment:?}");
            }
        }
    }
    Ok(())
}

#[test]
fn words_found_nowhere_are_said_and_nothing_is_invented() -> TestResult {
    let results = index(Region::Nz)?.search("zzqxv")?;
    assert!(results.hits.is_empty());
    assert_eq!(results.unknown, vec!["zzqxv".to_owned()]);
    // One known word and one unknown: the known one still answers, any-word.
    let results = index(Region::Nz)?.search("naloxone zzqxv")?;
    assert!(!results.hits.is_empty());
    Ok(())
}

#[test]
fn query_words_are_bounded_and_plain() {
    assert_eq!(query_words("Can't SLEEP!!"), vec!["sleep"]);
    assert_eq!(query_words("how do I"), vec!["how", "do", "i"]);
    assert_eq!(query_words("\"NEAR(a b)\" OR * ^x"), vec!["near", "b", "x"]);
    assert!(query_words(&"word ".repeat(1000)).len() <= 1);
    assert!(query_words(&(0..100).map(|n| format!("w{n} ")).collect::<String>()).len() <= 8);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    /// Whatever is typed (FTS5 syntax, quotes, control characters, any script), the search
    /// answers and never returns more than it should.
    #[test]
    fn anything_typed_gets_an_answer(query in any::<String>(), syntax in "[\"*()^:+-]{0,6}(AND|OR|NOT|NEAR)?") {
        let pack = ContentPack::embedded().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let search = SearchIndex::build(&pack, Region::Ca).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for q in [query.clone(), format!("{syntax}{query}{syntax}"), format!("naloxone {syntax}")] {
            let results = search.search(&q).map_err(|e| TestCaseError::fail(format!("{q:?}: {e}")))?;
            prop_assert!(results.hits.len() <= MAX_HITS);
        }
    }
}
