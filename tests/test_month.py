"""A month of a web folder, watched (issue 26's goal, at a small scale):
30 daily observations of a folder served over HTTP on loopback, files
added, corrected, renamed and deleted between them, the server down on
one day. Every version of every file comes back byte for byte, the WARC
files read back with warcio, `case.at(k)` is the folder as it was on day
k, and the day the server was down costs that observation only."""

from __future__ import annotations

import hashlib
import random
import subprocess
import sys
from pathlib import Path

import forensics
from forensics.config import ScanConfig

from .servers import _wait, free_port

DAYS = 30
DOWN = 15  # the day the server does not answer


def _change(folder: Path, rng: random.Random, day: int) -> None:
    """One day of work on the server: a new sheet, a correction, sometimes
    a rename or a deletion."""
    (folder / f"day{day:02d}_new.txt").write_text(f"new on day {day}\n")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    corrected = rng.choice(files)
    corrected.write_text(corrected.read_text() + f"corrected on day {day}\n")
    if day % 4 == 0 and len(files) > 3:
        old = rng.choice(files)
        old.rename(folder / f"renamed_{day:02d}_{old.name}")
    if day % 5 == 0 and len(files) > 3:
        rng.choice(sorted(p for p in folder.iterdir() if p.is_file())).unlink()


def test_a_month_of_a_web_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for i in range(5):
        (site / f"sheet_{i}.txt").write_text(f"sheet {i}\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server: dict[str, subprocess.Popen[bytes] | None] = {"proc": None}

    def start() -> None:
        proc = subprocess.Popen(
            argv, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        server["proc"] = proc
        _wait(url, proc)

    def stop() -> None:
        proc = server["proc"]
        if proc is not None:
            proc.terminate()
            proc.wait(10)
            server["proc"] = None

    rng = random.Random(26)
    seen: dict[int, dict[str, bytes]] = {}

    def day(n: int) -> None:  # before observation n (0-based): the day's work, the server's state
        if n:
            _change(site, rng, n)
        if n == DOWN:
            stop()
        elif server["proc"] is None:
            start()
        if n != DOWN:
            seen[n] = {p.name: p.read_bytes() for p in site.iterdir() if p.is_file()}

    try:
        done = forensics.watch(
            url,
            tmp_path / "case",
            every=0,
            count=DAYS,
            config=ScanConfig(ocr=False, executor="serial"),
            retries=1,
            retry_wait=0.05,
            echo=lambda _line: None,
            before_each=day,
        )
    finally:
        stop()
    failed = [n for n, entry in enumerate(done) if "observation" not in entry]
    assert failed == [DOWN] and len(done) == DAYS  # the server down cost one day
    case = forensics.open_case(tmp_path / "case")
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
    for path in sorted((tmp_path / "case" / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    archived.add(hashlib.sha256(record.content_stream().read()).hexdigest())
    every_content = {
        hashlib.sha256(d).hexdigest() for day_files in seen.values() for d in day_files.values()
    }
    assert every_content <= archived
    assert case.verify()["ok"]
