#!/usr/bin/env python3
"""Start-up time and idle memory of the release build.

Launches the release binary N times under its own Xvfb display and reports:
  * time to first screen: from process start until the UI reports, through IPC, that its first
    screen a person can use (Home with the "Someone may be overdosing" button) has been painted
    (the app prints "first screen rendered after N ms" when HOLDFAST_REPORT_STARTUP is set; the
    figure is measured from main() by Rust and checked here against the wall clock from spawn);
  * resident memory (RSS) after 5 s idle: the app with its WebKit helper processes.
Each run uses fresh data, cache and config folders. Figures are printed as a median with min and max.
(scripts/measure-baseline.sh measures the same beside a blank Tauri app.)

With --emergency ("Straight to help") it launches `holdfast --emergency`, as the desktop entry's
action "Someone may be overdosing" does, and reports the time until the overdose response has
painted its first step (the app prints "first step shown after N ms"). Each run alternates it
with a plain launch timed to its first screen (Home), so the two are compared under the same
conditions; one warm-up launch is not counted. Memory is not measured in this mode.

    measure-startup.py [runs]
    measure-startup.py --emergency [runs]
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup_common import build_release, fmt, launch, start_xvfb  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]
EMERGENCY = "--emergency" in ARGS
ARGS = [a for a in ARGS if a != "--emergency"]
RUNS = int(ARGS[0]) if ARGS else 10


def straight_to_help(app, env):
    """`holdfast --emergency` to its first step, alternating with a plain launch to its first
    screen (Home) so that both are measured under the same conditions."""
    seen, _, _ = launch(app, ["--emergency"], "step shown", env)
    print(f"  warm-up: first step {seen['step shown']:4} ms (not counted)")
    steps, walls, homes, home_walls = [], [], [], []
    for i in range(RUNS):
        # Alternate which goes first, so neither always runs on a cache the other warmed.
        order = ["emergency", "home"] if i % 2 == 0 else ["home", "emergency"]
        for kind in order:
            if kind == "emergency":
                seen, wall, _ = launch(app, ["--emergency"], "step shown", env)
                steps.append(seen["step shown"])
                walls.append(wall)
            else:
                seen, wall, _ = launch(app, [], "screen rendered", env)
                homes.append(seen["screen rendered"])
                home_walls.append(wall)
        print(f"  run {i + 1:2}: --emergency first step {steps[-1]:4} ms (wall {walls[-1]:5.0f} ms); "
              f"plain launch first screen {homes[-1]:4} ms (wall {home_walls[-1]:5.0f} ms)")
    print(f"\nrelease binary: {app}")
    print(f"runs: {RUNS} of each, alternating (after 1 warm-up); load average {os.getloadavg()[0]:.1f}")
    print(f"holdfast --emergency, launch to first step shown (from main): {fmt(steps, 'ms')}")
    print(f"holdfast --emergency, launch to first step shown (wall clock from spawn): {fmt(walls, 'ms')}")
    print(f"holdfast, launch to first screen (Home) painted (from main): {fmt(homes, 'ms')}")
    print(f"holdfast, launch to first screen (Home) painted (wall clock from spawn): {fmt(home_walls, 'ms')}")


def main():
    print("building the release binary (cargo build --release -p holdfast --features custom-protocol)")
    subprocess.run(["npm", "--prefix", "ui", "run", "--silent", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    app = build_release(ROOT, "holdfast")
    xvfb, env = start_xvfb()
    try:
        if EMERGENCY:
            straight_to_help(app, env)
            return
        first, wall, rss = [], [], []
        for i in range(RUNS):
            seen, w, r = launch(app, [], "screen rendered", env, settle=5.0)
            first.append(seen["screen rendered"])
            wall.append(w)
            rss.append(r)
            print(f"  run {i + 1:2}: first screen {first[-1]:4} ms (wall {w:5.0f} ms), "
                  f"RSS with WebKit {r:5.1f} MiB")
    finally:
        xvfb.terminate()
    size = os.path.getsize(app) / (1024 * 1024)
    print(f"\nrelease binary: {app} ({size:.1f} MiB)")
    print(f"runs: {RUNS}; load average {os.getloadavg()[0]:.1f}")
    print(f"time to first screen (from main): {fmt(first, 'ms')}")
    print(f"time to first screen (wall clock from spawn): {fmt(wall, 'ms')}")
    print(f"RSS after 5 s idle, app + WebKit processes: {fmt(rss, 'MiB')}")


if __name__ == "__main__":
    main()
