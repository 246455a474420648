#!/usr/bin/env bash
# Builds a release .deb with the Tauri CLI (from npm): target/release/bundle/deb/*.deb
#
# The app's configuration lives at the workspace root (tauri.conf.json), which src-tauri/build.rs
# reads. The Tauri CLI, however, only accepts a crate folder that holds its own tauri.conf.json,
# so this script writes a copy into src-tauri/ with its paths made relative to that folder,
# runs the CLI there, and removes the copy again.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" run
copy="$root/src-tauri/tauri.conf.json"
trap 'rm -f "$copy"' EXIT
python3 - "$root/tauri.conf.json" "$copy" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
c = json.load(open(src))
c["build"]["frontendDist"] = "../" + c["build"]["frontendDist"]
c["build"]["beforeBuildCommand"] = "npm run build"
pattern = c["app"]["security"].get("pattern", {})
if "options" in pattern and "dir" in pattern["options"]:
    pattern["options"]["dir"] = "../" + pattern["options"]["dir"]
c["bundle"]["icon"] = [p.removeprefix("src-tauri/") for p in c["bundle"]["icon"]]
json.dump(c, open(dst, "w"), indent=2)
PY
cd "$root"
TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root/ui" \
  "$root/ui/node_modules/.bin/tauri" build --bundles deb "$@"
ls -l "${CARGO_TARGET_DIR:-$root/target}"/release/bundle/deb/*.deb
