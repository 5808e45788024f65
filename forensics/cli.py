"""The command line: a thin layer over the public API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

import forensics

from .cli_scan import scan, watch
from .extractors import registry
from .records import ANNOTATION_ORIGINS


class _OneLineErrors(click.Group):
    """Errors as one clear line (exit 1), not a traceback, unless --debug.
    Usage errors stay click's (exit 2)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(
                f"error: {type(exc).__name__}: {exc} (--debug shows the traceback)", err=True
            )
            ctx.exit(1)


def _at_observation(command: Any) -> Any:
    """`--observation N`: read the case as observation N left it."""
    return click.option(
        "--observation",
        type=int,
        default=None,
        help="Read the case as this observation (an id of `changes`) left it.",
    )(command)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(forensics.__version__, prog_name="forensics")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
def main(debug: bool) -> None:
    """Who drew these files, where and when: scan a dump into a case, then
    read its timeline.

    \b
    Example:
      forensics scan dump/ -o case/
      forensics timeline case/ --tz +09:00
    """


main.add_command(scan)
main.add_command(watch)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write it here instead of printing it (- prints).",
)
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one period a line, not CSV.")
@click.option(
    "--freq",
    type=click.Choice(["H", "D", "W"], case_sensitive=False),
    default="D",
    show_default=True,
    help="Period: hour, day, or week (from Monday).",
)
@click.option(
    "--by",
    default="",
    help="Group by files columns or entity roles, comma-separated: show,stage,lang,work,"
    "author,byline,software...",
)
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    help="Zone of the periods: +09:00, Asia/Pyongyang, UTC, or auto (best zone found).",
)
@click.option(
    "--time-basis",
    type=click.Choice(["best", "mtime", "embedded", "observed"]),
    default="best",
    show_default=True,
    help="Which time dates a file (README).",
)
@click.option(
    "--all-notes",
    is_flag=True,
    help="Count every note (printed headers, spreadsheet cells, path words), not only "
    "the annotations written on the files (ink, pencil, text layers, layer names).",
)
@_at_observation
def timeline(
    case: Path,
    output: Path | None,
    as_json: bool,
    freq: str,
    by: str,
    tz: str,
    time_basis: str,
    all_notes: bool,
    observation: int | None,
) -> None:
    """Change volume per period: files, bytes, new drawings, revisions, notes
    by language, ink coverage; empty periods as zeros.

    \b
    Example:
      forensics timeline case/ --freq D --by show,stage --tz auto -o timeline.csv
    """
    opened = _open(case, observation)
    opened.prefetch()  # the files view on the other core while the events are read
    if tz == "auto":
        tz = str(opened.zone_of("auto"))
        click.echo(f"time zone: {tz} (best candidate of `forensics zones`)", err=True)
    groups = tuple(g.strip() for g in by.split(",") if g.strip())
    try:
        table = opened.timeline(
            freq=freq,
            by=groups,
            tz=tz,
            time_basis=time_basis,
            note_origins=None if all_notes else ANNOTATION_ORIGINS,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    # the zone is the one asked for (echoed for auto): the start as written there
    table["period"] = table["period"].dt.strftime(
        "%Y-%m-%d %H:00" if freq.upper() == "H" else "%Y-%m-%d"
    )
    _emit(table, as_json, output)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--since", type=int, default=None, help="Only observations after this id.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one change a line.")
def changes(case: Path, since: int | None, as_json: bool) -> None:
    """What each scan of the source found new, changed or gone.

    \b
    Example:
      forensics changes case/ --since 1
      forensics changes case/ --json | jq .path
    """
    _emit(_open(case).changes(since), as_json)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--role", default=None, help="Only this role: author, byline, software, user...")
@click.option("--files", "per_file", is_flag=True, help="One row per file and value instead.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one row a line, not CSV.")
@_at_observation
def entities(
    case: Path, role: str | None, per_file: bool, as_json: bool, observation: int | None
) -> None:
    """The people, machines, organisations and software the files name
    (fields their extractors declare: IPTC by-lines, office creators and
    last-modified-by, XMP software agents, user names in embedded paths...),
    with how many files name each and the first and last of their times
    (UTC), as CSV.

    \b
    Example:
      forensics entities case/ --role byline
    """
    opened = _open(case, observation)
    if not per_file:
        opened.prefetch()  # the files view (for their times) while the entities are read
    table = opened.entities if per_file else opened.entity_summary()
    if role:
        table = table[table["role"] == role]
    _emit(table, as_json)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="JSON lines, one candidate a line.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV, one candidate a row.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True)
@_at_observation
def zones(case: Path, as_json: bool, as_csv: bool, top: int, observation: int | None) -> None:
    """Candidate UTC offsets of the people behind the files, best first, with
    the evidence for each.

    \b
    Example:
      forensics zones case/ --json
    """
    opened = _open(case, observation)
    opened.prefetch()  # the files view (for their times) while the events are read
    table = opened.zones().head(top)
    if as_json or as_csv:
        _emit(table, as_json)
        return
    for ev in table.to_dict("records"):
        click.echo(
            f"{ev['offset']}  score {ev['score']:.3f}  explicit {ev['explicit']:g}/"
            f"{ev['explicit_total']:g}  reconciled {ev['reconciled']}/"
            f"{ev['reconciled_total']}  pattern {ev['pattern']:.2f}  "
            f"{', '.join(ev['zones'])}"
        )


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(
        ["csv", "parquet", "timesketch", "timesketch-jsonl", "bodyfile", "jsonl", "custody"]
    ),
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="File (or folder for csv and parquet); - for standard output.",
)
@click.option(
    "--tz",
    default=None,
    help="Zone naive times are read in (timesketch, jsonl): +09:00, Asia/Pyongyang, or auto "
    "(best zone found); default the case's assumed zone.",
)
@_at_observation
def export(case: Path, fmt: str, output: Path, tz: str | None, observation: int | None) -> None:
    """Export the case for other tools: csv or parquet of every view (a
    folder), Timesketch CSV or JSONL, Sleuth Kit bodyfile, events as JSONL,
    custody (CSV: every file's size, hashes, times and problems).

    \b
    Example:
      forensics export case/ --format timesketch -o case.timesketch.csv
    """
    try:
        counts = forensics.export_case(_open(case, observation), fmt, output, tz=tz)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    # what was written goes to the pipe; the counts to the terminal
    click.echo(
        ", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {output}",
        err=str(output) == "-",
    )


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_at_observation
def report(case: Path, output: Path, observation: int | None) -> None:
    """One self-contained HTML report (works offline, prints): overview,
    charts, most-corrected sheets with their notes, revisions, problems,
    custody manifest.

    \b
    Example:
      forensics report case/ -o report.html
    """
    path = forensics.write_report(_open(case, observation), output)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@main.command("assume-tz")
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("zone", required=False)
@click.option("--clear", is_flag=True, help="Forget the assumed zone: naive times stay unknown.")
def assume_tz_command(case: Path, zone: str | None, clear: bool) -> None:
    """Read the case's naive times (EXIF without OffsetTime, zip DOS times) as
    wall-clock time in ZONE. Nothing is rescanned; events keep their time as
    written and show zone_basis 'assumed'.

    \b
    Example:
      forensics assume-tz case/ Asia/Pyongyang
    """
    if clear == (zone is not None):
        raise click.UsageError("give a ZONE or --clear")
    try:
        _open(case).assume_tz(None if clear else zone)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(f"naive times in {case} are now read as {zone}" if zone else "assumed zone cleared")


