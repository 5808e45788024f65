"""Remote sources against real servers on loopback: an S3 bucket (moto in
server mode) and a web folder (`python -m http.server`)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

import forensics
from forensics.cli import main
from forensics.extractors import registry
from forensics.pipeline import Worker, extract_one
from forensics.records import FileRef
from forensics.sources import iter_refs, remote

from .case_views import assert_same_case, views
from .servers import http_folder, moto_server, put_many, s3_client, upload_folder
from .test_case import _rows

LOCAL_ONLY = {"filesystem"}  # what a folder has and a bucket has not
REMOTE_ONLY = {"object"}


def _comparable(case: forensics.Case, drop_paths: set[str]) -> dict[str, pd.DataFrame]:
    """The case's views without the records and events that say where the
    bytes were kept (a filesystem's stat, an object's listing)."""
    out = views(case)
    for name, df in out.items():
        df = df[~df["path"].isin(drop_paths)]
        if name == "records":
            df = df[~df["kind"].isin(LOCAL_ONLY | REMOTE_ONLY)]
        if name == "events":
            df = df[~df["extractor"].isin(LOCAL_ONLY | REMOTE_ONLY)]
        if name == "files":
            df = df.drop(columns=["source"], errors="ignore")
        # an all-empty column (link_target, once the link is left out) has no dtype to compare
        out[name] = df.reset_index(drop=True).astype(object).where(df.notna().values, None)
    return out


def _assert_same_content(a: forensics.Case, b: forensics.Case, drop: set[str]) -> None:
    va, vb = _comparable(a, drop), _comparable(b, drop)
    for name in va:
        pd.testing.assert_frame_equal(va[name], vb[name], obj=name)


def _objects(case: forensics.Case) -> dict[str, dict[str, Any]]:
    rec = case.records
    rec = rec[rec["kind"] == "object"]
    return {p: json.loads(b) for p, b in zip(rec["path"], rec["body"], strict=True)}


def test_a_versioned_bucket_scans_like_the_folder(
    s3_endpoint: str, dump_copy: Path, tmp_path: Path
) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="leak")
    client.put_bucket_versioning(Bucket="leak", VersioningConfiguration={"Status": "Enabled"})
    uploaded = upload_folder(client, dump_copy, "leak", "server/dump")
    local = forensics.scan(dump_copy, tmp_path / "local", jobs=2, ocr=False)
    remote = forensics.scan(
        "s3://leak/server/dump", tmp_path / "s3", jobs=2, ocr=False, endpoint_url=s3_endpoint
    )
    links = set(local.files.loc[local.files["kind"] == "symlink", "path"])
    assert links and len(remote.files) == len(local.files) - len(links)
    _assert_same_content(local, remote, links)
    assert remote.sources == ["s3://leak/server/dump"]

    objects = _objects(remote)
    assert len(objects) == uploaded
    files = remote.files.set_index("path")
    for path, obj in objects.items():
        head = client.head_object(Bucket="leak", Key=f"server/dump/{path}")
        assert obj["url"] == f"s3://leak/server/dump/{path}"
        assert obj["etag"] == head["ETag"].strip('"') == files.loc[path, "md5"]
        assert obj["version_id"] == head["VersionId"]
        assert pd.Timestamp(obj["last_modified"]) == pd.Timestamp(head["LastModified"])
        assert obj["size"] == files.loc[path, "size"]
    events = remote.events
    listed = events[events["field"] == "object.last_modified"]
    assert len(listed) == uploaded and set(listed["zone_basis"]) == {"utc"}
    owners = remote.entities
    assert set(owners.loc[owners["extractor"] == "object", "role"]) == {"user"}


def test_a_watched_bucket_shows_new_changed_and_gone(s3_endpoint: str, tmp_path: Path) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="watch")
    put = {
        "day1/a.txt": b"first note",
        "day1/b.txt": b"second note",
        "day1/c.txt": b"third note",
    }
    for key, body in put.items():
        client.put_object(Bucket="watch", Key=f"dump/{key}", Body=body)
    case = tmp_path / "case"
    read: list[str] = []

    def scan(**kw: Any) -> forensics.Case:
        read.clear()
        return forensics.scan(
            "s3://watch/dump",
            case,
            executor="serial",
            ocr=False,
            endpoint_url=s3_endpoint,
            on_result=lambda r: read.append(r.ref.url),
            **kw,
        )

    first = scan()
    assert sorted(read) == ["day1/a.txt", "day1/b.txt", "day1/c.txt"]
    assert set(first.files["status"]) == {"new"}

    again = scan()
    assert read == [], "an unchanged bucket was read again"
    assert set(again.files["status"]) == {"unchanged"} and len(again.files) == 3

    client.put_object(Bucket="watch", Key="dump/day1/b.txt", Body=b"second note, revised")
    client.delete_object(Bucket="watch", Key="dump/day1/c.txt")
    client.put_object(Bucket="watch", Key="dump/day2/d.txt", Body=b"a new day")
    third = scan()
    assert sorted(read) == ["day1/b.txt", "day2/d.txt"]
    status = dict(zip(third.files["path"], third.files["status"], strict=True))
    assert status == {
        "day1/a.txt": "unchanged",
        "day1/b.txt": "changed",
        "day1/c.txt": "gone",
        "day2/d.txt": "new",
    }
    changes = third.changes(since=2).set_index("path")
    assert (
        changes.loc["day1/b.txt", "sha256"] == hashlib.sha256(b"second note, revised").hexdigest()
    )
    assert (
        changes.loc["day1/b.txt", "previous_sha256"] == hashlib.sha256(b"second note").hexdigest()
    )
    head = client.head_object(Bucket="watch", Key="dump/day2/d.txt")
    assert pd.Timestamp(changes.loc["day2/d.txt", "modified"]) == pd.Timestamp(head["LastModified"])

    verified = scan(verify=True)
    assert sorted(read) == ["day1/a.txt", "day1/b.txt", "day2/d.txt"]
    assert set(verified.files["status"]) == {"unchanged"}


def test_ten_thousand_objects_list_in_pages_and_all_become_rows(
    aws_credentials: None, tmp_path: Path
) -> None:
    """The listing at scale: ten pages of a thousand keys, every one a row.
    One object in a hundred holds a note and the rest are empty, so that
    the test reads a hundred objects, not ten thousand (moto spends 4 ms
    of CPU on each GET; reading is tested on the sample dump above)."""
    with moto_server("many/dump:10000:100") as endpoint:
        case = forensics.scan(
            "s3://many/dump", tmp_path / "c", jobs=2, ocr=False, endpoint_url=endpoint
        )
    files = case.files
    assert len(files) == 10_000 and files["path"].is_unique
    want = {
        f"{i // 1000:02d}/{i:05d}.txt": f"note {i}\n".encode() if i % 100 == 0 else b""
        for i in range(10_000)
    }
    md5 = {k: hashlib.md5(v).hexdigest() for k, v in want.items()}
    assert dict(zip(files["path"], files["md5"], strict=True)) == md5
    assert case.problems.empty
    assert case.manifest["counts"]["reconciliation"]["balanced"]
    assert len(case.records[case.records["kind"] == "object"]) == 10_000


def test_an_object_that_changes_or_goes_after_listing_is_a_problem_row(
    s3_endpoint: str,
) -> None:
    """A bigger object is read by the worker, after the listing: what it
    finds then is checked against what was listed."""
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="race")
    client.put_object(Bucket="race", Key="d/kept.txt", Body=b"as listed")
    client.put_object(Bucket="race", Key="d/gone.txt", Body=b"about to go")
    listed = remote.list_objects("s3://race/d", (("endpoint_url", s3_endpoint),))
    refs = {o.path: FileRef(url=o.path, path=None, size=o.size, remote=o) for o in listed}
    client.put_object(Bucket="race", Key="d/kept.txt", Body=b"rewritten after listing")
    client.delete_object(Bucket="race", Key="d/gone.txt")
    extractors = tuple(registry())
    kept = extract_one(refs["race/d/kept.txt"], extractors)
    assert [p.kind for p in kept.problems] == ["changed_during_read"]
    assert "9 bytes when listed, 23 read" in kept.problems[0].message
    assert kept.hashes is not None
    assert kept.hashes.sha256 == hashlib.sha256(b"rewritten after listing").hexdigest()
    gone = extract_one(refs["race/d/gone.txt"], extractors)
    assert [p.kind for p in gone.problems] == ["unreadable"] and gone.hashes is None
    assert [r.KIND for r in gone.records] == ["object"]  # what the listing said is kept


def test_resume_after_sigkill_of_a_bucket_scan(s3_endpoint: str, tmp_path: Path) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="resume")
    put_many(s3_endpoint, "resume", {f"d/{i:03d}.txt": f"{i}".encode() for i in range(120)})
    source = "s3://resume/d"
    whole = forensics.scan(
        source, tmp_path / "whole", executor="serial", ocr=False, endpoint_url=s3_endpoint
    )
    killed = tmp_path / "killed"
    script = (
        "import sys, time, forensics\n"
        "forensics.scan(sys.argv[1], sys.argv[2], executor='serial', ocr=False, batch_size=4,\n"
        "               endpoint_url=sys.argv[3], on_result=lambda r: time.sleep(0.05))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, source, str(killed), s3_endpoint])
    deadline = time.monotonic() + 120
    while _rows(killed) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < _rows(killed) < 120, "the scan was not killed halfway"
    resumed = forensics.scan(source, killed, executor="serial", ocr=False, endpoint_url=s3_endpoint)
    assert resumed.manifest["resumed"] is True and len(resumed.observations) == 1
    assert_same_case(whole, resumed)


def test_a_web_folder_scans_like_the_folder_and_rescans_by_last_modified(
    dump_copy: Path, tmp_path: Path
) -> None:
    local = forensics.scan(dump_copy, tmp_path / "local", jobs=2, ocr=False)
    links = set(local.files.loc[local.files["kind"] == "symlink", "path"])
    read: list[str] = []
    with http_folder(dump_copy) as url:
        case = tmp_path / "web"
        web = forensics.scan(url, case, jobs=2, ocr=False)
        # http.server follows links: what a web source serves is its content
        _assert_same_content(local, web, links)
        objects = _objects(web)
        odd = {p for p, o in objects.items() if not o["last_modified"] or o["etag"]}
        assert objects and odd <= links
        sheet = "INV/EP05/retakes/retake_0412.jpg"
        assert objects[sheet]["url"] == f"{url}{sheet}"

        again = forensics.scan(
            url, case, executor="serial", ocr=False, on_result=lambda r: read.append(r.ref.url)
        )
        # the link points out of the copied dump: the server answers 404, and
        # an object that could not be read has no identity, so it is asked again
        problems = web.problems
        assert set(problems.loc[problems["kind"] == "unreadable", "path"]) == links
        assert set(read) == links and set(again.files["status"]) == {"unchanged"}
        read.clear()
        target = dump_copy / sheet
        target.write_bytes(target.read_bytes() + b"\0")
        os.utime(target, (time.time() + 5, time.time() + 5))
        third = forensics.scan(
            url, case, executor="serial", ocr=False, on_result=lambda r: read.append(r.ref.url)
        )
    assert set(read) == {sheet} | links
    assert third.files.set_index("path").loc[sheet, "status"] == "changed"


def test_the_cli_scans_a_bucket_and_refuses_s3_flags_for_a_folder(
    s3_endpoint: str, dump_copy: Path, tmp_path: Path
) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="cli")
    # public, as buckets found open are: --anon reads it without credentials
    client.put_object(
        Bucket="cli", Key="x/notes.txt", Body="수정 바랍니다".encode(), ACL="public-read"
    )
    runner = CliRunner()
    args = ["scan", "s3://cli/x", "-o", str(tmp_path / "c"), "--no-ocr", "--executor", "serial"]
    out = runner.invoke(main, [*args, "--endpoint-url", s3_endpoint])
    assert out.exit_code == 0, out.output
    assert "files: 1" in out.output
    # the endpoint as botocore reads it from the environment, no flag
    env = {"AWS_ENDPOINT_URL": s3_endpoint}
    out = runner.invoke(main, [*args[:3], str(tmp_path / "e"), *args[4:]], env=env)
    assert out.exit_code == 0, out.output
    anon = [*args[:3], str(tmp_path / "a"), *args[4:], "--anon", "--endpoint-url", s3_endpoint]
    out = runner.invoke(main, anon)
    assert out.exit_code == 0, out.output
    assert forensics.open_case(tmp_path / "a").manifest["parameters"]["remote"]["anon"] is True
    out = runner.invoke(main, ["scan", str(dump_copy), "-o", str(tmp_path / "l"), "--anon"])
    assert out.exit_code == 2 and "s3://" in out.output


def test_the_worker_of_a_remote_ref_needs_no_local_path(s3_endpoint: str) -> None:
    """What a Dask worker on another machine gets: a picklable ref with no
    path, which it reads from the bucket itself."""
    import pickle

    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="pickled")
    client.put_object(Bucket="pickled", Key="p/a.txt", Body=b"remote bytes")
    (ref,) = iter_refs("s3://pickled/p", options=(("endpoint_url", s3_endpoint),))
    assert ref.path is None and ref.remote is not None
    clone = pickle.loads(pickle.dumps(ref))
    res = Worker(())(clone)
    assert res.hashes is not None and res.hashes.md5 == hashlib.md5(b"remote bytes").hexdigest()


@pytest.mark.parametrize("source", ["s3://no-such-bucket/x"])
def test_a_missing_bucket_is_a_clear_error(s3_endpoint: str, tmp_path: Path, source: str) -> None:
    with pytest.raises(FileNotFoundError):
        forensics.scan(
            source, tmp_path / "c", executor="serial", ocr=False, endpoint_url=s3_endpoint
        )


def test_a_bucket_row_is_read_again_as_the_scan_saw_it(s3_endpoint: str, tmp_path: Path) -> None:
    """What the report's thumbnails read: a bucket object's bytes (the
    version listed, not whatever replaced it since) and a member of a zip
    in the bucket, fetched again through the scan's own endpoint."""
    import io
    import zipfile

    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="again")
    client.put_bucket_versioning(Bucket="again", VersioningConfiguration={"Status": "Enabled"})
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zf:
        zf.writestr("수정/sheet.txt", b"inside the upload")
    client.put_object(Bucket="again", Key="dump/note.txt", Body=b"as scanned")
    client.put_object(Bucket="again", Key="dump/upload.zip", Body=packed.getvalue())
    case = forensics.scan(
        "s3://again/dump", tmp_path / "case", executor="serial", ocr=False, endpoint_url=s3_endpoint
    )
    client.put_object(Bucket="again", Key="dump/note.txt", Body=b"replaced since")
    assert case.read_bytes("note.txt") == b"as scanned"
    assert case.read_bytes("upload.zip!/수정/sheet.txt") == b"inside the upload"
    with pytest.raises(KeyError):
        case.read_bytes("not-in-the-case.txt")
