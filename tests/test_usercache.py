"""Tables kept parsed in the user's cache folder: the same table back, built
once, and built again when the kept one is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from forensics import usercache


def test_a_table_is_built_once_and_read_back_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    table = {"修改": -9.25, "수정": -10.5, "fix": -7.0, "nested": [1, "a", None]}
    builds: list[int] = []

    def build() -> dict[str, object]:
        builds.append(1)
        return dict(table)

    assert usercache.kept_table("words-1", build) == table
    assert usercache.kept_table("words-1", build) == table
    assert len(builds) == 1
    [kept] = list((tmp_path / "forensics").iterdir())
    kept.write_bytes(b"\x00not a table")  # damaged: built again, and kept again
    assert usercache.kept_table("words-1", build) == table
    assert len(builds) == 2
    assert usercache.kept_table("words-1", build) == table
    assert len(builds) == 2


def test_a_cache_folder_that_cannot_be_written_costs_only_the_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert usercache.kept_table("t", lambda: {"a": 1.5}) == {"a": 1.5}
