//! Tauri's build step for the blank baseline app (tauri.conf.json beside this file).

fn main() {
    tauri_build::build();
}
