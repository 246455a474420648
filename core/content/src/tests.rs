//! Content tests: every check runs on the real, embedded pack and must find nothing; each check
//! also runs on a deliberately bad item and must catch it.

use super::validate::{self, Check, Problem};
use super::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn report(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("{} [{:?}] {}", p.id, p.check, p.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_clean(problems: Vec<Problem>) {
    assert!(
        problems.is_empty(),
        "content problems:\n{}",
        report(&problems)
    );
}

fn assert_caught(problems: &[Problem], check: Check, id: &str) {
    assert!(
        problems.iter().any(|p| p.check == check && p.id == id),
        "expected a {check:?} problem on {id}, got:\n{}",
        report(problems)
    );
}

/// A good item to break in the negative tests.
const GOOD_ITEM: &str = r#"
[[items]]
id = "sample"
topic = "naloxone"
title = "Naloxone is safe"
summary = "It will not hurt someone who has not taken opioids."
regions = ["ALL"]
reviewed = "2026-11-23"
confidence = "V"
body = ["Naloxone only acts on opioids. You can't hurt someone by giving it."]
[[items.sources]]
title = "NARCAN Nasal Spray: best practices"
organisation = "Emergent BioSolutions"
url = "https://www.narcan.com/community/best-practices"
fact_ids = ["3.5a"]
confidence = "V"
"#;

fn pack_of(toml: &str) -> Result<ContentPack, ContentError> {
    ContentPack::from_files(&[("test.toml", toml)])
}

fn edited(from: &str, to: &str) -> Result<ContentPack, Box<dyn std::error::Error>> {
    assert!(
        GOOD_ITEM.contains(from),
        "test edit {from:?} does not apply"
    );
    Ok(pack_of(&GOOD_ITEM.replacen(from, to, 1))?)
}

// ---- the real pack ------------------------------------------------------------------------

#[test]
fn embedded_pack_loads() -> TestResult {
    let pack = ContentPack::embedded()?;
    assert!(pack.items.len() >= 20, "only {} items", pack.items.len());
    assert!(pack.facts.len() >= 10);
    assert!(pack.resources.len() >= 20);
    Ok(())
}

#[test]
fn every_content_file_is_compiled_in() -> TestResult {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/content");
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            on_disk.push(name);
        }
    }
    on_disk.sort();
    let mut compiled: Vec<String> = CONTENT_FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
    compiled.sort();
    assert_eq!(
        on_disk, compiled,
        "CONTENT_FILES must list every file in assets/content"
    );
    Ok(())
}

#[test]
fn real_pack_passes_schema() -> TestResult {
    assert_clean(validate::schema(&ContentPack::embedded()?));
    Ok(())
}

#[test]
fn real_pack_passes_phone_checks() -> TestResult {
    let pack = ContentPack::embedded()?;
    assert_clean(validate::phones(&pack));
    // Every text line yields an sms: URI, every phone a tel: URI.
    for resource in &pack.resources {
        for line in &resource.phones {
            assert!(line.tel_uri.starts_with("tel:"), "{}", resource.id);
        }
        for line in &resource.texts {
            assert!(line.sms_uri.starts_with("sms:"), "{}", resource.id);
        }
    }
    Ok(())
}

#[test]
fn real_pack_is_plain_language() -> TestResult {
    assert_clean(validate::readability(&ContentPack::embedded()?));
    Ok(())
}

#[test]
fn real_pack_has_no_stigmatising_words() -> TestResult {
    assert_clean(validate::stigma(&ContentPack::embedded()?));
    Ok(())
}

#[test]
fn real_pack_makes_no_network_references() -> TestResult {
    assert_clean(validate::network(&ContentPack::embedded()?));
    assert_clean(validate::no_plain_http(CONTENT_FILES));
    Ok(())
}

#[test]
fn every_region_is_complete() -> TestResult {
    assert_clean(validate::completeness(&ContentPack::embedded()?));
    Ok(())
}

