"""Sources: folders, files and archives (recursively, in memory, within
limits); hostile members become problems and nothing lands on disk."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from forensics.sources import Limits, iter_refs


def _zip(members: dict[str, bytes], level: int = 6) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _tar(members: dict[str, bytes], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1712000000
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _snapshot(*roots: Path) -> set[str]:
    return {str(p) for root in roots for p in root.rglob("*")}


def test_folder_order_is_stable_and_recursive(tmp_path: Path) -> None:
    for name in ("b/2.txt", "a/1.txt", "c.txt", "a/z/9.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    urls = [r.url for r in iter_refs(tmp_path)]
    assert urls == ["a/1.txt", "a/z/9.txt", "b/2.txt", "c.txt"]


def test_single_file_source(tmp_path: Path) -> None:
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8\xff")
    [ref] = iter_refs(tmp_path / "x.jpg")
    assert ref.url == "x.jpg" and ref.path == str(tmp_path / "x.jpg")


def test_nested_archives_are_read_in_memory(tmp_path: Path) -> None:
    inner_tar = gzip.compress(_tar({"EP06/c1.jpg": b"one", "EP06/c2.jpg": b"two"}), mtime=0)
    outer = _zip({"INV/EP05/x.jpg": b"jpeg", "resend/EP06.tar.gz": inner_tar})
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "2024-04-01.zip").write_bytes(outer)
    before = _snapshot(tmp_path)
    refs = {r.url: r for r in iter_refs(tmp_path)}
    assert set(refs) == {
        "uploads/2024-04-01.zip",
        "uploads/2024-04-01.zip!/INV/EP05/x.jpg",
        "uploads/2024-04-01.zip!/resend/EP06.tar.gz",
        "uploads/2024-04-01.zip!/resend/EP06.tar.gz!/EP06/c1.jpg",
        "uploads/2024-04-01.zip!/resend/EP06.tar.gz!/EP06/c2.jpg",
    }
    deep = refs["uploads/2024-04-01.zip!/resend/EP06.tar.gz!/EP06/c2.jpg"]
    assert deep.payload == b"two"
    assert deep.container == (
        "uploads/2024-04-01.zip",
        "uploads/2024-04-01.zip!/resend/EP06.tar.gz",
    )
    assert deep.entry is not None and deep.entry.tar_mtime == 1712000000
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "mode,compress",
    [
        ("w", lambda b: b),
        ("w", gzip.compress),
        ("w", bz2.compress),
        ("w", lzma.compress),
    ],
)
def test_tar_flavours(tmp_path: Path, mode: str, compress) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.tar").write_bytes(compress(_tar({"x.txt": b"hello"}, mode)))
    urls = [r.url for r in iter_refs(tmp_path)]
    assert urls == ["a.tar!/x.txt", "a.tar"]


def test_single_compressed_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(b"hello", mtime=1712000000))
    refs = list(iter_refs(tmp_path))
    assert [r.url for r in refs] == ["notes.txt.gz!/notes.txt", "notes.txt.gz"]
    assert refs[0].payload == b"hello" and refs[0].entry.stream_mtime == 1712000000  # type: ignore[union-attr]


def _workbook(path: Path) -> Path:
    """A workbook as openpyxl writes it (not as we would)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "작화 수정"
    wb.save(path)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_office_files_are_documents_not_folders(tmp_path: Path) -> None:
    _workbook(tmp_path / "log.xlsx")
    assert [r.url for r in iter_refs(tmp_path)] == ["log.xlsx"]


def test_a_content_types_member_alone_does_not_hide_a_zip(tmp_path: Path) -> None:
    fake = {"[Content_Types].xml": b"<x/>", "mimetype": b"text/plain", "cut_001.jpg": b"x"}
    (tmp_path / "upload.zip").write_bytes(_zip(fake))
    assert sorted(r.url for r in iter_refs(tmp_path)) == sorted(
        ["upload.zip", *(f"upload.zip!/{n}" for n in fake)]
    )


def test_a_document_that_also_carries_files_lists_them(tmp_path: Path) -> None:
    real = _workbook(tmp_path / "made.xlsx")
    members = {**_members(real), "smuggled/notes.txt": b"hidden in a workbook\n"}
    real.unlink()
    (tmp_path / "log.xlsx").write_bytes(_zip(members))
    assert [r.url for r in iter_refs(tmp_path)] == ["log.xlsx!/smuggled/notes.txt", "log.xlsx"]


