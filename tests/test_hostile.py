"""The hostile corpus (tests/hostile.py), scanned as an analyst would: the
scan ends, every entry is a row with its problem, memory stays under the
cap, and the evidence and everything outside the case folder are unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import forensics
from forensics.records import PROBLEM_KINDS
from forensics.run.workerpool import tree_rss
from forensics.sources import iter_refs

from . import hostile

GB = 10**9


def _tree(root: Path) -> dict[bytes, tuple[int, int, int, int, str]]:
    """Every entry under root: mode, size, mtime and atime in ns, and the
    SHA-256 of regular files, read with O_NOATIME (folders included: listing
    one bumps its atime otherwise, and this check must not change what it
    checks)."""
    out: dict[bytes, tuple[int, int, int, int, str]] = {}
    noatime = getattr(os, "O_NOATIME", 0)

    def walk(folder: bytes) -> None:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | noatime)
        try:
            names = sorted(os.fsencode(n) for n in os.listdir(fd))
        finally:
            os.close(fd)
        for name in names:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            digest = ""
            if stat.S_ISREG(st.st_mode) and st.st_size < 2**30:
                with os.fdopen(os.open(path, os.O_RDONLY | noatime), "rb") as fh:
                    digest = hashlib.file_digest(fh, "sha256").hexdigest()
            out[path] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_atime_ns, digest)
            if stat.S_ISDIR(st.st_mode):
                walk(path)

    walk(os.fsencode(root))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("hostile")
    expect = hostile.build(root / "dump")
    return root, expect


def test_a_hostile_folder_is_scanned_whole_and_left_as_it_was(
    corpus: tuple[Path, dict[str, str]],
) -> None:
    root, expect = corpus
    dump = root / "dump"
    before, around = _tree(dump), sorted(os.listdir(root))
    # The scan runs as its own process, so that the memory measured is the
    # scan's tree alone, not what earlier tests left in the test runner.
    scan = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "forensics.cli",
            "scan",
            str(dump),
            "-o",
            str(root / "case"),
            "--no-ocr",
            "--jobs",
            "2",
            "--file-timeout",
            "20",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(scan.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = time.monotonic()
    try:
        output, errors = scan.communicate()
    finally:
        done.set()
        watcher.join()
    elapsed = time.monotonic() - start
    # files had problems; the scan itself did not fail
    assert scan.returncode == 1, output + errors
    assert "reconciled" in output
    case = forensics.open_case(root / "case")
    files, problems = case.files, case.problems
    walked = [ref.url for ref in iter_refs(dump)]
    assert sorted(files["path"]) == sorted(walked)  # every entry a row, each once
    assert files["path"].is_unique
    kinds: dict[str, set[str]] = {}
    for path, kind in zip(problems["path"], problems["kind"], strict=True):
        kinds.setdefault(path, set()).add(kind)
    for url, kind in expect.items():
        below = [p for p in files["path"] if p == url or p.startswith(url + "!/")]
        assert below, f"no row for {url}"
        if kind:
            assert any(kind in kinds.get(p, set()) for p in below), (url, kind, kinds.get(url))
    assert "error" not in set(problems["kind"]), problems[problems["kind"] == "error"]
    # Every input class is bounded inside the extractors now: none needs the
    # supervisor's last resort.
    last_resort = problems[problems["kind"].isin(["timeout", "memory_limit", "worker_crashed"])]
    assert last_resort.empty, last_resort[["path", "kind", "message"]].to_string()
    assert set(problems["kind"]) <= set(PROBLEM_KINDS)
    assert case.manifest["counts"]["reconciliation"]["missing"] == 0
    after = _tree(dump)
    assert after.keys() == before.keys(), "the evidence changed"
    for path, was in before.items():
        now = after[path]
        if stat.S_ISLNK(was[0]):
            # readlink(2) sets a link's atime whatever the flags (documented):
            # all else must hold, and the case records the atime as found.
            assert now[:3] == was[:3] and now[4] == was[4], path
        else:
            assert now == was, f"the evidence changed: {path!r}"
    records = case.records
    for path, was in before.items():
        if stat.S_ISLNK(was[0]):
            url = os.fsdecode(os.path.relpath(path, os.fsencode(dump)))
            body = records[(records["path"] == url) & (records["kind"] == "filesystem")]["body"]
            recorded = json.loads(body.iloc[0])["atime"]
            found = dt.datetime.fromtimestamp(was[3] // 10**9, tz=dt.UTC) + dt.timedelta(
                microseconds=was[3] % 10**9 // 1000
            )
            assert dt.datetime.fromisoformat(recorded) == found, url
    assert sorted(os.listdir(root)) == sorted([*around, "case"])  # nothing written elsewhere
    assert peak[0] < 1.5 * GB, f"peak {peak[0] / GB:.2f} GB"
    assert elapsed < 20 * len(walked)
