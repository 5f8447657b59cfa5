"""The documentation site: generated pages are current, `mkdocs build --strict` passes, and every
documentation URL the tool prints (text, JSON, SARIF, schema `$id`) is a page of the built site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import FIXTURES, ROOT, run_cli
from ruamel.yaml import YAML

from composelint.rules import all_rules
from composelint.site import pages

SITE_URL = YAML(typ="safe").load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


def test_no_committed_page_shadows_a_generated_one():
    """Generated pages exist only in the built site; a committed copy would go stale."""
    assert [path for path in pages() if (ROOT / "docs" / path).exists()] == []


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    pytest.importorskip("material", reason="the site needs the docs extra: pip install -e '.[docs]'")
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def built_file(site: Path, url: str) -> Path:
    """The file of the built site that serves `url` (which must be under the site's URL)."""
    assert url.startswith(SITE_URL), url
    path = urlsplit(url).path.removeprefix(urlsplit(SITE_URL).path)
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def printed_urls() -> set[str]:
    """Every documentation URL of every rule, as the CLI prints it in each place."""
    urls = {entry["url"] for entry in json.loads(run_cli("rules", "--output-format", "json").stdout)}
    for code in all_rules():
        text = run_cli("rule", code).stdout
        urls.add(text.rsplit("Docs: ", 1)[1].strip())
    sarif = json.loads(
        run_cli("check", "--output-format", "sarif", "--select", "ALL", str(FIXTURES / "reports")).stdout
    )
    urls |= {rule["helpUri"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    return urls


def test_every_printed_rule_url_is_a_built_page(site: Path):
    urls = printed_urls()
    assert len(urls) == len(all_rules())
    for url in sorted(urls):
        page = built_file(site, url)
        assert page.is_file(), f"{url} has no page in the site"
        code = next(c for c, r in all_rules().items() if url.endswith(f"/{r.name}/"))
        assert f"{code} {all_rules()[code].name}" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("schema", ["composelint-config.schema.json", "composelint-report.schema.json"])
def test_schema_id_is_the_file_in_the_site(site: Path, schema: str):
    document = json.loads((ROOT / "schemas" / schema).read_text(encoding="utf-8"))
    assert json.loads(built_file(site, document["$id"]).read_text(encoding="utf-8")) == document


def test_site_has_the_reference_pages(site: Path):
    for page in (
        "install",
        "usage",
        "reference/cli",
        "reference/configuration",
        "rules",
        "adr/0001-yaml-front-end",
    ):
        assert (site / page / "index.html").is_file(), page
    cli = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "composelint check" in cli and "--output-format" in cli


def test_docs_url_setting_moves_every_printed_link(tmp_path: Path):
    (tmp_path / ".composelint.yaml").write_text("docs-url: https://docs.example.com/composelint\n")
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n")
    own = "https://docs.example.com/composelint/rules/host-network/"
    report = json.loads(run_cli("check", "--output-format", "json", str(compose)).stdout)
    assert [f["url"] for f in report["findings"]] == [own]
    assert own in run_cli("check", "--output-format", "full", str(compose)).stdout
    sarif = json.loads(run_cli("check", "--output-format", "sarif", str(compose)).stdout)
    [rule] = [r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "CL101"]
    assert rule["helpUri"] == own and rule["help"]["markdown"].endswith(f"({own})\n")
    default = json.loads(run_cli("check", "--isolated", "--output-format", "json", str(compose)).stdout)
    assert [f["url"] for f in default["findings"]] == [SITE_URL + "rules/host-network/"]
