#!/usr/bin/env bash
# Installs what Holdfast needs and is missing: Debian/Ubuntu packages, the UI's npm packages and,
# for tests, tauri-driver and cargo-deny. Safe to run again; it only installs what is missing.
#
#   scripts/setup.sh run    what running the app needs
#   scripts/setup.sh deb    that, plus what building and checking the .deb needs
#   scripts/setup.sh test   all of that, plus what the test suite needs
set -euo pipefail

mode=${1:-run}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# The guided response speaks through Speech Dispatcher with espeak-ng voices (the tts crate);
# building its binding needs the library's headers and libclang (bindgen). GStreamer's PulseAudio
# sink lets the web view's pacer ticks reach the sound server.
run_pkgs=(libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev
  libssl-dev build-essential file pkg-config git nodejs npm
  libspeechd-dev libclang-dev speech-dispatcher speech-dispatcher-espeak-ng gstreamer1.0-pulseaudio)
# dbus brings dbus-monitor and dbus-send (through dbus-bin on Debian 12), which the notification
# test uses (tests/e2e/tests/notifications.rs); D-Bus starts xfce4-notifyd on demand.
# fuse3 brings fusermount3, with which the power-cut tests (tests/powercut) mount their FUSE file
# system when not run as root (as root they mount it directly; either way they need /dev/fuse).
# pulseaudio and pulseaudio-utils: each guided-response test runs its own sound server with a
# null sink and records its monitor (tests/e2e/src/audio.rs).
test_pkgs=(xvfb webkit2gtk-driver dbus dbus-x11 xfce4-notifyd strace xauth fuse3 pulseaudio pulseaudio-utils)
# desktop-file-validate and appstreamcli check the desktop entry and the AppStream metadata
# (packaging/linux/); both the test command and the .deb build run them.
deb_pkgs=(desktop-file-utils appstream)

want=("${run_pkgs[@]}")
case "$mode" in
  run) ;;
  deb) want+=("${deb_pkgs[@]}") ;;
  test) want+=("${deb_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) die "unknown mode '$mode' (run, deb or test)" ;;
esac

missing=()
for p in "${want[@]}"; do
  # nodejs/npm may come from elsewhere (nvm, NodeSource): a working binary is enough.
  case "$p" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || die "Rust is not installed. Install it from rustup.rs (stable), then run this again."
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 18 ] || die "Node.js 18 or newer is needed (found $(node --version 2>/dev/null || echo none))."

# The UI's packages, exactly as package-lock.json pins them.
lock="$root/ui/package-lock.json"
stamp="$root/ui/node_modules/.holdfast-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
  say "installing the UI's npm packages"
  # npm ci refuses a lock written with this machine's npm settings (platform-specific optional
  # packages are left out of it), so install from the lock with npm install instead.
  (cd "$root/ui" && npm install --no-audit --no-fund --loglevel=error)
  cp "$lock" "$stamp"
fi

if [ "$mode" = test ]; then
  cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! [ -x "$cargo_bin/tauri-driver" ] && ! command -v tauri-driver >/dev/null; then
    say "installing tauri-driver (about 30 s)"
    cargo install tauri-driver --version "^2" --locked --quiet
  fi
  if ! cargo deny --version >/dev/null 2>&1; then
    say "installing cargo-deny (about 5 minutes, once)"
    cargo install cargo-deny --version "^0.20" --locked --quiet
  fi
fi
