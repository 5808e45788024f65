"""RAR, 7z, CAB and zstd archives through libarchive, on libarchive's own
test archives (tests/data/libarchive/SOURCES.md): what their C tests assert
of each is what the walk must give."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import forensics
from forensics.extractors.archive import ArchiveEntryExtractor, ArchiveEntryRecord
from forensics.pipeline import extract_one
from forensics.records import FileRef
from forensics.sources import Limits, archive_kind, iter_refs

from .conftest import SAMPLES

DATA = Path(__file__).parent / "data" / "libarchive"
TEST_TXT = b"test text document\r\n"  # test_read_format_rar.c


def _refs(name: str, limits: Limits | None = None) -> dict[str, FileRef]:
    return {r.url.split("!/", 1)[-1]: r for r in iter_refs(DATA / name, limits)}


def _entry(ref: FileRef) -> ArchiveEntryRecord:
    (rec,) = extract_one(ref, (ArchiveEntryExtractor(),)).records
    assert isinstance(rec, ArchiveEntryRecord)
    return rec


@pytest.fixture()
def in_tokyo() -> Iterator[None]:
    """The reading process in another zone: DOS times must not move."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


def test_the_magic_numbers_pick_the_reader() -> None:
    heads = {
        "test_read_format_rar.rar": "rar",
        "test_read_format_rar5_solid.rar": "rar5",
        "test_read_format_7zip_lzma2.7z": "7z",
        "test_read_format_cab_1.cab": "cab",
    }
    for name, kind in heads.items():
        assert archive_kind((DATA / name).read_bytes()[:512]) == kind


def test_rar4_files_link_and_naive_dos_times(in_tokyo: None) -> None:
    refs = _refs("test_read_format_rar.rar")
    assert set(refs) == {"test.txt", "testlink", "testdir/test.txt", "test_read_format_rar.rar"}
    assert refs["test.txt"].payload == TEST_TXT == refs["testdir/test.txt"].payload
    link = refs["testlink"]
    assert link.kind == "symlink" and link.link_target == "test.txt" and link.payload is None
    rec = _entry(refs["test.txt"])
    assert rec.format == "rar" and rec.mode == "-rw-r--r--" and rec.size == 20
    # a DOS time: naive, whatever zone the reader runs in (here Tokyo)
    assert rec.local_mtime is not None and rec.local_mtime.tzinfo is None
    assert rec.entry_mtime is None
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    again = _entry(_refs("test_read_format_rar.rar")["test.txt"])
    assert again.local_mtime == rec.local_mtime


def test_rar5_solid_and_7z_times_are_utc() -> None:
    refs = _refs("test_read_format_rar5_solid.rar")
    names = ["test.bin", *(f"test{i}.bin" for i in range(1, 7))]
    assert set(refs) - {"test_read_format_rar5_solid.rar"} == set(names)
    assert refs["test.bin"].size == 1200 and all(refs[n].size == 4096 for n in names[1:])
    assert all(not refs[n].flags and len(refs[n].payload or b"") == refs[n].size for n in names)
    seven = _refs("test_read_format_7zip_lzma2.7z")["file1"]
    rec = _entry(seven)
    # test_read_format_7zip.c: assertEqualInt(1322058763, archive_entry_mtime(ae))
    assert rec.entry_mtime == dt.datetime.fromtimestamp(1322058763, dt.UTC)
    assert rec.format == "7z" and rec.local_mtime is None


def test_cab_members_with_an_empty_one() -> None:
    refs = _refs("test_read_format_cab_2.cab")
    assert set(refs) == {"empty", "zero", "dir1/file1", "dir2/file2", "test_read_format_cab_2.cab"}
    assert refs["empty"].payload == b"" and refs["zero"].payload == b"\0" * 33000
    assert _entry(refs["dir1/file1"]).local_mtime is not None


