"""Who the files name: every by-line, author, creator and software name
ExifTool reports for the samples is an entity row of the file, the roles
come from declared fields only, and the timeline groups by them."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import forensics
from forensics.analysis.entities import from_path

# ExifTool's tags that name a person or software, and the roles we give them
TAGS = {
    "By-line": {"byline"},
    "Creator": {"author", "creator", "software"},  # XMP dc:creator, office, PDF Creator
    "LastModifiedBy": {"last_modified_by"},
    "Software": {"software"},
    "CreatorTool": {"software"},
    "HistorySoftwareAgent": {"software"},
    "Author": {"author"},
    "Producer": {"software"},
    "Artist": {"author"},
    "HostComputer": {"host"},
}


def _exiftool(dump: Path, tmp: Path) -> dict[str, dict[str, list[str]]]:
    """ExifTool's names per case path: loose files, and the upload zips'
    members unpacked (ExifTool does not read inside zips)."""
    unpacked = tmp / "unpacked"
    where: dict[str, str] = {}
    for archive in sorted((dump / "uploads").glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                if name.endswith(".tar.gz"):
                    continue
                target = unpacked / archive.stem / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(zf.read(name))
                where[str(target)] = f"uploads/{archive.name}!/{name}"
    for path in dump.rglob("*"):
        if path.is_file() and not path.is_symlink() and "uploads" not in path.parts:
            where[str(path)] = path.relative_to(dump).as_posix()
    args = ["exiftool", "-j", "-q", "-q", *(f"-{t}" for t in TAGS), *sorted(where)]
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    found: dict[str, dict[str, list[str]]] = {}
    for row in json.loads(out or "[]"):
        url = where[row.pop("SourceFile")]
        for tag, value in row.items():
            values = value if isinstance(value, list) else [value]
            found.setdefault(url, {})[tag] = [str(v) for v in values]
    return found


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="no exiftool")
def test_every_name_exiftool_reports_is_an_entity(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    ours = case.entities
    theirs = _exiftool(dump_copy, tmp_path)
    checked = 0
    for url, tags in theirs.items():
        mine = ours[ours["path"] == url]
        for tag, values in tags.items():
            for value in values:
                rows = mine[mine["value"] == value.strip()]
                assert len(rows), f"{url}: ExifTool's {tag} {value!r} is not an entity"
                assert set(rows["role"]) & TAGS[tag], (url, tag, set(rows["role"]))
                checked += 1
    assert checked > 100  # by-lines, Photoshop, CLIP STUDIO, InDesign, Bridge...
    # what ExifTool does not see: the work logs' creator and last-modified-by
    logs = ours[ours["path"].str.endswith(".xlsx") & (ours["role"] == "last_modified_by")]
    assert set(logs["value"]) == {"studio-pc07"}
    assert {"김지수", "王芳"} <= set(ours[ours["role"] == "byline"]["value"])
    # every row names its field, and the field is one its record declares
    assert not ours["field"].isna().any() and not ours["extractor"].isna().any()


def test_timeline_groups_by_a_role_without_counting_twice(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(dump_copy, tmp_path / "case", executor="serial", ocr=False)
    total = case.timeline(tz="+09:00")["files"].sum()
    by = case.timeline(tz="+09:00", by="byline")
    assert by["files"].sum() == total
    named = by[by["byline"] != ""]
    assert named["files"].sum() == len(set(case.entities.query("role == 'byline'")["path"]))
    summary = case.entity_summary()
    row = summary[(summary["role"] == "last_modified_by") & (summary["value"] == "studio-pc07")]
    logs = case.files[case.files["path"].str.endswith(".xlsx")]
    assert int(row["files"].iloc[0]) == len(logs)  # one work log a working day, all by it
    assert str(row["first_seen"].iloc[0]).startswith("2024-04-01")


def test_user_and_host_names_come_out_of_embedded_paths_only() -> None:
    assert list(from_path(r"C:\Users\kim.jisu\Desktop\EP05\cut012.psd")) == [("user", "kim.jisu")]
    assert list(from_path("/Users/wang/Documents/x.clip")) == [("user", "wang")]
    assert list(from_path("/home/lee/work/a.psd")) == [("user", "lee")]
    assert list(from_path(r"\\STUDIO-PC07\share\EP05\a.psd")) == [("host", "STUDIO-PC07")]
    assert list(from_path(r"C:\Users\Public\Pictures\a.jpg")) == []  # not a person
    assert list(from_path("EP05/KEY/Users guide.txt")) == []


def test_png_author_keyword_is_an_entity_and_a_comment_is_not(tmp_path: Path) -> None:
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Park Minji <minji@example.com>")
    info.add_text("Comment", "checked by Kim")
    Image.new("RGB", (8, 8), "white").save(tmp_path / "a.png", pnginfo=info)
    (tmp_path / "src").mkdir()
    shutil.move(tmp_path / "a.png", tmp_path / "src" / "a.png")
    case = forensics.scan(tmp_path / "src", tmp_path / "case", executor="serial", ocr=False)
    got = set(zip(case.entities["role"], case.entities["value"], strict=True))
    assert ("author", "Park Minji <minji@example.com>") in got
    assert ("email", "minji@example.com") in got
    assert not any("Kim" in value for _role, value in got)


def test_a_name_written_decomposed_is_the_same_name() -> None:
    """A Mac writes a path's kana decomposed (NFD): the user it names is the
    one a Windows disk names composed."""
    import unicodedata

    from forensics.analysis.entities import entities_of
    from forensics.extractors.animate import AnimateItemRecord

    mac = unicodedata.normalize("NFD", "/Users/ゲーム班/Desktop/しかお.png")
    assert mac != unicodedata.normalize("NFC", mac)
    found = list(entities_of(AnimateItemRecord, {"source_path": mac}))
    assert found == [("user", "ゲーム班", "source_path")]