// ---- lookups --------------------------------------------------------------------------------

#[test]
fn emergency_numbers_by_region() -> TestResult {
    let pack = ContentPack::embedded()?;
    let want = [
        (Region::Us, "tel:911"),
        (Region::Ca, "tel:911"),
        (Region::Uk, "tel:999"),
        (Region::Ie, "tel:112"),
        (Region::Au, "tel:000"),
        (Region::Nz, "tel:111"),
    ];
    for (region, uri) in want {
        let phone = pack.emergency_number(region).ok_or("no emergency number")?;
        assert_eq!(phone.tel_uri, uri, "{region:?}");
        assert!(phone.short_code);
    }
    Ok(())
}

#[test]
fn response_steps_follow_each_regions_order() -> TestResult {
    let pack = ContentPack::embedded()?;
    let actions = |region| -> Vec<StepAction> {
        pack.response_steps(region)
            .into_iter()
            .filter_map(|s| s.action)
            .collect()
    };
    let pos = |list: &[StepAction], a: StepAction| list.iter().position(|x| *x == a);
    use StepAction::*;
    // US (SAMHSA 2018): signs, call 911, naloxone, then breathing support (CPR if not
    // breathing, rescue breaths if breathing slowly); side; stay.
    let us = actions(Region::Us);
    assert_eq!(us, [Check, Call, Naloxone, Cpr, Breathe, Recovery, Stay]);
    // Canada (CAMH, Ottawa): shout and shake, call, naloxone, breaths, is it working, stay.
    let ca = actions(Region::Ca);
    assert_eq!(ca.first(), Some(&Check));
    assert!(pos(&ca, Call) < pos(&ca, Naloxone) && pos(&ca, Naloxone) < pos(&ca, Breathe));
    // UK (Prenoxad, RCUK) and AU/NZ (ANZCOR 9.5.2): CPR before naloxone, side position after.
    for region in [Region::Uk, Region::Au, Region::Nz, Region::Ie] {
        let list = actions(region);
        assert!(
            pos(&list, Cpr) < pos(&list, Naloxone),
            "{region:?}: {list:?}"
        );
        assert!(
            pos(&list, Naloxone) < pos(&list, Recovery),
            "{region:?}: {list:?}"
        );
    }
    // Every list ends by staying; each region gets its own number.
    for region in Region::ALL {
        assert_eq!(actions(region).last(), Some(&Stay), "{region:?}");
    }
    let titles = |region| -> Vec<String> {
        pack.response_steps(region)
            .into_iter()
            .map(|s| s.title)
            .collect()
    };
    assert!(titles(Region::Au).contains(&"Call 000".to_owned()));
    assert!(titles(Region::Nz).contains(&"Call 111".to_owned()));
    assert!(titles(Region::Ie).contains(&"Call 112".to_owned()));
    Ok(())
}

#[test]
fn real_pack_keeps_the_life_critical_rules() -> TestResult {
    assert_clean(validate::life_critical(&ContentPack::embedded()?));
    Ok(())
}

/// The real pack with one file's text edited, to show a life-critical check catching a mistake
/// if it ever came back.
fn real_pack_with(
    file: &str,
    from: &str,
    to: &str,
) -> Result<ContentPack, Box<dyn std::error::Error>> {
    let mut seen = false;
    let files: Vec<(&str, String)> = CONTENT_FILES
        .iter()
        .map(|(name, text)| {
            if *name == file {
                assert!(
                    text.contains(from),
                    "test edit {from:?} does not apply to {file}"
                );
                seen = true;
                (*name, text.replacen(from, to, 1))
            } else {
                (*name, (*text).to_owned())
            }
        })
        .collect();
    assert!(seen, "no content file {file}");
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Ok(ContentPack::from_files(&borrowed)?)
}

