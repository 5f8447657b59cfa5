"""`# composelint:` directives, through the real CLI."""

from __future__ import annotations

import textwrap

import pytest
from conftest import FIXTURES, findings, lint_json, run_cli


@pytest.fixture
def compose(tmp_path):
    def write(text: str) -> str:
        path = tmp_path / "compose.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"))
        return str(path)

    return write


def _active(path: str, *args: str) -> set[tuple[str, int]]:
    return {(code, line) for code, line, _, _ in findings(*args, path)}


def _suppressed(path: str, *args: str) -> dict[tuple[str, int], dict]:
    report = lint_json(*args, path)
    return {
        (f["code"], f["range"]["start"]["line"]): f["suppressed"]
        for f in report["findings"]
        if f["suppressed"] is not None
    }


def test_trailing_ignore_covers_only_its_line(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301
          b:
            image: alpine:3.20
            privileged: true
        """)
    assert _active(path, "--select", "CL301,CL9") == {("CL301", 7)}
    assert set(_suppressed(path, "--select", "CL301,CL9")) == {("CL301", 4)}


def test_own_line_ignore_covers_the_whole_next_node_and_nothing_after(compose):
    path = compose("""
        services:
          web:
            image: nginx:1.27
            # composelint: ignore=CL202 -- published on purpose

            ports:
              - "8080:80"
              # an unrelated comment
              - "8443:443"
            expose: ["9000"]
          api:
            image: nginx:1.27
            ports: ["9090:80"]
        """)
    assert _active(path, "--select", "CL202,CL9") == {("CL202", 13)}
    assert set(_suppressed(path, "--select", "CL202,CL9")) == {("CL202", 7), ("CL202", 9)}


def test_own_line_ignore_before_a_service_covers_the_service(compose):
    path = compose("""
        services:
          # composelint: ignore=CL3
          debug:
            image: alpine:3.20
            privileged: true
            pid: host
          app:
            image: alpine:3.20
            ipc: host
        """)
    assert _active(path, "--select", "CL3,CL9") == {("CL303", 9)}


def test_own_line_ignore_before_a_block_scalar_stops_at_its_end(compose):
    path = compose("""
        services:
          web:
            image: nginx:1.27
            # composelint: ignore=CL301
            command: |
              nginx -g 'daemon off;'
            privileged: true
        """)
    assert _active(path, "--select", "CL301,CL900") == {("CL301", 7), ("CL900", 4)}


def test_own_line_ignore_before_a_long_syntax_item(compose):
    path = compose("""
        services:
          agent:
            image: alpine:3.20
            volumes:
              # composelint: ignore=CL402 -- read-only host view
              - type: bind
                source: /etc
                target: /host/etc
                read_only: true
              - /usr:/host/usr
        """)
    assert _active(path, "--select", "CL402,CL9") == {("CL402", 10)}


@pytest.mark.parametrize("selector", ["CL301", "cl301", "privileged", "CL3", "isolation", "all"])
def test_ignore_by_code_name_prefix_group_or_all(compose, selector):
    path = compose(f"""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore={selector}
        """)
    assert _active(path, "--select", "CL301,CL9") == set()


def test_several_rules_separated_by_commas(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            # composelint: ignore=CL202,host-pid, CL210 -- lab only
            ports: ["22:22"]
            pid: host  # composelint: ignore=CL302 CL303
            ipc: host
        """)
    active = _active(path, "--select", "CL202,CL210,CL302,CL303,CL9")
    # host-pid suppressed nothing inside `ports`; CL303 is not on the `ipc` line
    assert active == {("CL303", 7), ("CL900", 4), ("CL900", 6)}


def test_reason_is_carried_in_json(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301 -- needs /dev/kvm for the emulator
            pid: host  # composelint: ignore=CL302
        """)
    suppressed = _suppressed(path, "--select", "CL301,CL302")
    assert suppressed == {
        ("CL301", 4): {"kind": "inline", "reason": "needs /dev/kvm for the emulator"},
        ("CL302", 5): {"kind": "inline", "reason": None},
    }
    report = lint_json("--select", "CL301,CL302", path)
    assert report["summary"]["suppressed"] == 2 and report["summary"]["findings"] == 0


def test_directive_followed_by_another_comment(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301  # see ticket 42
        """)
    assert _active(path, "--select", "CL301,CL9") == set()


def test_disable_enable_range(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true
        # composelint: disable=CL301,CL308 -- legacy stack
          b:
            image: alpine:3.20
            privileged: true
            cap_add: [SYS_ADMIN]
        # composelint: enable=cl301
          c:
            image: alpine:3.20
            privileged: true
            cap_add: [SYS_ADMIN]
        """)
    # `enable` ends the range of the rule it names only: CL308 stays disabled.
    assert _active(path, "--select", "CL301,CL308,CL9") == {("CL301", 4), ("CL301", 13)}
    assert set(_suppressed(path, "--select", "CL301,CL308")) == {("CL301", 8), ("CL308", 9), ("CL308", 14)}


def test_enable_all_ends_every_range(compose):
    path = compose("""
        services:
        # composelint: disable=CL301,host-pid
          a:
            image: alpine:3.20
            privileged: true
            pid: host
        # composelint: enable=all
          b:
            image: alpine:3.20
            privileged: true
            pid: host
        """)
    assert _active(path, "--select", "CL301,CL302,CL9") == {("CL301", 10), ("CL302", 11)}


def test_unterminated_disable_runs_to_the_end(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            pid: host
        # composelint: disable=host-pid
          b:
            image: alpine:3.20
            pid: host
          c:
            image: alpine:3.20
            pid: host
        """)
    assert _active(path, "--select", "CL302,CL9") == {("CL302", 4)}


