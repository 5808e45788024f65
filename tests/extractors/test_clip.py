"""CLIP STUDIO .clip: the chunk container and its SQLite database."""

from __future__ import annotations

import sqlite3
import struct

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.clip import ClipExtractor, ClipRecord
from forensics.records import Note

from .util import TRUTH, extract, sample_bytes

EX = ClipExtractor()
URL = next(u for u in TRUTH if u.endswith(".clip"))


def test_sample_canvas_layers_and_preview() -> None:
    items = extract(EX, sample_bytes(URL))
    [rec] = [r for r in items if isinstance(r, ClipRecord)]
    assert rec.chunks == ("CHNKHead", "CHNKExta", "CHNKSQLi", "CHNKFoot")
    assert (rec.canvas_width, rec.canvas_height, rec.resolution) == (1000, 707, 350.0)
    assert rec.layer_names == ("用紙", "線画", "수정", "影指定")
    assert rec.preview_size == (200, 141) and rec.preview_bytes > 100
    assert [n.text for n in items if isinstance(n, Note)] == list(rec.layer_names)


def test_broken_containers() -> None:
    data = sample_bytes(URL)
    with pytest.raises(NotMyFormat):
        extract(EX, b"PK" + data[2:])
    with pytest.raises(CorruptInput):
        extract(EX, data[: len(data) // 2])
    sqli = data.index(b"CHNKSQLi")
    size = struct.unpack(">Q", data[sqli + 8 : sqli + 16])[0]
    garbage = data[: sqli + 16] + bytes(size) + data[sqli + 16 + size :]
    with pytest.raises(CorruptInput, match="SQLite"):
        extract(EX, garbage)


def _clip(script: str, *rows: tuple[str, tuple[object, ...]]) -> bytes:
    con = sqlite3.connect(":memory:")
    con.executescript(script)
    for sql, values in rows:
        con.execute(sql, values)
    con.commit()
    db = con.serialize()
    con.close()
    body = b"CHNKSQLi" + struct.pack(">Q", len(db)) + db
    return b"CSFCHUNK" + struct.pack(">QQ", 24 + len(body), 24) + body


def test_the_project_its_template_and_the_comic_storys_author() -> None:
    """As CLIP STUDIO PAINT 1.x writes them: the Project table names the
    page template the file was made from (and where it was installed); a
    comic story's author is an entity."""
    data = _clip(
        "CREATE TABLE Project (_PW_ID INTEGER PRIMARY KEY, ProjectInternalVersion TEXT,"
        " ProjectName TEXT, DefaultPageTemplatePath TEXT, DefaultPageTemplateName TEXT,"
        " DefaultPageIsUserTemplate INTEGER, DefaultPageCelTemplatePath TEXT);"
        "CREATE TABLE Canvas (_PW_ID INTEGER PRIMARY KEY, CanvasWidth REAL, CanvasHeight REAL,"
        " ComicStoryStoryName TEXT, ComicStoryAuthorName TEXT, ComicStoryAuthorPosition INTEGER,"
        " ComicStoryNombreFontPostScriptName TEXT, Thumbnail BLOB);",
        (
            "INSERT INTO Project VALUES (1, '1.1.0', '5', ?, ?, 1, '')",
            (".\\Install\\Paint004\\cc6941c163", "4コマ2本タイトルあり"),
        ),
        (
            "INSERT INTO Canvas VALUES (1, 905, 500, ?, ?, 2, 'MS-PGothic', ?)",
            ("KMR EP12", "이수진", b"\x00\x01"),
        ),
    )
    [rec] = [r for r in extract(EX, data) if isinstance(r, ClipRecord)]
    assert (rec.canvas_width, rec.canvas_height) == (905, 500)
    assert (rec.template, rec.author) == ("4コマ2本タイトルあり", "이수진")
    assert rec.project == {
        "ProjectInternalVersion": "1.1.0",
        "ProjectName": "5",
        "DefaultPageTemplatePath": ".\\Install\\Paint004\\cc6941c163",
        "DefaultPageTemplateName": "4コマ2本タイトルあり",
        "DefaultPageIsUserTemplate": "1",
        "ComicStoryStoryName": "KMR EP12",
        "ComicStoryAuthorName": "이수진",
        "ComicStoryAuthorPosition": "2",
        "ComicStoryNombreFontPostScriptName": "MS-PGothic",
    }
