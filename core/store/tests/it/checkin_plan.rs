//! The fuller check-in, the trigger list, support people, the safety plan and naloxone kits,
//! through the real encrypted store: round trips (also across lock and unlock), validation at
//! the boundary, and nothing half-saved.

use crate::common::*;
use chrono::{Duration, NaiveDate};
use holdfast_content::Region;
use holdfast_domain::records::{
    Checkin, Halt, KitKind, ListKind, MakingSafer, NaloxoneKit, PlanItem, PlanSection, RecordId,
    RecordKind, Trigger,
};
use holdfast_store::{Store, StoreError};

fn field_of(r: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Invalid { field, .. }) => field,
        other => {
            eprintln!("expected Invalid, got {other:?}");
            "<not invalid>"
        }
    }
}

fn trigger(name: &str) -> Trigger {
    Trigger {
        name: name.to_owned(),
    }
}

fn sign(text: &str) -> PlanItem {
    PlanItem::WarningSign {
        text: text.to_owned(),
    }
}

fn full_checkin(date: NaiveDate, triggers: Vec<RecordId>, signs: Vec<RecordId>) -> Checkin {
    Checkin {
        sleep: Some(2),
        halt: Halt {
            hungry: true,
            angry: false,
            lonely: true,
            tired: true,
        },
        triggers,
        warning_signs: signs,
        used_since_last: true,
        naloxone_with_me: Some(false),
        note: Some("long day".to_owned()),
        ..Checkin::new(date, 7, 2, whole_seconds())
    }
}

#[test]
fn full_checkin_round_trips_and_today_can_be_edited() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let payday = s.add_trigger(&trigger("payday"))?;
    let crowd = s.add_trigger(&trigger("old crowd"))?;
    let not_sleeping = s.add_plan_item(&sign("not sleeping"), Region::Us)?;
    let c = full_checkin(today(), vec![crowd, payday], vec![not_sleeping]);
    let id = s.add_checkin(&c)?;
    // Ids come back in ascending order.
    let want = Checkin {
        triggers: vec![payday, crowd],
        ..c.clone()
    };
    assert_eq!(s.get_checkin(id)?.record, want);
    assert_eq!(
        s.checkin_on(today())?.map(|c| c.id),
        Some(id),
        "today's check-in is found by date"
    );
    assert_eq!(s.checkin_on(today() - Duration::days(1))?, None);
    // A second one for the same day is a conflict; editing today's works.
    assert!(matches!(s.add_checkin(&c), Err(StoreError::Conflict(_))));
    let edited = Checkin {
        cravings: 3,
        triggers: vec![payday],
        warning_signs: vec![],
        naloxone_with_me: Some(true),
        ..c.clone()
    };
    s.update_checkin(id, &edited)?;
    assert_eq!(s.list_checkins()?.len(), 1);
    s.lock();
    let s = Store::unlock(tmp.path(), PASS, fast())?;
    assert_eq!(s.get_checkin(id)?.record, edited);
    assert_eq!(s.list_checkins()?[0].record, edited);
    // Removing a trigger removes it from past check-ins; deleting the check-in drops its links.
    s.delete_from_list(ListKind::Trigger, payday)?;
    assert!(s.get_checkin(id)?.record.triggers.is_empty());
    s.delete(RecordKind::Checkin, id)?;
    s.add_checkin(&full_checkin(today(), vec![crowd], vec![not_sleeping]))?;
    s.delete_from_list(ListKind::PlanItem, not_sleeping)?;
    assert!(s.list_checkins()?[0].record.warning_signs.is_empty());
    Ok(())
}

#[test]
fn bad_checkins_are_refused_and_nothing_is_half_saved() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let t = s.add_trigger(&trigger("payday"))?;
    let w = s.add_plan_item(&sign("skipping meals"), Region::Us)?;
    let coping = s.add_plan_item(
        &PlanItem::CopingStep {
            text: "walk".to_owned(),
        },
        Region::Us,
    )?;
    let base = full_checkin(today(), vec![t], vec![w]);
    let cases: Vec<(Checkin, &str)> = vec![
        (
            Checkin {
                sleep: Some(0),
                ..base.clone()
            },
            "sleep",
        ),
        (
            Checkin {
                sleep: Some(6),
                ..base.clone()
            },
            "sleep",
        ),
        (
            Checkin {
                cravings: 11,
                ..base.clone()
            },
            "cravings",
        ),
        (
            Checkin {
                triggers: vec![t + 100],
                ..base.clone()
            },
            "triggers",
        ),
        (
            Checkin {
                triggers: vec![t, t],
                ..base.clone()
            },
            "triggers",
        ),
        // A coping step is not a warning sign.
        (
            Checkin {
                warning_signs: vec![coping],
                ..base.clone()
            },
            "warning signs",
        ),
        (
            Checkin {
                warning_signs: (1..=101).collect(),
                ..base.clone()
            },
            "warning signs",
        ),
        (
            Checkin {
                note: Some("x".repeat(2_000_000)),
                ..base.clone()
            },
            "note",
        ),
        (
            Checkin {
                date: today() + Duration::days(2),
                ..base.clone()
            },
            "date",
        ),
    ];
    for (c, field) in cases {
        assert_eq!(field_of(s.add_checkin(&c)), field);
    }
    assert!(s.list_checkins()?.is_empty(), "nothing was saved");
    // An edit with an unknown id leaves the stored check-in as it was.
    let id = s.add_checkin(&base)?;
    assert_eq!(
        field_of(s.update_checkin(
            id,
            &Checkin {
                cravings: 0,
                triggers: vec![t, t + 100],
                ..base.clone()
            }
        )),
        "triggers"
    );
    assert_eq!(s.get_checkin(id)?.record, base);
    Ok(())
}

