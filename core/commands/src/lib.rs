//! The one list of Holdfast's commands.
//!
//! [`with_commands!`] hands the list to a macro of the caller's, which turns it into what that
//! layer needs: `holdfast-app` checks that every command is a use case with exactly these
//! arguments and writes the UI's typed command map (`ui/src/lib/commands.ts`); the shell
//! generates one Tauri adapter per command and the handler list; the shell's build script
//! takes [`NAMES`] for the permission manifest. A test checks the capability file against it.
//!
//! Each entry is `kind name(arg: Type, ...) -> Result;`. The types are resolved where the list is
//! expanded. The kind says how the shell runs it:
//! - `main`: on the main thread (cheap, no journal);
//! - `quick`: on the async runtime (reads and writes the journal; milliseconds);
//! - `blocking`: on a blocking thread, because it derives a key (about half a second), so the
//!   window stays responsive.
//!
//! To add a command: add a line here, a method of that name on `holdfast_app::App`, an
//! `allow-<name>` entry in `src-tauri/capabilities/main-window.json`, then regenerate the
//! bindings (`UPDATE_BINDINGS=1 cargo test -p holdfast-app --lib bindings`).

/// Calls `$callback! { kind name(args) -> Result; ... }` with every command.
#[macro_export]
macro_rules! with_commands {
    ($callback:ident) => {
        $callback! {
            // The app and the emergency screens (no journal).
            main app_info() -> AppInfo;
            main first_render() -> u64;
            main region_state() -> RegionState;
            main set_region(region: String) -> RegionState;
            main app_mode() -> Option<AppMode>;
            main set_app_mode(mode: String) -> AppMode;
            main region_guide(region: String) -> RegionGuide;
            main score_practice(region: String, done_order: Vec<u32>) -> PracticeResult;
            main illustrations() -> Vec<Illustration>;
            // The journal's life: setup, unlock, lock, recovery, erase.
            quick session_info() -> SessionInfo;
            quick passphrase_strength(passphrase: String) -> Strength;
            quick suggest_passphrase() -> String;
            quick begin_setup(passphrase: String) -> SetupCode;
            blocking finish_setup(answers: Vec<String>) -> SessionInfo;
            quick cancel_setup() -> SessionInfo;
            blocking unlock(passphrase: String) -> SessionInfo;
            blocking recover(code: String, new_passphrase: String) -> SetupCode;
            quick lock() -> SessionInfo;
            quick touch() -> ();
            quick set_idle_minutes(minutes: u32) -> SessionInfo;
            blocking change_passphrase(old: String, new: String) -> ();
            blocking begin_new_code(passphrase: String) -> SetupCode;
            blocking confirm_new_code(answers: Vec<String>) -> ();
            quick erase(confirmation: String) -> SessionInfo;
            quick set_aside() -> String;
            // Backups.
            blocking export_backup(passphrase: String) -> BackupFile;
            quick list_backups() -> Vec<BackupFile>;
            blocking inspect_backup(path: String, passphrase: String) -> BackupSummary;
            blocking import_backup(path: String, passphrase: String) -> BackupSummary;
            // Uses, breaks and tolerance.
            quick journal_view() -> JournalView;
            quick add_use(entry: UseEntry) -> RecordId;
            quick update_use(id: RecordId, entry: UseEntry) -> ();
            quick add_break(entry: BreakEntry) -> RecordId;
            quick update_break(id: RecordId, entry: BreakEntry) -> ();
            quick delete_record(kind: RecordKind, id: RecordId) -> ();
            quick tolerance() -> ToleranceView;
            quick set_treatment(treatment: Treatment) -> ToleranceView;
            quick restart_advice(medicine: Medicine, last_dose: NaiveDate) -> RestartView;
            // Check-ins.
            quick checkin_today() -> Option<Stored<Checkin>>;
            quick checkin_on(date: NaiveDate) -> Option<Stored<Checkin>>;
            quick list_checkins() -> Vec<Stored<Checkin>>;
            quick add_checkin(entry: Checkin) -> CheckinSaved;
            quick update_checkin(id: RecordId, entry: Checkin) -> CheckinSaved;
            // Triggers, support people and the safety plan.
            quick list_triggers() -> Vec<Stored<Trigger>>;
            quick add_trigger(trigger: Trigger) -> RecordId;
            quick rename_trigger(id: RecordId, trigger: Trigger) -> ();
            quick reorder_triggers(ids: Vec<RecordId>) -> ();
            quick delete_trigger(id: RecordId) -> ();
            quick list_support_people() -> Vec<Stored<SupportPerson>>;
            quick add_support_person(person: SupportPerson) -> RecordId;
            quick update_support_person(id: RecordId, person: SupportPerson) -> ();
            quick reorder_support_people(ids: Vec<RecordId>) -> ();
            quick delete_support_person(id: RecordId) -> ();
            quick safety_plan() -> SafetyPlan;
            quick add_plan_item(item: PlanItem) -> RecordId;
            quick update_plan_item(id: RecordId, item: PlanItem) -> ();
            quick reorder_plan(section: PlanSection, ids: Vec<RecordId>) -> ();
            quick set_making_safer(safer: MakingSafer) -> SafetyPlan;
            quick delete_plan_item(id: RecordId) -> ();
            // Naloxone kits.
            quick list_kits() -> Vec<KitView>;
            quick add_kit(kit: NaloxoneKit) -> RecordId;
            quick update_kit(id: RecordId, kit: NaloxoneKit) -> ();
            quick mark_kit_used(id: RecordId, day: NaiveDate) -> ();
            quick delete_kit(id: RecordId) -> ();
            // Trends, nudges, reminders and start at login.
            quick trend() -> Trend;
            quick nudge() -> Option<Nudge>;
            quick reminder_settings() -> ReminderSettings;
            quick set_reminder_settings(settings: ReminderSettings) -> ReminderSettings;
            quick upcoming_reminders() -> Vec<Reminder>;
            quick launch_at_login() -> AutostartState;
            quick set_launch_at_login(enabled: bool) -> AutostartState;
            // Peer visits.
            quick visit_walkthrough() -> Walkthrough;
            quick open_visit() -> Option<Stored<Visit>>;
            quick start_visit() -> Stored<Visit>;
            quick save_visit(id: RecordId, visit: Visit) -> Stored<Visit>;
            quick finish_visit(id: RecordId) -> Stored<Visit>;
            quick get_visit(id: RecordId) -> Stored<Visit>;
            quick list_visits() -> Vec<Stored<Visit>>;
            quick delete_visit(id: RecordId) -> ();
        }
    };
}

