"""What a document's sentences say about the commands it shows (`Workload.explained`).

A reference page, a lab or a README section that shows `docker run --cap-add SYS_ADMIN ...`
usually says why in the sentences around it ("To mount a FUSE based filesystem, you need to
combine both `--cap-add` and `--device`").  Such a command is an explained example, not an
oversight: the rules that judge a host-level setting leave out one its document names.

The Markdown front end hands over the prose of the section a code block stands in: its heading
and its paragraphs, list items, quotes and table rows up to the next heading, before and after
the block (reference pages explain a flag under its first example).  Code is not prose: a command
does not explain itself.

Names come from the one table of settings (composelint/settings.py): a setting is named by a
`docker run` flag of its own (`--cap-add`; not `--network`, which two settings share) or by one
of its `prose` phrases (`PID namespace`, `host network`).  A value is named as written: a
capability (`SYS_ADMIN`, `CAP_SYS_ADMIN`), a security option's kind (`seccomp`, `apparmor`), a
device path (`/dev/fuse`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from composelint.model import Workload
from composelint.patterns import lazy_pattern
from composelint.records import record
from composelint.settings import RUN, SETTINGS, flags_of

_MARKUP = lazy_pattern(r"[`*\"']+")  # code spans, emphasis and quotes around a flag or value
_SPACE = lazy_pattern(r"[\s=]+")  # `--pid=host` is `--pid host`; a paragraph's line breaks are spaces
_WORD = lazy_pattern(r"[\w/-]+")  # a flag, a capability, a device path, an option kind

# A security option kind as prose calls it: the kind itself, and SELinux for `label`.
_OPTION_WORDS = {"label": ("label", "selinux")}

# What a purpose takes, as Docker documents it: a FUSE mount needs /dev/fuse and SYS_ADMIN (the
# `docker run` reference: "To mount a FUSE based filesystem, you need to combine both --cap-add
# and --device"), and AppArmor's docker-default profile denies `mount`.
_PURPOSES = {"fuse": ("cap_add=SYS_ADMIN", "devices=/dev/fuse", "security_opt=apparmor")}


def _normalised(text: str) -> str:
    """Lower case, without markup around words, `=` and line breaks as single spaces."""
    return _SPACE.sub(" ", _MARKUP.sub("", text.lower()))


def _whole_word(phrase: str) -> re.Pattern[str]:
    """The phrase as whole words (`privileged`, not `unprivileged` nor `non-privileged`).  The
    lookbehind follows the phrase so that the pattern starts with a literal, which `re` finds with
    a fast scan: a section of 4 MiB is read in milliseconds."""
    escaped = re.escape(_normalised(phrase))
    return re.compile(rf"{escaped}(?<![\w/-]{escaped})(?![\w/])")


@cache
def _setting_names() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Setting name -> its names in prose: its own `docker run` flags and its `prose` phrases."""
    run_flags = flags_of(RUN)
    spellings = Counter(spelling for flag, _ in run_flags for spelling in flag.spellings)
    names = {}
    for setting in SETTINGS:
        own = [
            spelling
            for flag, of in run_flags
            if of is setting
            for spelling in flag.spellings
            if spelling.startswith("--") and spellings[spelling] == 1
        ]
        if own or setting.prose:
            names[setting.name] = tuple(_whole_word(phrase) for phrase in (*own, *setting.prose))
    return names


@record(frozen=True)
class Prose:
    """A section's sentences, read once for all its blocks: the settings they name (with what a
    purpose they name needs, `fuse`: `cap_add=SYS_ADMIN`, ...) and their words."""

    settings: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Prose:
        text = _normalised(text)
        words = frozenset(_WORD.findall(text))
        names = frozenset(
            name for name, patterns in _setting_names().items() if any(p.search(text) for p in patterns)
        )
        needs = {need for purpose, needs in _PURPOSES.items() if purpose in words for need in needs}
        return cls(names | needs, words)

    def explained(self, workload: Workload) -> frozenset[str]:
        """What the prose names of the workload's settings: setting names, and `setting=value` for
        a capability, a security option kind or a device named by itself."""
        found = set(self.settings)
        for capability in workload.cap_add:
            name = capability.value.name
            if not capability.value.is_all and not self.words.isdisjoint(
                (name.lower(), f"cap_{name.lower()}")
            ):
                found.add(f"cap_add={name}")
        for option in workload.security_opt:
            key = option.value.key
            if not self.words.isdisjoint(_OPTION_WORDS.get(key, (key.lower(),))):
                found.add(f"security_opt={key}")
        for device in workload.devices:
            if device.value.path.lower() in self.words:
                found.add(f"devices={device.value.path}")
        return frozenset(found)