fn life_critical_catches(file: &str, from: &str, to: &str, id: &str, detail: &str) -> TestResult {
    let problems = validate::life_critical(&real_pack_with(file, from, to)?);
    assert!(
        problems.iter().any(|p| p.check == Check::LifeCritical
            && p.id.starts_with(id)
            && p.detail.contains(detail)),
        "expected a life-critical problem on {id} ({detail}), got:\n{}",
        report(&problems)
    );
    Ok(())
}

#[test]
fn life_critical_checks_catch_broken_copies() -> TestResult {
    // E1 again: the UK flow loses CPR.
    life_critical_catches(
        "respond.toml",
        "action = \"cpr\"\nguide = \"cpr\"\n\n[[items.steps]]\ntitle = \"Give naloxone\"\ntext = \"Give naloxone if you have it: the injection",
        "action = \"check\"\nguide = \"cpr\"\n\n[[items.steps]]\ntitle = \"Give naloxone\"\ntext = \"Give naloxone if you have it: the injection",
        "respond-uk",
        "Cpr must come before Naloxone",
    )?;
    // The recovery position for everyone, breathing or not.
    life_critical_catches(
        "respond.toml",
        "If they are breathing, roll them onto their side. This is the recovery position. It keeps the airway open if they are sick.",
        "Roll them onto their side. This is the recovery position. It keeps the airway open if they are sick.",
        "respond-us",
        "without 'if they are breathing'",
    )?;
    life_critical_catches(
        "naloxone.toml",
        "If they are breathing, roll them onto their side and watch them.",
        "Roll them onto their side and watch their breathing.",
        "naloxone-injection-uk",
        "without 'if they are breathing'",
    )?;
    // E2 again: the US order with breathing before naloxone (here: no naloxone step at all).
    life_critical_catches(
        "respond.toml",
        "action = \"naloxone\"\nguide = \"naloxone-nasal-spray\"",
        "action = \"stay\"\nguide = \"naloxone-nasal-spray\"",
        "respond-us",
        "Naloxone must come before Breathe",
    )?;
    // Rescue breaths alone for someone who is not breathing (CPR delayed).
    life_critical_catches(
        "respond.toml",
        "If they breathe on their own, but very slowly, give rescue breaths. Tilt the head back, lift the chin and pinch the nose. Give 1 breath every 5 seconds. Watch the chest rise.",
        "If they are breathing very slowly, or not at all, give rescue breaths. Tilt the head back, lift the chin and pinch the nose. Give 1 breath every 5 seconds. Watch the chest rise.",
        "respond-us",
        "not breathing means CPR",
    )?;
    // No rate for the breaths.
    life_critical_catches(
        "respond.toml",
        "Tilt the head back, lift the chin and pinch the nose. Give 1 breath every 5 seconds. Watch the chest rise.",
        "Tilt the head back, lift the chin and pinch the nose. Watch the chest rise.",
        "respond-us",
        "every 5 seconds",
    )?;
    // E3 again: "if you know CPR", and no call-taker.
    life_critical_catches(
        "respond.toml",
        "After every 30 pushes, give 2 breaths: tilt the head back, lift the chin and pinch the nose. If you cannot give breaths, just keep pushing. If there is a defibrillator (AED) near, send someone to get it. The {emergency} call-taker will talk you through it.",
        "If you know CPR, do chest pushes and breaths.",
        "respond-anz",
        "call-taker",
    )?;
    // The last step forgets that naloxone wears off.
    life_critical_catches(
        "respond.toml",
        "Naloxone can wear off in 30 to 90 minutes, or sooner, and the overdose can come back. Give the used kit to the crew.",
        "Give the used kit to the crew.",
        "respond-uk",
        "wears off",
    )?;
    // E4 again: benzos without "give it anyway", in a fact and in advice.
    life_critical_catches(
        "facts.toml",
        "Naloxone does not undo benzos, but give it anyway, in case opioids are there too.",
        "Naloxone does not work on benzos.",
        "mixing-benzos",
        "give it anyway",
    )?;
    life_critical_catches(
        "advice.toml",
        "Naloxone does not undo benzos, but in an overdose, give it anyway.",
        "Naloxone does not work on benzos.",
        "mixing-benzos",
        "give it anyway",
    )?;
    // A response step with no action cannot be checked.
    life_critical_catches(
        "respond.toml",
        "illustration = \"stay\"\naction = \"stay\"\n\n[[items.sources]]\ntitle = \"SAMHSA",
        "illustration = \"stay\"\n\n[[items.sources]]\ntitle = \"SAMHSA",
        "respond-us",
        "names no action",
    )?;
    Ok(())
}

