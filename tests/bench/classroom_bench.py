#!/usr/bin/env python3
"""The classroom load test (issue 15): N simulated learners share this
machine's Docker engine at once. A benchmark: it prints figures and fails
(exit 1) only on cross-talk, leftovers or the deadline — never on a time.

Each learner has its own temporary project folder (the guide's Dockerfile,
requirements.txt and app.py), its own DOCKTUTOR_DATA_DIR, its own learner
name `docktutor-bench-<pid>-NN` (so no real learner's images are ever
touched) and DOCKTUTOR_SHARED=1. Odd-numbered learners keep the guide's
app.py (it prints "Hello, Docker!"); even-numbered ones print
"Hello from NN", so one learner passing on another's image would show.
All learners start together (threads, one subprocess per step) and do:

  docktutor check --format json   before anything: lessons 3-5 not passed
  docktutor build                 tags <ns>/my-docker-app
  docktutor run                   runs <ns>/my-docker-app: prints its own line
  docktutor check --format json   lessons 3 and 5 pass; lesson 4's output
                                  check passes exactly for the learners
                                  printing "Hello, Docker!", and the others'
                                  failure names their own line

under one deadline (default 15 min): whatever still runs then is killed,
and the bench says so and exits 1. Then, measured in the same run, a
reference: for a few learners one after another (nothing else of the
bench running), `docktutor build`, `run` and `check` against Debian's
docker CLI (`DOCKER_BUILDKIT=1 /usr/bin/docker build -t <ns>/my-docker-app .`
and `docker run --rm`), each in a fresh folder of its own with an app.py of
its own, so the room's figures can be quoted as ratios.

Afterwards `docktutor reset --learner NAME --yes --keep-files` runs for
every learner; then no image `docktutor-bench-<pid>-…/…` and no container
of a bench learner (by label or by image) may remain, and no dangling image
may be new (`docker images -q -f dangling=true` before/after). A new
dangling image carrying a bench learner's label is the bench's: it is
removed and reported (exit 1); one without it is another engineer's on
this shared engine: named, left alone. Leftover images and containers are
reported (exit 1) and then removed, so the engine ends as it was found.

Figures: p50/p95/max (nearest rank) of each step's wall time, of each
learner's total and of the resets, the room's wall time, and the
reference's medians with ratios. Do not run it beside a CI run or another
benchmark: the figures would measure them too, and while its learners'
images and containers exist, every other docktutor on the engine finds it
shared (another learner's traces) and namespaces its own image names.

usage: tests/bench/classroom_bench.py [N] [--deadline SECONDS] [--reference K]
       DOCKTUTOR_BIN=path/to/docktutor tests/bench/classroom_bench.py 30
Without DOCKTUTOR_BIN, target/release/docktutor (built with
`cargo build --release` if missing). Needs a Docker engine and
python:3.9-slim; python3's standard library only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCKER = "/usr/bin/docker"
LABEL = "io.docktutor.learner"
GUIDE_LINE = "Hello, Docker!"
APP = "my-docker-app"
BASE = "python:3.9-slim"


def namespace(name):
    """The learner's image namespace, as docktutor derives it."""
    return re.sub(r"[^a-z0-9]", "-", name.lower())


class Room:
    """What every thread shares: the deadline, the live processes (killed
    on the deadline or Ctrl-C) and whether to stop."""

    def __init__(self, seconds):
        self.end = time.monotonic() + seconds
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.live = set()

    def left(self):
        return self.end - time.monotonic()

    def kill_all(self):
        self.stop.set()
        with self.lock:
            for p in list(self.live):
                kill(p)


