#!/usr/bin/env python3
"""Speed of the shell front end (`parse_script`) on a generated 10,000-line script.

The script mixes what real deployment scripts contain: functions with local
variables, if/elif/else, case, for and while loops, here-docs (data for
`cat`, code for `bash`), arrays of options, `${VAR:-default}`, command
substitutions, pipelines, and `docker run` lines with backslash
continuations.  Prints the size, the number of invocations found, and the
best of --runs CPU times in ms per KB and in total.  Target (issue 12): under 0.3 s.

With `--cli`, it measures the whole command instead: `composelint check --exit-zero -j 1` on the
generated scripts of bench/side_by_side.py (one `docker run` in three lines, one finding each) of
1,000 to 100,000 lines and on an empty script (the start-up), user CPU time of the best of --runs
(the machine may be shared), the cost per KB after the start-up, and the peak RSS.  Issue 16's
target: the 100,000-line script under 2 s, the per-KB cost flat (within 1.5x) from 1 KB on.

With `--pathological`, it times the two bounded cases of issue 12 through the CLI (target: each
under 1 s of CPU, with its finding): a function calling itself beside a chain of 200 functions
whose output is flags, and 1,000 nested `source`s that end in a cycle.  The tests check that each
gives its finding; the time is checked here, not in the tests.

Not a test: run it by hand (`python bench/bench_shell.py [--lines N] [--runs N]`,
`python bench/bench_shell.py --cli [--runs N]`, `python bench/bench_shell.py --pathological`).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from side_by_side import generated_script

from bench import run_once
from composelint.collector import collector_paused
from composelint.sources.shell import parse_script

BLOCKS = [
    """# --- service {n} ---
start_web_{n}() {{
  local name="web-{n}"
  local port=$((8000 + {n} % 1000))
  if [[ -n "${{DEBUG:-}}" ]]; then
    echo "starting $name on $port" >&2
  elif [ "$MODE" = "prod" ]; then
    NET_MODE=host
  else
    NET_MODE=bridge
  fi
  docker run -d \\
    --name "$name" \\
    --network "${{NET_MODE:-bridge}}" \\
    -p "127.0.0.1:$port:80" \\
    -v "$DATA_DIR/{n}:/data:ro" \\
    --restart unless-stopped \\
    nginx:1.25
}}
""",
    """case "${{1:-}}" in
  up-{n})
    OPTS=(--pid=host -e "ID={n}" --cap-add NET_ADMIN)
    sudo docker run "${{OPTS[@]}}" --rm alpine:3.19 true
    ;;
  down-{n}|stop-{n})
    docker stop "web-{n}" && docker rm "web-{n}" || true
    ;;
  *)
    echo "usage: $0 up-{n}|down-{n}" ;;
esac
""",
    """for i in $(seq 1 3); do
  ID=$(docker run -d --name "worker-{n}-$i" -e "N=$i" busybox sleep 60)
  echo "started $ID"
done
while read -r line; do
  [ -z "$line" ] && continue
  printf '%s\\n' "$line"
done < <(docker ps --format '{{{{.Names}}}}' | grep "worker-{n}")
""",
    """cat > "/tmp/compose-{n}.yml" <<EOF
services:
  app{n}:
    image: "nginx"
    # docker run --net=host is what we avoid here
    network_mode: bridge
EOF
bash <<'REMOTE'
set -e
docker run --rm --net=host alpine:3.19 ping -c1 10.0.{n}.1
REMOTE
""",
    """DOCKER=${{DOCKER:-docker}}
TIMEOUT=30
timeout $TIMEOUT $DOCKER run --rm \\
  --memory 256m --cpus 0.5 \\
  --read-only --tmpfs /tmp \\
  alpine:3.19 sh -c 'echo hello {n}; sleep 1'