def test_encrypted_members_are_rows_with_their_headers() -> None:
    rar = _refs("test_read_format_rar_encryption_data.rar")
    for name in ("foo.txt", "bar.txt"):  # test_read_format_rar_encryption_data.c
        ref = rar[name]
        assert [p.kind for p in ref.flags] == ["encrypted"] and ref.payload is None
        assert ref.size == 16 and _entry(ref).local_mtime is not None
    seven = _refs("test_read_format_7zip_encryption.7z")
    (member,) = [r for u, r in seven.items() if r.container]
    assert [p.kind for p in member.flags] == ["encrypted"]
    headers = _refs("test_read_format_7zip_encryption_header.7z")
    (archive,) = headers.values()  # nothing can be listed without the password
    assert [p.kind for p in archive.flags] == ["encrypted"]


def test_japanese_names_and_a_ppmd_bomb_within_the_limits() -> None:
    names = set(_refs("test_read_format_rar_unicode.rar"))
    assert "表だよ/漢字長いファイル名long-filename-in-漢字.txt" in names
    assert "abcdefghijklmnopqrsテスト.txt" in names
    # 241,647,978 bytes declared from a 60,000-byte volume: past the ratio limit
    (member,) = [
        r for r in _refs("test_read_format_rar_multivolume.part0001.rar").values() if r.container
    ]
    assert member.size == 241_647_978 and member.payload is None
    assert [p.kind for p in member.flags] == ["limit_exceeded"]


def test_a_volume_cut_member_is_truncated_not_lost() -> None:
    (member,) = [
        r for r in _refs("test_rar_multivolume_single_file.part1.rar").values() if r.container
    ]
    assert member.url.endswith("!/LibarchiveAddingTest.html") and member.size == 20111
    assert [p.kind for p in member.flags] == ["truncated"]
    assert "multi-volume" in member.flags[0].message


def test_tar_zst_and_a_7z_holding_a_daily_upload(tmp_path: Path) -> None:
    import libarchive

    case_dir, tmp_path = tmp_path / "case", tmp_path / "dump"
    tmp_path.mkdir()
    upload = SAMPLES / "dump" / "uploads" / "2024-04-01.zip"
    with libarchive.file_writer(str(tmp_path / "day.7z"), "7zip") as w:
        w.add_file_from_memory(
            "uploads/2024-04-01.zip", upload.stat().st_size, upload.read_bytes(), mtime=1711962000
        )
    with libarchive.file_writer(str(tmp_path / "notes.tar.zst"), "ustar", "zstd") as w:
        w.add_file_from_memory("notes/메모.txt", 6, "수정".encode(), mtime=1712000000)
    with libarchive.file_writer(str(tmp_path / "one.txt.zst"), "raw", "zstd") as w:
        w.add_file_from_memory("one.txt", 5, b"hello")
    shutil.copy(DATA / "test_read_format_rar.rar", tmp_path)
    case = forensics.scan(tmp_path, case_dir, executor="serial", ocr=False)
    files = case.files.set_index("path")
    inner = "day.7z!/uploads/2024-04-01.zip!/worklog_2024-04-01.xlsx"
    assert files.loc[inner, "mime"].startswith("application/vnd.openxmlformats")
    members = [p for p in files.index if p.startswith("day.7z!/uploads/2024-04-01.zip!/")]
    assert len(members) == 5  # as in the zip itself
    assert (
        files.loc["notes.tar.zst!/notes/메모.txt", "sha256"]
        == hashlib.sha256("수정".encode()).hexdigest()
    )
    assert files.loc["one.txt.zst!/one.txt", "size"] == 5
    events = case.events.set_index(["path", "field"])
    assert (
        events.loc[("day.7z!/uploads/2024-04-01.zip", "archive_entry.entry_mtime"), "zone_basis"]
        == "utc"
    )
    assert (
        events.loc[("notes.tar.zst!/notes/메모.txt", "archive_entry.tar_mtime"), "zone_basis"]
        == "utc"
    )
    assert (
        events.loc[
            ("test_read_format_rar.rar!/test.txt", "archive_entry.local_mtime"), "zone_basis"
        ]
        == "unknown"
    )
    assert case.manifest["counts"]["reconciliation"]["balanced"]