def kill(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


class Ran:
    def __init__(self, rc, out, err, seconds, timed_out):
        self.rc, self.out, self.err = rc, out, err
        self.seconds, self.timed_out = seconds, timed_out


def timed(room, cmd, cwd=None, env=None):
    """Runs `cmd` (its own process group) until it ends or the room's time
    is up; then the group is killed."""
    if room.stop.is_set() or room.left() <= 0:
        return Ran(None, "", "not started: the deadline had passed", 0.0, True)
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    with room.lock:
        room.live.add(p)
    try:
        out, err = p.communicate(timeout=max(room.left(), 0.01))
        timed_out = room.stop.is_set() and p.returncode < 0
    except subprocess.TimeoutExpired:
        kill(p)
        out, err = p.communicate()
        timed_out = True
    finally:
        with room.lock:
            room.live.discard(p)
    return Ran(p.returncode, out, err, time.monotonic() - start, timed_out)


def docker(*args):
    """A quick docker CLI query (no deadline: cleanup must run)."""
    r = subprocess.run([DOCKER, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{DOCKER} {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


class Learner:
    def __init__(self, root, tag, name, line):
        self.name, self.line = name, line
        self.image = f"{namespace(name)}/{APP}"
        self.ws = root / tag / APP
        self.data = root / tag / "data"
        self.ws.mkdir(parents=True)
        self.data.mkdir()
        for f in ("Dockerfile", "requirements.txt", "app.py"):
            shutil.copy(REPO / "assets" / "first-image" / f, self.ws / f)
        if line != GUIDE_LINE:
            (self.ws / "app.py").write_text(f'# A simple Python application\nprint("{line}")\n')
        self.env = dict(os.environ, DOCKTUTOR_DATA_DIR=str(self.data),
                        DOCKTUTOR_LEARNER=name, DOCKTUTOR_SHARED="1", NO_COLOR="1")
        self.times = {}
        self.results = {}
        self.run_out = ""
        self.problems = []
        self.timed_out = False

    def docktutor(self, room, binary, *args):
        return timed(room, [binary, "--workdir", str(self.ws), *args],
                     cwd=self.ws, env=self.env)

    def step(self, room, key, binary, *args, ok=(0,)):
        """One step, timed; False (and why) when it did not end as it should."""
        r = self.docktutor(room, binary, *args)
        if r.timed_out:
            self.timed_out = True
            self.problems.append(f"{key}: killed at the deadline after {r.seconds:.1f} s")
            return None
        self.times[key] = r.seconds
        if r.rc not in ok:
            self.problems.append(f"{key}: exit {r.rc}: {(r.err or r.out).strip()[-600:]}")
            return None
        return r

    def check(self, room, key, binary):
        r = self.step(room, key, binary, "check", "--format", "json", ok=(0, 1))
        if r is None:
            return False
        try:
            self.results[key] = json.loads(r.out)
        except json.JSONDecodeError as e:
            self.problems.append(f"{key}: not JSON ({e}): {r.out[:300]!r}")
            return False
        return True

    def attend(self, room, binary, start):
        """The learner's session: check, build, run, check."""
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        t0 = time.monotonic()
        if not self.check(room, "check_before", binary):
            return
        if self.step(room, "build", binary, "build") is None:
            return
        r = self.step(room, "run", binary, "run")
        if r is None:
            return
        self.run_out = r.out
        if self.check(room, "check_after", binary):
            self.times["total"] = time.monotonic() - t0


def lesson(results, number):
    return next((l for l in results["lessons"] if l["number"] == number), None)


def crosstalk(learners):
    """Every way one learner's checks or run saw another's: one line each."""
    found = []
    lines = {l.line for l in learners}
    for l in learners:
        def say(check, saw):
            found.append(f"{l.name} ({l.image}, prints {l.line!r}): {check}: {saw}")

        others = [x for x in lines if x != l.line]
        if l.run_out:
            if l.line not in l.run_out or any(o in l.run_out for o in others):
                say("docktutor run", f"printed {l.run_out.strip()[-200:]!r}")
        for key in ("check_before", "check_after"):
            res = l.results.get(key)
            if res is not None and res.get("learner") != l.name:
                say(key, f"JSON names learner {res.get('learner')!r}")
        before = l.results.get("check_before")
        if before is not None:
            for n in (3, 4, 5):
                les = lesson(before, n)
                if les is None or les["passed"]:
                    say(f"check before building, lesson {n}",
                        "missing" if les is None else "passed with nothing built")
        after = l.results.get("check_after")
        if after is None:
            continue
        for n in (3, 5):
            les = lesson(after, n)
            if les is None:
                say(f"check after run, lesson {n}", "missing")
            elif not les["passed"]:
                c = next(c for c in les["checks"] if c["status"] != "pass")
                say(f"check after run, lesson {n}",
                    f"{c['label']!r} {c['status']}: {c.get('reason')!r}")
        les = lesson(after, 4)
        out = les and next((c for c in les["checks"] if "printed" in c["label"]), None)
        if out is None:
            say("check after run, lesson 4", "no output check (a label with 'printed') in the JSON")
            continue
        reason = out.get("reason") or ""
        what = f"lesson 4 {out['label']!r}"
        if l.line == GUIDE_LINE and out["status"] != "pass":
            say(what, f"{out['status']}: {reason!r}")
        elif l.line != GUIDE_LINE:
            if out["status"] != "fail":
                say(what, f"{out['status']} although the app prints {l.line!r}: {reason!r}")
            # The reason names the expected line, so only the others'
            # own lines are cross-talk there.
            elif l.line not in reason or any(o in reason for o in others if o != GUIDE_LINE):
                say(what, f"failed without naming its own line: {reason!r}")
    return found


def rank(values, q):
    """Nearest-rank percentile."""
    v = sorted(values)
    return v[max(0, -(-len(v) * q // 100) - 1)] if v else float("nan")


def row(name, values):
    if not values:
        return f"  {name:<22} (no figures)"
    return (f"  {name:<22} {rank(values, 50):7.2f} {rank(values, 95):7.2f} "
            f"{max(values):7.2f}   n={len(values)}")


def median(values):
    return rank(values, 50) if values else float("nan")


def reference(room, binary, root, pid, k, made):
    """For k learners in turn: docktutor and the CLI, each in its own fresh
    folder (and namespace), alternating which goes first. Learners it
    makes go into `made` (for the cleanup, even when interrupted)."""
    times = {"dt_build": [], "dt_run": [], "dt_check": [], "cli_build": [], "cli_run": []}
    problems = []

    def failed(l, key, r):
        if r.timed_out:
            problems.append(f"{l.name} {key}: killed at the deadline")
        else:
            problems.append(f"{l.name} {key}: exit {r.rc}: {(r.err or r.out).strip()[-300:]}")

    def dt(i):
        l = Learner(root, f"r{i}", f"docktutor-bench-{pid}-r{i}", f"Hello from r{i}")
        made.append(l)
        for key, args in (("dt_build", ["build"]), ("dt_run", ["run"]),
                          ("dt_check", ["check", "--format", "json"])):
            r = l.docktutor(room, binary, *args)
            if r.timed_out or r.rc not in ((0, 1) if key == "dt_check" else (0,)):
                return failed(l, key, r)
            times[key].append(r.seconds)

    def cli(i):
        l = Learner(root, f"c{i}", f"docktutor-bench-{pid}-c{i}", f"Hello from c{i}")
        made.append(l)
        env = dict(os.environ, DOCKER_BUILDKIT="1")
        # The label docktutor's builds carry: the same image config, and
        # the cleanup can tell this build's images from anyone else's.
        for key, cmd in (("cli_build", [DOCKER, "build", "--label", f"{LABEL}={l.name}",
                                        "-t", l.image, "."]),
                         ("cli_run", [DOCKER, "run", "--rm", l.image])):
            r = timed(room, cmd, cwd=l.ws, env=env)
            if r.timed_out or r.rc != 0:
                return failed(l, key, r)
            times[key].append(r.seconds)

    for i in range(1, k + 1):
        for f in ((dt, cli) if i % 2 else (cli, dt)):
            f(i)
    return times, problems


def cleanup(learners, binary, prefix, dangling_before):
    """Resets every learner, then looks for what is left. Returns the
    reset times and the problems found (each already put right)."""
    room = Room(300)
    resets, problems = [], []

    def reset(l):
        r = timed(room, [binary, "--workdir", str(l.ws), "reset", "--learner", l.name,
                         "--yes", "--keep-files"], cwd=l.ws, env=l.env)
        if r.rc != 0:
            problems.append(f"{l.name}: reset exit {r.rc}: {(r.err or r.out).strip()[-300:]}")
        else:
            resets.append(r.seconds)

    threads = [threading.Thread(target=reset, args=(l,)) for l in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    images = [line.split() for line in docker(
        "images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").splitlines()]
    ours = [name for name, _ in images if name.startswith(prefix)]
    for name in ours:
        problems.append(f"image left after reset: {name}")
    containers = [line.split(maxsplit=2) for line in docker(
        "ps", "-a", "--format", '{{.ID}} {{.Label "' + LABEL + '"}} {{.Image}}').splitlines()]
    left = [c for c in containers if any(f.startswith(prefix) for f in c[1:])]
    for c in left:
        problems.append(f"container left after reset: {' '.join(c)}")
    if left:
        docker("rm", "-f", *[c[0] for c in left])
    if ours:
        docker("rmi", "-f", *ours)

    others = []
    new = [i for i in dangling() if i not in dangling_before]
    for image in new:
        labels = docker("image", "inspect", "-f", "{{json .Config.Labels}}", image).strip()
        learner = (json.loads(labels) or {}).get(LABEL, "") if labels != "null" else ""
        if learner.startswith(prefix):
            docker("rmi", image)
            problems.append(f"new dangling image {image[7:19]} of {learner}: the bench removed it")
        else:
            others.append(image[7:19])
    return resets, problems, others


def dangling():
    return set(docker("images", "-q", "--no-trunc", "-f", "dangling=true").split())


def binary_path():
    given = os.environ.get("DOCKTUTOR_BIN")
    if given:
        return str(Path(given).resolve())
    path = REPO / "target" / "release" / "docktutor"
    if not path.exists():
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return str(path)


def ci_running():
    """Processes whose command line runs .ci/run (their figures would mix in)."""
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if b".ci/run" in Path(f"/proc/{pid}/cmdline").read_bytes():
                n += 1
        except OSError:
            pass
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("learners", nargs="?", type=int, default=30)
    ap.add_argument("--deadline", type=float, default=900, help="seconds for the whole room")
    ap.add_argument("--reference", type=int, default=3, help="learners measured alone")
    args = ap.parse_args()
    binary = binary_path()
    server = docker("version", "--format", "{{.Server.Version}}").strip()
    docker("image", "inspect", "-f", "{{.Id}}", BASE)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"== classroom: {args.learners} learners, one engine (Docker {server}), {version}")
    if ci_running():
        print("  note: a .ci/run is going: these figures measure it too")

    pid = os.getpid()
    prefix = f"docktutor-bench-{pid}-"
    root = Path(tempfile.mkdtemp(prefix="docktutor-classroom."))
    width = max(2, len(str(args.learners)))
    learners = []
    for i in range(1, args.learners + 1):
        tag = f"{i:0{width}d}"
        learners.append(Learner(root, tag, prefix + tag,
                                GUIDE_LINE if i % 2 else f"Hello from {tag}"))
    dangling_before = dangling()
    room = Room(args.deadline)
    made = []
    interrupted = False
    start = threading.Barrier(len(learners) + 1)
    try:
        threads = [threading.Thread(target=l.attend, args=(room, binary, start))
                   for l in learners]
        for t in threads:
            t.start()
        start.wait()
        t0 = time.monotonic()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        ref, ref_problems = reference(room, binary, root, pid, args.reference, made)
    except KeyboardInterrupt:
        interrupted = True
        start.abort()
        room.kill_all()
        for t in threading.enumerate():
            if t is not threading.current_thread():
                t.join()
    finally:
        resets, left, others = cleanup(learners + made, binary, prefix, dangling_before)
        shutil.rmtree(root, ignore_errors=True)
    if interrupted:
        print("interrupted: everything the bench made was reset")
        return 130

    print(f"room wall time: {wall:.2f} s (all {len(learners)} learners, started together)")
    print(f"  {'seconds':<22} {'p50':>7} {'p95':>7} {'max':>7}")
    for key, name in (("check_before", "check (before)"), ("build", "build"), ("run", "run"),
                      ("check_after", "check (after)"), ("total", "per learner")):
        print(row(name, [l.times[key] for l in learners if key in l.times]))
    print(row("reset", resets))
    k = len(ref["cli_build"])
    print(f"== reference: {args.reference} learners one after another (median, seconds)")
    for dt, cli, name in (("dt_build", "cli_build", "build"), ("dt_run", "cli_run", "run")):
        room_p50 = median([l.times[name] for l in learners if name in l.times])
        a, b = median(ref[dt]), median(ref[cli])
        print(f"  {name:<6} docktutor {a:6.2f}   docker CLI {b:6.2f}   ratio {a / b:5.2f}   "
              f"room p50/CLI {room_p50 / b:5.2f}")
    alone = median(ref["dt_check"])
    room_check = median([l.times["check_after"] for l in learners if "check_after" in l.times])
    print(f"  check  docktutor {alone:6.2f}   room p50/alone {room_check / alone:5.2f}   (n={k})")

    failed = False
    killed = [l for l in learners if l.timed_out]
    if killed or any("killed at the deadline" in p for p in ref_problems):
        failed = True
        print(f"DEADLINE: {args.deadline:g} s passed; killed what was left "
              f"({len(killed)} learners unfinished)")
    for l in learners:
        for p in l.problems:
            failed = True
            print(f"FAILED {l.name}: {p}")
    for p in ref_problems:
        failed = True
        print(f"FAILED reference: {p}")
    talk = crosstalk(learners)
    for t in talk:
        print(f"CROSS-TALK {t}")
    for p in left:
        print(f"LEFTOVER {p}")
    if others:
        print(f"  note: new dangling images without a bench label (not the bench's, left alone): "
              f"{' '.join(others)}")
    if failed or talk or left:
        return 1
    print(f"no cross-talk among {len(learners)} learners; nothing left in the engine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
