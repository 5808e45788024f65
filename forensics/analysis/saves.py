"""Saves of the work: one row per save a file records (a line of an
OpenToonz history, a Harmony scene's save, a Krita document's last save,
an exposure sheet's last update), with who saved it on which machine.

Which records stand for saves, and which of their fields say when, who,
where and how much, is declared by each record kind (`Record.SAVE`);
nothing here names an extractor. One save seen in several files (a scene
and its backup copy, a Harmony scene and its element table) is one save:
rows of the same kind, instant, user and host are kept once, in the first
path.

`saves` is 1 a row; `declared_saves` and `editing_seconds` are what a
document says of itself (Krita's editing cycles and editing time): totals
since the document was created, so a later version's figures include the
earlier ones'.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ..events import localize

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "path",
    "kind",
    "time",
    "local",
    "zone_basis",
    "user",
    "host",
    "saves",
    "declared_saves",
    "editing_seconds",
]


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def specs() -> dict[str, dict[str, str]]:
    """Each record kind that stands for saves, with its `SAVE` fields."""
    from .entities import record_classes

    return {kind: cls.SAVE for kind, cls in record_classes().items() if cls.SAVE}


def table(records: pd.DataFrame, zone: dt.tzinfo | None = None) -> pd.DataFrame:
    """The saves view from the records view; naive times are read in `zone`
    (zone_basis "assumed"), or stay without an instant (NaT, "unknown")."""
    import pandas as pd

    kinds = specs()
    part = records[records["kind"].isin(kinds)]
    rows = []
    for path, kind, text in zip(
        part["path"].tolist(), part["kind"].tolist(), part["body"].tolist(), strict=True
    ):
        spec, body = kinds[kind], json.loads(text)
        local = body.get(spec["time"])
        if not isinstance(local, str) or not local:
            continue
        try:
            when = dt.datetime.fromisoformat(local)
        except ValueError:
            continue  # kept as written in the records; no instant to count
        if when.tzinfo is not None:
            utc, basis = when.astimezone(dt.UTC).isoformat(), "utc"
            local = when.replace(tzinfo=None).isoformat()
        elif zone is not None:
            utc, basis = localize(local, zone)[0], "assumed"
        else:
            utc, basis = None, "unknown"
        rows.append(
            (
                path,
                kind,
                utc,
                local,
                basis,
                _text(body.get(spec.get("user", ""))),
                _text(body.get(spec.get("host", ""))),
                1,
                _int(body.get(spec.get("count", ""))),
                _int(body.get(spec.get("seconds", ""))),
            )
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["time"] = pd.to_datetime(df["time"], utc=True, format="ISO8601")
    for column in ("saves", "declared_saves", "editing_seconds"):
        df[column] = df[column].astype("Int64")
    df = df.sort_values(["time", "path"], na_position="last", kind="stable")
    once = df.drop_duplicates(["kind", "local", "user", "host"])
    return once.reset_index(drop=True)
