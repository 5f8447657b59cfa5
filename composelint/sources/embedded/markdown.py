"""Markdown (`*.md`, `*.markdown`): container commands in fenced code blocks, compose snippets.

markdown-it-pyrs (markdown-it.rs: markdown-it in Rust, ten times faster than markdown-it-py on
the corpus) finds the fenced blocks as CommonMark does (inside lists and block quotes, not
inside HTML blocks or indented code, with the fence's indentation and the container's markers
taken off each line).  A block is read when its tag is a shell (`SHELL_TAGS`), a console
session (`CONSOLE_TAGS`), or when it has no tag and its first command runs docker, podman or
nerdctl.  In a console session only command lines are kept: those after a prompt (`$ `,
`# `, `user@host:~$ `) and their continuation lines (after a line ending in `\\`, with an
optional `> `); output lines are dropped.  A shell block whose lines start with `$ ` is read
as a session too; a console block without any prompt is read as commands only.

A command whose lines go on PowerShell's way, ending in a blank and a backtick (`docker run -d `
then a backtick, common under a "Windows PowerShell" heading in a block tagged `bash` or left
untagged), is PowerShell, not POSIX shell, and is not read, as a `powershell` block is not (the
block's other commands are: a block may show both shells one after the other): bash
reads those backticks as command substitutions spanning lines, which cut the command apart (its
container named after several lines of it).  Reading it as PowerShell would take more than
joining the lines: PowerShell keeps a backslash (`-v $pwd\\certs:c:\\certs`) and `$env:X` as
written where bash does not.  On the corpus such blocks repeat the POSIX block beside them
(Selenium's README) or start Windows containers (Docker's Windows labs).  A block holds PowerShell
when every line with an odd number of backticks ends with a blank and a backtick: a bash
substitution on one line (`` ID=`docker ps -q` ``) has two backticks, and one spanning lines
closes on a line that does not end so.

Each block is a project of its own: nothing (variables, networks, published ports) carries
from one block to the next, since a document shows alternatives.  What the sentences of a
block's section (heading to next heading) name of its settings is recorded on its workloads
(`prose.Prose`): an explained example of a reference page or lab.  A `yaml`/`yml` block whose
top level is `services:` is linted as a compose file on its own: no `.env`, no schema check
(snippets are partial by design); a `services:` list is another tool's format (APISIX's ADC
files), not a compose snippet.

A docker-library docs template (`<image>/content.md`, github.com/docker-library/docs) writes
`%%IMAGE%%` where the published page names its image (and `%%REPO%%` its repository, the same
name): it is read as the folder's name, the image the page documents, standing over the
placeholder.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

from composelint.limits import MAX_BLOCKS, MAX_MARKDOWN_BYTES
from composelint.model import Project
from composelint.patterns import lazy_pattern
from composelint.records import replace
from composelint.sources.embedded.prose import Prose
from composelint.sources.embedded.snippets import (
    HostFile,
    Snippet,
    SpanMap,
    embedded_project,
    mentions_tool,
    read_snippet,
)
from composelint.sources.shell import DEFAULT_TOOLS

SHELL_TAGS = frozenset({"sh", "bash", "shell", "zsh", "ksh", "shellscript"})
CONSOLE_TAGS = frozenset(
    {"console", "shell-session", "shellsession", "sh-session", "bash-session", "terminal"}
)
YAML_TAGS = frozenset({"yaml", "yml"})
KIND = "markdown"

_BREAKS = lazy_pattern("\r\n|\r|\n")  # markdown-it's line breaks
_TAG = lazy_pattern(r"[{.\s]*([\w+#-]*)")
_PROMPT = lazy_pattern(r"^\s*[\w.@:~/\[\]()-]*[$#%] ")  # `$ `, `# ` (root), `% ` (zsh), `me@box:~$ `
_DOLLAR_PROMPT = lazy_pattern(r"^\s*[\w.@:~/\[\]()-]*\$ ")
_CONTINUATION = lazy_pattern(r"^\s*> ")
# A line continued PowerShell's way: a blank, then a backtick, at its end.
_BACKTICK_CONTINUATION = lazy_pattern(r"\s`\s*$")
_FIRST_WORD = lazy_pattern(r"^\s*(?:sudo\s+(?:-\S+\s+)*)?(\S+)")
# A docker-library docs template's names of the page's image and repository (the same name for
# the official images the pages document).
_TEMPLATE_NAME = lazy_pattern(r"%%(?:IMAGE|REPO)%%")
_TOP_LEVEL_SERVICES = lazy_pattern(r"^services[ \t]*:", re.MULTILINE)
# `services:` followed by a list item: worth parsing to see whether it is a list (_services_list).
_SERVICES_THEN_ITEM = lazy_pattern(
    r"^services[ \t]*:[ \t]*(?:#.*)?\n(?:[ \t]*(?:#.*)?\n)*[ \t]*- ", re.MULTILINE
)


@functools.cache
def _parser():
    from markdown_it_pyrs import MarkdownIt

    # CommonMark's block rules only: inline parsing would cost as much and finds no fence.
    return MarkdownIt("zero").enable_many(
        [
            "blockquote",
            "code",
            "fence",
            "heading",
            "hr",
            "html_block",
            "lheading",
            "list",
            "paragraph",
            "reference",
        ]
    )


def _fences(text: str) -> tuple[list[tuple[str, str, int, int]], list[list[str]]]:
    """(info string, content, offset of the opening fence, its section) of every fenced code block,
    and the text of every section: the first before any heading, then one per heading (a block's
    prose may follow it)."""
    encoded = None if text.isascii() else text.encode("utf-8")
    byte, char = 0, 0  # the last fence's byte offset and character offset: fences come in order
    fences = []
    sections: list[list[str]] = [[]]
    for node in _parser().tree(text).walk():
        if node.name == "heading":
            sections.append([])
        if node.name == "text":  # a heading's, paragraph's or list item's text; code has none
            sections[-1].append(str(node.meta.get("content") or ""))
        if node.name != "fence" or node.srcmap is None:
            continue
        start = node.srcmap[0]  # a byte offset
        if encoded is not None:
            if start < byte:
                byte, char = 0, 0
            byte, char = start, char + len(encoded[byte:start].decode("utf-8", "ignore"))
            start = char
        fences.append(
            (str(node.meta.get("info") or ""), str(node.meta.get("content") or ""), start, len(sections) - 1)
        )
    return fences, sections


def load(path: str, *, display, texts: dict[str, str]) -> list[Project]:
    """One project per code block that holds container commands or a compose snippet."""
    from composelint.sources.files import read_text, too_large, too_many

    shown = display(path)
    text = (texts[path] if path in texts else read_text(path)).removeprefix("\ufeff")
    host = HostFile(shown, text, _BREAKS)
    projects = [embedded_project(host, KIND, shown)]  # the file, also when no block is read
    if len(text) > MAX_MARKDOWN_BYTES:  # markdown-it's tree takes about 50 times the text
        projects[0].diagnostics.append(too_large(shown, "Markdown file", MAX_MARKDOWN_BYTES))
        return projects
    if not ("```" in text or "~~~" in text) or not any(word in text for word in (*DEFAULT_TOOLS, "services")):
        return projects
    fences, sections = _fences(text)
    image = _template_image(path, text)
    prose = functools.cache(lambda section: Prose.of("\n".join(sections[section])))
    for info, content, start, section in fences:
        fence_line = host.point(start)[0]
        if len(projects) > MAX_BLOCKS:
            projects[0].diagnostics.append(too_many(shown, fence_line, "code blocks", MAX_BLOCKS))
            break
        tag = match.group(1).lower() if (match := _TAG.match(info)) else ""
        lines = _block_lines(host, fence_line + 1, content)
        if tag in YAML_TAGS:
            if _TOP_LEVEL_SERVICES.search(content) and not _services_list(content):
                projects.append(
                    _explained(_compose_snippet(host, path, lines, image), functools.partial(prose, section))
                )
            continue
        # A console block without any prompt (docker's reference pages) is commands only.
        prompted = any(_PROMPT.match(line) for _, line in lines) if tag in CONSOLE_TAGS else False
        session = prompted or any(_DOLLAR_PROMPT.match(line) for _, line in lines)
        readable = tag in SHELL_TAGS or tag in CONSOLE_TAGS or (not tag and _starts_with_tool(lines))
        if readable and _powershell(lines):
            lines = _without_powershell(lines)
            content = "\n".join(line for _, line in lines)
        if readable and mentions_tool(content):
            project = embedded_project(host, KIND, f"{shown}:{fence_line}")
            read_snippet(project, host, _commands(lines, image) if session else _script(lines, image))
            projects.append(_explained(project, functools.partial(prose, section)))
    return projects


def _template_image(path: str, text: str) -> str | None:
    """The image a docker-library docs template documents: its folder's name (`swift/content.md`
    -> `swift`), for a `content.md` that writes `%%IMAGE%%`; else None."""
    if os.path.basename(path) != "content.md" or "%%IMAGE%%" not in text:
        return None
    return os.path.basename(os.path.dirname(os.path.abspath(path))) or None


def _add_line(snippet: Snippet, line: str, offset: int, image: str | None) -> None:
    """`line` of the host from `offset` on, each `%%IMAGE%%` or `%%REPO%%` of a template read as
    `image` (`--name some-%%REPO%%` is `some-mysql`)."""
    start = 0
    if image is not None and "%%" in line:
        for found in _TEMPLATE_NAME.finditer(line):
            snippet.add(line[start : found.start()], offset + start)
            snippet.add_over(image, offset + found.start(), offset + found.end())
            start = found.end()
    snippet.add(line[start:], offset + start)


def _explained(project: Project, prose: Callable[[], Prose]) -> Project:
    """Each workload of a block with what its section's prose names of its settings.  The prose is
    read only for a block that starts a container (1,298 of the corpus's 2,950 read blocks do not)."""
    if project.workloads:
        said = prose()
        for workload in project.workloads:
            workload.explained = said.explained(workload)
    return project


def _services_list(content: str) -> bool:
    """The block's top-level `services:` is a list: another tool's file (APISIX's declarative ADC
    configuration), not Compose's mapping of services, so not a compose snippet."""
    if not _SERVICES_THEN_ITEM.search(content):
        return False
    from composelint.sources.compose.yaml_tree import YMap, YSeq, read_yaml

    roots = read_yaml("", content).roots
    return bool(roots) and isinstance(roots[0], YMap) and isinstance(roots[0].get("services"), YSeq)


def _block_lines(host: HostFile, first_line: int, content: str) -> list[tuple[int, str]]:
    """(host offset, text) of each content line: where the line's text starts in the host (after
    the fence's indentation and any block quote or list markers markdown-it took off)."""
    lines = []
    for number, line in enumerate(content.split("\n")[:-1], start=first_line):
        if number > len(host.starts):
            break
        start, written = host.line_text(number)
        offset = start + len(written) - len(line) if written.endswith(line) else start
        lines.append((offset, line))
    return lines


def _starts_with_tool(lines: list[tuple[int, str]]) -> bool:
    first = next((line for _, line in lines if line.strip()), "")
    prompt = _DOLLAR_PROMPT.match(first)
    match = _FIRST_WORD.match(first[prompt.end() :] if prompt else first)
    return match is not None and match.group(1).rsplit("/", 1)[-1] in DEFAULT_TOOLS


def _powershell(lines: list[tuple[int, str]]) -> bool:
    """The block continues its lines with PowerShell's trailing backtick: each line with an odd
    number of backticks (one opening or closing a bash substitution) ends with a blank and one."""
    odd = [line for _, line in lines if line.count("`") % 2]
    return bool(odd) and all(_BACKTICK_CONTINUATION.search(line) for line in odd)


def _without_powershell(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The block with each command continued PowerShell's way left empty (its lines ending in a
    blank and a backtick, and the line that ends it), so the lines keep their places."""
    kept = []
    continued = False
    for offset, line in lines:
        continues = bool(_BACKTICK_CONTINUATION.search(line))
        kept.append((offset, "" if continues or continued else line))
        continued = continues
    return kept


def _script(lines: list[tuple[int, str]], image: str | None) -> Snippet:
    snippet = Snippet()
    for offset, line in lines:
        _add_line(snippet, line + "\n", offset, image)
    return snippet


def _commands(lines: list[tuple[int, str]], image: str | None) -> Snippet:
    """The command lines of a console session; an output line becomes an empty line."""
    snippet = Snippet()
    continued = False
    for offset, line in lines:
        prompt = _PROMPT.match(line)
        if continued:
            marker = _CONTINUATION.match(line)
            skip = marker.end() if marker else 0
        elif prompt:
            skip = prompt.end()
        else:
            snippet.add_at("\n", offset + len(line))
            continue
        _add_line(snippet, line[skip:] + "\n", offset + skip, image)
        continued = line.rstrip().endswith("\\")
    return snippet


def _compose_snippet(host: HostFile, path: str, lines: list[tuple[int, str]], image: str | None) -> Project:
    """The block as a compose file of its own, every position mapped back to the host (a text as
    long as the host's for each block made a file of many blocks quadratic: 400 KB took a minute)."""
    from composelint.sources.compose.project import LoadOptions, load_project

    snippet = _script(lines, image)
    text = snippet.text
    options = LoadOptions(env_files=[], validate_schema=False)
    project = load_project([path], options, display=lambda _: host.path, texts={path: text})
    spans = SpanMap(host, snippet, text)
    project = spans.remap(project)
    project.name = f"{host.path}:{host.point(lines[0][0])[0] if lines else 1}"
    project.sources = [replace(source, kind=KIND, text=host.text) for source in project.sources]
    # A block that is not YAML as written (`%%IMAGE%%` placeholders, `...`) is an excerpt, not an error.
    project.diagnostics = [spans.named_lines(d) for d in project.diagnostics if d.code != "CL001"]
    return project
