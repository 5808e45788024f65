"""What a scan read is kept in the case (issue 26): every distinct content
once, by SHA-256, read-only; a version the source replaced or deleted is
handed back byte for byte, and `verify` checks every copy."""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

import forensics
from forensics.cli import main
from forensics.objects import object_path

from .servers import s3_client


def _objects(case: Path) -> set[str]:
    return {p.name for p in (case / "objects").glob("??/*")}


def test_a_folder_that_changes_under_the_analyst(tmp_path: Path) -> None:
    src, case = tmp_path / "src", tmp_path / "case"
    src.mkdir()
    (src / "a.txt").write_bytes(b"a, first\n")
    (src / "same.txt").write_bytes(b"a, first\n")  # the same content: kept once
    with zipfile.ZipFile(src / "up.zip", "w") as zf:
        zf.writestr("c.txt", "c, in the upload\n")
    first = forensics.scan(src, case, executor="serial", ocr=False, preserve=True)
    zip_bytes = (src / "up.zip").read_bytes()
    assert _objects(case) == {
        hashlib.sha256(b"a, first\n").hexdigest(),
        hashlib.sha256(zip_bytes).hexdigest(),
    }
    kept = object_path(case, hashlib.sha256(b"a, first\n").hexdigest())
    assert oct(kept.stat().st_mode & 0o777) == "0o444"  # read-only once written
    (src / "a.txt").write_bytes(b"a, corrected\n")
    (src / "up.zip").unlink()
    forensics.scan(src, case, executor="serial", ocr=False, preserve=True)
    case_now = forensics.open_case(case)
    k1, _ = list(case_now.observations["id"])
    assert case_now.read_bytes("a.txt") == b"a, corrected\n"
    then = case_now.at(k1)
    assert then.read_bytes("a.txt") == b"a, first\n"
    assert then.read_bytes("up.zip!/c.txt") == b"c, in the upload\n"  # gone from the source
    out = tmp_path / "v1.txt"
    run = CliRunner().invoke(
        main, ["get", str(case), "a.txt", "--observation", str(k1), "-o", str(out)]
    )
    assert run.exit_code == 0, run.output
    assert out.read_bytes() == b"a, first\n"
    run = CliRunner().invoke(main, ["verify", str(case)])
    assert run.exit_code == 0 and "preserved copies: 3" in run.output, run.output
    # a copy removed since the seal is found, and a copy that is not what it is named by
    other = object_path(case, hashlib.sha256(zip_bytes).hexdigest())
    moved = tmp_path / "moved"
    other.rename(moved)
    result = first.verify()
    assert not result["ok"] and result["objects"]["as_sealed"] is False
    moved.rename(other)
    assert first.verify()["ok"]
    os.chmod(kept, 0o644)
    kept.write_bytes(b"tampered\n")
    result = first.verify()
    assert not result["ok"] and result["objects"]["bad"] == [kept.name]
    run = CliRunner().invoke(main, ["verify", str(case)])
    assert run.exit_code == 1 and f"preserved copy {kept.name}" in run.output


def test_a_folder_is_not_copied_unless_asked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a\n")
    forensics.scan(src, tmp_path / "case", executor="serial", ocr=False)
    assert _objects(tmp_path / "case") == set()


def test_a_bucket_keeps_what_the_server_deleted(s3_endpoint: str, tmp_path: Path) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="kept")
    client.put_object(Bucket="kept", Key="dump/sheet.txt", Body=b"day one")
    case = tmp_path / "case"

    def scan() -> forensics.Case:
        return forensics.scan(
            "s3://kept/dump", case, executor="serial", ocr=False, endpoint_url=s3_endpoint
        )

    scan()
    client.put_object(Bucket="kept", Key="dump/sheet.txt", Body=b"day two")
    scan()
    client.delete_object(Bucket="kept", Key="dump/sheet.txt")
    last = scan()
    assert _objects(case) == {hashlib.sha256(b).hexdigest() for b in (b"day one", b"day two")}
    k1, k2, _ = list(last.observations["id"])
    assert last.at(k1).read_bytes("sheet.txt") == b"day one"
    assert last.at(k2).read_bytes("sheet.txt") == b"day two"
    assert last.verify()["ok"]


