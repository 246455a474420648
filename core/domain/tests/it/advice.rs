//! Every advice id the engines and screens ask for is in the content pack.

use holdfast_content as content;

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn every_advice_id_the_code_asks_for_is_in_the_pack() -> TestResult {
    let pack = content::ContentPack::embedded()?;
    let ids = holdfast_domain::tolerance::rules::RULES
        .iter()
        .map(|r| r.id)
        .chain(
            holdfast_domain::tolerance::rules::RESTART_RULES
                .iter()
                .map(|r| r.id),
        )
        .chain(content::ADVICE_USED_OUTSIDE_RULES.iter().copied())
        .chain(
            holdfast_domain::response::Line::ALL
                .iter()
                .map(|l| l.advice_id()),
        )
        .chain(
            holdfast_domain::response::PacerCue::ALL
                .iter()
                .map(|c| c.advice_id()),
        );
    for id in ids {
        assert!(pack.advice(id).is_some(), "no advice {id:?} in advice.toml");
        assert_eq!(
            content::advice_text(id),
            pack.advice(id).map(|a| a.text.as_str())
        );
    }
    assert!(content::advice_text("no-such-advice").is_none());
    Ok(())
}
