"""Shared by the start-up measuring scripts (measure-startup.py, measure-baseline.py): launching a
release binary under Xvfb on a fresh data folder, reading the start-up lines it prints when
HOLDFAST_REPORT_STARTUP is set, and reading resident memory with WebKit's helper processes."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# HOLDFAST_MEASURE_COLD=1: every launch with empty XDG cache, data and config folders (the first
# launch after installing). By default the user's caches are kept (warm, as on every later launch)
# and only Holdfast's own data folder is fresh.
COLD = bool(os.environ.get("HOLDFAST_MEASURE_COLD"))
LINE = re.compile(r"first (screen rendered|step shown) after (\d+) ms")


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
    """`pid` and every process below it (WebKit's web and network processes)."""
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


def rss_with_children_mib(pid):
    return sum(rss_kib(q) for q in descendants(pid)) / 1024


def fmt(xs, unit):
    return f"median {statistics.median(xs):.0f} {unit} (min {min(xs):.0f}, max {max(xs):.0f})"


def stop(p):
    p.terminate()
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def start_xvfb():
    """A private Xvfb display; returns (process, environment for the apps)."""
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is missing: run scripts/setup.sh test first")
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = ":" + xvfb.stdout.readline().strip()
    env = dict(os.environ, DISPLAY=display, HOLDFAST_REPORT_STARTUP="1", NO_AT_BRIDGE="1")
    env.pop("WAYLAND_DISPLAY", None)
    return xvfb, env


def launch(app, args, wanted, env, settle=0.0, data_dir=True, capture=None):
    """Launches `app` on a fresh data folder (with COLD, also fresh XDG folders) and reads its
    start-up lines until `wanted`
    ("screen rendered" or "step shown"). With `settle`, waits that many seconds more and reads
    the resident memory of the app with its WebKit processes.
    With `capture` (a regex of two groups), the matching lines before it are kept, as
    seen["captured"] = [(group 1, group 2), ...].
    Returns ({kind: ms from main()}, wall clock ms from spawn to the wanted line, RSS MiB or None)."""
    home = tempfile.mkdtemp(prefix="holdfast-startup-")
    run_env = dict(env)
    if COLD:
        # As on the first launch after installing: no font, shader or WebKit caches yet.
        run_env.update(XDG_DATA_HOME=os.path.join(home, "data"), XDG_CACHE_HOME=os.path.join(home, "cache"),
                       XDG_CONFIG_HOME=os.path.join(home, "config"))
    argv = [app, *args] + (["--data-dir", os.path.join(home, "holdfast")] if data_dir else [])
    t0 = time.monotonic()
    p = subprocess.Popen(argv, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen, rss = {}, None
    try:
        while wanted not in seen:
            line = p.stdout.readline()
            if not line:
                break
            m = LINE.search(line)
            if m:
                seen[m.group(1)] = int(m.group(2))
            elif capture and (c := capture.search(line)):
                seen.setdefault("captured", []).append((c.group(1), c.group(2)))
        wall = (time.monotonic() - t0) * 1000
        if wanted in seen and settle:
            time.sleep(settle)
            rss = rss_with_children_mib(p.pid)
    finally:
        stop(p)
        shutil.rmtree(home, ignore_errors=True)
    if wanted not in seen:
        sys.exit(f"{app} did not report 'first {wanted}' (is the UI built, and the binary current?)")
    return seen, wall, rss


def build_release(root, package):
    """`cargo build --release` of `package` with the UI embedded; returns the binary's path."""
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "-p", package, "--features",
                    "custom-protocol"], cwd=root, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    return os.path.join(target, "release", package)


def stripped_size_mb(binary):
    """Size in MB (10^6 bytes, as the issue's table) of a fully stripped copy of `binary`."""
    with tempfile.TemporaryDirectory() as d:
        copy = os.path.join(d, "stripped")
        subprocess.run(["strip", "--strip-all", "-o", copy, binary], check=True)
        return os.path.getsize(copy) / 1e6
