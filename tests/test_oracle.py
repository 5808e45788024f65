"""ExifTool is the reference: every date it reports in EXIF, XMP, IPTC, PNG,
PDF, QuickTime and ZIP groups is the local time of one of our events."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import forensics
from tests.oracle import compare

from .extractors.util import CORPUS

GOAL = 0.98


def _report(name: str, total: int, misses: list) -> float:  # type: ignore[type-arg]
    share = 1 - len(misses) / total if total else 1.0
    print(f"{name}: {total} dates, {len(misses)} missed, agreement {share:.3f}")
    for miss in misses:
        print(f"    missed {miss.path}: {miss.tag} = {miss.value}")
    return share


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_samples_against_live_exiftool(dump_copy: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        ["exiftool", "-j", "-G1", "-n", "-a", "-u", "-r", "-ext", "*", "."],
        cwd=dump_copy,
        capture_output=True,
        text=True,
        check=False,
    )
    truth = json.loads(out.stdout)
    case = forensics.scan(dump_copy, tmp_path / "case", ocr=False, executor="serial")
    total, misses = compare(
        truth, case.events, {str(e["SourceFile"]): str(e["SourceFile"])[2:] for e in truth}
    )
    assert total > 50
    assert _report("samples", total, misses) >= GOAL


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
@pytest.mark.parametrize("name", ["exif-samples", "pillow", "psd-tools"])
def test_real_corpus(name: str, tmp_path: Path) -> None:
    truth = json.loads((CORPUS / "exiftool-truth" / f"{name}.json").read_text())
    case = forensics.scan(CORPUS / name, tmp_path / "case", ocr=False, jobs=2)
    path_of = {str(e["SourceFile"]): str(e["SourceFile"]).split("/", 1)[1] for e in truth}
    total, misses = compare(truth, case.events, path_of)
    assert total > 200
    assert _report(name, total, misses) >= GOAL
    # every file ExifTool saw is in the case, crash files included
    assert set(path_of.values()) <= set(case.files["path"])