#[test]
fn trigger_list_add_rename_remove_and_order() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let a = s.add_trigger(&trigger("  payday "))?;
    let b = s.add_trigger(&trigger("arguments"))?;
    let c = s.add_trigger(&trigger("being alone at night"))?;
    assert!(matches!(
        s.add_trigger(&trigger("PAYDAY")),
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(field_of(s.add_trigger(&trigger("   "))), "trigger");
    assert_eq!(
        field_of(s.add_trigger(&trigger(&"x".repeat(121)))),
        "trigger"
    );
    assert_eq!(field_of(s.add_trigger(&trigger("a\u{7}b"))), "trigger");
    s.rename_trigger(b, &trigger("arguments at home"))?;
    assert!(matches!(
        s.rename_trigger(b, &trigger("Payday")),
        Err(StoreError::Conflict(_))
    ));
    s.reorder_triggers(&[c, a, b])?;
    let names: Vec<String> = s
        .list_triggers()?
        .into_iter()
        .map(|t| t.record.name)
        .collect();
    assert_eq!(
        names,
        ["being alone at night", "payday", "arguments at home"]
    );
    assert_eq!(field_of(s.reorder_triggers(&[c, a])), "trigger order");
    assert_eq!(field_of(s.reorder_triggers(&[c, a, a])), "trigger order");
    s.delete_from_list(ListKind::Trigger, a)?;
    assert_eq!(
        s.delete_from_list(ListKind::Trigger, a),
        Err(StoreError::RecordNotFound)
    );
    assert_eq!(s.list_triggers()?.len(), 2);
    // A new trigger goes at the end.
    let d = s.add_trigger(&trigger("payday"))?;
    assert_eq!(s.list_triggers()?.last().map(|t| t.id), Some(d));
    Ok(())
}

#[test]
fn support_people_phones_are_checked_for_the_region() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let us = s.add_support_person(&person("Dana", Some("(415) 555-2671")), Region::Us)?;
    let got = s.get_support_person(us)?.record;
    assert_eq!(got.phone.as_deref(), Some("+14155552671"));
    assert_eq!(got.tel_uri().as_deref(), Some("tel:+14155552671"));
    assert_eq!(got.sms_uri().as_deref(), Some("sms:+14155552671"));
    // A UK mobile in the UK; an international number from anywhere.
    let uk = s.add_support_person(&person("Jo", Some("07911 123456")), Region::Uk)?;
    assert_eq!(
        s.get_support_person(uk)?.record.phone.as_deref(),
        Some("+447911123456")
    );
    let abroad = s.add_support_person(&person("Pat", Some("+44 7911 123456")), Region::Au)?;
    assert_eq!(
        s.get_support_person(abroad)?.record.phone.as_deref(),
        Some("+447911123456")
    );
    // No phone is allowed; a bad one is not.
    s.add_support_person(&person("Sam", None), Region::Us)?;
    s.add_support_person(&person("Al", Some("   ")), Region::Us)?;
    assert_eq!(
        field_of(s.add_support_person(&person("Max", Some("12")), Region::Us)),
        "phone"
    );
    assert_eq!(
        field_of(s.add_support_person(&person("Max", Some("07911 123456")), Region::Us)),
        "phone"
    );
    assert_eq!(
        field_of(s.add_support_person(&person("Max", Some(&"1".repeat(41))), Region::Us)),
        "phone"
    );
    // Short codes are for services, not people.
    assert_eq!(
        field_of(s.add_support_person(&person("Max", Some("988")), Region::Us)),
        "phone"
    );
    assert_eq!(
        field_of(s.add_support_person(&person(" ", None), Region::Us)),
        "name"
    );
    assert_eq!(s.list_support_people()?.len(), 5);
    s.update_support_person(us, &person("Dana R", Some("+1 415 555 2672")), Region::Ca)?;
    assert_eq!(
        s.get_support_person(us)?.record.phone.as_deref(),
        Some("+14155552672")
    );
    let ids: Vec<RecordId> = s
        .list_support_people()?
        .iter()
        .rev()
        .map(|p| p.id)
        .collect();
    s.reorder_support_people(&ids)?;
    assert_eq!(
        s.list_support_people()?.first().map(|p| p.id),
        ids.first().copied()
    );
    Ok(())
}

