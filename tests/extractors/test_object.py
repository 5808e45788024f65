"""The object extractor: what an S3 listing and a web server say of each
object, against moto and http.server on loopback."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pandas as pd
from boto3.s3.transfer import TransferConfig

from forensics.extractors import registry
from forensics.extractors.objects import ObjectExtractor, ObjectRecord
from forensics.pipeline import extract_one
from forensics.records import FileRef
from forensics.sources import iter_refs

from ..servers import http_folder, s3_client


def _record(ref: FileRef) -> ObjectRecord:
    res = extract_one(ref, (ObjectExtractor(),))
    (rec,) = res.records
    assert isinstance(rec, ObjectRecord)
    return rec


def test_an_s3_listing_gives_etag_time_class_owner_and_parts(s3_endpoint: str) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="objects")
    client.put_object(Bucket="objects", Key="d/one.txt", Body=b"single part")
    big = bytes(range(256)) * 45_000  # 11.5 MB, uploaded in parts of 5 MiB
    part = TransferConfig(multipart_threshold=5 * 2**20, multipart_chunksize=5 * 2**20)
    client.upload_fileobj(io.BytesIO(big), "objects", "d/big.bin", Config=part)
    refs = {r.url: r for r in iter_refs("s3://objects/d", options=(("endpoint_url", s3_endpoint),))}
    one, multi = _record(refs["one.txt"]), _record(refs["big.bin"])
    head = client.head_object(Bucket="objects", Key="d/one.txt")
    assert one.url == "s3://objects/d/one.txt" and one.size == 11
    assert one.etag == hashlib.md5(b"single part").hexdigest() and one.multipart is False
    assert one.last_modified == pd.Timestamp(head["LastModified"]).to_pydatetime()
    assert one.last_modified is not None and one.last_modified.utcoffset() is not None
    assert one.storage_class == "STANDARD" and one.owner
    assert multi.multipart is True and multi.etag is not None and multi.etag.endswith("-3")
    # a multipart ETag is not an MD5: the worker does not call that a change
    res = extract_one(refs["big.bin"], tuple(registry()))
    assert res.problems == () and res.hashes is not None
    assert res.hashes.sha256 == hashlib.sha256(big).hexdigest()


def test_a_web_folder_gives_last_modified_from_its_head(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "메모 1.txt").write_text("수정", encoding="utf-8")
    os.utime(tmp_path / "sub" / "메모 1.txt", (1712800000, 1712800000))
    with http_folder(tmp_path) as url:
        (ref,) = iter_refs(url)
        rec = _record(ref)
    assert ref.url == "sub/메모 1.txt"  # unquoted: the name, not its %-encoding
    assert rec.source == "HTTP HEAD" and rec.etag is None and rec.size == 6
    assert rec.last_modified is not None
    assert rec.last_modified.timestamp() == 1712800000
