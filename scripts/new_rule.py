"""Start a new rule: its function (documentation included) and its positive and negative fixtures.

    python scripts/new_rule.py CL318 host-cgroup-namespace --family isolation --group isolation \\
        --severity warning --setting cgroup --value host \\
        --summary "The container shares the host's cgroup namespace." \\
        --why "Processes in the container see the host's cgroup hierarchy."

The rule reports a workload whose setting (a row of composelint/settings.py, here `cgroup`) has
the given value, in compose files and in `docker run` lines alike; its message names the setting
the way the user wrote it.  That is a complete, tested rule to grow from: change the check and
its documentation, add fixtures for every case it decides (see CONTRIBUTING.md).  `--root` points
at another checkout (the tests use a copy).
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEVERITIES = ("error", "warning", "info", "style")
IMPORTS = (
    "from composelint.model import Project",
    "from composelint.rules.base import Finding, rule",
    "from composelint.rules.wording import setting, subject",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("code", help="the new code, CLnnn (a public contract: never reuse a code)")
    parser.add_argument("name", help="kebab-case name, e.g. host-cgroup-namespace")
    parser.add_argument("--family", required=True, help="module under composelint/rules/ (new or existing)")
    parser.add_argument("--group", required=True, help="rule group, e.g. network, isolation, hardening")
    parser.add_argument("--severity", required=True, choices=SEVERITIES)
    parser.add_argument("--setting", required=True, help="a setting of composelint/settings.py")
    parser.add_argument("--value", required=True, help="the value the rule reports")
    parser.add_argument("--summary", required=True, help="one sentence: what the rule reports")
    parser.add_argument("--why", required=True, help="why it matters (a short paragraph)")
    parser.add_argument(
        "--lasting-hosts-only",
        action="store_true",
        help="a rule about escaping to the host: silent on a CI job's ephemeral host (README: Ephemeral CI hosts)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to write into")
    args = parser.parse_args(argv)
    try:
        written = scaffold(args)
    except ValueError as error:
        print(f"new_rule: {error}", file=sys.stderr)
        return 2
    print("\n".join(f"wrote {path}" for path in written))
    print(
        "next: ruff check --fix composelint && ruff format composelint; "
        f"pytest tests/test_rule_fixtures.py tests/test_doc_examples.py -k {args.code}; "
        "judge a sample of its findings on the corpus (bench/precision_sample.py, docs/precision.md); "
        "paste `composelint rules --output-format markdown` into README's rule table"
    )
    return 0


def scaffold(args: argparse.Namespace) -> list[Path]:
    root: Path = args.root
    sys.path.insert(0, str(root))
    from composelint.model import Workload
    from composelint.rules import all_rules
    from composelint.settings import SETTINGS

    if not re.fullmatch(r"CL\d{3}", args.code):
        raise ValueError(f"`{args.code}` is not a code (CLnnn)")
    if args.code in all_rules() or (root / "fixtures" / "rules" / args.code).exists():
        raise ValueError(f"{args.code} exists")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", args.name):
        raise ValueError(f"`{args.name}` is not a kebab-case name")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.family):
        raise ValueError(f"`{args.family}` is not a module name")
    row = next((s for s in SETTINGS if s.name == args.setting), None)
    if row is None or len(row.fields) != 1 or not row.fields[0].startswith("Workload.") or not row.compose:
        raise ValueError(
            f"`{args.setting}` is not a single workload setting with a compose key in settings.py"
        )
    attribute, key = row.fields[0].removeprefix("Workload."), row.compose[0]
    if "." in key or Workload.__annotations__.get(attribute) != "Located[str] | None":
        raise ValueError(f"`{args.setting}` is not a single text value in compose: write that rule by hand")

    module = root / "composelint" / "rules" / f"{args.family}.py"
    new_family = not module.exists()
    _add_rule(module, _rule_source(args, attribute, key))
    if new_family:
        _register_family(root, args.family)
    fixtures = root / "fixtures" / "rules" / args.code
    fixtures.mkdir(parents=True)
    line = f"    {key}: {args.value}"
    column = line.index(": ") + 3  # the finding is on the value
    positive, negative = fixtures / "positive.yaml", fixtures / "negative.yaml"
    positive.write_text(
        f"services:\n  app:\n    image: nginx:1.27\n{line}  # expect: {args.code}@{column}\n",
        encoding="utf-8",
    )
    negative.write_text("services:\n  app:\n    image: nginx:1.27\n", encoding="utf-8")
    return [module, positive, negative]


def _rule_source(args: argparse.Namespace, attribute: str, key: str) -> str:
    function = args.name.replace("-", "_")
    why = textwrap.fill(args.why, 96, initial_indent="    ", subsequent_indent="    ")
    flag = ", lasting_hosts_only=True" if args.lasting_hosts_only else ""
    return f'''

@rule("{args.code}", "{args.name}", "{args.severity}", "{args.group}", reads=("{args.setting}",){flag})
def {function}(project: Project):
    """{args.summary}

    ## What it does
    Reports `{key}: {args.value}` and the command-line flag that sets it.

    ## Why is this bad?
{why}

    ## Example
    ```yaml
    services:
      app:
        image: nginx:1.27
        {key}: {args.value}
    ```

    ## Use instead
    ```yaml
    services:
      app:
        image: nginx:1.27
    ```
    """
    for workload in project.workloads:
        value = workload.{attribute}
        if value is not None and value.value == "{args.value}":
            yield Finding(
                f"{{subject(workload)}} sets {{setting(workload, '{key}', '{args.value}')}}",
                value.span,
                workload.name,
                "{key}",
            )
'''


def _add_rule(module: Path, source: str) -> None:
    """Append the rule to its family module (created when new), with the imports it needs."""
    if not module.exists():
        module.write_text(
            f'"""Rules of the `{module.stem}` family."""\n\nfrom __future__ import annotations\n'
        )
    text = module.read_text(encoding="utf-8")
    missing = [line for line in IMPORTS if line not in text]
    if missing:
        head, separator, rest = text.partition("from __future__ import annotations\n")
        text = head + separator + "\n" + "\n".join(missing) + "\n" + rest
    module.write_text(text.rstrip("\n") + "\n" + source, encoding="utf-8")


def _register_family(root: Path, family: str) -> None:
    """A new family module is loaded with the others (composelint/rules/__init__.py)."""
    path = root / "composelint" / "rules" / "__init__.py"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"(_FAMILIES = \(.*?)(\n\))", rf'\1\n    "{family}",\2', text, count=1, flags=re.S)
    )


if __name__ == "__main__":
    raise SystemExit(main())
