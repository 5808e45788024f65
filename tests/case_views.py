"""Helpers to compare cases: every view, without the fields that are wall
time (a file's seconds, the OCR's seconds) or the observation bookkeeping.

One more thing differs between two scans of the same folder, and it is the
evidence's doing, not the tool's: a symbolic link's atime. readlink(2) sets
it whatever the flags (there is no O_NOATIME for it), so the first scan
records the atime as found and a later scan the one the first scan's
readlink left. Those values are left out of the comparison, and only those.
"""

from __future__ import annotations

import json

import pandas as pd

import forensics

VIEWS = ("files", "records", "events", "notes", "problems")


def views(case: forensics.Case) -> dict[str, pd.DataFrame]:
    out = {}
    for name in VIEWS:
        df = getattr(case, name).drop(columns=["seconds", "observation"], errors="ignore")
        out[name] = df.reset_index(drop=True)
    files = out["files"]
    links = set(files.loc[files["kind"] == "symlink", "path"])
    records = out["records"]
    records["body"] = [
        _without(body, "atime")
        if kind == "filesystem" and path in links
        else _without(body, "seconds")
        if kind == "annotations"  # the OCR's wall time, like the files' seconds
        else body
        for path, kind, body in zip(records["path"], records["kind"], records["body"], strict=True)
    ]
    events = out["events"]
    keep = ~(events["path"].isin(links) & (events["field"] == "filesystem.atime"))
    out["events"] = events[keep].reset_index(drop=True)
    return out


def _without(body: str, key: str) -> str:
    data = json.loads(body)
    data.pop(key, None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def assert_same_case(a: forensics.Case, b: forensics.Case) -> None:
    va, vb = views(a), views(b)
    for name in VIEWS:
        pd.testing.assert_frame_equal(va[name], vb[name], obj=name)