#[test]
fn safety_plan_round_trip_through_the_store() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let dana = s.add_support_person(&person("Dana", Some("415 555 2671")), Region::Us)?;
    let sam = s.add_support_person(&person("Sam", None), Region::Us)?;
    let w1 = s.add_plan_item(&sign("not sleeping"), Region::Us)?;
    let w2 = s.add_plan_item(&sign("skipping meetings"), Region::Us)?;
    let c1 = s.add_plan_item(
        &PlanItem::CopingStep {
            text: "go for a walk".into(),
        },
        Region::Us,
    )?;
    let d1 = s.add_plan_item(
        &PlanItem::Distraction {
            text: "the library".into(),
        },
        Region::Us,
    )?;
    let h1 = s.add_plan_item(&PlanItem::HelpPerson { person: dana }, Region::Us)?;
    let h2 = s.add_plan_item(&PlanItem::HelpPerson { person: sam }, Region::Us)?;
    let p1 = s.add_plan_item(
        &PlanItem::Professional {
            name: None,
            phone: None,
            resource_id: Some("us-988".into()),
        },
        Region::Us,
    )?;
    let p2 = s.add_plan_item(
        &PlanItem::Professional {
            name: Some("Dr Lee's clinic".into()),
            phone: Some("(415) 555-2680".into()),
            resource_id: None,
        },
        Region::Us,
    )?;
    let p3 = s.add_plan_item(
        &PlanItem::Professional {
            name: Some("Local line".into()),
            phone: Some("116 123".into()),
            resource_id: None,
        },
        Region::Uk,
    )?;
    s.set_making_safer(&MakingSafer {
        naloxone_where: Some("kitchen drawer".into()),
        never_use_alone: Some("call the line first".into()),
        test_strips: Some("  ".into()),
    })?;
    s.reorder_plan(PlanSection::WarningSigns, &[w2, w1])?;
    s.lock();

    let s = Store::unlock(tmp.path(), PASS, fast())?;
    let plan = s.safety_plan()?;
    let ids = |v: &[holdfast_domain::records::Stored<PlanItem>]| -> Vec<RecordId> {
        v.iter().map(|i| i.id).collect()
    };
    assert_eq!(ids(&plan.warning_signs), [w2, w1]);
    assert_eq!(ids(&plan.coping_steps), [c1]);
    assert_eq!(ids(&plan.distractions), [d1]);
    assert_eq!(ids(&plan.help_people), [h1, h2]);
    assert_eq!(plan.help_person_ids(), [dana, sam]);
    assert_eq!(ids(&plan.professionals), [p1, p2, p3]);
    assert_eq!(
        plan.professionals[1].record,
        PlanItem::Professional {
            name: Some("Dr Lee's clinic".into()),
            phone: Some("+14155552680".into()),
            resource_id: None,
        }
    );
    assert_eq!(
        plan.professionals[2].record,
        PlanItem::Professional {
            name: Some("Local line".into()),
            phone: Some("116123".into()),
            resource_id: None,
        }
    );
    assert_eq!(
        plan.safer,
        MakingSafer {
            naloxone_where: Some("kitchen drawer".into()),
            never_use_alone: Some("call the line first".into()),
            test_strips: None,
        }
    );

    // Bad lines are refused.
    assert_eq!(
        field_of(s.add_plan_item(&PlanItem::HelpPerson { person: 999 }, Region::Us)),
        "person"
    );
    let unknown_service = PlanItem::Professional {
        name: None,
        phone: None,
        resource_id: Some("us-made-up".into()),
    };
    assert_eq!(
        field_of(s.add_plan_item(&unknown_service, Region::Us)),
        "service"
    );
    let nameless = PlanItem::Professional {
        name: Some(" ".into()),
        phone: Some("415 555 2680".into()),
        resource_id: None,
    };
    assert_eq!(
        field_of(s.add_plan_item(&nameless, Region::Us)),
        "service name"
    );
    assert_eq!(
        field_of(s.add_plan_item(&sign(&"x".repeat(501)), Region::Us)),
        "warning sign"
    );
    assert_eq!(
        field_of(s.update_plan_item(w1, &PlanItem::CopingStep { text: "x".into() }, Region::Us)),
        "section"
    );
    assert_eq!(
        field_of(s.reorder_plan(PlanSection::WarningSigns, &[w1, c1])),
        "plan order"
    );
    assert_eq!(
        field_of(s.set_making_safer(&MakingSafer {
            naloxone_where: Some("x".repeat(501)),
            ..MakingSafer::default()
        })),
        "where my naloxone is"
    );
    assert_eq!(s.safety_plan()?, plan, "nothing changed");

    // Edits, and removing a support person takes them off the plan.
    s.update_plan_item(w1, &sign("not sleeping well"), Region::Us)?;
    s.delete_from_list(ListKind::SupportPerson, dana)?;
    let plan = s.safety_plan()?;
    assert_eq!(plan.help_person_ids(), [sam]);
    assert_eq!(plan.warning_signs[1].record, sign("not sleeping well"));
    Ok(())
}

