#!/usr/bin/env bash
# Benchmarks that print figures (never pass/fail): the binary's size, the
# TUI's first frame, idle CPU, peak and idle RSS, the time from saving a
# file to its new check result on screen, and the guide's build through
# docktutor against the docker CLI's legacy builder on the same folder,
# cold and cached.
#
# usage: tests/bench/bench.sh [RUNS]      (needs a Docker engine and the base image)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"

cargo build --release --quiet
bin="$PWD/target/release/docktutor"
work=$(mktemp -d /tmp/docktutor-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
ws="$work/my-docker-app"
mkdir -p "$ws"
cp assets/first-image/app.py assets/first-image/requirements.txt assets/first-image/Dockerfile "$ws/"
export DOCKTUTOR_DATA_DIR="$work/data"
# The bench's own tag: it removes exactly what it built, and nothing else
# of the engine's (other builds may share the engine while it runs).
tag="docktutor-bench-$$"

echo "== binary (release profile, stripped)"
awk -v b="$(stat -c %s "$bin")" 'BEGIN {printf "binary_mb=%.2f (%d bytes)\n", b / 1048576, b}'
echo "== TUI (80x24 pty, release build)"
python3 tests/bench/measure_tui.py "$bin" "$ws" 10

echo "== save → check result on screen (80x24 pty, release build, 20 saves)"
cargo test --release --quiet --test save_to_check -- --ignored --exact save_to_check_bench --nocapture 2>&1 |
  grep -E '^save_to_check_ms'

# Seconds, to the millisecond, that a command takes.
seconds() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); awk -v d=$((e - s)) 'BEGIN {printf "%.4f", d / 1e9}'; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

# A cold build shares no layer with any earlier build: each one gets a
# Dockerfile of its own (a unique ENV after FROM), so every step runs.
cold_file() { sed "s/^FROM \(.*\)$/FROM \1\nENV DOCKTUTOR_BENCH=$1/" assets/first-image/Dockerfile >"$ws/Dockerfile"; }
# What the bench built: each build's image and its untagged parents (the
# classic builder's step layers) that were not in the engine before.
before="$work/images-before"
docker images -a -q --no-trunc | sort -u >"$before"
built="$work/built"
: >"$built"
record_built() {
  local id
  id=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null) || return 0
  while [ -n "$id" ] && ! grep -qx "$id" "$before"; do
    echo "$id" >>"$built"
    id=$(docker image inspect -f '{{.Parent}}' "$id")
  done
}
remove_built() {
  docker rmi --no-prune "$tag" >/dev/null 2>&1 || true
  # Each chain as recorded, children before parents (chains of different
  # builds share nothing: each starts with its own ENV). --no-prune: an
  # image that was there before stays; plain rmi refuses one in use.
  awk '!seen[$0]++' "$built" | while read -r id; do
    docker rmi --no-prune "$id" >/dev/null 2>&1 || true
  done
}
trap 'remove_built; rm -rf "$work"' EXIT
cold_cli=() cold_dt=() warm_cli=() warm_dt=()
for i in $(seq "$runs"); do
  cold_file "cli-$$-$i"
  cold_cli+=("$(seconds env DOCKER_BUILDKIT=0 docker build -t "$tag" "$ws")")
  record_built
  warm_cli+=("$(seconds env DOCKER_BUILDKIT=0 docker build -t "$tag" "$ws")")
  record_built
  cold_file "dt-$$-$i"
  cold_dt+=("$(seconds "$bin" build --workdir "$ws" -t "$tag")")
  record_built
  warm_dt+=("$(seconds "$bin" build --workdir "$ws" -t "$tag")")
  record_built
done
remove_built
left=$(docker images -a -q --no-trunc | sort -u | comm -13 "$before" - | grep -Fxf "$built" || true)
[ -z "$left" ] || echo "bench: could not remove $(echo "$left" | wc -l) of its images: $left" >&2

cc=$(printf '%s\n' "${cold_cli[@]}" | median); cd_=$(printf '%s\n' "${cold_dt[@]}" | median)
wc_=$(printf '%s\n' "${warm_cli[@]}" | median); wd=$(printf '%s\n' "${warm_dt[@]}" | median)
echo "== guide build, median of $runs (seconds)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
printf 'cold:   docker CLI %s   docktutor %s   ratio %s\n' "$cc" "$cd_" "$(ratio "$cd_" "$cc")"
printf 'cached: docker CLI %s   docktutor %s   ratio %s\n' "$wc_" "$wd" "$(ratio "$wd" "$wc_")"