def test_a_changed_sheet_says_what_was_added_and_how_much_changed(tmp_path: Path) -> None:
    """A correction between two observations: the note written since, the
    one taken away, and the share of the drawing's pixels that changed."""
    import io

    from PIL import Image, ImageDraw

    src, case = tmp_path / "src", tmp_path / "case"
    src.mkdir()

    def sheet(memo: str) -> bytes:
        return f"nasTIME-SHEET 0.5\n##CUT=12\n[END]\n{memo}\n".encode()

    def drawing(corrected: bool) -> bytes:
        img = Image.new("L", (100, 100), 255)
        if corrected:
            ImageDraw.Draw(img).rectangle((10, 10, 19, 19), fill=0)  # 100 of 10,000 pixels
        out = io.BytesIO()
        img.save(out, "PNG")
        return out.getvalue()

    (src / "C012.xps").write_bytes(sheet("배경 수정"))
    (src / "C012_KEY.png").write_bytes(drawing(False))
    forensics.scan(src, case, executor="serial", ocr=False, preserve=True)
    (src / "C012.xps").write_bytes(sheet("색 수정 부탁"))
    (src / "C012_KEY.png").write_bytes(drawing(True))
    second = forensics.scan(src, case, executor="serial", ocr=False, preserve=True)
    changes = second.changes(since=1, pixels=True).set_index("path")
    memo = changes.loc["C012.xps"]
    assert (memo["notes_added"], memo["notes_removed"]) == (1, 1)
    assert (memo["added_notes"], memo["removed_notes"]) == ("색 수정 부탁", "배경 수정")
    assert changes.loc["C012_KEY.png", "pixels_changed"] == 0.01
    assert pd.isna(changes.loc["C012.xps", "pixels_changed"])  # not an image


def test_a_web_folder_is_kept_as_warc_records(tmp_path: Path) -> None:
    """Each object a scan reads from an http(s):// folder, and each listing
    page, is a request and a response record that warcio reads back, with
    the bytes the case hashed (a big object read in ranges too)."""
    import os as _os

    from warcio.archiveiterator import ArchiveIterator

    from .servers import http_folder

    site = tmp_path / "site"
    (site / "EP12").mkdir(parents=True)
    small = b"corrected layout, day one\n"
    big = _os.urandom(600 * 1024)  # past what the listing reads whole: read by the worker
    (site / "EP12" / "note.txt").write_bytes(small)
    (site / "EP12" / "big.bin").write_bytes(big)
    with http_folder(site) as url:
        case = forensics.scan(url, tmp_path / "case", executor="serial", ocr=False)
    assert len(case.files[case.files["kind"] == "file"]) == 2
    responses, requests = {}, set()
    for path in sorted((tmp_path / "case" / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "request":
                    requests.add(uri)
                elif record.rec_type == "response":
                    status = record.http_headers.get_statuscode()
                    said = record.http_headers.get_header("Last-Modified")
                    responses[uri] = (status, said, record.content_stream().read())
    pages = {url, f"{url}EP12/"}  # the listing pages too: a player replays the folder
    assert requests == set(responses) == {f"{url}EP12/note.txt", f"{url}EP12/big.bin"} | pages
    assert b'href="EP12/"' in responses[url][2] and b"note.txt" in responses[f"{url}EP12/"][2]
    assert responses[f"{url}EP12/note.txt"][0] == "200"
    assert responses[f"{url}EP12/note.txt"][2] == small
    assert responses[f"{url}EP12/big.bin"][2] == big
    files = {u: r for u, r in responses.items() if u not in pages}
    assert all(said for _, said, _ in files.values())  # the server's Last-Modified kept


def test_a_rescan_with_verify_reads_the_copies_of_what_is_gone(tmp_path: Path) -> None:
    """The source no longer has two sheets: `--verify` hashes their
    preserved copies again, and says which copy is no longer its hash."""
    src, case = tmp_path / "src", tmp_path / "case"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text(f"{name}, day one\n")
    forensics.scan(src, case, executor="serial", ocr=False, preserve=True)
    (src / "a.txt").unlink()
    (src / "b.txt").unlink()
    tampered = object_path(case, hashlib.sha256(b"b.txt, day one\n").hexdigest())
    os.chmod(tampered, 0o644)
    tampered.write_bytes(b"b.txt, altered in the case\n")
    run = CliRunner().invoke(
        main,
        ["scan", str(src), "-o", str(case), "--preserve", "--verify", "--no-ocr", "--jobs", "1"],
    )
    assert "gone from the source: 2 files, 1 kept whole" in run.output, run.output
    assert "COPY NOT ITS HASH: b.txt" in run.output and "NO COPY" not in run.output
    counts = forensics.open_case(case).manifest["counts"]["gone_copies"]
    assert counts == {"gone": 2, "kept": 1, "missing": [], "bad": ["b.txt"]}
    # a folder whose copies were never kept: nothing to check, nothing reported missing
    plain = tmp_path / "plain"
    forensics.scan(src, plain, executor="serial", ocr=False)
    (src / "c.txt").unlink()
    again = forensics.scan(src, plain, executor="serial", ocr=False, verify=True)
    assert "gone_copies" not in again.manifest["counts"]
    assert again.manifest["counts"]["by_status"]["gone"] == 1