#[test]
fn naloxone_kits_crud_and_i_used_it() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let later = s.add_kit(&kit(Some(today() + Duration::days(400))))?;
    let soon = s.add_kit(&kit(Some(today() + Duration::days(20))))?;
    let unknown = s.add_kit(&NaloxoneKit {
        kind: KitKind::Injection,
        ..kit(None)
    })?;
    let order: Vec<RecordId> = s.list_kits()?.iter().map(|k| k.id).collect();
    assert_eq!(order, [soon, later, unknown]);
    s.mark_kit_used(soon, today())?;
    assert_eq!(s.get_kit(soon)?.record.used_on, Some(today()));
    let order: Vec<RecordId> = s.list_kits()?.iter().map(|k| k.id).collect();
    assert_eq!(order, [later, unknown, soon], "used kits go last");
    assert_eq!(
        field_of(s.mark_kit_used(later, today() + Duration::days(3))),
        "day used"
    );
    assert_eq!(s.get_kit(later)?.record.used_on, None);
    assert_eq!(
        field_of(s.add_kit(&kit(Some(today() + Duration::days(365 * 21))))),
        "expiry date"
    );
    assert_eq!(
        field_of(s.add_kit(&kit(NaiveDate::from_ymd_opt(1980, 1, 1)))),
        "expiry date"
    );
    assert_eq!(
        field_of(s.add_kit(&NaloxoneKit {
            kept_at: Some("x".repeat(121)),
            ..kit(None)
        })),
        "where it is kept"
    );
    assert_eq!(
        s.mark_kit_used(999, today()),
        Err(StoreError::RecordNotFound)
    );
    s.update_kit(later, &kit(Some(today() + Duration::days(10))))?;
    s.delete_from_list(ListKind::NaloxoneKit, unknown)?;
    assert_eq!(s.list_kits()?.len(), 2);
    Ok(())
}

#[test]
fn json_shapes_of_the_new_records() -> TestResult {
    let v = serde_json::to_value(PlanItem::HelpPerson { person: 3 })?;
    assert_eq!(v, serde_json::json!({"kind": "help_person", "person": 3}));
    // A check-in from an older UI (or backup) without the new answers still reads.
    let old = serde_json::json!({
        "date": "2024-01-02", "cravings": 3, "mood": 4, "note": null,
        "recorded": {"utc": "2024-01-02T10:00:00Z", "offset_seconds": 0}
    });
    let c: Checkin = serde_json::from_value(old)?;
    assert_eq!(c.sleep, None);
    assert_eq!(c.halt, Halt::default());
    assert!(c.triggers.is_empty() && !c.used_since_last && c.naloxone_with_me.is_none());
    Ok(())
}

#[test]
fn a_check_in_and_the_use_it_stands_for_are_saved_together_or_not_at_all() -> TestResult {
    let tmp = tempfile::tempdir()?;
    let (s, _) = Store::create(tmp.path(), PASS, fast())?;
    let day = today();
    let mut entry = Checkin::new(day, 2, 3, whole_seconds());
    entry.used_since_last = true;
    // A use the store refuses (its note is too long): the check-in is not kept either.
    let mut bad_use = a_use("x");
    bad_use.note = Some("n".repeat(holdfast_domain::records::MAX_NOTE_CHARS + 1));
    assert!(s.add_checkin_with_use(&entry, Some(&bad_use)).is_err());
    assert!(s.list_checkins()?.is_empty(), "no half-saved check-in");
    assert!(s.list_uses()?.is_empty());
    // Both are fine: both are kept.
    let (id, use_id) = s.add_checkin_with_use(&entry, Some(&a_use("x")))?;
    assert!(use_id.is_some());
    assert_eq!(s.list_uses()?.len(), 1);
    // An edit whose use is refused keeps the old answers.
    let mut edited = entry.clone();
    edited.cravings = 9;
    assert!(s
        .update_checkin_with_use(id, &edited, Some(&bad_use))
        .is_err());
    assert_eq!(s.get_checkin(id)?.record.cravings, 2);
    assert_eq!(s.list_uses()?.len(), 1);
    Ok(())
}