def test_archives_that_crash_libarchive_cost_their_members_not_the_scan(tmp_path: Path) -> None:
    """Debian's libarchive aborts (double free) and segfaults on these two:
    the walk runs in a child, so each is a row with a problem, and the
    scan goes on to the next file."""
    case_dir, tmp_path = tmp_path / "case", tmp_path / "dump"
    tmp_path.mkdir()
    for name in ("test_read_format_cab_lzx_oob.cab", "test_read_format_cab_skip_malformed.cab"):
        shutil.copy(DATA / name, tmp_path)
    shutil.copy(DATA / "test_read_format_cab_1.cab", tmp_path / "z_after.cab")
    case = forensics.scan(tmp_path, case_dir, executor="serial", ocr=False)
    problems = case.problems
    for name in ("test_read_format_cab_lzx_oob.cab", "test_read_format_cab_skip_malformed.cab"):
        kinds = set(problems.loc[problems["path"] == name, "kind"])
        assert "corrupt_archive" in kinds, (name, kinds)
    after = case.files[case.files["path"].str.startswith("z_after.cab!/")]
    assert sorted(after["path"]) == [
        f"z_after.cab!/{n}" for n in ("dir1/file1", "dir2/file2", "empty")
    ]


def test_members_libarchive_cannot_reach_are_listed_from_their_headers() -> None:
    # test_read_format_rar_encryption.c: a.txt, b.txt, c.txt, d.txt, all encrypted
    refs = _refs("test_read_format_rar4_solid_encrypted.rar")
    members = {u: r for u, r in refs.items() if r.container}
    assert sorted(members) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert all([p.kind for p in r.flags] == ["encrypted"] for r in members.values())
    assert all(_entry(r).local_mtime is not None for r in members.values())
    # test_read_format_rar5.c (zip_in_rar): payload/inner.zip, payload/real_after.txt
    refs = _refs("test_read_format_rar5_zip_in_rar.rar")
    assert {"payload/inner.zip", "payload/real_after.txt"} <= set(refs)
    assert _entry(refs["payload/real_after.txt"]).entry_mtime is not None


def test_names_in_a_legacy_codepage_are_escaped_and_read() -> None:
    refs = [r for r in _refs("test_read_format_cab_filename_cp932.cab").values() if r.container]
    assert len(refs) == 2
    for ref in refs:
        (problem,) = ref.flags
        assert problem.kind == "undecodable_name" and "shift_jis: 表だよ" in problem.message


def test_volumes_are_read_as_one_archive_and_missing_ones_flagged(tmp_path: Path) -> None:
    import libarchive

    whole, cut = tmp_path / "whole", tmp_path / "cut"
    whole.mkdir()
    cut.mkdir()
    parts = [f"test_rar_multivolume_single_file.part{i}.rar" for i in (1, 2, 3)]
    for name in parts:
        shutil.copy(DATA / name, whole)
    for name in (parts[0], parts[2]):
        shutil.copy(DATA / name, cut)
    # a 7z split into byte ranges, as 7-Zip's -v switch writes it
    upload = (SAMPLES / "dump" / "uploads" / "2024-04-01.zip").read_bytes()
    with libarchive.file_writer(str(tmp_path / "day.7z"), "7zip") as w:
        w.add_file_from_memory("2024-04-01.zip", len(upload), upload, mtime=1711962000)
    packed = (tmp_path / "day.7z").read_bytes()
    third = len(packed) // 3 + 1
    for i in range(3):
        (whole / f"day.7z.{i + 1:03d}").write_bytes(packed[i * third : (i + 1) * third])

    refs = {r.url: r for r in iter_refs(whole)}
    # test_read_format_rar.c (multivolume_single_file): one file across three volumes
    member = refs[f"{parts[0]}!/LibarchiveAddingTest.html"]
    assert member.flags == () and len(member.payload or b"") == 20111
    assert not any(u.startswith((f"{parts[1]}!/", f"{parts[2]}!/")) for u in refs)
    assert {parts[1], parts[2]} <= set(refs)  # later volumes are rows of their own
    assert refs["day.7z.001!/2024-04-01.zip"].payload == upload
    assert "day.7z.001!/2024-04-01.zip!/worklog_2024-04-01.xlsx" in refs
    assert not any(u.startswith("day.7z.002!/") for u in refs)

    cut_refs = {r.url: r for r in iter_refs(cut)}
    first = cut_refs[parts[0]]
    assert [p.kind for p in first.flags] == ["truncated"] and "2 missing" in first.flags[0].message
    assert cut_refs[f"{parts[0]}!/LibarchiveAddingTest.html"].payload is None


