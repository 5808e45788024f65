"""Derived tables kept beside the case, so that each command (a new
process) does not compute them again: the files with their production
fields, each file's time, the drawings and their revisions, the entities,
the zone candidates.
They are Parquet files in `cache/derived/` of the case folder, each named
by what it depends on: the case file's state (its and its WAL's size and
modification time, the case's production patterns), the observation it is
read at, the code that computes it (the package's modules' text, pandas'
version) and its own key. Any write to the case changes the state,
so a table made before is never read again, and the next one written
clears the folder of tables of other states.

Only a table whose every column has a dtype Parquet keeps exactly (text,
numbers, nullable integers and floats, booleans, times; lists of text, as
JSON) is kept, and only after it read back equal: a cached table is the
table computed. A case
folder on read-only media, or without pyarrow, computes as before. Parquet,
not pickle: a case folder comes from elsewhere, and unpickling runs code.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

FOLDER = Path("cache") / "derived"


@functools.cache
def code_signature() -> str:
    """What the derived tables' code is: the text of every module of the
    package (the analysis computes them, but the extractors' record kinds
    say which fields name an entity or a save), its data files of
    patterns, and pandas' version: 0.8 MB hashed in a few milliseconds."""
    import pandas as pd

    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(pd.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".toml"):
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _name(state: tuple[Any, ...], key: tuple[Any, ...]) -> tuple[str, str]:
    prefix = hashlib.sha256(repr((state, code_signature())).encode()).hexdigest()[:16]
    return prefix, f"{prefix}-{hashlib.sha256(repr(key).encode()).hexdigest()[:24]}.parquet"


def _lists(df: pd.DataFrame) -> list[str] | None:
    """The object columns that hold lists of text only (a zone candidate's
    IANA names), kept as JSON text; None when another object column makes
    the table one Parquet would not give back as it was."""
    out = []
    for name, dtype in df.dtypes.items():
        if str(dtype) != "object":
            continue
        if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in df[name]):
            return None
        out.append(str(name))
    return out


def _encoded(df: pd.DataFrame, lists: list[str]) -> pd.DataFrame:
    if not lists:
        return df
    out = df.copy()
    for name in lists:
        out[name] = [json.dumps(v, ensure_ascii=False) for v in out[name]]
    out.attrs["json_columns"] = lists
    return out


def _decoded(df: pd.DataFrame) -> pd.DataFrame:
    lists = df.attrs.pop("json_columns", None) or []
    for name in lists:
        df[name] = _objects([json.loads(v) for v in df[name]])
    return df


def _objects(values: list[Any]) -> Any:
    import pandas as pd

    return pd.Series(values, dtype=object).to_numpy()


def exists(case: Path, state: tuple[Any, ...], key: tuple[Any, ...]) -> bool:
    return _path(case, state, key).exists()


def _path(case: Path, state: tuple[Any, ...], key: tuple[Any, ...]) -> Path:
    return case / FOLDER / _name(state, key)[1]


def load(case: Path, state: tuple[Any, ...], key: tuple[Any, ...]) -> pd.DataFrame | None:
    """The table kept for this state and key, if there is one."""
    path = _path(case, state, key)
    if not path.exists():
        return None
    try:
        import pandas as pd

        return _decoded(pd.read_parquet(path))
    except Exception:  # a table cut short, pyarrow gone: computed again
        return None


def keep(case: Path, state: tuple[Any, ...], key: tuple[Any, ...], df: pd.DataFrame) -> None:
    """Write the table for this state and key, if Parquet keeps it exactly
    (checked by reading it back); tables of other states are removed."""
    lists = _lists(df)
    if lists is None or not df.columns.is_unique:
        return
    prefix, name = _name(state, key)
    folder = case / FOLDER
    try:
        import pandas as pd

        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.parquet"):
            if not old.name.startswith(prefix):
                old.unlink(missing_ok=True)
        tmp = folder / f".{name}.{os.getpid()}"
        _encoded(df, lists).to_parquet(tmp)
        back = _decoded(pd.read_parquet(tmp))
        if not df.equals(back) or not _same_dtypes(df, back):
            tmp.unlink(missing_ok=True)
            return
        os.replace(tmp, folder / name)
    except Exception:  # read-only media, no pyarrow, a full disk: the table is not kept
        return


def keep_in_background(
    case: Path, state: tuple[Any, ...], key: tuple[Any, ...], compute: Callable[[], Any]
) -> int | None:
    """Compute and keep a table in a forked process, so that this one goes
    on with other work on the other core: the child's pid, or None where it
    cannot be done (not Linux, another thread running, as
    `run/forkworker.py` says why; a folder that cannot keep tables, or no
    pyarrow to keep them with). The caller waits for the pid before it
    reads the table (`load`), and computes it itself when the child kept
    nothing."""
    if sys.platform != "linux" or threading.active_count() != 1 or not os.access(case, os.W_OK):
        return None
    if importlib.util.find_spec("pyarrow") is None:
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    code = 1
    try:
        value = compute()
        if hasattr(value, "to_parquet"):
            keep(case, state, key, value)
            code = 0
    except BaseException:  # the parent computes it: nothing to say here
        code = 1
    finally:
        os._exit(code)


def _same_dtypes(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return list(a.columns) == list(b.columns) and all(
        str(x) == str(y) for x, y in zip(a.dtypes, b.dtypes, strict=True)
    )
