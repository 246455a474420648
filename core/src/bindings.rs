//! TypeScript declarations for every type that crosses IPC, generated from the Rust types with
//! ts-rs into `ui/src/lib/bindings.ts`. A test fails when the checked-in file differs from what
//! the Rust types say, so the two cannot drift. Regenerate with:
//!
//! ```sh
//! UPDATE_BINDINGS=1 cargo test -p holdfast-core bindings
//! ```

use ts_rs::TS;

/// Path of the generated file, relative to the workspace root.
pub const BINDINGS_PATH: &str = "ui/src/lib/bindings.ts";

/// The full text of `ui/src/lib/bindings.ts`.
pub fn typescript() -> String {
    let decls = [
        crate::AppInfo::decl(),
        crate::ErrorCode::decl(),
        crate::IpcError::decl(),
        crate::content::Region::decl(),
        crate::content::RegionScope::decl(),
        crate::content::Confidence::decl(),
        crate::content::Topic::decl(),
        crate::content::LawStatus::decl(),
        crate::content::ResourceKind::decl(),
        crate::content::Source::decl(),
        crate::content::StepAction::decl(),
        crate::content::Step::decl(),
        crate::content::Advice::decl(),
        crate::content::Item::decl(),
        crate::content::Fact::decl(),
        crate::content::Phone::decl(),
        crate::content::TextLine::decl(),
        crate::content::Resource::decl(),
        crate::content::ContentPack::decl(),
        crate::emergency::RegionOption::decl(),
        crate::emergency::RegionSource::decl(),
        crate::emergency::RegionState::decl(),
        crate::settings::AppMode::decl(),
        crate::emergency::NaloxoneTimer::decl(),
        crate::emergency::RegionGuide::decl(),
        crate::emergency::PracticeStep::decl(),
        crate::emergency::PracticeResult::decl(),
        crate::content::illustrations::Illustration::decl(),
        crate::passphrase::Strength::decl(),
        crate::session::LockState::decl(),
        crate::session::SessionInfo::decl(),
        crate::session::SetupCode::decl(),
        crate::session::BackupFile::decl(),
        crate::session::JournalView::decl(),
        crate::store::Status::decl(),
        crate::store::EventTime::decl(),
        crate::store::Substance::decl(),
        crate::store::UseEntry::decl(),
        crate::store::BreakKind::decl(),
        crate::store::BreakEntry::decl(),
        crate::store::Checkin::decl(),
        crate::store::RecordKind::decl(),
        crate::store::Stored::<crate::store::UseEntry>::decl(),
        crate::store::BackupSummary::decl(),
        crate::tolerance::Treatment::decl(),
        crate::tolerance::Level::decl(),
        crate::tolerance::Action::decl(),
        crate::tolerance::Medicine::decl(),
        crate::tolerance::Reason::decl(),
        crate::tolerance::LastUse::decl(),
        crate::tolerance::Milestone::decl(),
        crate::tolerance::ToleranceStatus::decl(),
        crate::tolerance::RestartAdvice::decl(),
        crate::store::Halt::decl(),
        crate::store::Trigger::decl(),
        crate::store::SupportPerson::decl(),
        crate::store::PlanSection::decl(),
        crate::store::PlanItem::decl(),
        crate::store::MakingSafer::decl(),
        crate::store::SafetyPlan::decl(),
        crate::store::KitKind::decl(),
        crate::store::NaloxoneKit::decl(),
        crate::store::ListKind::decl(),
        crate::care::KitStatus::decl(),
        crate::care::KitView::decl(),
        crate::store::VisitStep::decl(),
        crate::store::TreatmentInterest::decl(),
        crate::store::Visit::decl(),
        crate::visit::StepGuide::decl(),
        crate::visit::Walkthrough::decl(),
        crate::trends::TrendPoint::decl(),
        crate::trends::Trend::decl(),
        crate::trends::NudgeReason::decl(),
        crate::trends::Nudge::decl(),
        crate::reminders::QuietHours::decl(),
        crate::reminders::ReminderSettings::decl(),
        crate::reminders::ReminderKind::decl(),
        crate::reminders::Reminder::decl(),
        crate::tolerance::view::TimelineBreak::decl(),
        crate::tolerance::view::Timeline::decl(),
        crate::tolerance::view::ToleranceView::decl(),
        crate::tolerance::view::RestartView::decl(),
        crate::care::CheckinSaved::decl(),
        crate::autostart::AutostartState::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in core/ by ts-rs. Do not edit by hand:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p holdfast-core bindings` instead.\n",
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

    #[test]
    fn bindings_match_the_rust_types() -> Result<(), Box<dyn std::error::Error>> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(super::BINDINGS_PATH);
        let want = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want)?;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is out of date with the Rust types; run `UPDATE_BINDINGS=1 cargo test -p holdfast-core bindings`",
            path.display()
        );
        Ok(())
    }
}
