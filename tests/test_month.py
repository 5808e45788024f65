"""A month of a changing source, watched (issue 26's goal, at a small
scale): 30 daily observations of a web folder served over HTTP and of a
bucket in moto's S3, both on loopback, files added, corrected, renamed and
deleted between them, the server down on one day. Every version of every
file comes back byte for byte, the WARC files read back with warcio,
`case.at(k)` is the source as it was on day k, and the day the server was
down costs that observation only."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import forensics
from forensics.config import ScanConfig

from .servers import Outage, _wait, free_port, moto_server, s3_client

DAYS = 30
DOWN = 15  # the day the server does not answer


def _change(files: dict[str, bytes], rng: random.Random, day: int) -> dict[str, bytes]:
    """One day of work on the server: a new sheet, a correction, sometimes
    a rename or a deletion."""
    files = dict(files)
    files[f"day{day:02d}_new.txt"] = f"new on day {day}\n".encode()
    names = sorted(files)
    corrected = rng.choice(names)
    files[corrected] += f"corrected on day {day}\n".encode()
    if day % 4 == 0 and len(names) > 3:
        old = rng.choice(names)
        files[f"renamed_{day:02d}_{old}"] = files.pop(old)
    if day % 5 == 0 and len(names) > 3:
        del files[rng.choice(sorted(files))]
    return files


def _watch(
    source: str,
    case: Path,
    sync: Callable[[dict[str, bytes]], None],
    server: Callable[[bool], None],
    **settings: Any,
) -> tuple[list[dict[str, Any]], dict[int, dict[str, bytes]]]:
    """Thirty days of `source`: each day's work synced to the server, the
    server down on day DOWN; returns the watch's lines and what the source
    held on each day it answered."""
    rng = random.Random(26)
    state = {f"sheet_{i}.txt": f"sheet {i}\n".encode() for i in range(5)}
    seen: dict[int, dict[str, bytes]] = {}

    def day(n: int) -> None:  # before observation n (0-based)
        nonlocal state
        if n:
            state = _change(state, rng, n)
        sync(state)
        server(n != DOWN)
        if n != DOWN:
            seen[n] = dict(state)

    done = forensics.watch(
        source,
        case,
        every=0,
        count=DAYS,
        config=ScanConfig.of(ocr=False, executor="serial", **settings),
        retries=1,
        retry_wait=0.05,
        echo=lambda _line: None,
        before_each=day,
    )
    return done, seen


def _check(folder: Path, done: list[dict[str, Any]], seen: dict[int, dict[str, bytes]]) -> None:
    failed = [n for n, entry in enumerate(done) if "observation" not in entry]
    assert failed == [DOWN] and len(done) == DAYS  # the server down cost one day
    case = forensics.open_case(folder)
    assert len(case.observations) == DAYS - 1 and case.complete
    ids = [int(entry["observation"]) for entry in done if "observation" in entry]
    days = [n for n in range(DAYS) if n != DOWN]
    versions = 0
    for n, k in zip(days, ids, strict=True):
        then = case.at(k)
        files = then.files[then.files["status"] != "gone"]
        want = {name: hashlib.sha256(data).hexdigest() for name, data in seen[n].items()}
        assert dict(zip(files["path"], files["sha256"], strict=True)) == want, n
        for name, data in seen[n].items():  # every version, byte for byte
            assert then.read_bytes(name) == data, (n, name)
            versions += 1
    assert versions > DAYS * 5
    from warcio.archiveiterator import ArchiveIterator

    archived = set()
    for path in sorted((folder / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    archived.add(hashlib.sha256(record.content_stream().read()).hexdigest())
    every_content = {
        hashlib.sha256(d).hexdigest() for day_files in seen.values() for d in day_files.values()
    }
    assert every_content <= archived
    assert case.verify()["ok"]


def test_a_month_of_a_web_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    proc: list[subprocess.Popen[bytes]] = []

    def sync(state: dict[str, bytes]) -> None:
        for path in site.iterdir():
            if path.name not in state:
                path.unlink()
        for name, data in state.items():
            if not (site / name).exists() or (site / name).read_bytes() != data:
                (site / name).write_bytes(data)

    def server(up: bool) -> None:
        if not up and proc:
            proc.pop().terminate()
        elif up and not proc:
            proc.append(
                subprocess.Popen(
                    argv, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            _wait(url, proc[0])

    try:
        done, seen = _watch(url, tmp_path / "case", sync, server)
    finally:
        server(False)
    _check(tmp_path / "case", done, seen)


def test_a_month_of_a_bucket(aws_credentials: None, tmp_path: Path) -> None:
    # a moto of its own: the session's, which other tests filled, lists three times slower
    with moto_server() as endpoint:
        _a_month_of_a_bucket(endpoint, tmp_path)


def _a_month_of_a_bucket(s3_endpoint: str, tmp_path: Path) -> None:
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket="month")
    client.put_bucket_versioning(Bucket="month", VersioningConfiguration={"Status": "Enabled"})
    outage = Outage(int(s3_endpoint.rsplit(":", 1)[1]))
    held: dict[str, bytes] = {}

    def sync(state: dict[str, bytes]) -> None:  # a rename in S3 is a copy and a delete
        for name in set(held) - set(state):
            client.delete_object(Bucket="month", Key=f"server/{name}")
        for name, data in state.items():
            if held.get(name) != data:
                client.put_object(Bucket="month", Key=f"server/{name}", Body=data)
        held.clear()
        held.update(state)

    try:
        done, seen = _watch(
            "s3://month/server",
            tmp_path / "case",
            sync,
            lambda up: outage.up() if up else outage.down(),
            endpoint_url=f"http://127.0.0.1:{outage.port}",
        )
    finally:
        outage.down()
    _check(tmp_path / "case", done, seen)
    from warcio.archiveiterator import ArchiveIterator

    with open(next((tmp_path / "case" / "warc").glob("*.warc.gz")), "rb") as fh:
        record = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
    url = record.rec_headers.get_header("WARC-Target-URI")  # the GET as it went, version and all
    assert url.startswith(f"http://127.0.0.1:{outage.port}/month/server/") and "?versionId=" in url
    assert record.http_headers.get_header("etag")
