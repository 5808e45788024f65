"""Production codes from paths: each pattern, stage words, blanks stay blank."""

from __future__ import annotations

from pathlib import Path

import pytest

from forensics.analysis.production import drawing_key, load_patterns, parse


@pytest.mark.parametrize(
    "path,want",
    [
        (
            "INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v02.jpg",
            {
                "show": "INV",
                "season": "3",
                "episode": "5",
                "scene": "12",
                "cut": "3",
                "stage": "layout",
                "version": "2",
            },
        ),
        (
            "up.zip!/KMR/EP12/KEY/KMR_S01_EP12_SC001_C248_KEY_v04.jpg",
            {"show": "KMR", "episode": "12", "cut": "248", "stage": "key", "version": "4"},
        ),
        ("show/S03E05/cut.png", {"season": "3", "episode": "5"}),
        (
            "INV/ep05/sc012/c003/layout_v2.psd",
            {"episode": "5", "scene": "12", "cut": "3", "stage": "layout", "version": "2"},
        ),
        ("exports/A_0001.jpg", {"cut": "1"}),
        ("exports/A1_en.jpg", {"cut": "1"}),
        ("A_0001_e.jpg", {"cut": "1", "correction": "episode director"}),
        ("INV_S03_EP05_SC012_C003_LO_v02_ss.jpg", {"correction": "chief animation director"}),
        ("A_0002_k.png", {"correction": "director"}),
        ("A_0002_s.png", {"correction": "animation director"}),
        ("作画/原画/C003_t2.png", {"stage": "key", "cut": "3", "take": "2"}),
        ("EP06/动画/scan_01.jpg", {"stage": "inbetween", "episode": "6"}),
        ("EP06/작감/x.jpg", {"stage": "correction"}),
        ("EP06/원화/x.jpg", {"stage": "key"}),
        ("EP06/修正/x.jpg", {"stage": "correction"}),
    ],
)
def test_patterns(path: str, want: dict[str, str]) -> None:
    got = parse(path)
    for key, value in want.items():
        assert got[key] == value, (key, got)


def test_unparsed_stays_blank() -> None:
    got = parse("misc/scan_0001.png")
    assert all(v is None for v in got.values())
    assert drawing_key(got) is None
    a = parse("INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v02.jpg")
    b = parse("up.zip!/INV/EP05/LO/INV_S03_EP05_SC012_C003_LO_v05.jpg")
    assert drawing_key(a) == drawing_key(b) is not None


def test_patterns_are_data(tmp_path: Path) -> None:
    custom = tmp_path / "production.toml"
    custom.write_text(
        "[[pattern]]\nname = 'studio'\nregex = 'CUT(?P<cut>\\d+)'\n[stages]\nkey = ['GENGA']\n"
    )
    patterns = load_patterns(custom)
    got = parse("EP1/GENGA/CUT77.tga", patterns)
    assert got["cut"] == "77" and got["stage"] == "key" and got["episode"] is None
