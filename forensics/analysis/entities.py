"""Who the files name: people, machines, organisations and software, as
rows an analyst can group by.

Nothing is guessed from free text. A value is an entity only when it sits
in a field its extractor declares (`Record.ENTITY_FIELDS`: an IPTC
by-line, an office file's last-modified-by, an XMP software agent...); the
only values read out of a declared field are the user and host names of an
embedded path (`C:\\Users\\kim\\...`, `/Users/kim/...`, `/home/kim/...`,
`\\\\HOST\\share\\...`; roles `user` and `host`) and e-mail addresses in a
person's field (role `email`), and each row says which field it came from.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..records import Record
    from ..store.views import Store

ROLES = (
    "author",
    "byline",
    "creator",
    "last_modified_by",
    "software",
    "host",
    "user",
    "email",
    "organization",
    "copyright",
    "device",
    "approver",  # who signed an exposure sheet's stage
    "licence",  # a software licence's id (a Harmony drawing's certificate)
)
PEOPLE = ("author", "byline", "creator", "last_modified_by", "copyright", "approver")
COLUMNS = ["path", "role", "value", "extractor", "field", "kind"]

_USER = re.compile(
    r"(?:^|[\\/])(?:[A-Za-z]:[\\/])?(?:Users|Documents and Settings|home)[\\/]([^\\/]+)[\\/]?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:\\\\|//)([^\\/]+)[\\/]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Windows and macOS folder names that are not a person
_NOT_USERS = {"public", "default", "all users", "shared", "default user"}


def from_path(text: str) -> Iterator[tuple[str, str]]:
    """(role, value) for the user and host names in an embedded path."""
    host = _HOST.match(text)
    if host:
        yield "host", host.group(1)
    for user in _USER.finditer(text):
        name = user.group(1).strip()
        if name and name.lower() not in _NOT_USERS:
            yield "user", name


def _values(value: Any) -> list[str]:
    """A field's values as names are compared: composed (NFC), since a Mac
    writes a path's kana and accents decomposed and a Windows disk the same
    name composed; the records keep them as written."""
    if isinstance(value, list | tuple):
        found = [v for v in value if isinstance(v, str)]
    else:
        found = [value] if isinstance(value, str) else []
    return [unicodedata.normalize("NFC", v).strip() for v in found if v.strip()]


def entities_of(cls: type[Record], body: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(role, value, field) for one record's body."""
    for name, role in cls.entity_fields(body).items():
        for value in _values(body.get(name)):
            if role == "path":
                for found_role, found in from_path(value):
                    yield found_role, found, name
                continue
            yield role, value, name
            if role in PEOPLE:
                for email in _EMAIL.findall(value):
                    yield "email", email, name


def record_classes() -> dict[str, type[Record]]:
    """Every record kind the registry's extractors write, by KIND."""
    from ..extractors import registry

    return {cls.KIND: cls for ex in registry() for cls in ex.record_kinds}


Row = tuple[str, str, str, str, str, str]  # path, role, value, extractor, field, kind


def table(records: pd.DataFrame) -> pd.DataFrame:
    """The entities view from the records view: path, role, value,
    extractor, field, kind (the record kind): one row per value and the
    field it was found in (a value two records of a file repeat is one)."""
    return _frame(list(_rows(records[records["kind"].isin(entity_kinds())])))


def _rows(records: pd.DataFrame) -> Iterator[Row]:
    """The entity rows of records read whole (their bodies parsed)."""
    classes = record_classes()
    for path, extractor, kind, text in zip(
        records["path"].tolist(),
        records["extractor"].tolist(),
        records["kind"].tolist(),
        records["body"].tolist(),
        strict=True,
    ):
        for role, value, field in entities_of(classes[kind], json.loads(text)):
            yield (path, role, value, extractor, field, kind)


def table_of(store: Store) -> pd.DataFrame:
    """`table` of a case's stored records, reading only what names an
    entity: a kind whose fields are fixed gives just those fields, taken
    out of the bodies by SQLite (`Store.record_fields`); a kind whose
    fields are named by the data (a PNG's text keys) is read whole."""
    classes = record_classes()
    rows: list[Row] = []
    present = store.record_kinds()
    for kind in (k for k in entity_kinds() if k in present):
        cls = classes[kind]
        if _overridden(cls):
            rows.extend(_rows(store.records_of(kind)))
            continue
        fields = tuple(cls.ENTITY_FIELDS)
        part = store.record_fields(kind, fields)
        # a field the record lacks is SQL's NULL, missing in pandas
        texts = zip(
            *([t if isinstance(t, str) else None for t in part[f].tolist()] for f in fields),
            strict=True,
        )
        found: dict[tuple[str | None, ...], list[tuple[str, str, str]]] = {}
        for path, extractor, key in zip(
            part["path"].tolist(), part["extractor"].tolist(), texts, strict=True
        ):
            named = found.get(key)
            if named is None:  # the same camera, software or artist: read once
                body = {f: json.loads(t) for f, t in zip(fields, key, strict=True) if t is not None}
                named = found[key] = list(entities_of(cls, body))
            rows.extend((path, role, value, extractor, field, kind) for role, value, field in named)
    return _frame(rows)


def _frame(rows: list[Row]) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=COLUMNS).drop_duplicates()
    order = ["path", "role", "value", "extractor", "field", "kind"]  # whatever the rows' order
    return df.sort_values(order, kind="stable").reset_index(drop=True)


def entity_kinds() -> list[str]:
    """The record kinds that can name an entity (the others need not be read)."""
    return sorted(kind for kind, cls in record_classes().items() if _declares(cls))


def _overridden(cls: type[Record]) -> bool:
    """Whether the class names its entity fields by the data (PNG text keys)."""
    from ..records import Record

    return cls.entity_fields.__func__ is not Record.entity_fields.__func__  # type: ignore[attr-defined]


def _declares(cls: type[Record]) -> bool:
    """Whether records of this class can name an entity at all."""
    return bool(cls.ENTITY_FIELDS) or _overridden(cls)


def by_file(entities: pd.DataFrame, roles: Iterable[str]) -> pd.DataFrame:
    """One column per role: a file's values of that role, sorted and joined
    with " | " (so a file with two authors is counted once, under both)."""
    import pandas as pd

    out = pd.DataFrame({"path": sorted(set(entities["path"]))})
    for role in roles:
        part = entities[entities["role"] == role]
        joined = part.groupby("path")["value"].agg(lambda v: " | ".join(sorted(set(v))))
        out[role] = out["path"].map(joined)
    return out
