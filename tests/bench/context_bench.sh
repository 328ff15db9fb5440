#!/usr/bin/env bash
# Benchmark (prints figures, never pass/fail): sending a build context.
# docktutor's `build` against `DOCKER_BUILDKIT=0 docker build` on the same
# folder, in the same run, alternating which goes first:
#   1. ~20,000 files, ~1 GB, .dockerignore drops ~90 % (node_modules/, data/)
#   2. ~200 MB, nothing ignored
# The Dockerfile only copies src/, and one unmeasured build per tool warms the
# layer cache, so what is measured is packing, sending and unpacking the
# context (plus the builder's cache check), not committing layers.
# Targets: docktutor/CLI wall ratio <= 1.0, docktutor peak RSS <= 64 MB.
# CPU time (user + sys, from /usr/bin/time) is printed too: on a busy machine
# it moves far less than wall time.
#
# usage: tests/bench/context_bench.sh [RUNS]   (default 5; needs a Docker engine
#                                              and the python:3.9-slim image)
#        DOCKTUTOR_BIN=path/to/docktutor tests/bench/context_bench.sh [RUNS]
#                                             (measure that binary, no build;
#                                              e.g. to compare two commits)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"

if [ -n "${DOCKTUTOR_BIN:-}" ]; then
  bin=$(realpath "$DOCKTUTOR_BIN")
else
  cargo build --release --quiet
  bin="$PWD/target/release/docktutor"
fi
work=$(mktemp -d /tmp/docktutor-context-bench.XXXXXX)
tag="docktutor-bench-context-$$"
export DOCKTUTOR_DATA_DIR="$work/data"
cleanup() {
  docker rmi -f "$tag-dt" "$tag-cli" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

# measure LOG CMD... : runs CMD (a program, not a shell function), sets
# M_SECONDS, M_CPU (user + sys seconds, 0 without GNU time) and M_RSS_KB (its
# peak RSS); stops the script if it fails.
measure() {
  local log="$1" s e rss cpu=0 status=0
  shift
  s=$(date +%s%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || status=$?
    e=$(date +%s%N)
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log.time")
    cpu=$(awk -F': ' '/(User|System) time \(seconds\)/ {t += $2} END {printf "%.2f", t}' "$log.time")
  else
    # No GNU time: poll the process's high-water mark until it exits.
    "$@" >"$log" 2>&1 &
    local pid=$! hwm
    rss=0
    while kill -0 "$pid" 2>/dev/null; do
      hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$hwm" ] && rss=$hwm
      sleep 0.01
    done
    wait "$pid" || status=$?
    e=$(date +%s%N)
  fi
  if [ "$status" -ne 0 ]; then
    echo "build failed ($*), exit $status:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  M_SECONDS=$(awk -v d=$((e - s)) 'BEGIN {printf "%.4f", d / 1e9}')
  M_RSS_KB=${rss:-0}
  M_CPU=$cpu
}

# build cli|dt DIR: one measured build by the docker CLI or by docktutor.
build() {
  if [ "$1" = cli ]; then
    measure "$work/log" env DOCKER_BUILDKIT=0 docker build -t "$tag-cli" "$2"
  else
    measure "$work/log" "$bin" build --workdir "$2" -t "$tag-dt"
  fi
}

scenario() {
  local title="$1" kind="$2" dir="$work/$2"
  echo "== $title"
  printf 'context: '
  python3 tests/bench/context_gen.py "$dir" "$kind"
  printf 'on disk: %s\n' "$(du -sh "$dir" | cut -f1)"
  # warm-up, unmeasured: base image and the COPY src layer in the cache
  build cli "$dir"
  grep -m1 'Sending build context' "$work/log" | sed 's/^/docker CLI: /' || true
  build dt "$dir"
  grep -m1 'Sending build context' "$work/log" | sed 's/^/docktutor:  /' || true
  local t_cli=() t_dt=() r_cli=() r_dt=() c_cli=() c_dt=() i who order
  for i in $(seq "$runs"); do
    if [ $((i % 2)) -eq 1 ]; then order="cli dt"; else order="dt cli"; fi
    for who in $order; do
      build "$who" "$dir"
      if [ "$who" = cli ]; then
        t_cli+=("$M_SECONDS") r_cli+=("$M_RSS_KB") c_cli+=("$M_CPU")
      else
        t_dt+=("$M_SECONDS") r_dt+=("$M_RSS_KB") c_dt+=("$M_CPU")
      fi
    done
  done
  local mc md rc rd
  mc=$(printf '%s\n' "${t_cli[@]}" | median)
  md=$(printf '%s\n' "${t_dt[@]}" | median)
  rc=$(printf '%s\n' "${r_cli[@]}" | sort -n | tail -1)
  rd=$(printf '%s\n' "${r_dt[@]}" | sort -n | tail -1)
  printf 'wall, median of %s (s):  docker CLI %s   docktutor %s   ratio docktutor/CLI %s (target <= 1.0)\n' \
    "$runs" "$mc" "$md" "$(ratio "$md" "$mc")"
  printf 'docktutor runs (s): %s\n' "${t_dt[*]}"
  printf 'docker CLI runs (s): %s\n' "${t_cli[*]}"
  printf 'cpu user+sys, median (s):  docker CLI %s   docktutor %s\n' \
    "$(printf '%s\n' "${c_cli[@]}" | median)" "$(printf '%s\n' "${c_dt[@]}" | median)"
  printf 'peak RSS, max over runs:  docktutor %.1f MB (target <= 64)   docker CLI %.1f MB\n' \
    "$(awk -v k="$rd" 'BEGIN {print k / 1024}')" "$(awk -v k="$rc" 'BEGIN {print k / 1024}')"
  docker rmi -f "$tag-dt" "$tag-cli" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

echo "docktutor: $bin"
echo "docker: engine $(docker version --format '{{.Server.Version}}'), CLI $(docker version --format '{{.Client.Version}}'); $(nproc) cores"
[ -x /usr/bin/time ] && echo "peak RSS: /usr/bin/time -v" || echo "peak RSS: polling /proc/PID/status VmHWM"
scenario "1. ~20,000 files, ~1 GB, .dockerignore drops ~90 %" ignored
scenario "2. ~200 MB, nothing ignored" plain
