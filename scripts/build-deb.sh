#!/usr/bin/env bash
# Builds a release .deb with the Tauri CLI (from npm): target/release/bundle/deb/*.deb
#
# The app's configuration lives at the workspace root (tauri.conf.json), which src-tauri/build.rs
# reads. The Tauri CLI, however, only accepts a crate folder that holds its own tauri.conf.json,
# so this script writes a copy into src-tauri/ with its paths made relative to that folder,
# runs the CLI there, and removes the copy again.
#
# The CLI's package then gets what Debian's own tools would give it (docs/packaging.md):
#   - the desktop entry (packaging/linux/, handed to the CLI as its template) under its ID,
#     /usr/share/applications/org.holdfast.companion.desktop (the CLI names it Holdfast.desktop);
#   - the binary fully stripped (`strip --strip-all`, as dh_strip does; the release profile only
#     drops debug info, so `cargo bloat` and profilers still see symbols);
#   - md5sums and Installed-Size brought up to date, and the package rebuilt with dpkg-deb.
# The AppStream metadata goes to /usr/share/metainfo/ through the CLI's "files". Last, the
# script checks the package: the binary is stripped, both files are where desktops look and
# both validate (the metadata with validate-tree, which also finds the entry it launches).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" deb
copy="$root/src-tauri/tauri.conf.json"
work=$(mktemp -d)
trap 'rm -f "$copy"; rm -rf "$work"' EXIT
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
deb = c["bundle"].get("linux", {}).get("deb", {})
if "desktopTemplate" in deb:
    deb["desktopTemplate"] = "../" + deb["desktopTemplate"]
deb["files"] = {dest: "../" + source for dest, source in deb.get("files", {}).items()}
json.dump(c, open(dst, "w"), indent=2)
PY
cd "$root"
TAURI_APP_PATH="$root/src-tauri" TAURI_FRONTEND_PATH="$root/ui" \
  "$root/ui/node_modules/.bin/tauri" build --bundles deb "$@"

out="${CARGO_TARGET_DIR:-$root/target}/release/bundle/deb"
deb=$(ls -t "$out"/*.deb | head -n 1)
id=org.holdfast.companion
pkg="$work/pkg"
dpkg-deb -R "$deb" "$pkg"
apps="$pkg/usr/share/applications"
if [ -f "$apps/Holdfast.desktop" ]; then
  mv "$apps/Holdfast.desktop" "$apps/$id.desktop"
fi
strip --strip-all "$pkg/usr/bin/holdfast"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
  > "$pkg/DEBIAN/md5sums"
size=$(du -s --apparent-size --block-size=1024 --exclude=DEBIAN "$pkg" | cut -f1)
sed -i "s/^Installed-Size: .*/Installed-Size: $size/" "$pkg/DEBIAN/control"
dpkg-deb --root-owner-group --build "$pkg" "$deb" >/dev/null

# Check the package as built, not the files it was made from.
check="$work/check"
mkdir -p "$check"
dpkg-deb -x "$deb" "$check"
fail() { echo "build-deb: $*" >&2; exit 1; }
description=$(file -b "$check/usr/bin/holdfast")
case "$description" in
  *", stripped"*) ;;
  *) fail "usr/bin/holdfast is not stripped: $description" ;;
esac
[ -f "$check/usr/share/applications/$id.desktop" ] || fail "no /usr/share/applications/$id.desktop"
[ ! -e "$check/usr/share/applications/Holdfast.desktop" ] || fail "a second desktop entry"
[ -f "$check/usr/share/metainfo/$id.metainfo.xml" ] || fail "no /usr/share/metainfo/$id.metainfo.xml"
desktop-file-validate "$check/usr/share/applications/$id.desktop"
# validate-tree also checks that the entry the metadata launches is in the package.
appstreamcli validate-tree --no-net "$check"
echo "usr/bin/holdfast: $description"
dpkg-deb -c "$deb" | grep -E "usr/bin/|applications/|metainfo/" | awk '{print $3, $6}'
ls -l "$deb"