#[test]
fn side_and_benzo_sentences() {
    let side = [
        ("Roll them onto their side.", true),
        ("Put them in the recovery position and watch them.", true),
        ("If they are breathing, roll them onto their side.", false),
        ("This is the recovery position.", false),
        ("Turn them on their side if they vomit.", false),
    ];
    for (sentence, caught) in side {
        assert_eq!(
            validate::unconditional_side_position(sentence),
            caught,
            "{sentence}"
        );
    }
    let benzo = [
        ("Naloxone does not work on benzos.", true),
        ("Naloxone does not undo benzos, but give it anyway.", false),
        ("Benzos with opioids slow your breathing.", false),
    ];
    for (text, caught) in benzo {
        assert_eq!(validate::benzo_without_give_anyway(text), caught, "{text}");
    }
}

#[test]
fn the_uis_advice_ids_are_the_ones_core_lists() -> TestResult {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/src/lib/region.svelte.ts");
    let source = std::fs::read_to_string(path)?;
    let start = source
        .find("export type AdviceId")
        .ok_or("no AdviceId type")?;
    let end = source[start..].find(';').ok_or("AdviceId does not end")? + start;
    let ids = string_literals(&source[start..end]);
    assert!(!ids.is_empty(), "AdviceId names no id");
    for id in &ids {
        assert!(
            ADVICE_USED_OUTSIDE_RULES.contains(&id.as_str()),
            "the UI uses advice {id:?}, which core's ADVICE_USED_OUTSIDE_RULES does not list"
        );
    }
    Ok(())
}

#[test]
fn advice_that_cites_nothing_is_caught() -> TestResult {
    let pack = real_pack_with(
        "advice.toml",
        "cites = \"naloxone-wears-off\"",
        "cites = \"no-such-fact\"",
    )?;
    assert_caught(&validate::schema(&pack), Check::Schema, "response-finished");
    Ok(())
}

#[test]
fn lookups_by_id_and_region() -> TestResult {
    let pack = ContentPack::embedded()?;
    let item = pack.item("naloxone-nasal-spray").ok_or("missing item")?;
    assert!(!item.steps.is_empty());
    assert!(pack.fact("tolerance-3-days").is_some());
    assert!(pack.item("no-such-item").is_none());
    // Canada sees its own injection kit and the shared nose spray, not the UK kit.
    let ca: Vec<&str> = pack
        .items_for(Region::Ca)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert!(ca.contains(&"naloxone-injection-ca"));
    assert!(ca.contains(&"naloxone-nasal-spray"));
    assert!(!ca.contains(&"naloxone-injection-uk"));
    // Resources: only the region's own, emergency first.
    let uk = pack.resources_for(Region::Uk);
    assert!(uk.iter().all(|r| r.region == Region::Uk));
    assert_eq!(uk.first().map(|r| r.kind), Some(ResourceKind::Emergency));
    assert_eq!(pack.topic_for(Region::Nz, Topic::GoodSamaritan).len(), 1);
    Ok(())
}

