#!/usr/bin/env python3
"""Generates a build context for tests/bench/context_bench.sh.

usage: context_gen.py DIR ignored|plain

ignored: ~20,000 files, ~1 GB of random bytes; .dockerignore drops
         node_modules/ and data/ (~90 % of the files and of the bytes);
         src/ (~10 %) is kept and copied by the Dockerfile.
plain:   ~1,200 files, ~200 MB, no .dockerignore; everything is sent,
         only src/ is copied.

Contents are random (os.urandom) so the bytes really are on disk and do not
compress; sizes come from a fixed seed so every run gets the same layout.
Prints one summary line: files, bytes, and what .dockerignore drops.
"""
import os
import random
import sys

DOCKERFILE = "FROM python:3.9-slim\nCOPY src /src\n"


def tree(root, rel_dir, count, total, per_dir, rng, depth=1):
    """count files of about total bytes under root/rel_dir, per_dir per folder."""
    made = 0
    avg = total // count
    for i in range(count):
        sub = [f"d{(i // per_dir) % 1000:03d}"]
        if depth > 1:
            sub = [f"pkg{i // (per_dir * 10):03d}", f"lib{(i // per_dir) % 10}"]
        folder = os.path.join(root, rel_dir, *sub)
        os.makedirs(folder, exist_ok=True)
        size = max(1, int(avg * rng.uniform(0.2, 1.8)))
        with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
            f.write(os.urandom(size))
        made += size
    return made


def main():
    root, kind = sys.argv[1], sys.argv[2]
    rng = random.Random(20240601)
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "Dockerfile"), "w") as f:
        f.write(DOCKERFILE)
    sizes = {}
    if kind == "ignored":
        with open(os.path.join(root, ".dockerignore"), "w") as f:
            f.write("# dependencies and data the image does not need\nnode_modules\ndata/\n")
        sizes["src"] = (2_000, tree(root, "src", 2_000, 100_000_000, 100, rng))
        sizes["node_modules"] = (
            17_000,
            tree(root, "node_modules", 17_000, 85_000_000, 50, rng, depth=2),
        )
        sizes["data"] = (1_000, tree(root, "data", 1_000, 840_000_000, 100, rng))
        dropped = ("node_modules", "data")
    elif kind == "plain":
        sizes["src"] = (200, tree(root, "src", 200, 4_000_000, 50, rng))
        sizes["data"] = (1_000, tree(root, "data", 1_000, 196_000_000, 100, rng))
        dropped = ()
    else:
        sys.exit(f"unknown kind {kind}")
    files = sum(n for n, _ in sizes.values())
    size = sum(b for _, b in sizes.values())
    dfiles = sum(sizes[d][0] for d in dropped)
    dbytes = sum(sizes[d][1] for d in dropped)
    print(
        f"{files} files, {size / 1e6:.0f} MB; .dockerignore drops "
        f"{100 * dfiles / files:.0f} % of the files, {100 * dbytes / size:.0f} % of the bytes; "
        + ", ".join(f"{k}/ {n} files {b / 1e6:.0f} MB" for k, (n, b) in sizes.items())
    )


if __name__ == "__main__":
    main()
