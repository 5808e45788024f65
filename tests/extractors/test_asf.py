"""WMV / WMA: the ASF header object."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from forensics.errors import NotMyFormat
from forensics.events import events_for
from forensics.extractors.asf import AsfExtractor, AsfRecord
from forensics.extractors.base import Context
from forensics.records import FileRef

from .util import SAMPLES, TRUTH, extract, sample_bytes

EX = AsfExtractor()
URL = next(u for u in TRUTH if u.endswith(".wmv"))
REAL = Path(__file__).resolve().parent.parent / "data" / "exiftool" / "ASF.wmv"


def test_the_sample_animatic() -> None:
    [rec] = extract(EX, sample_bytes(URL))
    assert isinstance(rec, AsfRecord)
    want = dt.datetime.fromisoformat(TRUTH[URL]["timestamps"]["ASF CreationDate"])
    assert rec.created == want and rec.duration_seconds == 12.0
    assert (rec.title, rec.author, rec.tool) == (
        "INV S03 EP05 animatic v01",
        "박지훈",
        "Windows Movie Maker 6.0",
    )
    assert [e.zone_basis for e in events_for([rec])] == ["utc"]


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="no exiftool")
@pytest.mark.parametrize("path", [SAMPLES / "dump" / URL, REAL], ids=["sample", "Photo Story"])
def test_exiftool_reads_the_same_creation_date_and_tool(path: Path) -> None:
    out = subprocess.run(
        ["exiftool", "-j", "-ASF:all", str(path)], capture_output=True, text=True, check=True
    )
    said = json.loads(out.stdout)[0]
    [rec] = extract(EX, path.read_bytes())
    assert isinstance(rec, AsfRecord) and rec.created is not None
    assert said["CreationDate"] == rec.created.strftime("%Y:%m:%d %H:%M:%SZ")
    assert said["ToolName"] == rec.tool


def test_not_asf_cut_and_lying() -> None:
    data = sample_bytes(URL)
    with pytest.raises(NotMyFormat):
        extract(EX, b"\x00" * 64)

    def read(data: bytes) -> tuple[list[AsfRecord], list[str]]:
        ctx = Context()
        out = list(EX.extract(FileRef(url="a.wmv", path=None), io.BytesIO(data), ctx))
        return [r for r in out if isinstance(r, AsfRecord)], [p.kind for p in ctx.problems]

    # cut inside the Content Description: the File Properties are still read
    at = data.index(bytes.fromhex("3326b2758e66cf11a6d900aa0062ce6c"))
    [rec], problems = read(data[: at + 30])
    assert rec.created is not None and rec.title is None
    assert problems == ["truncated", "corrupt"]
    lying = bytearray(data)
    lying[at + 16 : at + 24] = struct.pack("<Q", 1 << 40)
    [rec], problems = read(bytes(lying))
    assert rec.created is not None and problems == ["corrupt"]