#[test]
fn family_and_friends_content_in_every_region() -> TestResult {
    let pack = ContentPack::embedded()?;
    for region in Region::ALL {
        let talking = pack.topic_for(region, Topic::Talking);
        assert!(talking.iter().any(|i| i.id == "talking-without-shame"));
        assert!(talking.iter().any(|i| i.id == "talking-overdose-plan"));
        let support = pack.topic_for(region, Topic::SupportForYou);
        // The region's own list of where to go comes first (a link to the topic opens its first
        // item), then the shared "You need support too".
        assert!(support.first().is_some_and(|i| i.names_region(region)));
        assert!(support.iter().any(|i| i.id == "support-for-you"));
    }
    let au = pack.resource("au-family-drug-support").ok_or("missing")?;
    assert_eq!(au.kind, ResourceKind::Family);
    let on = pack.resource("ca-on-caregiver-helpline").ok_or("missing")?;
    assert_eq!((on.region, on.kind), (Region::Ca, ResourceKind::Family));
    assert_eq!(
        on.phones.first().map(|p| p.tel_uri.as_str()),
        Some("tel:+18334162273")
    );
    // Where to get naloxone: every region now has its own item.
    for region in Region::ALL {
        let code = region.code().to_lowercase();
        assert!(
            pack.item(&format!("naloxone-get-{code}"))
                .is_some_and(|i| i.names_region(region)),
            "no naloxone-get-{code}"
        );
    }
    Ok(())
}

#[test]
fn text_lines_are_flagged_and_have_sms_uris() -> TestResult {
    let pack = ContentPack::embedded()?;
    let ctl = pack.resource("us-crisis-text-line").ok_or("missing")?;
    assert!(ctl.sms);
    assert_eq!(
        ctl.texts.first().map(|t| t.sms_uri.as_str()),
        Some("sms:741741?body=HOME")
    );
    let samhsa = pack.resource("us-samhsa-helpline").ok_or("missing")?;
    assert_eq!(
        samhsa.phones.first().map(|p| p.tel_uri.as_str()),
        Some("tel:+18006624357")
    );
    let frank = pack.resource("uk-frank").ok_or("missing")?;
    assert!(
        !frank.sms,
        "FRANK's text number is unverified and must not be shown"
    );
    Ok(())
}

#[test]
fn pack_serialises_in_camel_case() -> TestResult {
    let json = serde_json::to_string(&ContentPack::embedded()?)?;
    assert!(json.contains("\"telUri\":\"tel:"));
    assert!(json.contains("\"factIds\""));
    assert!(!json.contains("tel_uri"));
    Ok(())
}

// ---- negative tests: each check catches a bad item ------------------------------------------

#[test]
fn the_sample_item_is_good() -> TestResult {
    let pack = pack_of(GOOD_ITEM)?;
    for check in [
        validate::schema,
        validate::readability,
        validate::stigma,
        validate::network,
    ] {
        assert_clean(check(&pack));
    }
    Ok(())
}

#[test]
fn schema_catches_a_missing_source() -> TestResult {
    let pack = pack_of(&GOOD_ITEM.replace("[[items.sources]]", "[[ignored]]"));
    // An unknown table is itself a load error (deny_unknown_fields) ...
    assert!(matches!(pack, Err(ContentError::Parse { .. })));
    // ... and an item with an empty source list is a schema problem.
    let start = GOOD_ITEM.find("[[items.sources]]").ok_or("no sources")?;
    let pack = pack_of(&format!("{}sources = []\n", &GOOD_ITEM[..start]))?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    Ok(())
}

#[test]
fn schema_catches_a_bad_review_date() -> TestResult {
    let pack = edited("reviewed = \"2026-11-23\"", "reviewed = \"2026-02-30\"")?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    let pack = edited("reviewed = \"2026-11-23\"", "reviewed = \"2027-01-01\"")?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    Ok(())
}

#[test]
fn loading_rejects_a_missing_review_date() {
    let no_date = GOOD_ITEM.replace("reviewed = \"2026-11-23\"\n", "");
    assert!(matches!(pack_of(&no_date), Err(ContentError::Parse { .. })));
}