ssh deploy@host{n} "docker run -d --restart always -p 8{n}:80 nginx"
if ! docker image inspect "app:{n}" >/dev/null 2>&1; then docker build -t "app:{n}" .; fi
""",
]


def generate(lines: int) -> str:
    parts = ["#!/usr/bin/env bash\nset -euo pipefail\nDATA_DIR=/srv/data\nMODE=${MODE:-dev}\n"]
    count, n = 4, 0
    while count < lines:
        block = BLOCKS[n % len(BLOCKS)].format(n=n)
        parts.append(block)
        count += block.count("\n")
        n += 1
    return "".join(parts)


def cli(runs: int) -> None:
    """`composelint check` on generated scripts: user CPU (best of `runs`), ms/KB, peak RSS."""
    with tempfile.TemporaryDirectory() as scratch:
        start_up = 0.0
        for lines in (0, 1_000, 10_000, 30_000, 100_000):
            path = Path(scratch, f"deploy-{lines}.sh")
            path.write_text(generated_script(lines) if lines else "#!/bin/sh\n", encoding="utf-8")
            argv = [sys.executable, "-m", "composelint", "check", "--exit-zero", "-j", "1", str(path)]
            cpu, peak = [], 0
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                run = run_once(argv, Path.cwd())  # its launcher reports the peak RSS of this run alone
                cpu.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before)
                peak = max(peak, run.max_rss_kib)
            best, size_kb = min(cpu), path.stat().st_size / 1024
            if not lines:
                start_up = best
                print(f"empty script: {best:.2f} s user CPU (start-up), {peak / 1024:.0f} MiB")
                continue
            print(
                f"{lines:>7,} lines, {size_kb:>6,.0f} KB: {best:6.2f} s user CPU, "
                f"{(best - start_up) * 1000 / size_kb:.2f} ms/KB after start-up, {peak / 1024:.0f} MiB",
                flush=True,
            )


def pathological(runs: int) -> None:
    """The bounded cases of issue 12 through `composelint check`: user CPU, best of `runs`."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / ".git").mkdir()
        chain = "".join(f"f{i}() {{ echo --rm $(f{i + 1}); }}\n" for i in range(200))
        (root / "self.sh").write_text(
            "self() { echo $(self) $(self); }\n" + chain + "docker run $(self) $(f0) alpine\n",
            encoding="utf-8",
        )
        for index in range(1000):
            (root / f"s{index}.sh").write_text(
                f". ./s{index + 1}.sh\nOPT{index}=--privileged\n", encoding="utf-8"
            )
        (root / "s1000.sh").write_text(". ./s0.sh\n", encoding="utf-8")  # and back: a cycle
        (root / "main.sh").write_text(
            "#!/bin/sh\n. ./s0.sh\ndocker run $OPT0 alpine:3.20\n", encoding="utf-8"
        )
        cases = (
            ("a function calling itself", "self.sh", "CL007"),
            ("1,000 nested sources", "main.sh", "CL010"),
        )
        for name, script, code in cases:
            argv = [sys.executable, "-m", "composelint", "check", "--exit-zero", "-j", "1"]
            argv += ["--extend-select", code, "--output-format", "concise", str(root / script)]
            cpu = []
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                run_once(argv, root)
                cpu.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - before)
            print(f"{name}: {min(cpu):.2f} s user CPU, start-up included (target: under 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="time `composelint check` on generated scripts")
    parser.add_argument("--pathological", action="store_true", help="time issue 12's bounded cases")
    args = parser.parse_args()
    if args.cli:
        cli(args.runs)
        return
    if args.pathological:
        pathological(args.runs)
        return
    text = generate(args.lines)
    size_kb = len(text.encode("utf-8")) / 1024
    timings = []
    for _ in range(args.runs):
        started = time.process_time()  # CPU time: the machine may be shared
        with collector_paused():  # as the application pipeline reads a file set
            result = parse_script("bench.sh", text)
        timings.append(time.process_time() - started)
    best = min(timings)
    print(
        f"script: {text.count(chr(10))} lines, {size_kb:.0f} KB, {len(result.invocations)} invocations, "
        f"{len(result.diagnostics)} diagnostics"
    )
    print(
        f"parse_script best of {args.runs} (CPU time): {best * 1000:.0f} ms total, {best * 1000 / size_kb:.2f} ms/KB "
        f"(target, issue 12: under 300 ms)"
    )


if __name__ == "__main__":
    main()
