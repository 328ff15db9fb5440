#!/usr/bin/env bash
# The guide's build through `docktutor build` against the docker CLI on the
# same folder in the same run, with BuildKit and with the classic builder,
# cold and cached: median of RUNS. Prints figures; asserts nothing.
#
# BuildKit cold means an empty build cache: `docker builder prune -af`
# before each cold build. That empties the engine's whole BuildKit cache —
# fine on a CI machine, not on a learner's (images are kept). The classic
# builder's cold builds get a Dockerfile of their own instead (a unique ENV
# after FROM), so every step runs without touching any cache.
#
# The BuildKit CLI is Debian's 20.10 `/usr/bin/docker` with
# DOCKER_BUILDKIT=1 (a newer client without buildx cannot build with it).
#
# usage: tests/bench/buildkit_bench.sh [RUNS]   (needs a Docker engine and python:3.9-slim)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
cli_bk=/usr/bin/docker

cargo build --release --quiet
bin="$PWD/target/release/docktutor"
work=$(mktemp -d /tmp/docktutor-bkbench.XXXXXX)
tag=docktutor-bkbench
cleanup() {
  docker rmi -f "$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
ws="$work/my-docker-app"
mkdir -p "$ws"
cp assets/first-image/app.py assets/first-image/requirements.txt "$ws/"
export DOCKTUTOR_DATA_DIR="$work/data"

# Seconds, to the tenth of a millisecond, that a command takes; a failed
# command stops the benchmark (a fast failure is no figure).
seconds() {
  local s e
  s=$(date +%s%N)
  if ! "$@" >"$work/out" 2>&1; then
    echo "failed: $*" >&2
    cat "$work/out" >&2
    exit 1
  fi
  e=$(date +%s%N)
  awk -v d=$((e - s)) 'BEGIN {printf "%.4f", d / 1e9}'
}
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
guide() { cp assets/first-image/Dockerfile "$ws/Dockerfile"; }
cold_file() { sed "s/^FROM \(.*\)$/FROM \1\nENV DOCKTUTOR_BENCH=$1/" assets/first-image/Dockerfile >"$ws/Dockerfile"; }
prune() { "$cli_bk" builder prune -af >/dev/null; }

bk_cold_cli=() bk_warm_cli=() bk_cold_dt=() bk_warm_dt=()
cl_cold_cli=() cl_warm_cli=() cl_cold_dt=() cl_warm_dt=()
for i in $(seq "$runs"); do
  guide
  prune
  bk_cold_cli+=("$(seconds env DOCKER_BUILDKIT=1 "$cli_bk" build -t "$tag" "$ws")")
  bk_warm_cli+=("$(seconds env DOCKER_BUILDKIT=1 "$cli_bk" build -t "$tag" "$ws")")
  prune
  bk_cold_dt+=("$(seconds "$bin" build --builder buildkit --workdir "$ws" -t "$tag")")
  bk_warm_dt+=("$(seconds "$bin" build --builder buildkit --workdir "$ws" -t "$tag")")

  cold_file "cli-$$-$i"
  cl_cold_cli+=("$(seconds env DOCKER_BUILDKIT=0 "$cli_bk" build -t "$tag" "$ws")")
  cl_warm_cli+=("$(seconds env DOCKER_BUILDKIT=0 "$cli_bk" build -t "$tag" "$ws")")
  cold_file "dt-$$-$i"
  cl_cold_dt+=("$(seconds "$bin" build --builder classic --workdir "$ws" -t "$tag")")
  cl_warm_dt+=("$(seconds "$bin" build --builder classic --workdir "$ws" -t "$tag")")
done
# The classic runs' own images, now dangling (the bench's tag moved on).
docker image prune -f --filter "label!=io.docktutor.standin" >/dev/null 2>&1 || true

row() {
  local name=$1 cli dt
  shift
  cli=$(printf '%s\n' $1 | median)
  dt=$(printf '%s\n' $2 | median)
  printf '%-18s docker CLI %ss   docktutor %ss   ratio %s\n' "$name" "$cli" "$dt" "$(ratio "$dt" "$cli")"
}
echo "== guide build, median of $runs (seconds)"
row "BuildKit cold:" "${bk_cold_cli[*]}" "${bk_cold_dt[*]}"
row "BuildKit cached:" "${bk_warm_cli[*]}" "${bk_warm_dt[*]}"
row "classic cold:" "${cl_cold_cli[*]}" "${cl_cold_dt[*]}"
row "classic cached:" "${cl_warm_cli[*]}" "${cl_warm_dt[*]}"
