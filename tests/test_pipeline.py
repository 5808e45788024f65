"""The worker: one-pass hashes, content type from bytes, never raises."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from forensics.errors import CorruptInput
from forensics.extractors.base import Context, Extractor, ExtractorDoc
from forensics.pipeline import extract_one
from forensics.records import FileRef, Note, Record

from .conftest import SAMPLES

PNG = SAMPLES / "dump" / "misc" / "really_a_png.jpg"  # PNG bytes under a .jpg name


def test_hashes_and_type_from_bytes(tmp_path: Path) -> None:
    data = PNG.read_bytes()
    f = tmp_path / "sheet.jpg"  # a PNG named .jpg
    f.write_bytes(data)
    res = extract_one(FileRef(url="sheet.jpg", path=str(f)))
    assert res.hashes is not None
    assert res.hashes.md5 == hashlib.md5(data).hexdigest()
    assert res.hashes.sha1 == hashlib.sha1(data).hexdigest()
    assert res.hashes.sha256 == hashlib.sha256(data).hexdigest()
    assert res.mime == "image/png" and res.ext_mismatch and res.size == len(data)
    ok = extract_one(FileRef(url="sheet.png", path=str(PNG)))
    assert ok.mime == "image/png" and not ok.ext_mismatch
    kinds = [r.KIND for r in ok.records]
    assert kinds[0] == "filesystem" and "png" in kinds and "png_text" in kinds


def test_unreadable_and_missing_become_problems(tmp_path: Path) -> None:
    res = extract_one(FileRef(url="gone", path=str(tmp_path / "gone")))
    assert {p.kind for p in res.problems} >= {"unreadable"}
    assert res.hashes is None


class _Crashy(Extractor):
    name = "crashy"
    version = "0"
    doc = ExtractorDoc(summary="test", reads="nothing")

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return True

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        yield Note(text="partial", origin="cell")
        if stream.read(1) == b"C":
            raise CorruptInput("cut short")
        raise ZeroDivisionError("bug")


def test_extractor_failures_are_problems_and_partial_data_is_kept() -> None:
    crash = extract_one(FileRef(url="x", path=None, payload=b"xyz"), (_Crashy(),))
    [problem] = crash.problems
    assert (problem.severity, problem.extractor, problem.kind) == ("error", "crashy", "error")
    assert problem.message.startswith("ZeroDivisionError: bug") and "Traceback" in problem.message
    corrupt = extract_one(FileRef(url="x", path=None, payload=b"Cut"), (_Crashy(),))
    assert corrupt.notes[0].text == "partial"
    assert corrupt.problems[0].kind == "corrupt"


def test_member_payload_and_refused_member() -> None:
    res = extract_one(FileRef(url="a.zip!/b.txt", path=None, container=("a.zip",), payload=b"hi\n"))
    assert res.hashes and res.hashes.sha256 == hashlib.sha256(b"hi\n").hexdigest()
    refused = extract_one(FileRef(url="a.zip!/bomb", path=None, container=("a.zip",), size=10**9))
    assert refused.hashes is None and refused.size == 10**9
    assert {p.kind for p in refused.problems} == set()  # the source's flags say why, not the worker