#[test]
fn loading_rejects_an_unknown_region_and_a_u_mark() {
    let bad_region = GOOD_ITEM.replace("regions = [\"ALL\"]", "regions = [\"FR\"]");
    assert!(matches!(
        pack_of(&bad_region),
        Err(ContentError::Parse { .. })
    ));
    let u_mark = GOOD_ITEM.replacen("confidence = \"V\"", "confidence = \"U\"", 1);
    assert!(matches!(pack_of(&u_mark), Err(ContentError::Parse { .. })));
}

#[test]
fn schema_catches_duplicate_ids() -> TestResult {
    let pack = pack_of(&format!("{GOOD_ITEM}\n{GOOD_ITEM}"))?;
    let problems = validate::schema(&pack);
    assert!(problems.iter().any(|p| p.detail.contains("more than once")));
    Ok(())
}

#[test]
fn schema_catches_a_cited_unverified_fact() -> TestResult {
    let pack = edited("fact_ids = [\"3.5a\"]", "fact_ids = [\"4l\"]")?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    Ok(())
}

#[test]
fn schema_catches_an_unnamed_v2_fact() -> TestResult {
    // A V2 source inside an item marked V.
    let pack = edited(
        "fact_ids = [\"3.5a\"]\nconfidence = \"V\"",
        "fact_ids = [\"3.5a\"]\nconfidence = \"V2\"",
    )?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    // An item marked V2 that names no V2 source and gives no review note.
    let pack = edited("confidence = \"V\"\nbody", "confidence = \"V2\"\nbody")?;
    assert_caught(&validate::schema(&pack), Check::Schema, "sample");
    Ok(())
}

#[test]
fn phone_check_catches_bad_numbers() {
    let resource = |number: &str, short: bool| {
        format!(
            r#"
[[resources]]
id = "bad-line"
region = "US"
kind = "crisis"
name = "A line"
purpose = "For a test."
reviewed = "2026-11-23"
confidence = "V"
[[resources.phones]]
number = "{number}"
short_code = {short}
[[resources.sources]]
title = "t"
organisation = "o"
url = "https://example.org"
fact_ids = ["2a"]
confidence = "V"
"#
        )
    };
    // Not a valid US number.
    assert!(matches!(
        pack_of(&resource("1-023-555-0100", false)),
        Err(ContentError::Phone { .. })
    ));
    // A short code with a letter in it.
    assert!(matches!(
        pack_of(&resource("9I1", true)),
        Err(ContentError::Phone { .. })
    ));
}

#[test]
fn phone_check_catches_a_tampered_uri() -> TestResult {
    let mut pack = ContentPack::embedded()?;
    let line = pack
        .resources
        .iter_mut()
        .find(|r| r.id == "us-samhsa-helpline")
        .and_then(|r| r.phones.first_mut())
        .ok_or("missing")?;
    line.tel_uri = "tel:1-800-662-4357".to_owned();
    assert_caught(&validate::phones(&pack), Check::Phone, "us-samhsa-helpline");
    Ok(())
}

#[test]
fn readability_catches_hard_text() -> TestResult {
    let pack = edited(
        "body = [\"Naloxone only acts on opioids. You can't hurt someone by giving it.\"]",
        "body = [\"Administration of intranasal naloxone hydrochloride necessitates subsequent \
         observation, considering potential recurrence of respiratory depression attributable \
         to longer-acting opioid formulations.\"]",
    )?;
    assert_caught(&validate::readability(&pack), Check::Readability, "sample");
    Ok(())
}

