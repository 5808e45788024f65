#!/usr/bin/env python3
"""Scale (issue 15), all in one run and as ratios:

- executors: files/s of the serial, process (--jobs) and Dask local
  executors on the same dump of --files rows (default 10,000);
- rescans: a first scan against an unchanged rescan and one with --changed
  of the loose files and zips changed (--ocr for the default scan's OCR);
- s3: the same dump from a bucket of moto on loopback against the folder;
- observations: a watch (`forensics.watch`) of --observations observations
  of an unchanged dump of --watch-files rows (issue 26): the case's size
  after the first and after the last (on disk, the case file checkpointed),
  each rescan's time, each observation's peak memory (its own process's,
  from the watch log) and the watching process's memory after each;
- memory: peak RSS of the scanning process (its workers apart) scanning
  --big rows (default 100,000), of `open_case` views and a timeline on the
  case it made, and of listing a bucket of --big objects.

The dump is generated here (small JPEG sheets with EXIF, text files and
zips of them, in production folders), never committed; each part that
measures RSS runs in a child process of its own, read from its VmHWM.

    .venv/bin/python bench/scale.py [--parts executors rescans observations s3 memory]
        [--files 10000] [--big 100000] [--changed 0.05] [--jobs 2] [--ocr]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import forensics  # noqa: E402


def _sheet(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 226), (250, 248, 240))
    d = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(300), rng.randrange(200)
        d.line((x, y, x + rng.randrange(-80, 80), y + rng.randrange(-60, 60)), fill=(60, 60, 60))
    exif = Image.Exif()
    exif[0x0132] = f"2024:04:{rng.randint(1, 28):02d} {rng.randint(9, 18):02d}:00:00"
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, exif=exif.tobytes())
    return buf.getvalue()


def make_dump(root: Path, n: int, seed: int, distinct: int | None = None) -> list[Path]:
    """n files: nine in ten loose (sheets and notes), the rest in zips of
    ten members each; returns the loose files and zips, for changing.
    `distinct` sheets drawn and reused (a big dump is quick to write)."""
    rng = random.Random(seed)
    drawn = [_sheet(rng) for _ in range(distinct)] if distinct else []

    def sheet() -> bytes:
        return drawn[rng.randrange(len(drawn))] if drawn else _sheet(rng)

    made: list[Path] = []
    loose = n * 9 // 10
    for i in range(loose):
        folder = root / f"EP{i % 12:02d}" / ("LO", "KEY", "INB")[i % 3]
        folder.mkdir(parents=True, exist_ok=True)
        if i % 5:
            path = folder / f"INV_S03_EP{i % 12:02d}_SC{i:04d}_C001_LO_v01.jpg"
            path.write_bytes(sheet())
        else:
            path = folder / f"note_{i:05d}.txt"
            path.write_text(f"수정 {i}\n")
        made.append(path)
    uploads = root / "uploads"
    uploads.mkdir(exist_ok=True)
    for z in range((n - loose + 9) // 10):
        path = uploads / f"upload_{z:04d}.zip"
        with zipfile.ZipFile(path, "w") as zf:
            for m in range(9):  # nine members and the zip itself: ten rows
                zf.writestr(f"EP01/LO/INV_S03_EP01_SC9{z:03d}_C{m:03d}_LO_v01.jpg", sheet())
        made.append(path)
    return made


def _timed(source: str | Path, case: Path, **kw: object) -> tuple[float, forensics.Case]:
    start = time.perf_counter()
    opened = forensics.scan(source, case, **kw)  # type: ignore[arg-type]
    return time.perf_counter() - start, opened


def part_executors(tmp: Path, args: argparse.Namespace) -> None:
    dump = tmp / "exec-dump"
    make_dump(dump, args.files, args.seed, distinct=200)
    cases = {}
    times = {}
    for name, kw in (
        ("serial", {"executor": "serial"}),
        ("process", {"executor": "process", "jobs": args.jobs}),
        ("dask", {"executor": "dask", "jobs": args.jobs}),
    ):
        times[name], cases[name] = _timed(dump, tmp / f"exec-{name}", ocr=args.ocr, **kw)
    rows = len(cases["serial"].files)
    same = all(
        cases[n]
        .files.drop(columns=["seconds", "observation"])
        .equals(cases["serial"].files.drop(columns=["seconds", "observation"]))
        for n in cases
    )
    print(f"\n## executors: {rows} rows, OCR {'on' if args.ocr else 'off'}, {args.jobs} jobs")
    for name, t in times.items():
        print(f"{name:8s} {t:8.2f} s  {rows / t:8.1f} files/s  {times['serial'] / t:5.2f}x serial")
    print(f"files views identical across executors: {same}")


def part_rescans(tmp: Path, args: argparse.Namespace) -> None:
    dump, case = tmp / "re-dump", tmp / "re-case"
    made = make_dump(dump, args.rescan_files, args.seed)
    first, opened = _timed(dump, case, jobs=args.jobs, ocr=args.ocr)
    rows = len(opened.files)
    unchanged, opened = _timed(dump, case, jobs=args.jobs, ocr=args.ocr)
    statuses = opened.files["status"].value_counts().to_dict()
    rng = random.Random(args.seed + 1)
    for path in rng.sample(made, max(1, round(len(made) * args.changed))):
        with open(path, "ab") as fh:  # a changed file: new bytes, new size and mtime
            fh.write(b"\n")
    changed, opened = _timed(dump, case, jobs=args.jobs, ocr=args.ocr)
    after = opened.files["status"].value_counts().to_dict()
    print(
        f"\n## rescans: {rows} rows ({len(made)} loose files and zips), {args.jobs} jobs, "
        f"OCR {'on' if args.ocr else 'off'}"
    )
    print(f"first scan {first:.2f} s")
    print(f"unchanged rescan {unchanged:.2f} s: {first / unchanged:.1f}x faster; {statuses}")
    print(
        f"rescan with {args.changed:.0%} of the loose files and zips changed "
        f"{changed:.2f} s: {first / changed:.1f}x faster; {after}"
    )


def _rss_mb() -> float:
    """This process's resident memory now, from /proc (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _size(case: Path) -> int:
    return sum(p.stat().st_size for p in case.iterdir() if p.is_file())


