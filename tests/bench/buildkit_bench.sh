#!/usr/bin/env bash
# The guide's build through `docktutor build` against the docker CLI on the
# same folder in the same run, with BuildKit and with the classic builder,
# cold and cached: median of RUNS. Prints figures; asserts nothing.
#
# BuildKit cold means an empty build cache: `docker builder prune -af`
# before each cold build. That empties the engine's whole BuildKit cache —
# fine on a CI machine, not on a learner's (images are kept), and not while
# anyone else builds on the same engine: Docker 20.10's dockerd once died
# (nil pointer in BuildKit's cache.GetByBlob, a FROM racing the prune)
# while this benchmark pruned beside other builds. The classic
# builder's cold builds get a Dockerfile of their own instead (a unique ENV
# after FROM), so every step runs without touching any cache.
#
# The BuildKit CLI is Debian's 20.10 `/usr/bin/docker` with
# DOCKER_BUILDKIT=1 (a newer client without buildx cannot build with it).
#
# Where the cold time goes: a third BuildKit cold build per run, the CLI
# given the same files as a tar on stdin (`docker build - < context.tar`),
# sends the context as docktutor does (the request body; the engine loads
# it as a "remote build context" and unpacks it, `copy /context /`) instead
# of through the session's filesync (`load build context`). docktutor
# against it is docktutor's own cost; it against the CLI on the folder is
# what the transport costs. Each cold build's time is also split into the
# Dockerfile's steps (their DONE times from the plain progress, the same
# engine work for all three) and the rest (start-up, context, exporting).
# (The tar is GNU tar's of the same three files, not src/context's bytes.)
# The order of the three changes from run to run: with a fixed order (the
# CLI, then docktutor) the same binary measured 1.11 where a rotated order
# measured 0.94 in the same hour on a busy machine.
#
# usage: tests/bench/buildkit_bench.sh [RUNS]   (needs a Docker engine and python:3.9-slim)
#        DOCKTUTOR_BIN=path/to/docktutor tests/bench/buildkit_bench.sh [RUNS]
#                                             (measure that binary, no build)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
cli_bk=/usr/bin/docker

if [ -n "${DOCKTUTOR_BIN:-}" ]; then
  bin=$(realpath "$DOCKTUTOR_BIN")
else
  cargo build --release --quiet
  bin="$PWD/target/release/docktutor"
fi
work=$(mktemp -d /tmp/docktutor-bkbench.XXXXXX)
tag=docktutor-bkbench
# What the engine held before: at the end exactly the images the bench
# made are removed (its tag, and every build it moved that tag away from),
# never another image of the engine (issue 13).
ids() { docker images -aq --no-trunc | sort -u; }
before="$work/before"
ids >"$before"
cleanup() {
  set +e
  docker rmi -f "$tag" >/dev/null 2>&1
  # A layer with children refuses to go: pass again until nothing more
  # goes (a classic build's chain is a few layers deep).
  local left gone
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    left=$(comm -13 "$before" <(ids))
    [ -z "$left" ] && break
    gone=0
    for id in $left; do
      if [ "$(docker image inspect -f '{{len .RepoTags}}' "$id" 2>/dev/null)" = 0 ] &&
        docker rmi --no-prune "$id" >/dev/null 2>&1; then
        gone=1
      fi
    done
    [ "$gone" = 0 ] && break
  done
  rm -rf "$work"
}
trap cleanup EXIT
ws="$work/my-docker-app"
mkdir -p "$ws"
cp assets/first-image/app.py assets/first-image/requirements.txt "$ws/"
export DOCKTUTOR_DATA_DIR="$work/data"
# The guide's context as a tar, for the CLI's tar-on-stdin builds.
tar -C assets/first-image --owner=0 --group=0 --numeric-owner -cf "$work/context.tar" \
  Dockerfile app.py requirements.txt

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
# The Dockerfile's steps' own time in the last build's plain progress:
# the sum of the DONE times of the `[k/n] …` vertices.
steps_time() {
  awk '/^#[0-9]+ \[[0-9]+\/[0-9]+\]/ { step[$1] = 1 }
       /^#[0-9]+ DONE [0-9.]+s$/ { if ($1 in step) t += substr($3, 1, length($3) - 1) }
       END { printf "%.1f", t }' "$work/out"
}
rest() { awk -v w="$1" -v s="$2" 'BEGIN {printf "%.4f", w - s}'; }

