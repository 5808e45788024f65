"""The UTC offset of the people behind the files, from three kinds of
evidence, each counted:

(a) explicit offsets in the data (EXIF OffsetTime, XMP, PDF, IPTC dates);
(b) naive times reconciled with UTC times of the same file (a zip entry's
    DOS time against its 0x5455 time, EXIF DateTime against the file's
    mtime or PNG tIME): their difference is the writer's offset;
(c) the activity pattern: the offset under which the hours and weekdays of
    the files' times look most like a working week (work in the day, a
    lunch dip, quiet nights and weekends).

Zone names follow history: Pyongyang kept UTC+08:30 from 2015-08-15 to
2018-05-04 and UTC+09:00 otherwise, which zoneinfo knows; a candidate lists
the zones whose offset on the files' dates is the candidate's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..events import format_offset

if TYPE_CHECKING:
    import pandas as pd


def evidence_fields(kind: str) -> frozenset[str]:
    """The event fields ("exif.date_time") whose record kinds declare them
    zone evidence of `kind` ("naive" or "utc"; records.TimeField)."""
    from .entities import record_classes

    return frozenset(
        f"{cls.KIND}.{name}"
        for cls in record_classes().values()
        for name, spec in cls.TIME_FIELDS.items()
        if spec.zone_evidence == kind
    )


# Office and XMP writers normalise to UTC ("Z"): an explicit +00:00 says little.
UTC_NORMALISED_WEIGHT = 0.25
ZONES = (
    "Asia/Pyongyang",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Manila",
    "Asia/Bangkok",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Australia/Sydney",
    "Pacific/Auckland",
)
WEIGHTS = {"explicit": 3.0, "reconciled": 3.0, "pattern": 1.0}


def candidate_offsets() -> list[int]:
    """Minutes east of UTC: every half hour from -12:00 to +14:00, and +05:45."""
    return sorted({m for m in range(-12 * 60, 14 * 60 + 1, 30)} | {345, 525, 765})


def explicit_counts(
    events: pd.DataFrame, dates: dict[int, list[dt.datetime]] | None = None
) -> Counter[int]:
    out: Counter[int] = Counter()
    rows = events[(events["zone_basis"] == "explicit") & events["offset"].notna()]
    for offset, field, utc in zip(rows["offset"], rows["field"], rows["utc"], strict=True):
        minutes = _minutes(offset)
        if minutes is None:
            continue
        normalised = minutes == 0 and field.startswith(("office.", "xmp"))
        out[minutes] += UTC_NORMALISED_WEIGHT if normalised else 1  # type: ignore[assignment]
        if dates is not None and str(utc) != "NaT":
            dates.setdefault(minutes, []).append(utc.to_pydatetime())
    return out


def _minutes(offset: str) -> int | None:
    try:
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        return sign * (int(hours) * 60 + int(minutes))
    except ValueError:
        return None


def reconciled_counts(
    events: pd.DataFrame, dates: dict[int, list[dt.datetime]] | None = None
) -> Counter[int]:
    """One vote per file: the offset its naive and UTC times agree on (each
    naive time against each instant of the same file, to the quarter hour
    within three seconds, at most 14 hours apart; the offset most pairs
    give, the first found on a tie), computed on whole columns."""
    import pandas as pd

    naive = events[
        events["field"].isin(evidence_fields("naive"))
        & (events["zone_basis"] != "explicit")
        & (events["flag"] != "unparsable")
    ]
    utc = events[events["field"].isin(evidence_fields("utc")) & events["utc"].notna()]
    out: Counter[int] = Counter()
    if naive.empty or utc.empty:
        return out
    left = pd.DataFrame(
        {
            "path": naive["path"].astype(str).to_numpy(),
            "wall": pd.to_datetime(
                naive["local"].astype(str).str.slice(0, 19), format="ISO8601", errors="coerce"
            ).to_numpy(),
        }
    )
    right = pd.DataFrame(
        {
            "path": utc["path"].astype(str).to_numpy(),
            "instant": pd.to_datetime(utc["utc"], utc=True).dt.tz_convert(None).to_numpy(),
        }
    )
    pairs = left.dropna(subset=["wall"]).merge(right, on="path", how="inner", sort=False)
    seconds = (pairs["wall"] - pairs["instant"]).dt.total_seconds()
    quarter = (seconds / 900).round()
    ok = (seconds.abs() <= 14 * 3600) & ((seconds - quarter * 900).abs() <= 3)
    votes = pairs.loc[ok, ["path"]].assign(offset=(quarter[ok] * 15).astype(int))
    votes["order"] = range(len(votes))
    tally = (
        votes.groupby(["path", "offset"], sort=False)
        .agg(n=("order", "size"), first=("order", "min"))
        .reset_index()
        .sort_values(["path", "n", "first"], ascending=[True, False, True])
    )
    best = tally.drop_duplicates("path")
    first_instant = right.drop_duplicates("path").set_index("path")["instant"]
    for path, offset in zip(best["path"], best["offset"], strict=True):
        out[int(offset)] += 1
        if dates is not None:
            dates.setdefault(int(offset), []).append(
                pd.Timestamp(first_instant[path]).to_pydatetime().replace(tzinfo=dt.UTC)
            )
    return out


def _template(weekday: int, hour: int) -> float:
    """An office week: mornings and afternoons, a lunch dip, quiet evenings,
    nights and weekends."""
    if weekday >= 5:
        return 0.05
    if 9 <= hour < 12 or 13 <= hour < 18:
        return 1.0
    if hour == 12:
        return 0.3
    if hour in (8, 18, 19):
        return 0.3
    return 0.0


_TEMPLATE = [_template(d, h) for d in range(7) for h in range(24)]


def pattern_score(instants: list[dt.datetime], minutes: int) -> float:
    """Correlation (-1..1) between the week of activity shifted to this
    offset and an office week: a one-hour shift already costs."""
    return pattern_scores(instants, [minutes])[minutes]


def pattern_scores(instants: list[dt.datetime], offsets: list[int]) -> dict[int, float]:
    """`pattern_score` for each offset (minutes), the instants counted once:
    each instant's minute of the week, then the week shifted by each offset
    and summed by hour (100,000 instants and 112 offsets in milliseconds,
    where shifting every instant for every offset took seconds)."""
    import numpy as np

    if len(instants) < 2:
        return dict.fromkeys(offsets, 0.0)
    week = np.bincount(
        [t.weekday() * 1440 + t.hour * 60 + t.minute for t in instants], minlength=10080
    )
    template = np.array(_TEMPLATE) - np.mean(_TEMPLATE)
    var_t = float(np.sum(template**2))
    out: dict[int, float] = {}
    for minutes in offsets:
        # the instant at minute w of the week is at w + minutes where the offset is
        counts = np.roll(week, minutes).reshape(168, 60).sum(axis=1).astype(float)
        centred = counts - counts.mean()
        var_c = float(np.sum(centred**2))
        cov = float(np.sum(centred * template))
        out[minutes] = cov / (var_c * var_t) ** 0.5 if var_c and var_t else 0.0
    return out


def _median(values: list[dt.datetime] | None) -> dt.datetime | None:
    """The middle date of the evidence for one offset: zones are named by
    their offset at the time the evidence was written."""
    return sorted(values)[len(values) // 2] if values else None


def zone_names(minutes: int, when: dt.datetime) -> list[str]:
    """IANA zones whose offset at `when` is this many minutes."""
    out = []
    for name in ZONES:
        offset = when.astimezone(ZoneInfo(name)).utcoffset()
        if offset is not None and int(offset.total_seconds() // 60) == minutes:
            out.append(name)
    return out


def infer(events: pd.DataFrame, instants: list[dt.datetime]) -> pd.DataFrame:
    """Candidates best first: offset ("+09:00"), score, the evidence as
    columns (explicit: events written with this offset, of explicit_total;
    reconciled: naive times that an instant of the same file puts at this
    offset, of reconciled_total; pattern: how well the files' hours fit a
    working day at this offset, over files_in_pattern files), zones (IANA
    names with that offset on the files' dates)."""
    import pandas as pd

    dates: dict[int, list[dt.datetime]] = {}
    explicit = explicit_counts(events, dates)
    reconciled = reconciled_counts(events, dates)
    offsets = candidate_offsets()
    every = pattern_scores(instants, sorted(set(offsets) | set(explicit) | set(reconciled)))
    patterns = {m: every[m] for m in offsets}
    low, high = min(patterns.values()), max(patterns.values())
    span = (high - low) or 1.0
    total_e, total_r = sum(explicit.values()), sum(reconciled.values())
    when = sorted(instants)[len(instants) // 2] if instants else dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = []
    for m in sorted(set(offsets) | set(explicit) | set(reconciled)):
        share_e = explicit[m] / total_e if total_e else 0.0
        share_r = reconciled[m] / total_r if total_r else 0.0
        share_p = (every[m] - low) / span
        score = (
            WEIGHTS["explicit"] * share_e
            + WEIGHTS["reconciled"] * share_r
            + WEIGHTS["pattern"] * share_p
        ) / sum(WEIGHTS.values())
        rows.append(
            {
                "offset": format_offset(dt.timedelta(minutes=m)),
                "score": round(score, 4),
                "explicit": round(float(explicit[m]), 2),
                "explicit_total": round(float(total_e), 2),
                "reconciled": reconciled[m],
                "reconciled_total": total_r,
                "pattern": round(patterns.get(m, 0.0), 4),
                "files_in_pattern": len(instants),
                "zones": zone_names(m, _median(dates.get(m)) or when),
            }
        )
    table = pd.DataFrame(rows).sort_values(["score", "offset"], ascending=[False, True])
    return table.reset_index(drop=True)


def activity_matrix(instants: list[dt.datetime], zone: dt.tzinfo) -> pd.DataFrame:
    """Hour of day (rows 0-23) by weekday (Mon..Sun) counts in `zone`."""
    import pandas as pd

    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    counts: Counter[tuple[int, int]] = Counter()
    for t in instants:
        local = t.astimezone(zone)
        counts[(local.hour, local.weekday())] += 1
    return pd.DataFrame(
        [[counts[(h, d)] for d in range(7)] for h in range(24)],
        index=pd.RangeIndex(24, name="hour"),
        columns=days,
    )