def part_observations(tmp: Path, args: argparse.Namespace) -> None:
    """A watch of the unchanged dump (forensics.watch, as `forensics watch`
    runs it): each observation's time and its process's peak memory (from
    the watch's own log), the watching process's memory after each, and
    the case's size."""
    from forensics.config import ScanConfig

    dump, case = tmp / "obs-dump", tmp / "obs-case"
    make_dump(dump, args.watch_files, args.seed, distinct=200)
    sizes: list[int] = []
    rss: list[float] = []

    def after(_line: str) -> None:
        sizes.append(_size(case))
        rss.append(_rss_mb())

    done = forensics.watch(
        dump,
        case,
        every=0,
        count=args.observations,
        config=ScanConfig(ocr=args.ocr, jobs=args.jobs),
        echo=after,
    )
    rows = len(forensics.open_case(case).files)
    took = [d["seconds"] for d in done]
    peaks = [d["peak_mb"] for d in done]
    rescans = took[1:]
    print(
        f"\n## observations: a watch of {args.observations} observations of {rows} unchanged "
        f"rows, {args.jobs} jobs, OCR {'on' if args.ocr else 'off'}"
    )
    print(f"first observation {took[0]:.2f} s; case {sizes[0] / 1e6:.1f} MB")
    print(
        f"rescans: median {sorted(rescans)[len(rescans) // 2]:.2f} s, slowest {max(rescans):.2f} s"
    )
    print(
        f"case after {args.observations} observations: {sizes[-1] / 1e6:.1f} MB, "
        f"{sizes[-1] / sizes[0]:.2f}x"
    )
    print(
        "peak memory of each observation's process (MB): "
        f"first {peaks[0]:.0f}, then {min(peaks[1:]):.0f} to {max(peaks[1:]):.0f}, "
        f"last {peaks[-1]:.0f}; per observation: {' '.join(f'{p:.0f}' for p in peaks)}"
    )
    print(
        "resident memory of the watching process after each observation (MB): "
        f"first {rss[0]:.0f}, then {min(rss[1:]):.0f} to {max(rss[1:]):.0f}, last {rss[-1]:.0f}"
    )


def _moto(seed: str | None = None) -> tuple[subprocess.Popen[bytes], str]:
    sys.path.insert(0, str(ROOT))
    from tests.servers import CREDENTIALS, _wait, free_port

    os.environ.update(CREDENTIALS)
    port = free_port()
    argv = [sys.executable, "-m", "tests.moto_s3", str(port)]
    if seed:
        argv += ["--seed", seed]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/", proc, 900)
    return proc, url


