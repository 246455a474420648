//! TypeScript declarations for every type that crosses IPC, generated from the Rust types with
//! ts-rs into `ui/src/lib/bindings.ts`. A test fails when the checked-in file differs from what
//! the Rust types say, so the two cannot drift. Regenerate with:
//!
//! ```sh
//! UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings
//! ```

use ts_rs::TS;

/// Path of the generated file, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// The full text of `ui/src/lib/bindings.ts`.
pub fn typescript() -> String {
    let decls = [
        crate::AppInfo::decl(),
        crate::startup::StartupMark::decl(),
        crate::startup::StartupTimeline::decl(),
        crate::startup::BootData::decl(),
        crate::ErrorCode::decl(),
        crate::IpcError::decl(),
        holdfast_content::Region::decl(),
        holdfast_content::RegionScope::decl(),
        holdfast_content::Confidence::decl(),
        holdfast_content::Topic::decl(),
        holdfast_content::LawStatus::decl(),
        holdfast_content::ResourceKind::decl(),
        holdfast_content::Source::decl(),
        holdfast_content::StepAction::decl(),
        holdfast_content::Step::decl(),
        holdfast_content::Advice::decl(),
        holdfast_content::Item::decl(),
        holdfast_content::Fact::decl(),
        holdfast_content::Phone::decl(),
        holdfast_content::TextLine::decl(),
        holdfast_content::Resource::decl(),
        holdfast_content::ContentPack::decl(),
        holdfast_domain::emergency::RegionOption::decl(),
        holdfast_domain::emergency::RegionSource::decl(),
        holdfast_domain::emergency::RegionState::decl(),
        crate::settings::AppMode::decl(),
        holdfast_domain::emergency::NaloxoneTimer::decl(),
        holdfast_domain::emergency::RegionGuide::decl(),
        holdfast_content::search::HitKind::decl(),
        holdfast_content::search::Segment::decl(),
        holdfast_content::search::SearchHit::decl(),
        holdfast_content::search::Correction::decl(),
        holdfast_content::search::SearchResults::decl(),
        holdfast_domain::emergency::PracticeStep::decl(),
        holdfast_domain::emergency::PracticeResult::decl(),
        holdfast_content::illustrations::Illustration::decl(),
        holdfast_domain::passphrase::Strength::decl(),
        crate::session::LockState::decl(),
        crate::session::SessionInfo::decl(),
        crate::session::SetupCode::decl(),
        crate::session::BackupFile::decl(),
        crate::session::JournalView::decl(),
        holdfast_store::Status::decl(),
        holdfast_domain::records::EventTime::decl(),
        holdfast_domain::records::Substance::decl(),
        holdfast_domain::records::UseEntry::decl(),
        holdfast_domain::records::BreakKind::decl(),
        holdfast_domain::records::BreakEntry::decl(),
        holdfast_domain::records::Checkin::decl(),
        holdfast_domain::records::RecordKind::decl(),
        holdfast_domain::records::Stored::<holdfast_domain::records::UseEntry>::decl(),
        holdfast_store::BackupSummary::decl(),
        holdfast_store::SetAsideReason::decl(),
        holdfast_store::SetAside::decl(),
        holdfast_domain::tolerance::Treatment::decl(),
        holdfast_domain::tolerance::Level::decl(),
        holdfast_domain::tolerance::Action::decl(),
        holdfast_domain::tolerance::Medicine::decl(),
        holdfast_domain::tolerance::Reason::decl(),
        holdfast_domain::tolerance::LastUse::decl(),
        holdfast_domain::tolerance::Milestone::decl(),
        holdfast_domain::tolerance::ToleranceStatus::decl(),
        holdfast_domain::tolerance::RestartAdvice::decl(),
        holdfast_domain::records::Halt::decl(),
        holdfast_domain::records::Trigger::decl(),
        holdfast_domain::records::SupportPerson::decl(),
        holdfast_domain::records::PlanSection::decl(),
        holdfast_domain::records::PlanItem::decl(),
        holdfast_domain::records::MakingSafer::decl(),
        holdfast_domain::records::SafetyPlan::decl(),
        holdfast_domain::records::KitKind::decl(),
        holdfast_domain::records::NaloxoneKit::decl(),
        holdfast_domain::records::ListKind::decl(),
        holdfast_domain::kits::KitStatus::decl(),
        holdfast_domain::kits::KitView::decl(),
        holdfast_domain::records::VisitStep::decl(),
        holdfast_domain::records::TreatmentInterest::decl(),
        holdfast_domain::records::Visit::decl(),
        holdfast_domain::walkthrough::StepGuide::decl(),
        holdfast_domain::walkthrough::Walkthrough::decl(),
        holdfast_domain::response::Phase::decl(),
        holdfast_domain::response::Choice::decl(),
        holdfast_domain::response::ChoiceKey::decl(),
        holdfast_domain::response::ChoiceView::decl(),
        holdfast_domain::response::Prompt::decl(),
        holdfast_domain::response::Pacer::decl(),
        holdfast_domain::response::Line::decl(),
        holdfast_domain::response::PacerCue::decl(),
        holdfast_domain::response::ResponseView::decl(),
        holdfast_domain::response::PracticeMilestone::decl(),
        holdfast_domain::response::Goal::decl(),
        holdfast_domain::response::PracticeSummary::decl(),
        crate::host::VoiceStatus::decl(),
        crate::handlers::guided::VoiceSettings::decl(),
        crate::handlers::guided::CueText::decl(),
        crate::handlers::guided::GuidedView::decl(),
        holdfast_domain::trends::TrendPoint::decl(),
        holdfast_domain::trends::Trend::decl(),
        holdfast_domain::trends::NudgeReason::decl(),
        holdfast_domain::trends::Nudge::decl(),
        holdfast_domain::reminders::QuietHours::decl(),
        holdfast_domain::reminders::ReminderSettings::decl(),
        holdfast_domain::reminders::ReminderKind::decl(),
        holdfast_domain::reminders::Reminder::decl(),
        holdfast_domain::tolerance::view::TimelineBreak::decl(),
        holdfast_domain::tolerance::view::Timeline::decl(),
        holdfast_domain::tolerance::view::ToleranceView::decl(),
        holdfast_domain::tolerance::view::RestartView::decl(),
        holdfast_domain::checkin::CheckinSaved::decl(),
        crate::autostart::AutostartState::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in core/ by ts-rs. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings` instead.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// Checks that the generated file at `relative` (from the workspace root) is `want`, after
    /// writing it when `UPDATE_BINDINGS` is set; `source` says what it is generated from.
    fn check_generated(
        relative: &str,
        want: &str,
        source: &str,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(relative);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, want)?;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is out of date with {source}; run `UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings`",
            path.display()
        );
        Ok(())
    }

    #[test]
    fn bindings_match_the_rust_types() -> Result<(), Box<dyn std::error::Error>> {
        check_generated(super::BINDINGS_PATH, &super::typescript(), "the Rust types")
    }

    #[test]
    fn bindings_command_map_matches_the_command_list() -> Result<(), Box<dyn std::error::Error>> {
        check_generated(
            crate::commands::COMMANDS_PATH,
            &crate::commands::typescript(),
            "the command list",
        )
    }

    #[test]
    fn bindings_isolation_allow_list_matches_the_command_list(
    ) -> Result<(), Box<dyn std::error::Error>> {
        check_generated(
            crate::commands::ISOLATION_PATH,
            &crate::commands::isolation_script(),
            "the command list",
        )
    }
}