#[test]
fn stigma_check_catches_each_listed_word() -> TestResult {
    for word in validate::STIGMA_WORDS {
        let text = format!("Naloxone helps any {word} too.");
        assert!(!validate::stigma_in(&text).is_empty(), "{word} not caught");
    }
    for text in [
        "Stay CLEAN.",
        "Not a drug-seeker.",
        "Drug seeking",
        "A substance abuse clinic.",
    ] {
        assert!(!validate::stigma_in(text).is_empty(), "{text} not caught");
    }
    // Whole words only.
    assert!(validate::stigma_in("Cleanse the spot. Addiction services.").is_empty());
    let pack = edited(
        "title = \"Naloxone is safe\"",
        "title = \"Naloxone for addicts\"",
    )?;
    assert_caught(&validate::stigma(&pack), Check::Stigma, "sample");
    Ok(())
}

#[test]
fn network_check_catches_plain_http_and_inline_addresses() -> TestResult {
    let pack = edited(
        "url = \"https://www.narcan.com/community/best-practices\"",
        "url = \"http://www.narcan.com/community/best-practices\"",
    )?;
    assert_caught(&validate::network(&pack), Check::Network, "sample");
    let text = GOOD_ITEM.replace("https://", "http://");
    assert_caught(
        &validate::no_plain_http(&[("bad.toml", text.as_str())]),
        Check::Network,
        "bad.toml",
    );
    let pack = edited("You can't hurt", "See www.narcan.com. You can't hurt")?;
    assert_caught(&validate::network(&pack), Check::Network, "sample");
    Ok(())
}

#[test]
fn completeness_catches_a_missing_region() -> TestResult {
    let mut pack = ContentPack::embedded()?;
    pack.resources.retain(|r| r.region != Region::Nz);
    pack.items
        .retain(|i| i.id != "good-samaritan-nz" && i.id != "support-for-you-nz");
    let problems = validate::completeness(&pack);
    assert_caught(&problems, Check::Completeness, "NZ");
    assert!(problems.iter().all(|p| p.id == "NZ"));
    assert!(problems.iter().any(|p| p.detail.contains("emergency")));
    assert!(problems.iter().any(|p| p.detail.contains("crisis")));
    assert!(problems.iter().any(|p| p.detail.contains("Good Samaritan")));
    assert!(problems
        .iter()
        .any(|p| p.detail.contains("family and friends")));
    Ok(())
}

/// Prints every item's and fact's grade; not a check, so it is ignored by default. Run with
/// `cargo test -p holdfast-content print_grades -- --ignored --nocapture`.
#[test]
#[ignore = "prints grades for the docs; not a check"]
fn print_grades() -> TestResult {
    let pack = ContentPack::embedded()?;
    for item in &pack.items {
        let mut counts = super::readability::counts(&item.summary);
        for text in item.body.iter().chain(item.steps.iter().map(|s| &s.text)) {
            counts = counts + super::readability::counts(&text.replace(EMERGENCY_PLACEHOLDER, ""));
        }
        println!("grade {:>5.1}  {}", counts.grade(), item.id);
    }
    for fact in &pack.facts {
        println!(
            "grade {:>5.1}  fact {}",
            super::readability::grade(&fact.text),
            fact.id
        );
    }
    Ok(())
}

#[test]
#[ignore = "prints URIs for review; not a check"]
fn print_uris() -> TestResult {
    for r in ContentPack::embedded()?.resources {
        for p in &r.phones {
            println!("{:<26} {:<16} {}", r.id, p.number, p.tel_uri);
        }
        for t in &r.texts {
            println!("{:<26} {:<16} {}", r.id, t.number, t.sms_uri);
        }
    }
    Ok(())
}

// ---- safety words outside the pack --------------------------------------------------------

