"""The README's CLI reference is the commands' own --help, never stale."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_cli_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text()
    for command in (
        "scan",
        "timeline",
        "changes",
        "zones",
        "export",
        "report",
        "assume-tz",
        "extractors",
        "verify",
    ):
        assert f"### `forensics {command}`" in readme
        assert "Example:" in readme.split(f"### `forensics {command}`")[1].split("### ")[0]


def test_errors_are_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "case"
    bad.mkdir()
    (bad / "case.sqlite").write_text("not a database")
    result = subprocess.run(
        [sys.executable, "-m", "forensics.cli", "timeline", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    debug = subprocess.run(
        [sys.executable, "-m", "forensics.cli", "--debug", "timeline", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" in debug.stderr


def test_every_public_name_has_a_docstring() -> None:
    import forensics
    from forensics.analysis.case import Case

    missing = [
        n for n in forensics.__all__ if n != "__version__" and not getattr(forensics, n).__doc__
    ]
    for name in dir(Case):
        if name.startswith("_"):
            continue
        attr = getattr(Case, name)
        doc = attr.fget.__doc__ if isinstance(attr, property) else getattr(attr, "__doc__", None)
        if not doc:
            missing.append(f"Case.{name}")
    assert not missing, missing
    assert set(forensics.__all__) <= set(dir(forensics))
