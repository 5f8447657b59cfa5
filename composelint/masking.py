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
from dataclasses import replace

from composelint.types import Finding

WHOLE_WORD_BELOW = 6


def masker(values: dict[str, str]) -> Callable[[str], str]:
    """A function replacing each value of `values` (value -> variable name) in a text by `${NAME}`."""
    if not values:
        return _unchanged
    alternatives = [
        re.escape(value)
        if len(value) >= WHOLE_WORD_BELOW
        else rf"(?<![A-Za-z0-9_]){re.escape(value)}(?![A-Za-z0-9_])"
        for value in sorted(values, key=len, reverse=True)
    ]
    pattern = re.compile("|".join(alternatives))

    def mask(text: str) -> str:
        return pattern.sub(lambda match: "${" + values[match.group()] + "}", text)

    return mask


def _unchanged(text: str) -> str:
    return text


def masked(finding: Finding, mask: Callable[[str], str]) -> Finding:
    """The finding with every text a report shows masked: message, help, fix."""
    if mask is _unchanged:
        return finding
    fix = finding.fix
    if fix is not None:
        fix = replace(
            fix,
            message=mask(fix.message),
            edits=tuple(replace(edit, text=mask(edit.text)) for edit in fix.edits),
        )
    return replace(
        finding,
        message=mask(finding.message),
        help=None if finding.help is None else mask(finding.help),
        fix=fix,
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