/// The string literals in Rust or TypeScript source, with comments skipped (a small lexer: enough
/// for this code base's strings, raw strings and template literals).
fn string_literals(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' || c == '`' || c == '\'' {
            let quote = c;
            let mut text = String::new();
            let mut j = i + 1;
            while j < chars.len() && chars[j] != quote {
                // A `'` with no closing quote on its line is a Rust lifetime, not a string.
                if quote == '\'' && chars[j] == '\n' {
                    break;
                }
                if chars[j] == '\\' {
                    j += 1;
                }
                if let Some(ch) = chars.get(j) {
                    text.push(*ch);
                }
                j += 1;
            }
            if chars.get(j) == Some(&quote) {
                out.push(text);
                i = j + 1;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The words a person reads in a Svelte file: its template text (tags, `<style>` and comments
/// removed, attribute values kept) and the string literals in its script and expressions.
fn svelte_reader_text(source: &str) -> Vec<String> {
    let mut rest = source.to_owned();
    for (open, close) in [("<style", "</style>"), ("<!--", "-->")] {
        while let Some(start) = rest.find(open) {
            let end = rest[start..]
                .find(close)
                .map_or(rest.len(), |e| start + e + close.len());
            rest.replace_range(start..end, " ");
        }
    }
    let mut out = Vec::new();
    let mut script = String::new();
    while let Some(start) = rest.find("<script") {
        let end = rest[start..]
            .find("</script>")
            .map_or(rest.len(), |e| start + e + 9);
        script.push_str(&rest[start..end]);
        rest.replace_range(start..end, " ");
    }
    out.extend(string_literals(&script));
    // Template: keep text between tags, and attribute values (aria-label, alt, title ...).
    let mut text = String::new();
    let mut in_tag = false;
    for ch in rest.chars() {
        match ch {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(ch),
            _ => {}
        }
    }
    out.push(text);
    out.extend(string_literals(&rest));
    out
}

fn source_files(dir: &std::path::Path, exts: &[&str], out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

/// Files that name the stigmatising words on purpose (the word lists and their tests).
const STIGMA_SCAN_EXEMPT: &[&str] = &["validate.rs", "tests.rs", "bindings.ts"];

#[test]
fn screens_and_rust_strings_use_no_stigmatising_words() -> TestResult {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    source_files(&root.join("ui/src"), &["svelte", "ts"], &mut files);
    for dir in [
        "core/content/src",
        "core/domain/src",
        "core/store/src",
        "core/app/src",
        "src-tauri/src",
    ] {
        source_files(&root.join(dir), &["rs"], &mut files);
    }
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if STIGMA_SCAN_EXEMPT.contains(&name) {
            continue;
        }
        let source = std::fs::read_to_string(path)?;
        // A module's tests (at its end) may name the words on purpose, to check they are caught.
        let source = source
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        let texts = if name.ends_with(".svelte") {
            svelte_reader_text(source)
        } else {
            string_literals(source)
        };
        // SQL and identifiers are not read by a person (`PRAGMA user_version`, "user_version").
        let is_sql = |t: &String| {
            [
                "PRAGMA ", "SELECT ", "INSERT ", "CREATE ", "UPDATE ", "DELETE ",
            ]
            .iter()
            .any(|k| t.contains(k))
                || (t.contains('_') && !t.contains(' '))
        };
        for text in texts.iter().filter(|t| !is_sql(t)) {
            for word in validate::stigma_in(text) {
                problems.push(format!("{}: {word:?} in {:?}", path.display(), text.trim()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "stigmatising words:\n{}",
        problems.join("\n")
    );
    Ok(())
}

#[test]
fn the_source_scan_sees_template_text_and_strings() {
    let svelte = "<script>const a = 'an addict';</script><p>Clean days</p><style>.dirty{}</style>";
    let found: Vec<String> = svelte_reader_text(svelte)
        .iter()
        .flat_map(|t| validate::stigma_in(t))
        .collect();
    assert_eq!(found, ["addict", "clean"]);
    let rust = "// a junkie comment\nlet s = \"no user here\"; let c = 'x'; fn f<'a>() {}";
    let found: Vec<String> = string_literals(rust)
        .iter()
        .flat_map(|t| validate::stigma_in(t))
        .collect();
    assert_eq!(found, ["user"]);
}
