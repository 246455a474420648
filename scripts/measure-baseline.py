#!/usr/bin/env python3
"""Holdfast beside a blank Tauri 2 app (tests/blank-app: the same Tauri version, window and heavy
crates), measured side by side in one run (issue #18).

Builds both in release with their pages embedded, then launches them alternately N times after
one warm-up of each (not counted), each on fresh data, cache and config folders, under one Xvfb
display, and prints for each the median, min and max of:
  * spawn to first screen: wall clock from spawn until the app prints that its first screen has
    been painted (Holdfast: Home with the "Someone may be overdosing" button; the blank app: its
    page, two frames after its script ran), and the same from main() as Rust measures it;
  * RSS 5 s after the first screen, the app with its WebKit processes;
and the fully stripped size of each binary, with the ratios Holdfast / blank.

With --timeline it also prints Holdfast's start-up timeline: the median time of each mark
(shell steps, navigation, isolation frame, scripts, each IPC call, first paint) from main().

    measure-baseline.py [runs] [--timeline] [--no-memory]
"""
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup_common import build_release, fmt, launch, start_xvfb, stripped_size_mb  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]
TIMELINE = "--timeline" in ARGS
MEMORY = "--no-memory" not in ARGS
RUNS = int(next((a for a in ARGS if a.isdigit()), "8"))
TIMELINE_LINE = re.compile(r"holdfast: timeline ([\d.]+) ms (.+)")


def run_once(app, env, holdfast):
    seen, wall, rss = launch(app, [], "screen rendered", env, settle=5.0 if MEMORY else 0.0,
                             data_dir=holdfast, capture=TIMELINE_LINE if holdfast else None)
    return seen, wall, rss


def ratio(a, b):
    return f"{statistics.median(a) / statistics.median(b):.2f}"


def main():
    print("building both release binaries (UI embedded)")
    subprocess.run(["npm", "--prefix", "ui", "run", "--silent", "build"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    apps = {"holdfast": build_release(ROOT, "holdfast"),
            "blank": build_release(ROOT, "holdfast-blank-baseline")}
    xvfb, env = start_xvfb()
    figures = {k: {"wall": [], "main": [], "rss": []} for k in apps}
    marks = {}
    try:
        for kind in apps:
            run_once(apps[kind], env, kind == "holdfast")
        for i in range(RUNS):
            order = ["holdfast", "blank"] if i % 2 == 0 else ["blank", "holdfast"]
            for kind in order:
                seen, wall, rss = run_once(apps[kind], env, kind == "holdfast")
                f = figures[kind]
                f["wall"].append(wall)
                f["main"].append(seen["screen rendered"])
                if rss is not None:
                    f["rss"].append(rss)
                for ms, name in seen.get("captured", []):
                    marks.setdefault(name, []).append(float(ms))
            h, b = figures["holdfast"], figures["blank"]
            mem = f", RSS {h['rss'][-1]:.0f} / {b['rss'][-1]:.0f} MiB" if MEMORY else ""
            print(f"  run {i + 1:2}: first screen, wall clock: Holdfast {h['wall'][-1]:4.0f} ms, "
                  f"blank {b['wall'][-1]:4.0f} ms{mem}")
    finally:
        xvfb.terminate()

    load = os.getloadavg()
    h, b = figures["holdfast"], figures["blank"]
    sizes = {k: stripped_size_mb(p) for k, p in apps.items()}
    print(f"\n{RUNS} alternating runs of each after one warm-up; load average at the end "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print("| | Holdfast | blank Tauri 2 app | ratio |")
    print("|---|---|---|---|")
    print(f"| spawn to first screen (wall clock) | {fmt(h['wall'], 'ms')} | {fmt(b['wall'], 'ms')} | "
          f"{ratio(h['wall'], b['wall'])} |")
    print(f"| main() to first screen | {fmt(h['main'], 'ms')} | {fmt(b['main'], 'ms')} | "
          f"{ratio(h['main'], b['main'])} |")
    if MEMORY:
        print(f"| RSS 5 s after the first screen, with WebKit's processes | {fmt(h['rss'], 'MiB')} | "
              f"{fmt(b['rss'], 'MiB')} | {ratio(h['rss'], b['rss'])} |")
    print(f"| release binary, fully stripped | {sizes['holdfast']:.1f} MB | {sizes['blank']:.1f} MB | "
          f"{sizes['holdfast'] / sizes['blank']:.2f} |")
    if TIMELINE and marks:
        print("\nHoldfast's start-up timeline, median ms from main() (min, max):")
        for name, xs in sorted(marks.items(), key=lambda kv: statistics.median(kv[1])):
            print(f"  {statistics.median(xs):7.1f}  ({min(xs):6.1f}, {max(xs):6.1f})  {name}  [{len(xs)} runs]")


if __name__ == "__main__":
    main()
