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
    // The names come from the one command list (core/commands).
    let manifest = tauri_build::AppManifest::new().commands(holdfast_commands::NAMES);
    let attrs = tauri_build::Attributes::new()
        .app_manifest(manifest)
        .capabilities_path_pattern("src-tauri/capabilities/**/*");
    if let Err(err) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri build step failed: {err:#}");
        std::process::exit(1);
    }
}