def test_disable_file_in_the_leading_comment_block(compose):
    path = compose("""
        # Production stack.
        # composelint: disable-file=CL301,CL302 -- runs on a dedicated VM

        ---
        services:
          a:
            image: alpine:3.20
            privileged: true
            pid: host
            ipc: host
        """)
    assert _active(path, "--select", "CL3,CL9") == {("CL303", 10)}
    assert _suppressed(path, "--select", "CL3")[("CL301", 8)] == {
        "kind": "inline",
        "reason": "runs on a dedicated VM",
    }


def test_disable_file_after_a_yaml_directive_and_document_marker(compose):
    path = compose("""
        %YAML 1.2
        --- # the stack
        # composelint: disable-file=CL301
        services:
          a:
            image: alpine:3.20
            privileged: true
        """)
    assert _active(path, "--select", "CL301,CL9") == set()


def test_disable_file_after_content_is_not_honoured(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true
        # composelint: disable-file=CL301
        """)
    assert _active(path, "--select", "CL301,CL9") == {("CL301", 4), ("CL902", 5)}


def test_cl001_cannot_be_suppressed(compose):
    path = compose("""
        # composelint: disable-file=CL001
        services:
          a:
            image: nginx: 1.27  # composelint: ignore=CL001
        """)
    assert findings(path) == [("CL001", 4, 17, "error")]


def test_no_inline_suppressions(compose):
    path = compose("""
        # composelint: disable-file=CL302
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301
            pid: host
            uts: host  # composelint: ignore=CL3O4
        """)
    assert _active(path, "--select", "CL3,CL9") == {("CL304", 7), ("CL901", 7)}
    assert _active(path, "--select", "CL3,CL9", "--no-inline-suppressions") == {
        ("CL301", 5),
        ("CL302", 6),
        ("CL304", 7),
    }
    report = lint_json("--select", "CL3", "--no-inline-suppressions", path)
    assert all(f["suppressed"] is None for f in report["findings"])


def test_unused_suppression_only_when_the_rule_is_selected(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20  # composelint: ignore=CL301
            read_only: true  # composelint: ignore=CL3
        """)
    assert _active(path) == {("CL900", 3), ("CL900", 4)}
    # The suppressed rules do not run, so there is nothing to judge the comments by.
    assert _active(path, "--select", "CL900") == set()
    assert _active(path, "--ignore", "CL301") == {("CL900", 4)}
    assert _active(path, "--select", "CL302,CL900") == {("CL900", 4)}
    assert _active(path, "--ignore", "CL900") == set()


def test_unused_rule_in_a_list_is_reported_alone(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301,CL302
        """)
    report = lint_json("--select", "CL301,CL302,CL900", path)
    messages = [f["message"] for f in report["findings"] if f["code"] == "CL900"]
    assert len(messages) == 1 and "CL302" in messages[0]


def test_unknown_rule_and_unparsable_directive(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL3O1
            pid: host  # composelint: ignore
            ipc: host  # composelint: frobnicate=CL303
        # composelint: enable=not-a-rule
        """)
    assert _active(path, "--select", "CL3,CL9") == {
        ("CL301", 4),
        ("CL901", 4),
        ("CL302", 5),
        ("CL902", 5),
        ("CL303", 6),
        ("CL902", 6),
        ("CL901", 7),
    }


def test_exit_code_ignores_suppressed_findings(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true  # composelint: ignore=CL301 -- accepted risk
        """)
    assert run_cli("check", "--select", "CL301", path).exit_code == 0
    assert run_cli("check", "--select", "CL301", "--no-inline-suppressions", path).exit_code == 1


def test_directive_text_inside_a_value_is_not_a_comment(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            privileged: true
            command: "echo #composelint: ignore=CL301"
        """)
    assert _active(path, "--select", "CL301,CL9") == {("CL301", 4)}


def test_directive_text_inside_a_block_scalar_is_not_a_comment(compose):
    path = compose("""
        services:
          a:
            image: alpine:3.20
            command: |
              sh -c 'echo # composelint: ignore=CL301'
            privileged: true
        """)
    assert _active(path, "--select", "CL301,CL9") == {("CL301", 6)}


def test_a_grouped_finding_follows_the_suppression_of_its_first_location():
    """The ports a service serves to the network on purpose are one CL202 finding at the first:
    a suppression there silences the group (no CL900: it was used); one on another port takes that
    port out of the group, suppressed on its own, and the rest is still reported."""
    path = FIXTURES / "rules" / "CL202" / "positive_public_by_design_suppressed.yaml"
    report = lint_json(str(path))
    grouped = {
        f["range"]["start"]["line"]: (
            f["suppressed"] is not None,
            [r["range"]["start"]["line"] for r in f["related"]],
        )
        for f in report["findings"]
        if f["code"] == "CL202"
    }
    assert grouped == {7: (True, [8]), 12: (False, [14]), 13: (True, [])}
    assert not [f for f in report["findings"] if f["code"] == "CL900"]
