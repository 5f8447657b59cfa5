#!/usr/bin/env python3
"""CPU and wall time of composelint from several checkouts and of compose-lint, runs alternated.

    python bench/checkouts.py --files 1 --runs 31 /tmp/before .      # one file
    python bench/checkouts.py --files 500 --runs 5 /tmp/before .
    python bench/checkouts.py --files 0 --runs 3 /tmp/before .       # the whole compose corpus
    python bench/checkouts.py --files 500 --runs 7 --jobs 1,2 .       # one process against two workers

Each checkout's composelint runs through this environment's console script with `PYTHONPATH` set
to the checkout (its modules compiled to bytecode first, as pip installs them); compose-lint is
`--compose-lint` (default: beside this Python).  The commands are the like-for-like pair of
`bench.py` (`--select ALL`, JSON, no override merging).  CPU is user + system time of the process
(`os.wait4`), which moves less with a shared machine's load than wall time; both are medians.
`--jobs 1,2` runs each checkout with each `-j` value (default: none given, the default workers);
peak memory is the largest process's, the maximum over the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from bench import COMPOSE_LINT_ARGS, COMPOSELINT_ARGS, DEFAULT_CORPUS, compose_files, pick, tool


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one run, its output discarded."""
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        pid = os.posix_spawn(
            argv[0],
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, devnull.fileno(), 2),
            ],
        )
        _, _, usage = os.wait4(pid, 0)
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "checkouts", nargs="+", help="checkouts of composelint (directories holding composelint/)"
    )
    parser.add_argument("--files", type=int, default=1, help="corpus files, evenly spaced (0: all)")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument(
        "--compose-lint", help="the compose-lint console script (default: beside this Python)"
    )
    parser.add_argument("--jobs", help="comma-separated -j values to run each checkout with (e.g. 1,2)")
    args = parser.parse_args()
    jobs = [["-j", value] for value in args.jobs.split(",")] if args.jobs else [[]]
    corpus = compose_files(DEFAULT_CORPUS)
    files = pick(corpus, args.files) if args.files else corpus
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    for checkout in args.checkouts:
        path = os.path.abspath(checkout)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", os.path.join(path, "composelint")], check=True
        )
        for option in jobs:
            commands[" ".join([checkout, *option])] = (
                [tool("composelint"), *COMPOSELINT_ARGS, *option, *files],
                {**environment, "PYTHONPATH": path},
            )
    compose_lint = os.path.abspath(args.compose_lint) if args.compose_lint else tool("compose-lint")
    commands["compose-lint"] = ([compose_lint, *COMPOSE_LINT_ARGS, *files], environment)
    os.chdir(DEFAULT_CORPUS)
    for argv, env in commands.values():
        timed(argv, env)  # warm-up: page cache
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    peak: dict[str, float] = dict.fromkeys(commands, 0.0)
    load = os.getloadavg()
    for _ in range(args.runs):
        for name, (argv, env) in commands.items():
            seconds, used, mib = timed(argv, env)
            wall[name].append(seconds)
            cpu[name].append(used)
            peak[name] = max(peak[name], mib)
    theirs = statistics.median(wall["compose-lint"]), statistics.median(cpu["compose-lint"])
    print(f"{len(files)} files, {args.runs} runs alternated, load {load} before, {os.getloadavg()} after")
    for name in commands:
        ours = statistics.median(wall[name]), statistics.median(cpu[name])
        print(
            f"  {name:<20} wall {ours[0]:7.3f} s ({ours[0] / theirs[0]:.2f}x)"
            f"  CPU {ours[1]:7.3f} s ({ours[1] / theirs[1]:.2f}x compose-lint's)  peak {peak[name]:4.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
