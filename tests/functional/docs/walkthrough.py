"""The docs' walkthroughs as data: the commands of their ``console`` blocks.

The convention, for every ``docs/*.md`` that has a walkthrough:

- A fenced block ```` ```console ```` runs: each line starting with ``$ ``
  is a command (a line ending in ``\\`` continues it on the next line); the
  lines that follow a command, up to the next one, are key lines of its
  output; a line starting with ``#`` is a comment.  In an output line,
  ``...`` stands for anything and runs of blanks match any blanks; each key
  line must be found, in order, in what the command printed.
- ``<!-- walkthrough: skip (reason) -->`` on the line before a block: never
  run (it installs packages, needs two hosts, starts the API the test has
  already started ...).
- ``<!-- walkthrough: root (reason) -->``: run only as root (stand-in
  instances, ``ip netns exec``); without root it is skipped, since the dry
  run has no kernel state to show.
- Every other shell block (``sh``, ``bash``, ``shell`` or no language) must
  carry a skip marker, so a command is never shown that no test runs.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

SHELL_LANGUAGES = {"", "sh", "bash", "shell"}
FENCE = re.compile(r"^```\s*(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*walkthrough:\s*(skip|root)\s*\((.+)\)\s*-->\s*$")
ELLIPSIS = "..."


@dataclasses.dataclass
class Command:
    """One ``$ `` command of a console block and the key lines of its output."""

    text: str
    line: int
    expected: list[str] = dataclasses.field(default_factory=list)

    def rerunnable(self) -> bool:
        """A read (a GET, a ``list``): safe to run again while waiting for its output."""
        if "=$(" in self.text:
            return False
        if self.text.split()[0].endswith("curl"):
            return " -X " not in self.text and " -d " not in self.text
        return " list" in self.text

    def missing(self, output: str) -> str | None:
        """The first key line not found in ``output`` (in order), or None."""
        lines = [_blanks(line) for line in output.splitlines()]
        at = 0
        for want in self.expected:
            parts = [_blanks(part) for part in want.split(ELLIPSIS) if part.strip()]
            found = next((i for i in range(at, len(lines)) if _in_order(parts, lines[i])), None)
            if found is None:
                return want
            at = found
        return None


@dataclasses.dataclass
class Block:
    """A fenced block of one doc: its language, marker and commands."""

    doc: str
    line: int
    language: str
    marker: str | None = None
    reason: str | None = None
    body: list[str] = dataclasses.field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    def commands(self) -> list[Command]:
        found: list[Command] = []
        continued: Command | None = None
        for offset, raw in enumerate(self.body, start=self.line + 1):
            line = raw.rstrip()
            if continued is not None:
                continued.text = continued.text[:-1].rstrip() + " " + line.strip()
                if not line.endswith("\\"):
                    continued = None
                continue
            if line.startswith("$ "):
                found.append(Command(line[2:].strip(), offset))
                if line.endswith("\\"):
                    continued = found[-1]
            elif line.strip() and not line.lstrip().startswith("#"):
                if not found:
                    raise ValueError(f"{self.doc}:{offset}: output before any '$ ' command")
                found[-1].expected.append(line.strip())
        return found


def blocks(path: Path) -> list[Block]:
    """Every fenced block of the doc at ``path``, with the marker before it."""
    found: list[Block] = []
    current: Block | None = None
    previous = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = FENCE.match(line)
        if current is not None:
            if fence and not fence.group(1):
                found.append(current)
                current = None
            else:
                current.body.append(line)
            continue
        if fence:
            marker = MARKER.match(previous)
            current = Block(path.name, number, fence.group(1))
            if marker:
                current.marker, current.reason = marker.group(1), marker.group(2).strip()
            elif previous.startswith("<!-- walkthrough"):
                raise ValueError(f"{path.name}:{number - 1}: bad marker {previous!r}")
        if line.strip():
            previous = line.strip()
    if current is not None:
        raise ValueError(f"{path.name}:{current.line}: unclosed block")
    return found


def unrun(block: Block) -> bool:
    """A shell block that would show commands nothing runs."""
    return block.language in SHELL_LANGUAGES and block.marker != "skip"


def _blanks(text: str) -> str:
    return " ".join(text.split())


def _in_order(parts: list[str], line: str) -> bool:
    at = 0
    for part in parts:
        found = line.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True
