"""The offline HTML report: one file, no network (charts are inline SVG,
thumbnails inline PNG), readable on a laptop and printable.

Built only from the public Case API."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..records import ANNOTATION_ORIGINS
from .charts import bar_chart, grouped_chart, heatmap

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.case import Case

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f4f4f4}.num{text-align:right}
.gallery{display:flex;flex-wrap:wrap;gap:1em}.sheet{border:1px solid #ccc;padding:.5em;width:340px;
overflow-wrap:anywhere}td{overflow-wrap:anywhere}
.sheet img{width:100%}.small{color:#666;font-size:.9em}
@media print{.sheet{break-inside:avoid}h2{break-after:avoid}}
"""


def _table(rows: list[dict[Any, Any]], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _thumbnail(data: bytes, notes: list[dict[str, Any]], width: int = 480) -> str:
    from PIL import Image, ImageDraw

    img = Image.open(io.BytesIO(data)).convert("RGB")
    scale = width / img.width
    img = img.resize((width, max(1, round(img.height * scale))))
    draw = ImageDraw.Draw(img)
    for number, note in enumerate(notes, 1):
        box = note.get("box")
        if box:
            x0, y0, x1, y1 = (round(v * scale) for v in box)
            draw.rectangle([x0 - 2, y0 - 2, x1 + 2, y1 + 2], outline=(0, 160, 0), width=2)
            # the note's number in the list beside the sheet
            tag = str(number)
            draw.rectangle([x0 - 2, y0 - 14, x0 + 7 * len(tag) + 2, y0 - 2], fill=(0, 160, 0))
            draw.text((x0, y0 - 13), tag, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def build(case: Case, gallery: int = 12) -> str:
    """The report as one HTML string."""
    case.prefetch()  # the files view, in another process while this one reads what needs none
    case.entities, case.events  # noqa: B018 - read now, kept for the sections below
    observations = case.observations
    problems = case.problems
    notes = case.notes
    manifest = case.manifest
    files = case.files
    present = files[files["status"] != "gone"]
    written = notes[notes["origin"].isin(ANNOTATION_ORIGINS)]  # the CLI's rule, --all-notes aside
    zones = case.zones().head(5)
    best = str(zones.iloc[0]["offset"]) if len(zones) else "UTC"
    daily = case.timeline(freq="D", tz=best)
    activity = case.activity(best)
    who = case.entity_summary()
    revisions = case.revisions()
    # what each later observation found (a changed image's share of changed pixels); the
    # first observation's files are all new, and are the rest of the report
    first = int(observations["id"].min()) if len(observations) else None
    later = case.changes(since=first, pixels=True)
    sources = sorted(set(observations["source"])) if len(observations) else []
    title = ", ".join(sources) or str(manifest.get("source", case.folder))
    parts = [
        f"<h1>forensics report: {html.escape(title)}</h1>",
        f"<p class=small>made {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by forensics "
        f"{html.escape(str(manifest.get('version', '')))}</p>",
    ]
    parts.append(
        "<h2>Findings</h2><ul class=findings>"
        + "".join(
            f"<li>{item}</li>"
            for item in _findings(
                sources, observations, daily, zones, activity, written, who, revisions, problems
            )
        )
        + "</ul>"
    )
    parts.append(
        "<h2>Overview</h2>"
        + _table(
            [
                {
                    "item": "rows",
                    "value": f"{len(present)} files, links and folders: "
                    f"{int(daily['files'].sum())} content files "
                    f"({int(daily['bytes'].sum()):,} bytes read) and "
                    f"{int(daily['archives'].sum())} archives dated; "
                    f"{len(present) - int(daily['files'].sum() + daily['archives'].sum())} "
                    "others (links, folders, undated)",
                },
                {
                    "item": "observations",
                    "value": ", ".join(str(s) for s in observations["started"]),
                },
                {"item": "problems", "value": len(problems)},
                {"item": "notes", "value": len(notes)},
                {"item": "case file SHA-256", "value": manifest.get("case_sha256", "")},
            ],
            ["item", "value"],
        )
    )
    parts.append(
        "<h2>People, machines and software</h2>"
        "<p class=small>Named in fields their formats define (IPTC by-line, office "
        "creator and last-modified-by, XMP creator tool and history agents, EXIF "
        "artist and software, user names in embedded paths); times are the files' "
        "(UTC).</p>"
        + (
            _table(
                who.head(40).to_dict("records"),
                ["role", "value", "files", "first_seen", "last_seen", "fields"],
            )
            if len(who)
            else "<p>The files name nobody.</p>"
        )
    )
    parts.append(f"<h2>Drawings and notes per day, by language (UTC{html.escape(best)})</h2>")
    parts.append(
        "<p class=small>Drawings dated that day, and the notes written on the files "
        "(ink, pencil, text layers, layer names: not printed headers, spreadsheet cells "
        "or path words) by the language they were read in.</p>"
    )
    langs_daily = [c for c in daily.columns if c.startswith("notes_")]
    parts.append(
        grouped_chart(
            [f"{p:%Y-%m-%d}" for p in daily["period"]],
            [("drawings", [int(v) for v in daily["drawings"]])]
            + [(c[len("notes_") :] + " notes", [int(v) for v in daily[c]]) for c in langs_daily],
            "drawings and notes by language per day",
            label_every=max(1, len(daily) // 12),
            unit="drawings, notes",
        )
    )
    parts.append(f"<h2>Daily volume (UTC{html.escape(best)})</h2>")
    parts.append(
        bar_chart(
            [f"{p:%Y-%m-%d}" for p in daily["period"]],
            [int(v) for v in daily["files"]],
            "content files per day",
            label_every=max(1, len(daily) // 12),
        )
    )
    parts.append(_files_behind(case, daily, best))
    by_group = case.timeline(freq="W", tz=best, by=("show", "stage"))
    totals = by_group.groupby(["show", "stage"])["files"].sum()
    totals = totals[totals > 0].sort_values(ascending=False)
    parts.append("<h2>Volume by show and stage</h2>")
    parts.append(
        bar_chart(
            [f"{show or '?'} {stage or '?'}" for show, stage in totals.index],
            [int(v) for v in totals.values],
            "files by show and stage",
            label_chars=18,
        )
    )
    langs = written["lang"].value_counts()
    parts.append("<h2>Note languages</h2>")
    parts.append(
        f"<p class=small>The {len(written)} notes written on the files (ink, pencil, text "
        f"layers, layer names); the case holds {len(notes) - len(written)} more (printed "
        "headers, spreadsheet cells, path words), which `forensics timeline --all-notes` "
        "counts.</p>"
    )
    parts.append(
        bar_chart(
            [str(k) for k in langs.index],
            [int(v) for v in langs.values],
            "notes by language",
            label_chars=12,
            unit="notes",
        )
    )
    parts.append(f"<h2>Activity by hour and weekday (UTC{html.escape(best)})</h2>")
    parts.append(heatmap(activity, unit="files"))
    parts.append("<h2>Time zone candidates</h2>")
    parts.append(
        bar_chart(
            [str(o) for o in zones["offset"]],
            [round(float(v) * 100) for v in zones["score"]],
            "zone candidates, score x100",
            label_chars=6,
            height=180,
            unit="score x100",
        )
    )
    parts.append(
        _table(
            [
                {
                    "offset": r["offset"],
                    "score": r["score"],
                    "times written with this offset": f"{r['explicit']:g} of "
                    f"{r['explicit_total']:g}",
                    "naive times a file's instant puts here": f"{r['reconciled']} of "
                    f"{r['reconciled_total']}",
                    "fit of a working day": f"{r['pattern']:.2f} ({r['files_in_pattern']} files)",
                    "zones": ", ".join(r["zones"]),
                }
                for r in zones.head(8).to_dict("records")
            ],
            [
                "offset",
                "score",
                "times written with this offset",
                "naive times a file's instant puts here",
                "fit of a working day",
                "zones",
            ],
        )
    )
    parts.append("<h2>Most corrected sheets</h2>" + sheet_cards(case, None, gallery))
    multi = revisions[revisions["files"] > 1].head(30)
    parts.append(
        "<h2>Revisions</h2>"
        + (
            _table(
                multi.to_dict("records"),
                ["drawing", "files", "versions", "first_seen", "last_seen", "days_between"],
            )
            if len(multi)
            else "<p>No drawing has more than one version.</p>"
        )
    )
    shown = later.head(200)
    parts.append(
        "<h2>Changes between observations</h2>"
        + (
            _table(
                shown.to_dict("records"),
                [
                    "observation",
                    "started",
                    "path",
                    "status",
                    "previous_size",
                    "size",
                    "pixels_changed",
                    "added_notes",
                    "removed_notes",
                    "sha256",
                ],
            )
            if len(later)
            else f"<p>{len(observations)} observation(s): nothing to compare yet.</p>"
        )
    )
    by_kind = problems.groupby(["severity", "kind"]).size().reset_index(name="files")
    parts.append(
        "<h2>Problems by kind</h2>"
        + _table(by_kind.to_dict("records"), ["severity", "kind", "files"])
        + "<h3>Problems and their files</h3>"
        + _table(problems.head(200).to_dict("records"), ["path", "severity", "kind", "message"])
    )
    scans = [
        {
            "observation": scan.get("observation"),
            "source": scan.get("source"),
            "started": scan.get("started"),
            "finished": scan.get("finished"),
            "files": (scan.get("counts") or {}).get("files"),
            "tool": f"forensics {scan.get('version', '')}",
            "host / user": f"{scan.get('host', '')} / {scan.get('user', '')}",
        }
        for scan in manifest.get("scans", [])
    ]
    parts.append(
        "<h2>Custody</h2>"
        + _table(
            [
                {"item": "case file SHA-256", "value": manifest.get("case_sha256", "")},
                {"item": "sealed", "value": manifest.get("sealed", "")},
            ],
            ["item", "value"],
        )
        + _table(
            scans, ["observation", "source", "started", "finished", "files", "tool", "host / user"]
        )
        + "<details><summary>The manifest as recorded (JSON)</summary><pre>"
        + html.escape(json.dumps(manifest, indent=2, ensure_ascii=False))
        + "</pre></details>"
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width'>"
        f"<title>forensics report</title><style>{CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>"
    )


def _files_behind(case: Case, daily: pd.DataFrame, zone: str, per_day: int = 40) -> str:
    """The daily figures as a table, each day's files beneath it (folded):
    the way from a bar to the evidence behind it."""
    rows = case.timeline_files(tz=zone)
    columns = ["files", "bytes", "archives", "drawings", "new_drawings", "revisions"]
    out = [
        _table(
            [
                {"day": f"{r['period']:%Y-%m-%d}", **{c: r[c] for c in columns}}
                for r in daily[daily["files"] + daily["archives"] > 0].to_dict("records")
            ],
            ["day", *columns],
        )
    ]
    for day, group in rows.groupby(rows["period"].dt.strftime("%Y-%m-%d")):
        items = "".join(
            f"<li>{html.escape(str(r['path']))} <span class=small>{html.escape(str(r['work']))}"
            f"{', revision' if r['is_revision'] else ''}, {r['time']:%H:%M} by "
            f"{html.escape(str(r['basis']))}</span></li>"
            for r in group.sort_values("time").head(per_day).to_dict("records")
        )
        more = len(group) - per_day
        tail = (
            f"<li class=small>and {more} more: case.timeline_files({day!r}, tz={zone!r})</li>"
            if more > 0
            else ""
        )
        out.append(
            f"<details><summary>{day}: {len(group)} files and archives</summary>"
            f"<ul>{items}{tail}</ul></details>"
        )
    return "<h3>The files behind each day</h3>" + "".join(out)


def _findings(
    sources: list[str],
    observations: pd.DataFrame,
    daily: pd.DataFrame,
    zones: pd.DataFrame,
    activity: pd.DataFrame,
    notes: pd.DataFrame,
    who: pd.DataFrame,
    revisions: pd.DataFrame,
    problems: pd.DataFrame,
) -> list[str]:
    """The summary an analyst reads first, each line from a view below."""
    esc = html.escape
    out = [
        f"Source{'s' if len(sources) != 1 else ''}: {esc(', '.join(sources))}; "
        f"{len(observations)} scan(s), the last started {esc(str(observations['started'].max()))}."
    ]
    active = daily[daily["files"] > 0]
    if len(active):
        out.append(
            f"{int(daily['files'].sum())} content files ({int(daily['drawings'].sum())} drawings: "
            f"{int(daily['new_drawings'].sum())} new, {int(daily['revisions'].sum())} revisions; "
            f"{int(daily['documents'].sum())} documents, {int(daily['videos'].sum())} videos) "
            f"and {int(daily['archives'].sum())} archives, dated "
            f"{active['period'].min():%Y-%m-%d} to {active['period'].max():%Y-%m-%d}, "
            f"{int(daily['bytes'].sum()):,} bytes read."
        )
    if len(zones):
        z = zones.iloc[0]
        hours = activity.sum(axis=1)
        busy = [int(h) for h in hours.index if hours[h] >= 0.05 * max(hours.sum(), 1)]
        span = f"; work falls between {min(busy):02d}:00 and {max(busy) + 1:02d}:00" if busy else ""
        out.append(
            f"Time zone: UTC{esc(str(z['offset']))} (score {z['score']:.2f}; "
            f"{z['explicit']:g} of {z['explicit_total']:g} times written with an offset say so, "
            f"{z['reconciled']} of {z['reconciled_total']} naive times agree){span}; "
            f"{esc(', '.join(z['zones'][:4]))}."
        )
    if len(notes):
        langs = notes["lang"].value_counts()
        pairs = int(notes["pair"].dropna().nunique())
        out.append(
            f"{len(notes)} notes written on the files: "
            + ", ".join(f"{esc(str(k))} {int(v)}" for k, v in langs.head(6).items())
            + f"; {pairs} Chinese instructions with a Korean translation beside them."
        )
    for roles, label in (
        (("byline", "author", "creator"), "People"),
        (("last_modified_by", "host", "user"), "Machines and accounts"),
        (("software",), "Software"),
    ):
        part = who[who["role"].isin(roles)].head(5)
        if len(part):
            out.append(
                f"{label}: "
                + ", ".join(
                    f"{esc(str(v))} ({int(n)} files)"
                    for v, n in zip(part["value"], part["files"], strict=True)
                )
                + "."
            )
    multi = int((revisions["files"] > 1).sum()) if len(revisions) else 0
    out.append(f"{multi} drawings have more than one version in the case.")
    kinds = problems["kind"].value_counts()
    out.append(
        f"{len(problems)} problems"
        + (
            ": " + ", ".join(f"{esc(str(k))} {int(v)}" for k, v in kinds.items())
            if len(kinds)
            else ""
        )
        + "."
    )
    return out


def sheet_cards(case: Case, paths: list[str] | None = None, count: int = 12) -> str:
    """Cards of sheets (the most corrected by ink coverage unless `paths`):
    thumbnail with note boxes, path, coverage, notes with language and pair."""
    notes = case.notes
    ann = case.records_of("annotations")
    scored = sorted(
        (
            (sum(json.loads(b)["ink_coverage"].values()), p)
            for p, b in zip(ann["path"], ann["body"], strict=True)
        ),
        reverse=True,
    )
    if paths is not None:
        scored = [(c, p) for c, p in scored if p in paths]
    cards = []
    for coverage, path in scored[:count]:
        sheet_notes = [
            n
            for n in notes[notes["path"] == path].to_dict("records")
            if n["origin"] in ("ocr", "printed")
        ]
        for n in sheet_notes:
            n["box"] = json.loads(n["box"]) if isinstance(n.get("box"), str) else None
        try:
            src = _thumbnail(case.read_bytes(path), sheet_notes)
        except (OSError, KeyError, ValueError):
            src = ""
        items = "".join(
            f"<li>{html.escape(str(n['text']))} <span class=small>[{html.escape(str(n['lang']))}"
            f"{_pair(n.get('pair'))}]</span></li>"
            for n in sheet_notes
        )
        img = f"<img alt='{html.escape(path)}' src='{src}'>" if src else ""
        cards.append(
            f"<div class=sheet>{img}<div class=small>{html.escape(path)}<br>ink "
            f"{coverage:.2%}</div><ol>{items}</ol></div>"
        )
    return f"<div class=gallery>{''.join(cards)}</div>" if cards else "<p>No OCR in this case.</p>"


def _pair(value: object) -> str:
    """', pair N' for a note in a pair (NaN and None are no pair)."""
    if isinstance(value, int | float) and value == value and value:
        return f", pair {int(value)}"
    return ""


def write_report(case: Case, path: str | Path) -> Path:
    """Write the case's report at `path`: one self-contained HTML file
    (no script, nothing fetched); returns the path."""
    target = Path(path)
    target.write_text(build(case), encoding="utf-8")
    return target
