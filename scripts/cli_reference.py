#!/usr/bin/env python3
"""Write the README's CLI reference from the commands' own --help, or check
that it is up to date (`--check`, used by the tests), so it never drifts."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from forensics.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def reference() -> str:
    runner = CliRunner()
    parts = []
    for name in ["", *sorted(main.commands)]:
        args = [name, "--help"] if name else ["--help"]
        result = runner.invoke(main, args, terminal_width=100, prog_name="forensics")
        title = f"forensics {name}".strip()
        parts.append(f"### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


def render(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{reference()}{END}{tail}"


def main_cli() -> int:
    text = README.read_text()
    if START not in text:
        print("README has no CLI reference markers", file=sys.stderr)
        return 1
    new = render(text)
    if "--check" in sys.argv:
        if new != text:
            print("README's CLI reference is stale: run scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main_cli())