def part_s3(tmp: Path, args: argparse.Namespace) -> None:
    from tests.servers import s3_client, upload_folder

    dump = tmp / "s3-dump"
    make_dump(dump, args.s3_files, args.seed, distinct=200)
    proc, url = _moto()
    try:
        client = s3_client(url)
        client.create_bucket(Bucket="bench")
        upload_folder(client, dump, "bench", "dump")
        local, lcase = _timed(dump, tmp / "s3-local", jobs=args.jobs, ocr=args.ocr)
        remote, rcase = _timed(
            "s3://bench/dump", tmp / "s3-case", jobs=args.jobs, ocr=args.ocr, endpoint_url=url
        )
        again, _ = _timed(
            "s3://bench/dump", tmp / "s3-case", jobs=args.jobs, ocr=args.ocr, endpoint_url=url
        )
        ra = rcase.files.set_index("path")["sha256"].sort_index()
        la = lcase.files.set_index("path")["sha256"].sort_index()
    finally:
        proc.terminate()
        proc.wait()
    print(f"\n## s3 (moto on loopback) against the folder: {len(ra)} rows, {args.jobs} jobs")
    print(f"local folder  {local:8.2f} s")
    print(f"s3 bucket     {remote:8.2f} s  {remote / local:5.2f}x the folder's time")
    print(f"s3 unchanged  {again:8.2f} s  {remote / again:5.1f}x faster than its first scan")
    print(f"same hashes as the folder: {ra.equals(la)}")


CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import forensics
what, a, b = sys.argv[2], sys.argv[3], sys.argv[4]
start = time.perf_counter()
out = {}
if what == "scan":
    case = forensics.scan(a, b, jobs=int(sys.argv[5]), ocr=False)
    out["rows"] = len(case.files)
elif what == "views":
    case = forensics.open_case(a)
    out["rows"] = sum(len(getattr(case, v)) for v in ("files", "records", "events", "notes"))
    out["timeline_days"] = len(case.timeline())
elif what == "list":
    from forensics.sources import iter_refs
    out["rows"] = sum(1 for _ in iter_refs(a, options=(("endpoint_url", b),),
                                          reuse=lambda url, identity: True))
out["seconds"] = time.perf_counter() - start
# VmHWM, not getrusage: ru_maxrss survives fork and exec, so a child would
# report at least its parent's peak
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0]
out["self_mib"] = int(hwm.split()[1]) / 1024
print(json.dumps(out))
"""


def _child(*argv: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), *argv], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def part_memory(tmp: Path, args: argparse.Namespace) -> None:
    dump, case = tmp / "big-dump", tmp / "big-case"
    start = time.perf_counter()
    make_dump(dump, args.big, args.seed, distinct=200)
    made = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(["sha256sum", "--version"], capture_output=True, check=True)
    files = [str(p) for p in dump.rglob("*") if p.is_file()]
    for i in range(0, len(files), 2000):
        subprocess.run(["sha256sum", *files[i : i + 2000]], capture_output=True, check=True)
    reference = time.perf_counter() - start
    scan = _child("scan", str(dump), str(case), str(args.jobs))
    views = _child("views", str(case), "-", "-")
    print(f"\n## memory: {scan['rows']:.0f} rows (dump written in {made:.0f} s), OCR off")
    print(
        f"scan {scan['seconds']:.1f} s ({scan['seconds'] / reference:.1f}x sha256sum over the "
        f"same files, {reference:.1f} s); peak RSS of the scanning process "
        f"{scan['self_mib']:.0f} MiB (its workers apart)"
    )
    print(
        f"open_case views ({views['rows']:.0f} rows) and timeline(): {views['seconds']:.1f} s, "
        f"peak RSS {views['self_mib']:.0f} MiB"
    )
    if args.big_bucket:
        proc, url = _moto(f"big/dump:{args.big_bucket}")
        try:
            listed = _child("list", "s3://big/dump", url, "-")
        finally:
            proc.terminate()
            proc.wait()
        print(
            f"listing a bucket of {listed['rows']:.0f} objects (moto, every object reused, no "
            f"reads): {listed['seconds']:.1f} s, peak RSS {listed['self_mib']:.0f} MiB"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--parts", nargs="*", default=["executors", "rescans", "observations", "s3", "memory"]
    )
    ap.add_argument("--watch-files", type=int, default=100_000, help="rows observed again")
    ap.add_argument("--observations", type=int, default=30, help="scans of the unchanged rows")
    ap.add_argument("--files", type=int, default=10_000, help="rows for the executors")
    ap.add_argument("--rescan-files", type=int, default=2000, help="rows for the rescans")
    ap.add_argument("--s3-files", type=int, default=2000, help="rows for s3 against local")
    ap.add_argument("--big", type=int, default=100_000, help="rows for the memory part")
    ap.add_argument("--big-bucket", type=int, default=100_000, help="objects listed (0: none)")
    ap.add_argument("--changed", type=float, default=0.05, help="share of files changed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ocr", action="store_true", help="OCR on (slow first scans)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="forensics-scale-"))
    parts = {
        "executors": part_executors,
        "rescans": part_rescans,
        "observations": part_observations,
        "s3": part_s3,
        "memory": part_memory,
    }
    try:
        for name in args.parts:
            parts[name](tmp, args)
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
