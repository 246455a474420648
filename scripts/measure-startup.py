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
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
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

    def fmt(xs, unit):
        return f"median {statistics.median(xs):.0f} {unit} (min {min(xs):.0f}, max {max(xs):.0f})"

    size = os.path.getsize(APP) / (1024 * 1024)
    print(f"\nrelease binary: {APP} ({size:.1f} MiB)")
    print(f"runs: {RUNS}")
    print(f"time to first screen (from main): {fmt(first, 'ms')}")
    print(f"time to first screen (wall clock from spawn): {fmt(wall, 'ms')}")
    print(f"RSS after 5 s idle, app process: {fmt(rss_app, 'MiB')}")
    print(f"RSS after 5 s idle, app + WebKit processes: {fmt(rss_all, 'MiB')}")


if __name__ == "__main__":
    main()
