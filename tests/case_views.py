"""Helpers to compare cases: every view, without the one field that is
wall time (seconds) or the observation bookkeeping."""

from __future__ import annotations

import pandas as pd

import forensics

VIEWS = ("files", "records", "events", "notes", "problems")


def views(case: forensics.Case) -> dict[str, pd.DataFrame]:
    out = {}
    for name in VIEWS:
        df = getattr(case, name).drop(columns=["seconds", "observation"], errors="ignore")
        out[name] = df.reset_index(drop=True)
    return out


def assert_same_case(a: forensics.Case, b: forensics.Case) -> None:
    va, vb = views(a), views(b)
    for name in VIEWS:
        pd.testing.assert_frame_equal(va[name], vb[name], obj=name)
