"""The hostile-input budget (issue 17): each attack of the issue's table, linted by the real command
in a process of its own, must finish in under 10 s and 500 MB, start no process, print no planted
secret and no outside file, and exit 0 or 1 (never 2: no run is lost). Rows 23-26 are shapes that
were quadratic or exponential once; their tests check the findings, this checks the time.

    python bench/hostile.py            # every attack and every size; exit 1 when one is over budget
    python bench/hostile.py 10 18      # only these rows
    python bench/hostile.py markdown   # only this kind, at 10 MB and just under its size bound

Each row builds its input in a temporary directory (any single input is at most 10 MB).  Then
each kind of input is linted at 10 MB (compose, .env, shell script, configuration file,
Markdown, a workflow, a GitLab CI file, a Makefile, a Dockerfile, devcontainer.json, a Quadlet and a systemd unit), realistic content
repeated, and again just under the size past which that kind is not read (BOUNDS, the README's
limits): time, peak memory, how many findings and which bounds (CL010) were hit.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SECONDS, MEGABYTES = 10.0, 500
SECRET = "S3CRET-bench-7f3a"
OUTSIDE = "ROOTHASH-bench"
SERVICE = "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n"


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def outside_file(root: Path) -> Path:
    path = root.parent / "outside" / "shadow"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"root:$6${OUTSIDE}:19000:0:99999:7:::\n")
    return path


def row_1(root: Path) -> list[str]:
    marker = root.parent / "marker"
    write(root, {"compose.yaml": SERVICE, ".gitignore": "x/\n", ".git/HEAD": "ref: refs/heads/main\n"})
    write(root, {".git/config": f'[core]\n\tfsmonitor = "touch {marker}; false"\n\tpager = touch {marker}\n'})
    return ["."]


def row_2(root: Path) -> list[str]:
    write(root, {".env": f"COMPOSE_FILE={outside_file(root)}\n", "compose.yaml": SERVICE})
    return ["."]


def row_3(root: Path) -> list[str]:
    target = outside_file(root)
    (root / "compose.yaml").symlink_to(target)
    write(root, {"sub/compose.yaml": "include:\n  - ../linked/shadow\n" + SERVICE})
    (root / "linked").symlink_to(target.parent, target_is_directory=True)
    return ["."]


def row_4(root: Path) -> list[str]:
    write(
        root,
        {
            ".env": f"TOKEN={SECRET}\n",
            "compose.yaml": "services:\n  web:\n    image: nginx\n    volumes: ['/etc/${TOKEN}:/x']\n"
            "    environment: ['A=${X:?${TOKEN}}']\n    network_mode: container:${TOKEN}\n",
        },
    )
    return ["."]


def row_5(root: Path) -> list[str]:
    write(root, {".env": f"OK=1\nnot an assignment {SECRET}\n", "compose.yaml": SERVICE})
    return ["."]


def row_6(root: Path) -> list[str]:
    write(root, {"sub/compose.yaml": SERVICE})
    for name in ("compose.yaml", ".env", "x.sh"):
        os.mkfifo(root / name)
    return ["."]


def row_7(root: Path) -> list[str]:
    (root / "compose.yaml").symlink_to("/dev/zero")
    return ["--allow-outside-root", "."]


def row_8(root: Path) -> list[str]:
    write(
        root, {".composelint.yaml": "select: " + "[" * 50_000 + "]" * 50_000 + "\n", "compose.yaml": SERVICE}
    )
    return ["."]


def row_9(root: Path) -> list[str]:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    write(root, {".composelint.yaml": "\n".join(lines) + "\n", "compose.yaml": SERVICE})
    return ["."]


def row_10(root: Path) -> list[str]:
    write(
        root, {".env": "A=x\n" + "A=${A}${A}\n" * 40, "compose.yaml": "services:\n  web:\n    image: ${A}\n"}
    )
    return ["."]


def row_11(root: Path) -> list[str]:
    refs = "".join(f"      L{i}: ${{BIG}}\n" for i in range(20_000))
    write(root, {".env": "BIG=" + "v" * 1_000_000 + "\n", "compose.yaml": SERVICE + "    labels:\n" + refs})
    return ["."]


def row_12(root: Path) -> list[str]:
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    bomb += "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 6))
    write(root, {"compose.yaml": "\n---\n".join([bomb] * 20) + "\n---\n" + SERVICE})
    return ["."]


def row_13(root: Path) -> list[str]:
    big = "services:\n" + "".join(
        f"  s{i}:\n    image: nginx\n    labels: [a, b, c]\n" for i in range(45_000)
    )
    services = "".join(f"  e{i}:\n    extends: {{file: base.yaml, service: s{i}}}\n" for i in range(20))
    write(root, {"base.yaml": big, "compose.yaml": "services:\n" + services})
    return ["compose.yaml"]


def row_14(root: Path) -> list[str]:
    for level in range(31):
        body = "" if level == 30 else f"include:\n  - l{level + 1}a.yaml\n  - l{level + 1}b.yaml\n"
        for side in "ab":
            write(root, {f"l{level}{side}.yaml": body + f"services:\n  s{level}{side}:\n    image: nginx\n"})
    write(root, {"compose.yaml": "include:\n  - l0a.yaml\n  - l0b.yaml\n" + SERVICE})
    return ["compose.yaml"]


def row_15(root: Path) -> list[str]:
    write(root, {"a/compose.yaml": "services:\n  web:\n    image: " + "${A:-" * 500 + "x" + "}" * 500 + "\n"})
    deep = str(root)
    for _ in range(1000):  # os.makedirs recurses once per level
        deep = os.path.join(deep, "d")
        os.mkdir(deep)
    Path(deep, "compose.yaml").write_text(SERVICE)
    chain = root / "chain"
    chain.mkdir()
    # 1,000 files (the 10,000 cost about 6 ms a file: that is many inputs, not one).
    for i in range(1_000):
        write(chain, {f"c{i}.yaml": f"include:\n  - c{i + 1}.yaml\nservices:\n  s{i}:\n    image: nginx\n"})
    (chain / "compose.yaml").write_text("include:\n  - c0.yaml\n" + SERVICE)
    extends = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(3_000))
    write(root, {"ext/compose.yaml": "services:\n" + extends + "  s3000:\n    image: nginx\n"})
    return ["."]


def row_16(root: Path) -> list[str]:
    write(
        root,
        {
            "a/compose.yaml": f'services:\n  web:\n    image: nginx\n    ports: ["{"9" * 4301}:80"]\n',
            "b/compose.yaml": 'services:\n  "\\ud800":\n    image: nginx\n    privileged: true\n',
            "c/compose.yaml": SERVICE,
        },
    )
    return ["."]


def row_17(root: Path) -> list[str]:
    ports = "".join('      - "1:1"\n' for _ in range(8_000))
    ranges = "".join('      - "1-65535:1-65535"\n' for _ in range(200))
    write(
        root,
        {
            "a/compose.yaml": "services:\n  web:\n    image: nginx\n    ports:\n" + ports,
            "b/compose.yaml": "services:\n  web:\n    image: nginx\n    ports:\n" + ranges,
        },
    )
    return ["."]


def row_18(root: Path) -> list[str]:
    shapes = ["`" * 62 + ")", "`$(" * 30 + ")", "$(`" * 30, "`\\`" * 30 + ")", "`${" * 40 + ")"]
    for index, shape in enumerate(shapes):  # the row, then shapes a fuzzer found beside it
        write(root, {f"x{index}.sh": "#!/bin/sh\ndocker run --privileged nginx\n" + shape + "\n"})
    return ["."]


def row_19(root: Path) -> list[str]:
    script = "#!/bin/sh\nA='docker run --privileged nginx'\n"
    script += "".join('A="$A;$A"\n' for _ in range(11)) + 'eval "$A"\n' * 20
    write(root, {"x.sh": script})
    return ["."]


def row_20(root: Path) -> list[str]:
    write(root, {"x.sh": b"#!/bin/sh\ndocker run \x00--net=host --privi\x00leged nginx\n"})
    return ["."]


def row_21(root: Path) -> list[str]:
    write(
        root,
        {
            "compose.yaml": 'services:\n  "a\\n::error file=x::Y\\e]8;;x\\a":\n    image: nginx\n    privileged: true\n'
        },
    )
    return ["--output-format", "github", "."]


def row_22(root: Path) -> list[str]:
    write(
        root,
        {
            "a/x.sh": "#!/bin/sh\necho caf\xe9\n".encode("latin-1"),
            "b/compose.yaml": ("\ufeff" + SERVICE).encode("utf-16"),
            "c/compose.yaml": SERVICE,
        },
    )
    return ["."]


def row_23(root: Path) -> list[str]:
    text = '[tool.composelint]\nselect = ["ALL"]\n[tool.other]\nnote = """\n[' + " " * 200_000 + '\n"""\n'
    write(root, {"compose.yaml": SERVICE, "pyproject.toml": text})
    return ["."]


def row_24(root: Path) -> list[str]:
    chain = "".join(f"V{n} = $(V{n - 1})$(V{n - 1})\n" for n in range(1, 41))
    write(root, {"Makefile": f"V0 = x\n{chain}run:\n\tdocker run --privileged $(V40)\n"})
    return ["."]


def row_25(root: Path) -> list[str]:
    nested = "$(echo " * 3000 + "docker run --net=host a" + ")" * 3000
    write(root, {"x.sh": f"#!/bin/sh\nX={nested}\ndocker run --pid=host b\n"})
    return ["."]


def row_26(root: Path) -> list[str]:
    line = "ExecStart=/usr/bin/docker run " + "${A}%n" * 6000 + " \\\n-e X" * 6000 + " img\n"
    write(root, {"x.service": "[Service]\n" + line})
    return ["."]


SIZE = 10_000_000  # "any single input of 10 MB or less"
PAD = "x" * 40


def repeated(limit: int, head: str, item: str, tail: str = "") -> str:
    """`head`, then `item` formatted with i = 0, 1, ... (and `port`, `pad`), then `tail`, as
    long as the whole stays within `limit` bytes."""
    parts, size, index = [head], len(head) + len(tail), 0
    while True:
        part = item.format(i=index, port=1024 + index % 60000, pad=PAD)
        if size + len(part) > limit:
            return "".join(parts) + tail
        parts.append(part)
        size += len(part)
        index += 1


_SERVICE = "  s{i}:\n    image: registry.local/s{i}:1.0\n    ports: ['{port}:80']\n    networks: [front]\n"
_COMMAND = 'if [ -n "$X{i}" ]; then\n  docker run -d --name c{i} -p {port}:80 --network front '
_BLOCK = "## Step {i}\n\nStart the service:\n\n```sh\ndocker run -d -p {port}:80 --name c{i} "
_WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
_JOB = "job{i}:\n  stage: test\n  script:\n    - docker run --rm -p {port}:80 registry.local/s{i}:1.0\n"
_RECIPE = "\tdocker run -d --name c{i} -p {port}:80 registry.local/s{i}:1.0\n"
_DEVCONTAINER = '{\n  "image": "mcr.microsoft.com/devcontainers/base:1",\n  "runArgs": [\n'
_EXEC = "ExecStart=/usr/bin/docker run --rm --name app --network host registry.local/app:1.0\n"
# Each kind of input: file -> (head, item repeated while the file stays within the size, tail),
# or the text of a small file beside it.
SIZES: dict[str, dict[str, tuple[str, str, str] | str]] = {
    "compose": {
        "compose.yaml": (
            "services:\n",
            _SERVICE + "    environment:\n      MODE: s{i}\n",
            "networks:\n  front: {}\n",
        )
    },
    "env": {
        ".env": ("", "VARIABLE_{i}=value-{i}-{pad}\n", ""),
        "compose.yaml": "services:\n  web:\n    image: nginx:${VARIABLE_7}\n    ports: ['${VARIABLE_9}:80']\n",
    },
    "script": {
        "deploy.sh": ("#!/bin/sh\nset -e\n", _COMMAND + "-e MODE=s{i} registry.local/s{i}:1.0\nfi\n", "")
    },
    "configuration": {
        ".composelint.yaml": ("per-file-ignores:\n", "  'services/s{i}/compose.yaml': [CL101, CL202]\n", ""),
        "compose.yaml": SERVICE,
    },
    "markdown": {"README.md": ("# Deploying\n\n", _BLOCK + "registry.local/s{i}:1.0\n```\n\n", "")},
    "workflow": {
        ".github/workflows/ci.yml": (
            _WORKFLOW,
            "      - run: docker run --rm -p {port}:80 registry.local/s{i}:1.0\n",
            "",
        )
    },
    "gitlab-ci": {".gitlab-ci.yml": ("stages: [test]\n", _JOB, "")},
    "makefile": {"Makefile": (".PHONY: all\nall:\n", _RECIPE, "")},  # one rule: the costliest shape
    "dockerfile": {"Dockerfile": ("FROM docker:27\nRUN <<EOF\n", _RECIPE.lstrip("\t"), "EOF\n")},
    "devcontainer": {
        ".devcontainer/devcontainer.json": (
            _DEVCONTAINER,
            '    "--label=item{i}={pad}",\n',
            '    "--privileged"\n  ]\n}\n',
        )
    },
    "quadlet": {
        "app.container": (
            "[Container]\nImage=registry.local/app:1.0\n",
            "Environment=VARIABLE_{i}=value-{i}-{pad}\nPublishPort=127.0.0.1:{port}:80\n",
            "",
        )
    },
    "systemd": {
        "app.service": (
            "[Unit]\nDescription=app\n[Service]\n",
            "ExecStartPre=-/usr/bin/docker rm -f c{i}\n",
            _EXEC,
        )
    },
}


# The size past which each kind is not read (CL010), where it is below SIZE.
MIB = 1024 * 1024
BOUNDS = {
    **dict.fromkeys(("compose", "script", "configuration", "markdown"), 4 * MIB),
    "devcontainer": 64 * 1024,
    "quadlet": MIB,
    **dict.fromkeys(("workflow", "gitlab-ci", "makefile", "dockerfile"), MIB),
    "systemd": MIB,
}


def size_input(kind: str, root: Path, size: int) -> list[str]:
    """Write the input of SIZES[kind] at `size` bytes under `root`; the arguments that lint it."""
    files: dict[str, str | bytes] = {
        name: repeated(size, *spec) if isinstance(spec, tuple) else spec for name, spec in SIZES[kind].items()
    }
    write(root, files)
    return ["."]


ROWS: dict[int, Callable[[Path], list[str]]] = {
    int(name.removeprefix("row_")): function
    for name, function in globals().items()
    if name.startswith("row_")
}


# A configuration file past a bound cannot be used: like any unusable configuration, that is
# exit 2 with one line on stderr naming the bound (the run has not started, nothing is lost).
CONFIGURATION_ROWS: set[int | str] = {8, 9, "configuration"}


def _one_line_limit(err: bytes) -> bool:
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return len(lines) == 1 and any(
        bound in lines[0] for bound in ("nesting deeper", "aliases are expanded", "larger than")
    )


def run(row: int | tuple[str, int]) -> tuple[bool, str]:
    """Build the row's input (an attack, or a kind of input at a size), lint it, and check the
    budget and the behaviour."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "project"
        root.mkdir()
        args = (
            ROWS[row](root)
            if isinstance(row, int)
            else ["--output-format", "concise", *size_input(row[0], root, row[1])]
        )
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", _MEASURED, "check", "--exit-zero", "-j", "1", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            out, err = process.communicate(timeout=SECONDS * 3)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return False, f"killed after {SECONDS * 3:.0f} s"
        elapsed = time.monotonic() - started
        err, _, peak_line = err.rpartition(b"peak-kib ")
        peak = int(peak_line or 0) / 1024
        output = (out + err).decode("utf-8", "replace")
        problems = []
        if elapsed > SECONDS:
            problems.append(f"{elapsed:.1f} s")
        if peak > MEGABYTES:
            problems.append(f"{peak:.0f} MB")
        kind = row if isinstance(row, int) else row[0]
        if process.returncode != 0 and not (kind in CONFIGURATION_ROWS and _one_line_limit(err)):
            problems.append(f"exit {process.returncode}: {err.decode('utf-8', 'replace')[-300:]}")
        if SECRET in output or OUTSIDE in output:
            problems.append("printed a planted secret or an outside file")
        if (root.parent / "marker").exists():
            problems.append("started a process")
        if row == 21 and any(line.startswith("::error file=x") for line in output.splitlines()):
            problems.append("forged a workflow command")
        found = ""
        if not isinstance(row, int):  # what came of the input: findings, and the bounds that were hit
            lines = [line for line in output.splitlines() if re.search(r" CL\d{3} ", line)]
            limits = sorted(
                {line.split(" CL010 ")[1].split(": ", 1)[-1][:70] for line in lines if " CL010 " in line}
            )
            found = f"  {len(lines):,} findings" + (f"; CL010: {' | '.join(limits)}" if limits else "")
            if process.returncode == 2:
                found = f"  unusable configuration: {err.decode('utf-8', 'replace').strip()[-90:]}"
        return not problems, f"{elapsed:5.1f} s {peak:6.0f} MB" + (
            "  " + "; ".join(problems) if problems else ""
        ) + found


# The command in-process, printing its own peak resident size (KiB on Linux) last on stderr.
_MEASURED = """
import atexit, resource, runpy, sys
atexit.register(lambda: sys.stderr.write(f"peak-kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}"))
sys.argv[0] = "composelint"
runpy.run_module("composelint", run_name="__main__")
"""


def main(argv: list[str]) -> int:
    sys.setrecursionlimit(10_000)  # shutil.rmtree recurses once per level of row 15's tree
    chosen = [int(a) if a.isdigit() else a for a in argv] or [*sorted(ROWS), *SIZES]
    rows: list[int | tuple[str, int]] = []
    for name in chosen:
        if isinstance(name, int):
            rows.append(name)
        else:
            rows += [(name, SIZE)] + ([(name, BOUNDS[name] - 1024)] if name in BOUNDS else [])
    failed = 0
    for row in rows:
        ok, detail = run(row)
        failed += not ok
        label = f"row {row:2}" if isinstance(row, int) else f"{row[1] / 1e6:5.2f} MB {row[0]}"
        print(f"{label:<24} {'ok  ' if ok else 'FAIL'} {detail}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
