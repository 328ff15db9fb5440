#!/usr/bin/env bash
# Flood benchmark (figures only, never pass/fail): a container prints
# 1,000,000 lines into the TUI (release build, 80x24 pty, through the same
# vt100 harness as the tests). Prints the time to drain them, the peak RSS
# of docktutor, and the latency of '?' (help) key presses made during the
# flood.
#
# usage: tests/bench/flood_bench.sh      (needs a Docker engine and python:3.9-slim)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo test --release --quiet --test flood -- --ignored --exact flood_bench --nocapture 2>&1 |
  grep -E '^flood_lines=' | tr ' ' '\n'