bk_cold_cli=() bk_warm_cli=() bk_cold_dt=() bk_warm_dt=() bk_cold_tar=()
steps_cli=() steps_dt=() steps_tar=() rest_cli=() rest_dt=() rest_tar=()
cl_cold_cli=() cl_warm_cli=() cl_cold_dt=() cl_warm_dt=()
bk_cli() {
  prune
  local t s
  t=$(seconds env DOCKER_BUILDKIT=1 "$cli_bk" build -t "$tag" "$ws")
  s=$(steps_time)
  bk_cold_cli+=("$t") steps_cli+=("$s") rest_cli+=("$(rest "$t" "$s")")
  bk_warm_cli+=("$(seconds env DOCKER_BUILDKIT=1 "$cli_bk" build -t "$tag" "$ws")")
}
bk_tar() {
  prune
  local t s
  t=$(seconds sh -c 'DOCKER_BUILDKIT=1 "$1" build -t "$2" - <"$3"' - "$cli_bk" "$tag" "$work/context.tar")
  s=$(steps_time)
  bk_cold_tar+=("$t") steps_tar+=("$s") rest_tar+=("$(rest "$t" "$s")")
}
bk_dt() {
  prune
  local t s
  t=$(seconds "$bin" build --builder buildkit --workdir "$ws" -t "$tag")
  s=$(steps_time)
  bk_cold_dt+=("$t") steps_dt+=("$s") rest_dt+=("$(rest "$t" "$s")")
  bk_warm_dt+=("$(seconds "$bin" build --builder buildkit --workdir "$ws" -t "$tag")")
}
orders=("bk_cli bk_tar bk_dt" "bk_dt bk_cli bk_tar" "bk_tar bk_dt bk_cli")
for i in $(seq "$runs"); do
  guide
  for b in ${orders[$(((i - 1) % 3))]}; do "$b"; done

  cold_file "cli-$$-$i"
  cl_cold_cli+=("$(seconds env DOCKER_BUILDKIT=0 "$cli_bk" build -t "$tag" "$ws")")
  cl_warm_cli+=("$(seconds env DOCKER_BUILDKIT=0 "$cli_bk" build -t "$tag" "$ws")")
  cold_file "dt-$$-$i"
  cl_cold_dt+=("$(seconds "$bin" build --builder classic --workdir "$ws" -t "$tag")")
  cl_warm_dt+=("$(seconds "$bin" build --builder classic --workdir "$ws" -t "$tag")")
done

row() {
  local name=$1 cli dt
  shift
  cli=$(printf '%s\n' $1 | median)
  dt=$(printf '%s\n' $2 | median)
  printf '%-18s docker CLI %ss   docktutor %ss   ratio %s\n' "$name" "$cli" "$dt" "$(ratio "$dt" "$cli")"
}
echo "== guide build, median of $runs (seconds)"
row "BuildKit cold:" "${bk_cold_cli[*]}" "${bk_cold_dt[*]}"
spread() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {printf "%.2f–%.2f", a[1], a[NR]}'; }
printf '  runs:           docker CLI %s   docktutor %s\n' "$(spread "${bk_cold_cli[*]}")" "$(spread "${bk_cold_dt[*]}")"
printf '  steps:          docker CLI %ss   docktutor %ss   CLI, tar context %ss\n' \
  "$(printf '%s\n' "${steps_cli[@]}" | median)" "$(printf '%s\n' "${steps_dt[@]}" | median)" \
  "$(printf '%s\n' "${steps_tar[@]}" | median)"
printf '  the rest:       docker CLI %ss   docktutor %ss   CLI, tar context %ss\n' \
  "$(printf '%s\n' "${rest_cli[@]}" | median)" "$(printf '%s\n' "${rest_dt[@]}" | median)" \
  "$(printf '%s\n' "${rest_tar[@]}" | median)"
# docktutor's own cost, and the transport's.
printf '  CLI, tar context %ss   docktutor/that %s   that/CLI on the folder %s\n' \
  "$(printf '%s\n' "${bk_cold_tar[@]}" | median)" \
  "$(ratio "$(printf '%s\n' "${bk_cold_dt[@]}" | median)" "$(printf '%s\n' "${bk_cold_tar[@]}" | median)")" \
  "$(ratio "$(printf '%s\n' "${bk_cold_tar[@]}" | median)" "$(printf '%s\n' "${bk_cold_cli[@]}" | median)")"
row "BuildKit cached:" "${bk_warm_cli[*]}" "${bk_warm_dt[*]}"
row "classic cold:" "${cl_cold_cli[*]}" "${cl_cold_dt[*]}"
row "classic cached:" "${cl_warm_cli[*]}" "${cl_warm_dt[*]}"
