//! Tauri's build step, pointed at the workspace root where `tauri.conf.json` lives.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest_dir.parent().map(PathBuf::from).unwrap_or_default();
    println!(
        "cargo:rerun-if-changed={}",
        root.join("tauri.conf.json").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("capabilities").display()
    );

    // The short commit, shown on the About screen. Outside a git checkout it is "unknown".
    let commit = Command::new("git")
        .args(["rev-parse", "--short=10", "HEAD"])
        .current_dir(&root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    println!("cargo:rustc-env=HOLDFAST_COMMIT={commit}");
    println!(
        "cargo:rustc-env=HOLDFAST_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
    println!(
        "cargo:rustc-env=HOLDFAST_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_default()
    );

    // tauri-build reads tauri.conf.json from the current folder; ours is at the workspace root.
    if let Err(err) = std::env::set_current_dir(&root) {
        println!(
            "cargo:warning=cannot enter the workspace root {}: {err}",
            root.display()
        );
        std::process::exit(1);
    }
    // Only the app's own commands are permitted, and only those a capability names.
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "first_render",
        "region_state",
        "set_region",
        "app_mode",
        "set_app_mode",
        "region_guide",
        "score_practice",
        "illustrations",
        "session_info",
        "passphrase_strength",
        "suggest_passphrase",
        "begin_setup",
        "finish_setup",
        "cancel_setup",
        "unlock",
        "recover",
        "lock",
        "touch",
        "set_idle_minutes",
        "change_passphrase",
        "begin_new_code",
        "confirm_new_code",
        "erase",
        "set_aside",
        "export_backup",
        "list_backups",
        "inspect_backup",
        "import_backup",
        "journal_view",
        "add_use",
        "update_use",
        "add_break",
        "update_break",
        "delete_record",
        "tolerance",
        "set_treatment",
        "restart_advice",
        "checkin_today",
        "checkin_on",
        "list_checkins",
        "add_checkin",
        "update_checkin",
        "list_triggers",
        "add_trigger",
        "rename_trigger",
        "reorder_triggers",
        "delete_trigger",
        "list_support_people",
        "add_support_person",
        "update_support_person",
        "reorder_support_people",
        "delete_support_person",
        "safety_plan",
        "add_plan_item",
        "update_plan_item",
        "reorder_plan",
        "set_making_safer",
        "delete_plan_item",
        "list_kits",
        "add_kit",
        "update_kit",
        "mark_kit_used",
        "delete_kit",
        "trend",
        "nudge",
        "reminder_settings",
        "set_reminder_settings",
        "upcoming_reminders",
        "launch_at_login",
        "set_launch_at_login",
        "visit_walkthrough",
        "open_visit",
        "start_visit",
        "save_visit",
        "finish_visit",
        "get_visit",
        "list_visits",
        "delete_visit",
    ]);
    let attrs = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern("src-tauri/capabilities/**/*");
    if let Err(err) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build step failed: {err:#}");
        std::process::exit(1);
    }
}
