"""`forensics scan`: the command line's one command that writes a case,
a thin layer over `forensics.scan` with a `ScanConfig` built from its
options (each default is the library's)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

import forensics

from .config import FILE_MEMORY, FILE_TIMEOUT, RemoteAccess, ScanConfig
from .errors import DiskFull, UsageError
from .records import FileResult
from .sources import Limits
from .sources.remote import is_remote

LIMITS = ScanConfig().limits


def limit_option(flag: str, field: str, kind: click.ParamType, help: str) -> Any:
    """A --max-* option whose default is the library's `Limits` default."""
    return click.option(
        flag, field, type=kind, default=getattr(LIMITS, field), show_default=True, help=help
    )


def _source(ctx: click.Context, param: click.Parameter, value: str) -> str | Path:
    """A local path that must exist, or an s3:// or http(s):// url as given."""
    if is_remote(value):
        return value
    path = Path(value)
    if not path.exists() and not path.is_symlink():
        raise click.BadParameter(f"Path {value!r} does not exist.")
    return path


def _reach_and_keep(command: Any) -> Any:
    """How to reach a remote source, and whether to keep what is read: the
    options `scan` and `watch` share."""
    for option in reversed(
        (
            click.option(
                "--endpoint-url",
                default=None,
                help="S3 endpoint of an s3:// source (an S3-compatible server; else "
                "AWS_ENDPOINT_URL).",
            ),
            click.option(
                "--profile", default=None, help="AWS profile of an s3:// source (else AWS_PROFILE)."
            ),
            click.option(
                "--region", default=None, help="Region of an s3:// source (else AWS_REGION)."
            ),
            click.option("--anon", is_flag=True, help="Read an s3:// source without credentials."),
            click.option(
                "--preserve/--no-preserve",
                default=None,
                help="Keep a copy of every file read in the case (objects/, by SHA-256): the "
                "default for s3:// and http(s):// sources, which change and forget; --preserve "
                "for a folder that may change under you.",
            ),
        )
    ):
        command = option(command)
    return command


@click.command()
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
@limit_option(
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
@limit_option(
    "--max-members", "max_members", click.IntRange(min=1), "Members read from one archive."
)
@limit_option(
    "--max-total-bytes",
    "max_total_bytes",
    click.IntRange(min=0),
    "Inflated bytes read from all archives.",
)
@limit_option(
    "--max-member-bytes", "max_member_bytes", click.IntRange(min=0), "Inflated bytes of one member."
)
@limit_option("--max-depth", "max_depth", click.IntRange(min=0), "Archives inside archives.")
@limit_option(
    "--max-ratio",
    "max_ratio",
    click.FloatRange(min=1),
    "Compression ratio (inflated / packed) past 1 MiB.",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Read and hash every file again on a rescan, even those whose size and mtime are "
    "unchanged, and the preserved copy of each file the source no longer has.",
)
@click.option(
    "--add-source",
    is_flag=True,
    help="Scan SOURCE into a case that holds another source (its files then count once "
    "where the same bytes are in both).",
)
@_reach_and_keep
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
    preserve: bool | None,
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
    config = ScanConfig(
        ocr=not no_ocr,
        palette=palette,
        limits=Limits(
            max_members=max_members,
            max_total_bytes=max_total_bytes,
            max_member_bytes=max_member_bytes,
            max_depth=max_depth,
            max_ratio=max_ratio,
            spool_bytes=spool_bytes,
        ),
        file_timeout=file_timeout or None,
        file_memory=file_memory * 2**20 or None,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        assume_tz=assume_tz,
        add_source=add_source,
        verify=verify,
        remote=RemoteAccess(endpoint_url, profile, region, anon),
        preserve=preserve,
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
            if not progress.live.is_started:  # its refresh thread starts after the workers fork
                progress.start()
            progress.advance(task)

    try:
        opened = forensics.scan(source, case, config, on_result=tick)
    except (UsageError, FileNotFoundError) as exc:
        raise click.UsageError(str(exc)) from exc
    except DiskFull as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(3)
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
        if progress is not None and progress.live.is_started:
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
    copies = counts.get("gone_copies")
    if copies and copies["gone"]:
        click.echo(
            f"gone from the source: {copies['gone']} files, {copies['kept']} kept whole in the "
            "case's preserved copies"
            + "".join(f"\n  NO COPY: {p}" for p in copies["missing"])
            + "".join(f"\n  COPY NOT ITS HASH: {p}" for p in copies["bad"])
        )
    rec = counts.get("reconciliation")
    if rec:
        walked = sum(rec["walked"].values())
        by_kind = ", ".join(f"{k} {v}" for k, v in rec["walked"].items())
        verdict = "reconciled" if rec["balanced"] else f"NOT reconciled: {rec['missing']} missing"
        click.echo(
            f"{verdict}: {walked} entries walked ({by_kind}), {sum(rec['rows'].values())} rows"
        )


@click.command()
@click.argument("source")
@click.option("-o", "--output", "case", required=True, type=click.Path(path_type=Path))
@click.option("--every", required=True, help="The period: 24h, 30m, 90s, 1d.")
@click.option("--count", type=click.IntRange(min=1), default=None, help="This many observations.")
@click.option(
    "--until",
    default=None,
    help="No observation after this time (ISO 8601 with its zone: 2026-12-31T00:00+09:00).",
)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--no-ocr", is_flag=True, help="Skip reading the notes on the images (faster).")
@click.option("--retries", type=click.IntRange(min=0), default=5, show_default=True)
@click.option(
    "--retry-wait",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds before the first retry of a failed observation; doubled each time.",
)
@_reach_and_keep
def watch(
    source: str,
    case: Path,
    every: str,
    count: int | None,
    until: str | None,
    jobs: int | None,
    no_ocr: bool,
    retries: int,
    retry_wait: float,
    endpoint_url: str | None,
    profile: str | None,
    region: str | None,
    anon: bool,
    preserve: bool | None,
) -> None:
    """Observe SOURCE into a case every period, COUNT times or UNTIL a time
    (neither: until stopped). Each observation starts on schedule whatever
    the last took; a failed one (a server down) is tried again with waits
    that double, then recorded as failed, and the next goes on. After each,
    one line (new, changed, gone, unchanged, new notes by language) is
    printed and added to the case's watch.log. SIGTERM ends it between
    files; the same command resumes.

    \b
    Example:
      forensics watch s3://bucket/dump -o case/ --every 24h --count 30
    """
    from .run.watch import parse_every
    from .run.watch import watch as run_watch

    try:
        period = parse_every(every)
        stop = dt.datetime.fromisoformat(until) if until else None
        config = ScanConfig(
            ocr=not no_ocr,
            jobs=jobs,
            remote=RemoteAccess(endpoint_url, profile, region, anon),
            preserve=preserve,
        )
        done = run_watch(
            source,
            case,
            period,
            count=count,
            until=stop,
            config=config,
            retries=retries,
            retry_wait=retry_wait,
            echo=click.echo,
        )
    except (UsageError, ValueError) as exc:
        raise click.UsageError(str(exc)) from exc
    sys.exit(0 if done and all("observation" in d or d.get("stopped") for d in done) else 1)
