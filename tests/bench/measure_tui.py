#!/usr/bin/env python3
"""Measures the TUI in a real pseudo-terminal: time to first frame, idle CPU
over a window, peak RSS (start-up included) and RSS at the end of the idle
window. Prints one line of key=value figures.

usage: measure_tui.py BINARY WORKDIR [IDLE_SECONDS]
"""
import os, pty, select, sys, time, signal, struct, fcntl, termios

binary, workdir = sys.argv[1], sys.argv[2]
idle = float(sys.argv[3]) if len(sys.argv) > 3 else 10.0
ticks = os.sysconf("SC_CLK_TCK")

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 (1-based) of the whole line.
    return (int(fields[11]) + int(fields[12])) / ticks

def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

start = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.execv(binary, [binary, "--workdir", workdir])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

buf = b""
first_frame = None
deadline = time.time() + 10
# The first frame is complete once the status bar's key hints are drawn.
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            buf += os.read(fd, 65536)
        except OSError:
            break
        if first_frame is None and b"quit" in buf and b"docktutor" in buf:
            first_frame = time.perf_counter() - start
            break

def drain(seconds):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                return

drain(2.0)  # let the engine connect and the first checks settle
c0, t0 = cpu_seconds(pid), time.perf_counter()
drain(idle)
c1, t1 = cpu_seconds(pid), time.perf_counter()
idle_pct = 100.0 * (c1 - c0) / (t1 - t0)
rss_kb = status_kb(pid, "VmHWM")  # the peak, start-up included
idle_kb = status_kb(pid, "VmRSS")  # resident now, after the idle window
os.write(fd, b"q")
drain(1.0)
try:
    os.kill(pid, signal.SIGTERM)
except ProcessLookupError:
    pass
os.waitpid(pid, 0)
ff = f"{first_frame * 1000:.1f}" if first_frame is not None else "none"
print(f"first_frame_ms={ff} idle_cpu_pct={idle_pct:.3f} idle_window_s={t1 - t0:.1f} peak_rss_mb={rss_kb / 1024:.1f} idle_rss_mb={idle_kb / 1024:.1f}")
