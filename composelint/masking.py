"""Values that came from variables are shown as `${NAME}`, never as themselves.

A `.env` file, an `--env-file`, an include's `env_file` or the process
environment hold tokens and passwords; a report lands in CI logs that a
fork's pull request can read.  So every text a finding or the model shows is
passed through a mask of the project's substituted values.  A value of
`WHOLE_WORD_BELOW` characters or fewer (`80`, `true`) is masked only where it
stands as a whole word, so `8080` does not become `${PORT}${PORT}`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from composelint.records import replace
from composelint.types import Finding

WHOLE_WORD_BELOW = 6


def masker(values: dict[str, str]) -> Callable[[str], str]:
    """A function replacing each value of `values` (value -> variable name) in a text by `${NAME}`."""
    if not values:
        return _unchanged
    ordered = sorted(values, key=len, reverse=True)
    long = [value for value in ordered if len(value) >= WHOLE_WORD_BELOW]
    short = [value for value in ordered if len(value) < WHOLE_WORD_BELOW]
    # Long values are replaced with str.replace (a megabyte value would take seconds to compile
    # into a pattern), first by placeholders no short value can match inside.
    placeholders = {
        value: "\x00" + chr(0xF0000 + index % 65534) + chr(0xF0000 + index // 65534) + "\x00"
        for index, value in enumerate(long)
    }
    pattern = (
        re.compile("|".join(rf"(?<![A-Za-z0-9_]){re.escape(v)}(?![A-Za-z0-9_])" for v in short))
        if short
        else None
    )

    def mask(text: str) -> str:
        for value, placeholder in placeholders.items():
            if value in text:
                text = text.replace(value, placeholder)
        if pattern is not None:
            text = pattern.sub(lambda match: "${" + values[match.group()] + "}", text)
        for value, placeholder in placeholders.items():
            if placeholder in text:
                text = text.replace(placeholder, "${" + values[value] + "}")
        return text

    return mask


def _unchanged(text: str) -> str:
    return text


def masked(finding: Finding, mask: Callable[[str], str]) -> Finding:
    """The finding with every text a report shows masked: message, help, fix (a fix whose edits
    hold a value is dropped), the texts of its group's message."""
    if mask is _unchanged:
        return finding
    fix = finding.fix
    if fix is not None:
        # A fix that would write a variable's value is withdrawn: the masked text is not what the
        # file should hold, and the value may be a secret.
        if any(mask(edit.text) != edit.text for edit in fix.edits):
            fix = None
        else:
            fix = replace(fix, message=mask(fix.message))
    group = finding.group
    if group is not None:
        group = replace(
            group, item=mask(group.item), opening=mask(group.opening), closing=mask(group.closing)
        )
    return replace(
        finding,
        message=mask(finding.message),
        help=None if finding.help is None else mask(finding.help),
        fix=fix,
        group=group,
    )


def mask_strings(value, mask: Callable[[str], str]):
    """A JSON-like document with every string (keys included) masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {mask_strings(key, mask): mask_strings(item, mask) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_strings(item, mask) for item in value]
    return value
