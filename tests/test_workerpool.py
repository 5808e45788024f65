"""Supervised workers: a file that hangs, balloons or crashes its worker is a
row with its hashes and a problem, and the scan goes on."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import forensics
from forensics.extractors.filesystem import FilesystemExtractor
from forensics.pipeline import Worker
from forensics.run import forkworker
from forensics.run.executors import ProcessExecutor
from forensics.run.workerpool import tree_rss
from forensics.sources import iter_refs

from .case_views import assert_same_case
from .conftest import ROOT, SAMPLES
from .faulty import Faulty, Parent


@pytest.fixture()
def importable_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers never import from the current directory; the faulty
    extractor reaches them through PYTHONPATH, as a plug-in would."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def _dump(folder: Path, words: dict[str, str]) -> Path:
    folder.mkdir()
    for name, word in words.items():
        (folder / name).write_bytes(f"{word}\n".encode() + b"x" * 100)
    return folder


@pytest.fixture(params=["forked", "spawned"])
def start(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Workers forked from the scan (where no other thread runs) and workers
    started as fresh interpreters (where one does) behave alike."""
    monkeypatch.setattr(forkworker, "can_fork", lambda: request.param == "forked")
    return str(request.param)


def test_hang_balloon_and_crashes_are_rows_and_the_scan_goes_on(
    tmp_path: Path, importable_tests: None, start: str
) -> None:
    words = {
        "a_ok.txt": "OK",
        "b_hang.txt": "HANG",
        "c_balloon.txt": "BALLOON",
        "d_segfault.txt": "SEGFAULT",
        "e_killed.txt": "EXIT",
        "f_ok.txt": "OK",
        "g_ok.txt": "OK",
    }
    dump = _dump(tmp_path / "dump", words)
    worker = Worker((FilesystemExtractor(), Faulty()))
    executor = ProcessExecutor(jobs=2, file_timeout=3, file_memory=400 * 2**20)
    results = {r.ref.url: r for r in executor.map(worker, iter_refs(dump))}
    assert sorted(results) == sorted(words)
    expect = {
        "b_hang.txt": "timeout",
        "c_balloon.txt": "memory_limit",
        "d_segfault.txt": "worker_crashed",
        "e_killed.txt": "worker_crashed",
    }
    for url, res in results.items():
        data = (dump / url).read_bytes()
        assert res.hashes is not None and res.hashes.sha256 == hashlib.sha256(data).hexdigest()
        assert any(r.KIND == "filesystem" for r in res.records), url
        kinds = [p.kind for p in res.problems]
        if url in expect:
            assert kinds == [expect[url]], (url, res.problems)
            assert not res.notes
        else:
            assert kinds == [] and [n.text for n in res.notes] == ["read OK"]
    assert "SIGSEGV" in results["d_segfault.txt"].problems[0].message
    assert "twice" in results["d_segfault.txt"].problems[0].message  # a second worker tried
    assert "Fatal Python error" in results["d_segfault.txt"].problems[0].message  # faulthandler
    assert "SIGKILL" in results["e_killed.txt"].problems[0].message
    assert executor.replaced >= 6  # two crashes each for the segfault and the kill


