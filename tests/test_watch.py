"""`forensics watch` (issue 26): one observation each period, a failed one
recorded and the next going on, SIGTERM between files, a log line each."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import forensics
from forensics.config import ScanConfig
from forensics.store.lock import CaseBusy

from .test_case import _rows
from .test_observations import _day


def test_three_observations_on_schedule_with_their_lines(tmp_path: Path) -> None:
    src, case = tmp_path / "src", tmp_path / "case"
    lines: list[str] = []
    done = forensics.watch(
        src,
        case,
        every=0.5,
        count=3,
        config=ScanConfig(ocr=False, executor="serial"),
        echo=lines.append,
        before_each=lambda n: _day(src, n + 1),
    )
    assert [d["observation"] for d in done] == [1, 2, 3]
    assert (done[1]["new"], done[1]["gone"]) == (1, 1)  # e.txt new, b.txt gone
    assert done[1]["changed"] == 3  # a.txt, the upload and its c.txt (a row of its own)
    assert (done[2]["new"], done[2]["gone"]) == (1, 1)  # e.txt renamed to f.txt
    starts = [time.mktime(time.strptime(d["started"], "%Y-%m-%dT%H:%M:%S+00:00")) for d in done]
    assert starts[2] - starts[0] >= 1  # on schedule, not back to back
    logged = [json.loads(line) for line in (case / "watch.log").read_text().splitlines()]
    assert [entry["line"] for entry in logged] == lines
    assert "observation 2: 1 new, 3 changed, 1 gone" in lines[1]


def test_a_failed_observation_is_recorded_and_the_next_goes_on(tmp_path: Path) -> None:
    src, away, case = tmp_path / "src", tmp_path / "away", tmp_path / "case"
    _day(src, 1)

    def server(n: int) -> None:  # the source vanishes for the second observation
        if n == 1:
            src.rename(away)
        elif n == 2:
            away.rename(src)

    done = forensics.watch(
        src,
        case,
        every=0.2,
        count=3,
        config=ScanConfig(ocr=False, executor="serial"),
        retries=1,
        retry_wait=0.05,
        echo=lambda _line: None,
        before_each=server,
    )
    assert "observation" in done[0] and "observation" in done[2]
    assert "FileNotFoundError" in done[1]["error"] and done[1]["attempts"] == 2
    assert len(forensics.open_case(case).observations) == 2


def test_the_case_is_held_while_the_watch_waits(tmp_path: Path) -> None:
    src, case = tmp_path / "src", tmp_path / "case"
    _day(src, 1)
    watching = threading.Thread(
        target=forensics.watch,
        args=(src, case, 3.0),
        kwargs={
            "count": 2,
            "config": ScanConfig(ocr=False, executor="serial"),
            "echo": lambda _line: None,
        },
    )
    watching.start()
    try:
        time.sleep(1.5)  # the first observation is done, the watch waits for the second
        with pytest.raises(CaseBusy):
            forensics.scan(src, case, executor="serial", ocr=False)
    finally:
        watching.join()


def test_sigterm_ends_it_between_files_and_the_same_command_resumes(tmp_path: Path) -> None:
    src, case = tmp_path / "src", tmp_path / "case"
    src.mkdir()
    for i in range(400):
        (src / f"sheet_{i:03d}.txt").write_text(f"sheet {i}\n" * 50)
    command = [
        sys.executable, "-m", "forensics.cli", "watch", str(src), "-o", str(case),
        "--every", "1h", "--count", "1", "--no-ocr", "--jobs", "1",
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _rows(case) < 20 and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "stopped between files" in out
    assert 0 < _rows(case) < 400
    assert not forensics.open_case(case).complete
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    resumed = forensics.open_case(case)
    assert resumed.complete and len(resumed.observations) == 1
    assert len(resumed.files) == 400 and resumed.manifest["resumed"] is True


def test_an_observation_whose_process_is_killed_costs_that_observation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each observation runs in a process of its own: one killed (as the
    kernel kills a process out of memory) is recorded, and the watching
    process goes on to the next, each with its own peak memory."""
    import os

    from forensics.run import watch as watching

    src, case = tmp_path / "src", tmp_path / "case"
    _day(src, 1)
    observe = watching._observe
    calls = {"n": 0}

    def killed_the_second_time(*args: object) -> dict[str, object]:
        if calls["n"] == 1:  # the parent set it before it forked this process
            os.kill(os.getpid(), signal.SIGKILL)
        return observe(*args)  # type: ignore[arg-type]

    def before(n: int) -> None:
        calls["n"] = n

    monkeypatch.setattr(watching, "_observe", killed_the_second_time)
    done = forensics.watch(
        src,
        case,
        every=0,
        count=3,
        config=ScanConfig(ocr=False, executor="serial"),
        echo=lambda _line: None,
        before_each=before,
    )
    assert "SIGKILL" in done[1]["error"]
    assert [d.get("observation") for d in done] == [1, None, 2]
    assert all(d["peak_mb"] > 0 for d in (done[0], done[2]))
    assert forensics.open_case(case).complete


class Unmakeable(Exception):
    """Pickles (its class is found by name), but cannot be made again from
    its pickle: its constructor wants two arguments, the pickle holds one."""

    def __init__(self, a: int, b: int) -> None:
        super().__init__(f"{a} and {b}")


def test_an_exception_of_the_observation_reaches_the_watch_as_it_was() -> None:
    """What an observation's process raises is raised in the watching
    process: as itself when it pickles both ways, else as its text."""
    from forensics.errors import UsageError
    from forensics.run.forked import in_child

    def refused() -> dict[str, object]:
        raise CaseBusy("the case is being written by process 1")

    def odd() -> dict[str, object]:
        raise Unmakeable(1, 2)

    with pytest.raises(CaseBusy, match="process 1"):
        in_child(refused)
    # as itself where exceptions pickle by their state (dask's tblib, once imported, makes
    # them so), else as its text: never the TypeError of making it again in the watch
    with pytest.raises((Unmakeable, UsageError), match="1 and 2"):
        in_child(odd)
    value, peak = in_child(lambda: {"observation": 3})
    assert value == {"observation": 3} and peak is not None and peak > 0