macro_rules! names {
    ($( $kind:ident $name:ident ( $( $arg:ident : $ty:ty ),* ) -> $ret:ty ; )*) => {
        /// Every command's name, in the list's order.
        pub const NAMES: &[&str] = &[$( stringify!($name) ),*];
    };
}
with_commands!(names);

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn names_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for name in super::NAMES {
            assert!(seen.insert(name), "{name} is listed twice");
        }
        assert_eq!(seen.len(), 79);
    }

    /// The capability grants exactly the listed commands, each once (besides the event and
    /// opener permissions), so a new command cannot be forgotten or an old one left allowed.
    #[test]
    fn the_capability_allows_exactly_the_listed_commands() -> Result<(), Box<dyn std::error::Error>>
    {
        let text = std::fs::read_to_string(root().join("src-tauri/capabilities/main-window.json"))?;
        let mut allowed: Vec<String> = text
            .split('"')
            .filter_map(|s| s.strip_prefix("allow-"))
            .map(|s| s.replace('-', "_"))
            .collect();
        allowed.sort();
        let mut want: Vec<String> = super::NAMES.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(allowed, want, "src-tauri/capabilities/main-window.json");
        Ok(())
    }

    /// Tauri's build step writes a permission file per command and never deletes one; the
    /// committed folder must hold exactly the listed commands.
    #[test]
    fn no_stale_generated_permission_is_left() -> Result<(), Box<dyn std::error::Error>> {
        let mut files: Vec<String> = std::fs::read_dir(root().join("permissions/autogenerated"))?
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".toml"))
                    .map(str::to_owned)
            })
            .collect();
        files.sort();
        let mut want: Vec<String> = super::NAMES.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(files, want, "permissions/autogenerated/");
        Ok(())
    }
}
