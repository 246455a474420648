#!/usr/bin/env python3
"""Start-up time and idle memory of the release build.

Launches the release binary N times under its own Xvfb display and reports:
  * time to first screen: from process start until the UI reports, through IPC, that its first
    screen has been painted (the app prints "first screen rendered after N ms" when
    HOLDFAST_REPORT_STARTUP is set; the figure is measured from main() by Rust and checked here
    against the wall clock from spawn);
  * resident memory (RSS) after 5 s idle: the app process alone, and the app with its WebKit
    helper processes (web content and network processes).
Each run uses a fresh data folder. Figures are printed as a median with min and max.

With --emergency ("Straight to help") it launches `holdfast --emergency`, as the desktop entry's
action "Someone may be overdosing" does, and reports the time until the overdose response has
painted its first step (the app prints "first step shown after N ms"). Each run alternates it
with a plain launch timed to its first screen (Home), so the two are compared under the same
conditions; one warm-up launch is not counted. Memory is not measured in this mode.

    measure-startup.py [runs]
    measure-startup.py --emergency [runs]
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]
EMERGENCY = "--emergency" in ARGS
ARGS = [a for a in ARGS if a != "--emergency"]
RUNS = int(ARGS[0]) if ARGS else 10
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
APP = os.path.join(TARGET, "release", "holdfast")


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid):
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children = {}
    for line in out.split("\n"):
        parts = line.split()
        if len(parts) == 2:
            children.setdefault(int(parts[1]), []).append(int(parts[0]))
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children.get(p, []))
    return seen


def fmt(xs, unit):
    return f"median {statistics.median(xs):.0f} {unit} (min {min(xs):.0f}, max {max(xs):.0f})"


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def launch_until(env, args, wanted):
    """Launches the app with `args` on a fresh data folder and reads its start-up lines until
    `wanted` ("screen rendered" or "step shown"). Returns {kind: ms from main()} and the wall
    clock from spawn to the wanted line."""
    data = tempfile.mkdtemp(prefix="holdfast-startup-")
    t0 = time.monotonic()
    p = subprocess.Popen([APP, *args, "--data-dir", data], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = {}
    try:
        while wanted not in seen:
            line = p.stdout.readline()
            if not line:
                break
            m = re.search(r"first (screen rendered|step shown) after (\d+) ms", line)
            if m:
                seen[m.group(1)] = int(m.group(2))
        wall = (time.monotonic() - t0) * 1000
    finally:
        stop(p)
        shutil.rmtree(data, ignore_errors=True)
    if wanted not in seen:
        sys.exit(f"the app did not report 'first {wanted}' (is the UI built, and the binary current?)")
    return seen, wall


def straight_to_help(env):
    """`holdfast --emergency` to its first step, alternating with a plain launch to its first
    screen (Home) so that both are measured under the same conditions."""
    seen, _ = launch_until(env, ["--emergency"], "step shown")
    print(f"  warm-up: first step {seen['step shown']:4} ms (not counted)")
    steps, walls, screens, homes, home_walls = [], [], [], [], []
    for i in range(RUNS):
        # Alternate which goes first, so neither always runs on a cache the other warmed.
        order = ["emergency", "home"] if i % 2 == 0 else ["home", "emergency"]
        for kind in order:
            if kind == "emergency":
                seen, wall = launch_until(env, ["--emergency"], "step shown")
                steps.append(seen["step shown"])
                walls.append(wall)
                if "screen rendered" in seen:
                    screens.append(seen["screen rendered"])
            else:
                seen, wall = launch_until(env, [], "screen rendered")
                homes.append(seen["screen rendered"])
                home_walls.append(wall)
        print(f"  run {i + 1:2}: --emergency first step {steps[-1]:4} ms (wall {walls[-1]:5.0f} ms); "
              f"plain launch first screen {homes[-1]:4} ms (wall {home_walls[-1]:5.0f} ms)")
    print(f"\nrelease binary: {APP}")
    print(f"runs: {RUNS} of each, alternating (after 1 warm-up)")
    print(f"holdfast --emergency, launch to first step shown (from main): {fmt(steps, 'ms')}")
    print(f"holdfast --emergency, launch to first step shown (wall clock from spawn): {fmt(walls, 'ms')}")
    if screens:
        print(f"holdfast --emergency, launch to first screen painted (from main): {fmt(screens, 'ms')}")
    print(f"holdfast, launch to first screen (Home) painted (from main): {fmt(homes, 'ms')}")
    print(f"holdfast, launch to first screen (Home) painted (wall clock from spawn): {fmt(home_walls, 'ms')}")


def main():
    if subprocess.run(["which", "Xvfb"], capture_output=True).returncode != 0:
        sys.exit("Xvfb is missing: run scripts/setup.sh test first")
    print("building the release binary (cargo build --release -p holdfast --features custom-protocol)")
    subprocess.run(["npm", "--prefix", "ui", "run", "--silent", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "holdfast", "--features",
                    "custom-protocol"], cwd=ROOT, check=True)
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = ":" + xvfb.stdout.readline().strip()
    env = dict(os.environ, DISPLAY=display, HOLDFAST_REPORT_STARTUP="1", NO_AT_BRIDGE="1")
    env.pop("WAYLAND_DISPLAY", None)
    if EMERGENCY:
        try:
            straight_to_help(env)
        finally:
            xvfb.terminate()
        return
    first, wall, rss_app, rss_all = [], [], [], []
    try:
        for i in range(RUNS):
            data = tempfile.mkdtemp(prefix="holdfast-startup-")
            t0 = time.monotonic()
            p = subprocess.Popen([APP, "--data-dir", data], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True)
            line = ""
            while True:
                line = p.stdout.readline()
                if not line or "first screen rendered" in line:
                    break
            t1 = time.monotonic()
            m = re.search(r"after (\d+) ms", line)
            if not m:
                p.kill()
                sys.exit(f"run {i + 1}: the app did not report its first screen")
            first.append(int(m.group(1)))
            wall.append((t1 - t0) * 1000)
            time.sleep(5)
            rss_app.append(rss_kib(p.pid) / 1024)
            rss_all.append(sum(rss_kib(q) for q in descendants(p.pid)) / 1024)
            p.terminate()
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
            shutil.rmtree(data, ignore_errors=True)
            print(f"  run {i + 1:2}: first screen {first[-1]:4} ms (wall {wall[-1]:5.0f} ms), "
                  f"RSS app {rss_app[-1]:5.1f} MiB, with WebKit {rss_all[-1]:5.1f} MiB")
    finally:
        xvfb.terminate()

    size = os.path.getsize(APP) / (1024 * 1024)
    print(f"\nrelease binary: {APP} ({size:.1f} MiB)")
    print(f"runs: {RUNS}")
    print(f"time to first screen (from main): {fmt(first, 'ms')}")
    print(f"time to first screen (wall clock from spawn): {fmt(wall, 'ms')}")
    print(f"RSS after 5 s idle, app process: {fmt(rss_app, 'MiB')}")
    print(f"RSS after 5 s idle, app + WebKit processes: {fmt(rss_all, 'MiB')}")


if __name__ == "__main__":
    main()