def test_traversal_names_are_flagged_and_never_written(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "evil.zip").write_bytes(_zip({"../../escape.txt": b"x", "/abs.txt": b"y"}))
    (src / "evil.tar").write_bytes(_tar({"../../../tar_escape.txt": b"z"}))
    before = _snapshot(tmp_path, Path.cwd())
    refs = {r.url: r for r in iter_refs(src)}
    assert _snapshot(tmp_path, Path.cwd()) == before
    for url in (
        "evil.zip!/../../escape.txt",
        "evil.zip!//abs.txt",
        "evil.tar!/../../../tar_escape.txt",
    ):
        assert [p.kind for p in refs[url].flags] == ["suspicious_name"], url
    assert not (tmp_path / "escape.txt").exists() and not Path("/abs.txt").exists()


def test_ratio_bomb_is_refused_not_inflated(tmp_path: Path) -> None:
    (tmp_path / "bomb.zip").write_bytes(_zip({"zeros": bytes(32 * 1024 * 1024)}, level=9))
    [member, archive] = iter_refs(tmp_path, Limits(max_ratio=100))
    assert member.payload is None
    assert [p.kind for p in member.flags] == ["limit_exceeded"]
    assert "ratio" in member.flags[0].message
    assert archive.url == "bomb.zip"


def test_lying_sizes_are_caught_while_inflating(tmp_path: Path) -> None:
    data = bytearray(_zip({"zeros": bytes(8 * 1024 * 1024)}, level=9))
    # Declare a tiny uncompressed size in the central directory: the limit must
    # be enforced on bytes actually inflated (zipfile stops at the declared size
    # and then fails the CRC, which is also a problem row, not a crash).
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    [member, _archive] = iter_refs(tmp_path, Limits(max_ratio=100))
    assert member.flags and member.flags[0].kind in ("corrupt_member", "limit_exceeded")


def test_budget_member_count_and_depth_limits(tmp_path: Path) -> None:
    (tmp_path / "many.zip").write_bytes(_zip({f"f{i}.txt": b"x" for i in range(10)}))
    refs = list(iter_refs(tmp_path, Limits(max_members=3)))
    assert len(refs) == 4 and [p.kind for p in refs[-1].flags] == ["limit_exceeded"]

    nested = b"core"
    for level in range(6):
        nested = _zip({f"level{level}.zip" if level else "core.txt": nested})
    (tmp_path / "many.zip").unlink()
    (tmp_path / "deep.zip").write_bytes(nested)
    shallow = list(iter_refs(tmp_path, Limits(max_depth=3)))
    assert len(shallow) == 4
    assert any(
        p.kind == "limit_exceeded" and "nesting" in p.message for r in shallow for p in r.flags
    )
    assert len(list(iter_refs(tmp_path, Limits(max_depth=10)))) == 7

    (tmp_path / "deep.zip").unlink()
    (tmp_path / "two.zip").write_bytes(_zip({"a": b"a" * 1000, "b": b"b" * 1000}))
    refs = list(iter_refs(tmp_path, Limits(max_total_bytes=1500)))
    assert refs[0].payload is not None and refs[1].payload is None
    assert "budget" in refs[1].flags[0].message


