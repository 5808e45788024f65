"""The command line: a thin layer over the public API."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

import forensics

from .errors import UsageError
from .executors import FILE_MEMORY, FILE_TIMEOUT
from .extractors import registry
from .records import ANNOTATION_ORIGINS, FileResult
from .sources import Limits
from .sources.remote import is_remote

_LIMITS = Limits()


def _limit(flag: str, field: str, kind: click.ParamType, help: str) -> Any:
    """A --max-* option whose default is the library's `Limits` default."""
    return click.option(
        flag, field, type=kind, default=getattr(_LIMITS, field), show_default=True, help=help
    )


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


def _source(ctx: click.Context, param: click.Parameter, value: str) -> str | Path:
    """A local path that must exist, or an s3:// or http(s):// url as given."""
    if is_remote(value):
        return value
    path = Path(value)
    if not path.exists() and not path.is_symlink():
        raise click.BadParameter(f"Path {value!r} does not exist.")
    return path


@main.command()
@click.argument("source", callback=_source)
@click.option(
    "-o",
    "--output",
    "case",
    required=True,
    type=click.Path(path_type=Path),
    help="Case folder to create or add an observation to.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@click.option(
    "--executor",
    type=click.Choice(["serial", "process", "dask"]),
    default="process",
    show_default=True,
)
@click.option("--scheduler", default=None, help="Dask scheduler address (with --executor dask).")
@click.option(
    "--no-ocr", is_flag=True, help="Metadata only: no OCR of notes, no perceptual hashes of pixels."
)
@click.option(
    "--palette",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="TOML file of correction inks (default: red and blue).",
)
@click.option(
    "--assume-tz",
    default=None,
    help="Zone of naive times (+09:00, Asia/Pyongyang); changeable later.",
)
@_limit(
    "--spool-bytes",
    "spool_bytes",
    click.IntRange(min=0),
    "Members bigger than this are spooled to the case folder while read.",
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=0),
    default=FILE_TIMEOUT,
    show_default=True,
    help="Seconds of extraction per file, plus 1 s per 20 MB of it (0: none); "
    "past it the file keeps its hashes.",
)
@click.option(
    "--file-memory",
    type=click.IntRange(min=0),
    default=FILE_MEMORY // 2**20,
    show_default=True,
    help="MiB resident per worker while it reads one file (0: none).",
)
@_limit("--max-members", "max_members", click.IntRange(min=1), "Members read from one archive.")
@_limit(
    "--max-total-bytes",
    "max_total_bytes",
    click.IntRange(min=0),
    "Inflated bytes read from all archives.",
)
@_limit(
    "--max-member-bytes", "max_member_bytes", click.IntRange(min=0), "Inflated bytes of one member."
)
@_limit("--max-depth", "max_depth", click.IntRange(min=0), "Archives inside archives.")
@_limit(
    "--max-ratio",
    "max_ratio",
    click.FloatRange(min=1),
    "Compression ratio (inflated / packed) past 1 MiB.",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Read and hash every file again on a rescan, even those whose size and mtime are "
    "unchanged.",
)
@click.option(
    "--add-source",
    is_flag=True,
    help="Scan SOURCE into a case that holds another source (its files then count once "
    "where the same bytes are in both).",
)
@click.option(
    "--endpoint-url",
    default=None,
    help="S3 endpoint of an s3:// source (an S3-compatible server; else AWS_ENDPOINT_URL).",
)
@click.option("--profile", default=None, help="AWS profile of an s3:// source (else AWS_PROFILE).")
@click.option("--region", default=None, help="Region of an s3:// source (else AWS_REGION).")
@click.option("--anon", is_flag=True, help="Read an s3:// source without credentials.")
def scan(
    source: str | Path,
    case: Path,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    no_ocr: bool,
    palette: str | None,
    assume_tz: str | None,
    max_members: int,
    max_total_bytes: int,
    max_member_bytes: int,
    max_depth: int,
    max_ratio: float,
    spool_bytes: int,
    file_timeout: float,
    file_memory: int,
    add_source: bool,
    verify: bool,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
    anon: bool,
) -> None:
    """Scan SOURCE (a folder, a file, an archive, s3://bucket/prefix or an
    http(s):// folder listing) into a case.

    Exit status: 0 when every file was read cleanly, 1 when some file had a
    problem (see the case's problems view), 2 on bad usage, 3 when the scan
    itself failed (run it again to resume).

    \b
    Example:
      forensics scan samples/dump -o case/ --jobs 2
      forensics scan s3://bucket/dump -o case/ --endpoint-url http://127.0.0.1:9000
    """
    limits = Limits(
        max_members=max_members,
        max_total_bytes=max_total_bytes,
        max_member_bytes=max_member_bytes,
        max_depth=max_depth,
        max_ratio=max_ratio,
        spool_bytes=spool_bytes,
    )
    show_progress = sys.stderr.isatty()
    progress = None
    if show_progress:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("[bold]scanning"),
            BarColumn(),
            TextColumn("{task.completed} files"),
            TimeElapsedColumn(),
            transient=True,
        )
        task = progress.add_task("scan", total=None)

    def tick(_result: FileResult) -> None:
        if progress is not None:
            progress.advance(task)

    try:
        if progress is not None:
            progress.start()
        opened = forensics.scan(
            source,
            case,
            ocr=not no_ocr,
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            limits=limits,
            on_result=tick,
            assume_tz=assume_tz,
            palette=palette,
            file_timeout=file_timeout or None,
            file_memory=file_memory * 2**20 or None,
            add_source=add_source,
            verify=verify,
            endpoint_url=endpoint_url,
            profile=profile,
            region=region,
            anon=anon,
        )
    except (UsageError, FileNotFoundError) as exc:
        raise click.UsageError(str(exc)) from exc
    except Exception as exc:
        if click.get_current_context().find_root().params.get("debug"):
            raise
        click.echo(
            f"error: the scan failed: {type(exc).__name__}: {exc}\n"
            "what was read is in the case; run the same command again to resume "
            "(--debug shows the traceback)",
            err=True,
        )
        sys.exit(3)
    finally:
        if progress is not None:
            progress.stop()
    counts = opened.manifest["counts"]
    _print_summary(opened, counts)
    sys.exit(1 if counts["files_with_problems"] else 0)


