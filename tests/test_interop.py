"""Our exports read by the tools they are for (issue 27): Timesketch's own
importer (`timesketch-import-client`'s `ImportStreamer`, its upload stubbed
as its own tests stub it) reads every event of the Timesketch CSV and
JSONL exports of the samples, each at the case's instant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest

import forensics

importer = pytest.importorskip(
    "timesketch_import_client.importer", reason="the interop extra (make setup installs it)"
)


class _Kept(importer.ImportStreamer):  # type: ignore[misc,name-defined]
    """The streamer with its two upload calls keeping what they were given."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, Any]] = []

    def _upload_data_buffer(
        self, end_stream: bool, data_lines: Any = None, retry_count: int = 0
    ) -> None:
        self.lines.extend(data_lines if data_lines is not None else self._data_lines)

    def _upload_data_frame(self, data_frame: Any, end_stream: bool, retry_count: int = 0) -> None:
        self.lines.extend(json.loads(data_frame.to_json(orient="records")))

    def close(self) -> None:
        pass


def _imported(path: Path) -> list[dict[str, Any]]:
    sketch = mock.Mock(id=1)
    sketch.api.api_root = "stub"
    with _Kept() as streamer:
        streamer.set_sketch(sketch)
        streamer.set_timeline_name("samples")
        streamer.add_file(str(path))
        streamer.flush()
        return list(streamer.lines)


def test_timesketch_imports_every_event_at_its_instant(dump_copy: Path, tmp_path: Path) -> None:
    case = forensics.scan(
        dump_copy, tmp_path / "case", executor="serial", ocr=False, assume_tz="+09:00"
    )
    events = case.events_in(None)
    want = sorted(events["utc"].dropna())
    assert len(want) > 500
    for fmt, name in (("timesketch", "ts.csv"), ("timesketch-jsonl", "ts.jsonl")):
        counts = forensics.export_case(case, fmt, tmp_path / name)
        lines = _imported(tmp_path / name)
        assert len(lines) == len(events) == counts["events"], fmt
        assert all(line.get("message") and line.get("timestamp_desc") for line in lines), fmt
        dated = [line for line in lines if not line.get("zone_unknown")]
        dated = [line for line in dated if not str(line["datetime"]).startswith("1970-01-01")]
        got = sorted(pd.to_datetime([line["datetime"] for line in dated], utc=True, format="mixed"))
        assert got == want, fmt  # every instant the case holds, as Timesketch reads it
