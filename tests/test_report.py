"""The HTML report: one offline file with the main figures and charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import forensics
from forensics.records import ANNOTATION_ORIGINS

from .conftest import SAMPLES


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, scanned_samples: Path) -> tuple[Path, object]:
    case = forensics.open_case(scanned_samples / "case")
    tmp = tmp_path_factory.mktemp("report")
    return forensics.write_report(case, tmp / "report.html"), case


def test_report_is_self_contained_with_its_figures(report: tuple[Path, object]) -> None:
    path, case = report
    text = path.read_text()
    assert not re.search(r"""(src|href)=['"]?https?://""", text)  # nothing fetched
    assert "<script" not in text
    for section in (
        "Findings",
        "Overview",
        "People, machines and software",
        "Daily volume",
        "Note languages",
        "Activity by hour",
        "Time zone candidates",
        "Most corrected sheets",
        "Revisions",
        "Changes between observations",
        "Problems by kind",
        "Problems and their files",
        "Custody",
    ):
        assert section in text, section
    # the findings quote the same figures as the views and the truth
    findings = text[text.index("<h2>Findings") : text.index("<h2>Overview")]
    truth = pd.read_csv(SAMPLES / "expected" / "daily.csv")
    assert f"{truth['files'].sum()} content files" in findings
    assert f"{truth['revisions'].sum()} revisions" in findings
    assert "UTC+09:00" in findings and "김지수" in findings and "studio-pc07" in findings
    assert "hostile/bomb.zip!/zeros.bin" in text  # problems list their files
    # from a bar to its files: the redraw under a new name, under its day, as a revision
    day = text[text.index("<summary>2024-04-12") :]
    assert "retakes/retake_0412.jpg <span class=small>drawing, revision" in day[:4000]
    assert text.count("<svg") == 6
    # the first chart: drawings and the notes written on them per day, by language
    first = text[text.index("<h2>Drawings and notes per day") :]
    first = first[: first.index("</svg>")]
    notes = case.notes  # type: ignore[attr-defined]
    written = notes[notes["origin"].isin(ANNOTATION_ORIGINS)]
    for lang in set(written["lang"]):
        assert f">{lang} notes</text>" in first, lang
    assert text.index("<h2>Drawings and notes per day") < text.index("<h2>Daily volume")
    assert f"The {len(written)} notes written on the files" in text and len(written) < len(notes)
    assert "INV layout" in text and "KMR key" in text  # the show and stage bars
    assert text.count("data:image/png;base64,") >= 10  # the gallery's sheets
    files = case.files  # type: ignore[attr-defined]
    present = len(files[files["status"] != "gone"])
    assert f"<td>{present} files, links and folders: " in text
    assert "UTC+09:00" in text and case.manifest["case_sha256"] in text  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_report_renders_in_headless_chromium(report: tuple[Path, object], tmp_path: Path) -> None:
    path, _case = report
    shot = tmp_path / "report.png"
    result = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1280,2000",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shot.exists() and shot.stat().st_size > 10_000
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "rror" in line], console


def test_pairs_have_ids_unique_in_the_case(report: tuple[Path, object]) -> None:
    _path, case = report
    notes = case.notes  # type: ignore[attr-defined]
    assert str(notes["pair"].dtype) == "Int64"
    paired = notes.dropna(subset=["pair"])
    assert len(paired) and (paired.groupby("pair").size() == 2).all()  # a Chinese note, its Korean
    assert (paired.groupby("pair")["path"].nunique() == 1).all()