def test_the_sample_rar_and_7z_uploads_read_by_other_readers_as_by_us() -> None:
    """The generator writes the RAR 5 itself (no free RAR writer): rarfile,
    a reader that shares no code with libarchive, must see the members, their
    CRCs and FILETIME mtimes, as the walk does."""
    import rarfile

    uploads = SAMPLES / "dump" / "uploads"
    [rar] = sorted(uploads.glob("*.rar"))
    [seven] = sorted(uploads.glob("*.7z"))
    ours = [r for p in (rar, seven) for r in iter_refs(p) if "!/" in r.url]
    with rarfile.RarFile(rar) as rf:
        assert rf.testrar() is None  # every CRC holds
        listed = {i.filename: (i.mtime, hashlib.sha256(rf.read(i)).digest()) for i in rf.infolist()}
    walked = {r.url.split("!/", 1)[1]: r for r in ours if r.url.startswith(rar.name)}
    assert set(listed) == set(walked) and all(n.startswith("수정본/") for n in listed)
    for name, (mtime, digest) in listed.items():
        rec = _entry(walked[name])
        assert rec.entry_mtime == mtime.astimezone(dt.UTC)
        assert hashlib.sha256(walked[name].payload or b"").digest() == digest
    if shutil.which("7zz"):
        import subprocess

        out = subprocess.run(["7zz", "l", "-slt", str(seven)], capture_output=True, text=True)
        names = {ln[7:] for ln in out.stdout.splitlines() if ln.startswith("Path = ")} - {
            str(seven)
        }
        assert names == {r.url.split("!/", 1)[1] for r in ours if ".7z!/" in r.url}


def _iso(members: list[tuple[str, bytes, int]]) -> bytes:
    """An ISO 9660 image (Rock Ridge and Joliet names) by libarchive's writer."""
    import libarchive

    out = bytearray()

    def take(chunk: bytes) -> int:
        out.extend(chunk)
        return len(chunk)

    with libarchive.custom_writer(take, "iso9660") as archive:
        for name, data, mtime in members:
            archive.add_file_from_memory(name, len(data), data, mtime=(mtime, 0))
    return bytes(out)


def test_an_iso_image_is_walked_with_its_utc_times(tmp_path: Path) -> None:
    """ISO 9660's magic lies past its 32 KiB system area, beyond the 512
    bytes other archives are told by: a disc image of a studio's backup is
    still walked, loose or inside a zip, and 7-Zip lists the same members."""
    sheet = next((SAMPLES / "dump" / "KMR" / "EP12" / "KEY").glob("*.jpg")).read_bytes()
    stamp = int(dt.datetime(2024, 4, 15, 9, 30, tzinfo=dt.UTC).timestamp())
    image = _iso([("수정본/sheet_v01.jpg", sheet, stamp), ("notes.txt", b"retake\n", stamp + 60)])
    assert image[32769:32774] == b"CD001" and image[:512] == bytes(512)
    path = tmp_path / "backup.iso"
    path.write_bytes(image)
    refs = {r.url.split("!/", 1)[-1]: r for r in iter_refs(path) if "!/" in r.url}
    assert (
        hashlib.sha256(refs["수정본/sheet_v01.jpg"].payload or b"").digest()
        == hashlib.sha256(sheet).digest()
    )
    rec = _entry(refs["notes.txt"])
    assert rec.format == "iso" and rec.entry_mtime == dt.datetime.fromtimestamp(stamp + 60, dt.UTC)
    # the same image inside a zip, as a member
    import zipfile

    with zipfile.ZipFile(tmp_path / "upload.zip", "w") as zf:
        zf.writestr("backup.iso", image)
    inner = {r.url for r in iter_refs(tmp_path / "upload.zip")}
    assert "upload.zip!/backup.iso!/notes.txt" in inner
    if shutil.which("7zz"):
        import subprocess

        out = subprocess.run(["7zz", "l", "-slt", str(path)], capture_output=True, text=True)
        listed = {ln[7:] for ln in out.stdout.splitlines() if ln.startswith("Path = ")}
        files = listed - {str(path), "수정본"}
        assert files == set(refs) - {"수정본"}
