"""The README's reference section, generated from `--help`, and the examples of README and --help.

`python -m tests.readme --write` regenerates the reference in README.md; tests/test_readme.py
fails when it has drifted from the commands, and runs every example on the seeds.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- reference: start -->", "<!-- reference: end -->"
# Help is rendered as on a 100-column terminal of a user whose config file is not made yet.
HELP_WIDTH = 100
HELP_ENV = {"HOME": "/home/you", "SEARCHER_CONFIG": None, "XDG_CONFIG_HOME": None, "SEARCHER_INDEX": None}
FENCE = "```"


def commands() -> list[list[str]]:
    """The group, then each command, as argument lists: [], ["index"], ..."""
    from searcher.cli import cli

    return [[], *([name] for name in cli.commands)]


def help_text(command: list[str]) -> str:
    from searcher.cli import cli

    result = CliRunner().invoke(
        cli, [*command, "--help"], prog_name="searcher", env=HELP_ENV, terminal_width=HELP_WIDTH
    )
    if result.exit_code != 0:
        raise RuntimeError(f"searcher {' '.join(command)} --help failed: {result.output}")
    return result.stdout


def reference() -> str:
    """The reference section's body: each command's --help in a text block."""
    parts = []
    for command in commands():
        name = " ".join(["searcher", *command])
        parts += [f"### `{name}`", "", FENCE + "text", help_text(command).rstrip(), FENCE, ""]
    return "\n".join(parts)


def readme_reference(text: str) -> str:
    """The reference as the README holds it now."""
    return text.split(START, 1)[1].split(END, 1)[0].strip("\n")


def with_reference(text: str) -> str:
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    return f"{before}{START}\n{reference()}\n{END}{after}"


def readme_examples(text: str) -> list[str]:
    """The command lines of the README's bash blocks that run searcher."""
    examples, in_block = [], False
    for line in text.splitlines():
        if line.startswith(FENCE):
            in_block = line.strip() == FENCE + "bash"
            continue
        if in_block and re.search(r"(^|[|&] )searcher ", line):
            examples.append(line.strip())
    return examples


def help_examples() -> list[str]:
    """The lines under "Example:" in every command's --help."""
    examples = []
    for command in commands():
        lines = help_text(command).splitlines()
        if "  Example:" not in lines:
            continue
        for line in lines[lines.index("  Example:") + 1 :]:
            if not line.startswith("    "):
                break
            examples.append(line.strip())
    return examples


def searcher_parts(example: str) -> tuple[list[str], str | None]:
    """An example's searcher arguments, and what a printf before it pipes in (None: nothing)."""
    tokens = shlex.split(example, comments=True)
    segments, current = [], []
    for token in tokens:
        if token in ("|", "&&", ">", ">>"):
            segments.append(current)
            current = []
        else:
            current.append(token)
    segments.append(current)
    piped = None
    for i, segment in enumerate(segments):
        if segment and segment[0] == "searcher":
            before = segments[i - 1] if i else []
            if before and before[0] == "printf":
                piped = before[1].encode().decode("unicode_escape")
            return segment[1:], piped
    raise ValueError(f"no searcher command in {example!r}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.readme --write")
    README.write_text(with_reference(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote the reference into {README}")