def test_corrupt_archive_is_a_flag_not_a_crash(tmp_path: Path) -> None:
    good = _zip({"a.txt": b"hello" * 100})
    (tmp_path / "cut.zip").write_bytes(good[: len(good) // 2])
    (tmp_path / "junk.tar.gz").write_bytes(b"\x1f\x8b" + os.urandom(200))
    refs = {r.url: r for r in iter_refs(tmp_path)}
    # The cut zip lost its central directory, not its member: read from its local header.
    assert set(refs) == {"cut.zip", "cut.zip!/a.txt", "junk.tar.gz"}
    assert refs["cut.zip!/a.txt"].payload == b"hello" * 100
    assert refs["cut.zip"].flags[0].kind == "corrupt_archive"
    assert "1 members read from their local headers" in refs["cut.zip"].flags[0].message
    assert refs["junk.tar.gz"].flags[0].kind == "corrupt_archive"


def test_a_zip_cut_inside_a_member_gives_that_member_a_truncated_row(tmp_path: Path) -> None:
    data = os.urandom(50_000)
    whole = _zip({"first.txt": b"complete\n", "cut.bin": data})
    (tmp_path / "upload.zip").write_bytes(whole[: len(whole) // 2])
    refs = {r.url: r for r in iter_refs(tmp_path)}
    assert refs["upload.zip!/first.txt"].payload == b"complete\n"
    cut = refs["upload.zip!/cut.bin"]
    assert [p.kind for p in cut.flags] == ["truncated"]
    assert cut.payload and data.startswith(cut.payload) and len(cut.payload) < len(data)


def test_a_zip_member_bomb_is_measured_by_bytes_inflated(tmp_path: Path) -> None:
    """A central directory that claims a modest ratio cannot hide a bomb:
    the ratio is the bytes inflated against the compressed bytes read."""
    filler = os.urandom(2**20)  # bytes after the bomb for the lie to cover
    bomb = bytearray(_zip({"zeros.bin": bytes(32 * 2**20), "filler.bin": filler}, level=9))
    cd = bomb.index(b"PK\x01\x02")  # the bomb's central directory entry
    compressed = int.from_bytes(bomb[cd + 20 : cd + 24], "little")
    lie = compressed + 2**20 - 4096  # declared ratio about 31: under the 250 limit
    bomb[cd + 20 : cd + 24] = lie.to_bytes(4, "little")
    (tmp_path / "bomb.zip").write_bytes(bytes(bomb))
    refs = {r.url: r for r in iter_refs(tmp_path)}
    member = refs["bomb.zip!/zeros.bin"]
    assert member.payload is None
    assert [p.kind for p in member.flags] == ["limit_exceeded"], member.flags


def test_symlinks_are_recorded_not_followed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "out").symlink_to("/etc")
    (src / "passwd").symlink_to("/etc/passwd")
    refs = list(iter_refs(src))
    assert [(r.url, r.kind, r.link_target) for r in refs] == [
        ("out", "symlink", "/etc"),
        ("passwd", "symlink", "/etc/passwd"),
    ]


def test_zip_symlink_member(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/shadow")
    (tmp_path / "l.zip").write_bytes(buf.getvalue())
    member = next(iter(iter_refs(tmp_path)))
    assert member.kind == "symlink" and member.link_target == "/etc/shadow"
    assert member.payload is None


def test_big_members_are_spooled_in_the_case_folder_and_removed(tmp_path: Path) -> None:
    import hashlib

    import forensics

    big = os.urandom(3 * 2**20)
    inner = _zip({"deep.bin": big}, level=0)
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "upload.zip").write_bytes(_zip({"video.bin": big, "inner.zip": inner}, level=0))
    limits = Limits(spool_bytes=2**20)
    spooled = [r for r in iter_refs(dump, limits, spool_dir=tmp_path) if r.path and r.container]
    assert {r.url for r in spooled} == {
        "upload.zip!/video.bin",
        "upload.zip!/inner.zip",
        "upload.zip!/inner.zip!/deep.bin",
    }
    assert all(r.payload is None and Path(str(r.path)).parent == tmp_path for r in spooled)
    case = forensics.scan(dump, tmp_path / "case", ocr=False, jobs=2, limits=limits)
    sha = dict(zip(case.files["path"], case.files["sha256"], strict=True))
    digest = hashlib.sha256(big).hexdigest()
    assert sha["upload.zip!/video.bin"] == digest
    assert sha["upload.zip!/inner.zip!/deep.bin"] == digest  # walked from its spool file
    assert sha["upload.zip!/inner.zip"] == hashlib.sha256(inner).hexdigest()
    assert not (tmp_path / "case" / "spool").exists()
    assert case.problems.empty


def test_a_member_with_a_bad_crc_keeps_its_bytes(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("note.txt", b"correction notes\n" * 20)
    data = bytearray(buf.getvalue())
    data[data.index(b"correction")] ^= 0x20  # one byte changed after the CRC was written
    (tmp_path / "bad.zip").write_bytes(bytes(data))
    refs = {r.url: r for r in iter_refs(tmp_path)}
    member = refs["bad.zip!/note.txt"]
    assert member.payload is not None and member.payload.startswith(b"Correction")
    assert [p.kind for p in member.flags] == ["corrupt_member"]
    assert "CRC-32" in member.flags[0].message


def test_zip_names_in_a_legacy_code_page_are_not_cp437(tmp_path: Path) -> None:
    """Names written in cp949 without the UTF-8 flag (Korean Windows tools),
    and UTF-8 names without it: never shown as cp437 mojibake."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("placeholder_a.txt", b"a")
        zf.writestr("placeholder_b.txt", b"b")
    data = buf.getvalue()
    korean = "수정.txt".encode("cp949")
    utf8 = "修改.txt".encode()
    for old, new in ((b"placeholder_a.txt", korean), (b"placeholder_b.txt", utf8)):
        padded = new + b"_" * (len(old) - len(new))  # same length: offsets stay right
        data = data.replace(old, padded)
    (tmp_path / "legacy.zip").write_bytes(data)
    refs = {r.url: r for r in iter_refs(tmp_path)}
    utf8_url = "legacy.zip!/修改.txt" + "_" * (17 - len(utf8))
    assert refs[utf8_url].payload == b"b"
    [korean_url] = [u for u in refs if u.startswith("legacy.zip!/%")]
    assert korean_url.startswith("legacy.zip!/%BC%F6%C1%A4.txt")
    [problem] = refs[korean_url].flags
    assert problem.kind == "undecodable_name" and "cp949: 수정.txt" in problem.message