def test_a_forked_worker_is_capped_on_what_it_holds_beyond_what_it_shares(
    tmp_path: Path, importable_tests: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker forked from a process that holds much (a notebook, this
    test) starts resident with those shared pages: only the balloon is
    stopped, not every file at once."""
    monkeypatch.setattr(forkworker, "can_fork", lambda: True)
    hoard = bytearray(300 * 2**20)
    for i in range(0, len(hoard), 4096):
        hoard[i] = 1  # resident
    dump = _dump(tmp_path / "dump", {"a.txt": "OK", "b.txt": "BALLOON", "c.txt": "OK"})
    executor = ProcessExecutor(jobs=1, file_timeout=60, file_memory=250 * 2**20)
    worker = Worker((FilesystemExtractor(), Faulty()))
    kinds = {r.ref.url: [p.kind for p in r.problems] for r in executor.map(worker, iter_refs(dump))}
    del hoard
    assert kinds == {"a.txt": [], "b.txt": ["memory_limit"], "c.txt": []}


def test_workers_are_forks_of_the_scan_unless_a_thread_runs(
    tmp_path: Path, importable_tests: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = _dump(tmp_path / "dump", {"a.txt": "OK"})
    here = os.getpid()
    worker = Worker((FilesystemExtractor(), Parent()))
    with monkeypatch.context() as alone:  # other tests' servers may still run threads here
        alone.setattr(threading, "active_count", lambda: 1)
        [forked] = ProcessExecutor(jobs=1).map(worker, iter_refs(dump))
    assert [n.text for n in forked.notes] == [f"forked by {here}"]
    assert forked.records and forked.hashes is not None
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        [spawned] = ProcessExecutor(jobs=1).map(worker, iter_refs(dump))
    finally:
        stop.set()
        other.join()
    assert [n.text for n in spawned.notes] == [f"spawned by {here}"]
    assert spawned.records == forked.records and spawned.hashes == forked.hashes


SPAWNING_CLI = (
    "import sys\n"
    "from forensics.run import forkworker\n"
    "forkworker.can_fork = lambda: False\n"
    "from forensics.cli import main\n"
    "sys.argv[0] = 'forensics'\n"
    "main()\n"
)


@pytest.mark.parametrize("start", ["forked", "spawned"])
def test_workers_do_not_import_a_forensics_folder_where_the_analyst_stands(
    tmp_path: Path, start: str
) -> None:
    samples_small = SAMPLES / "dump" / "misc"
    decoy = tmp_path / "here" / "forensics"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise SystemExit('the decoy was imported')\n")
    case = tmp_path / "case"
    cli = (
        [str(Path(sys.executable).parent / "forensics")]
        if start == "forked"
        else [sys.executable, "-P", "-c", SPAWNING_CLI]  # -P: the decoy is not ours to import
    )
    proc = subprocess.run(
        [
            *cli,
            "scan",
            str(samples_small),
            "-o",
            str(case),
            "--no-ocr",
            "--jobs",
            "2",
        ],
        cwd=decoy.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert len(forensics.open_case(case).files) == len(list(iter_refs(samples_small)))


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            out.update(int(c) for c in fh.read().split())
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def test_kill_9_of_the_scan_takes_its_workers_and_a_rerun_completes_the_case(
    tmp_path: Path, importable_tests: None
) -> None:
    words = {f"{i:02d}.txt": ("SLOW" if i % 3 == 0 else "OK") for i in range(12)}
    dump = _dump(tmp_path / "dump", words)
    script = (
        "import sys, forensics\n"
        "from tests.faulty import Faulty\n"
        "from forensics.run import scanner\n"
        "from forensics.extractors import registry\n"
        "scanner.registry = lambda: (*registry(), Faulty())\n"
        "forensics.scan(sys.argv[1], sys.argv[2], ocr=False, jobs=2, batch_size=1)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    case = tmp_path / "case"
    proc = subprocess.Popen([sys.executable, "-c", script, str(dump), str(case)], env=env)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.1)
    assert len(workers) == 2
    time.sleep(3)  # a few files done, some in flight
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers), "workers outlived the scan"
    subprocess.run([sys.executable, "-c", script, str(dump), str(case)], env=env, check=True)
    whole = tmp_path / "whole"
    subprocess.run([sys.executable, "-c", script, str(dump), str(whole)], env=env, check=True)
    resumed, uninterrupted = forensics.open_case(case), forensics.open_case(whole)
    assert_same_case(resumed, uninterrupted)
    assert sorted(resumed.files["path"]) == sorted(words)


def test_tree_rss_counts_children() -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", "b = bytearray(200 * 2**20); input()"], stdin=subprocess.PIPE
    )
    try:
        time.sleep(1.0)
        assert tree_rss(os.getpid()) >= tree_rss(child.pid) > 150 * 2**20
    finally:
        child.kill()
        child.wait()


def test_a_worker_killed_from_outside_costs_its_file_nothing(
    tmp_path: Path, importable_tests: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = _dump(tmp_path / "dump", {"slow.txt": "SLOW"})
    mark = tmp_path / "busy"
    monkeypatch.setenv("FAULTY_MARK", str(mark))
    worker = Worker((FilesystemExtractor(), Faulty()))
    executor = ProcessExecutor(jobs=1, file_timeout=60, file_memory=None)
    killed: list[int] = []

    def kill_the_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not mark.exists():
            time.sleep(0.05)
        pid = int(mark.read_text().split()[0])  # the first worker, while it reads the file
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    killer = threading.Thread(target=kill_the_busy_worker)
    killer.start()
    [result] = list(executor.map(worker, iter_refs(dump)))
    killer.join()
    assert killed, "the test never found the worker"
    assert result.problems == () and [n.text for n in result.notes] == ["read SLOW"]
    assert executor.replaced == 1
    assert len(mark.read_text().split()) == 2  # a second worker read it