def _print_summary(case: forensics.Case, counts: dict[str, Any]) -> None:
    click.echo(f"case: {case.folder}")
    click.echo(
        f"files: {counts['files']}  bytes listed: {counts['bytes']} (archives and their "
        f"members both; `forensics timeline` counts content read once)  "
        f"problems: {counts['problems']} in {counts['files_with_problems']} files"
    )
    click.echo("status: " + ", ".join(f"{k} {v}" for k, v in counts["by_status"].items()))
    click.echo("by type:")
    for mime, n in sorted(counts["by_type"].items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:6d}  {mime}")
    if counts["problems"]:
        click.echo("problems by kind:")
        for kind, n in counts["problems_by_kind"].items():
            click.echo(f"  {n:6d}  {kind}")
    rec = counts.get("reconciliation")
    if rec:
        walked = sum(rec["walked"].values())
        by_kind = ", ".join(f"{k} {v}" for k, v in rec["walked"].items())
        verdict = "reconciled" if rec["balanced"] else f"NOT reconciled: {rec['missing']} missing"
        click.echo(
            f"{verdict}: {walked} entries walked ({by_kind}), {sum(rec['rows'].values())} rows"
        )


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write CSV here instead of printing it.",
)
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
def timeline(
    case: Path, output: Path | None, freq: str, by: str, tz: str, time_basis: str, all_notes: bool
) -> None:
    """Change volume per period: files, bytes, new drawings, revisions, notes
    by language, ink coverage; empty periods as zeros.

    \b
    Example:
      forensics timeline case/ --freq D --by show,stage --tz auto -o timeline.csv
    """
    opened = _open(case)
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
    if output:
        table.to_csv(output, index=False)
        click.echo(f"wrote {len(table)} rows to {output}")
    else:
        click.echo(table.to_csv(index=False), nl=False)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--since", type=int, default=None, help="Only observations after this id.")
def changes(case: Path, since: int | None) -> None:
    """What each scan of the source found new, changed or gone.

    \b
    Example:
      forensics changes case/ --since 1
    """
    table = _open(case).changes(since)
    click.echo(table.to_csv(index=False), nl=False)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--role", default=None, help="Only this role: author, byline, software, user...")
@click.option("--files", "per_file", is_flag=True, help="One row per file and value instead.")
def entities(case: Path, role: str | None, per_file: bool) -> None:
    """The people, machines, organisations and software the files name
    (fields their extractors declare: IPTC by-lines, office creators and
    last-modified-by, XMP software agents, user names in embedded paths...),
    with how many files name each and the first and last of their times
    (UTC), as CSV.

    \b
    Example:
      forensics entities case/ --role byline
    """
    opened = _open(case)
    table = opened.entities if per_file else opened.entity_summary()
    if role:
        table = table[table["role"] == role]
    click.echo(table.to_csv(index=False), nl=False)


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Candidates as JSON, best first.")
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True)
def zones(case: Path, as_json: bool, top: int) -> None:
    """Candidate UTC offsets of the people behind the files, best first, with
    the evidence for each.

    \b
    Example:
      forensics zones case/ --json
    """
    import json

    table = _open(case).zones().head(top)
    rows = table.to_dict("records")
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for ev in rows:
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
    help="File (or folder for csv and parquet).",
)
@click.option(
    "--tz",
    default=None,
    help="Zone naive times are read in (timesketch, jsonl): +09:00, Asia/Pyongyang, or auto "
    "(best zone found); default the case's assumed zone.",
)
def export(case: Path, fmt: str, output: Path, tz: str | None) -> None:
    """Export the case for other tools: csv or parquet of every view (a
    folder), Timesketch CSV or JSONL, Sleuth Kit bodyfile, events as JSONL,
    custody (CSV: every file's size, hashes, times and problems).

    \b
    Example:
      forensics export case/ --format timesketch -o case.timesketch.csv
    """
    try:
        counts = forensics.export_case(_open(case), fmt, output, tz=tz)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()) + f" -> {output}")


@main.command()
@click.argument("case", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report(case: Path, output: Path) -> None:
    """One self-contained HTML report (works offline, prints): overview,
    charts, most-corrected sheets with their notes, revisions, problems,
    custody manifest.

    \b
    Example:
      forensics report case/ -o report.html
    """
    path = forensics.write_report(_open(case), output)
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


def _open(case: Path) -> forensics.Case:
    try:
        opened = forensics.open_case(case)
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
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
    """Check the case file against the SHA-256 its manifest recorded (exit 1
    when they differ).

    \b
    Example:
      forensics verify case/
    """
    result = _open(case).verify()
    click.echo(f"recorded {result['recorded']}\nactual   {result['actual']}")
    click.echo("ok" if result["ok"] else "MISMATCH: not the case file the manifest sealed")
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