@main.command()
def extractors() -> None:
    """List the extractors, with what each reads and its known limits.

    \b
    Example:
      forensics extractors
    """
    for ex in registry():
        click.echo(f"{ex.name} {ex.version}: {ex.doc.summary}")
        click.echo(f"    reads: {ex.doc.reads}")
        for ref in ex.doc.references:
            click.echo(f"    see: {ref}")
        if ex.doc.limits:
            click.echo(f"    limits: {ex.doc.limits}")


def _emit(table: Any, as_json: bool, output: Path | None = None) -> None:
    """A table as CSV or JSON lines (ISO times with their offset), printed
    or written to `output` (`-` prints)."""
    if as_json:
        text = table.to_json(orient="records", lines=True, date_format="iso", force_ascii=False)
        text = text if not text or text.endswith("\n") else text + "\n"
    else:
        text = table.to_csv(index=False)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {len(table)} rows to {output}")


def _open(case: Path, observation: int | None = None) -> forensics.Case:
    try:
        opened = forensics.open_case(case)
        if observation is not None:
            opened = opened.at(observation)
    except (FileNotFoundError, KeyError) as exc:
        raise click.UsageError(str(exc).strip("'\"")) from exc
    if not opened.complete:
        click.echo(
            f"warning: a scan of {case} did not finish; its figures are partial "
            "(run the same scan again to resume it)",
            err=True,
        )
    return opened


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify(case: Path) -> None:
    """Check the case file against the SHA-256 its manifest recorded, and
    every preserved copy against its name (exit 1 when one differs).

    \b
    Example:
      forensics verify case/
    """
    result = _open(case).verify()
    click.echo(f"recorded {result['recorded']}\nactual   {result['actual']}")
    objects = result["objects"]
    click.echo(f"preserved copies: {objects['objects']} ({objects['bytes']} bytes)")
    for name in objects["bad"]:
        click.echo(f"MISMATCH: the preserved copy {name} is not the bytes it is named by")
    if not objects["as_sealed"]:
        click.echo("MISMATCH: preserved copies were added or removed since the case was sealed")
    if result["recorded"] != result["actual"]:
        click.echo("MISMATCH: not the case file the manifest sealed")
    elif result["ok"]:
        click.echo("ok")
    sys.exit(0 if result["ok"] else 1)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("path")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write the bytes ('-': standard output).",
)
@_at_observation
def get(case: Path, path: str, output: Path, observation: int | None) -> None:
    """The bytes of one file of the case (PATH as the files view names it,
    an archive member too): the copy the scan preserved, else the source's,
    as observation N saw it with --observation.

    \b
    Example:
      forensics get case/ uploads/KEY.zip!/C012.psd --observation 3 -o C012_v3.psd
    """
    try:
        data = _open(case, observation).read_bytes(path)
    except KeyError as exc:
        raise click.UsageError(f"no bytes for {exc.args[0]}") from exc
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)


if __name__ == "__main__":
    main()
