#!/usr/bin/env python3
"""Archive members against independent listers, on libarchive's own test
archives (issue 16's goal: every member another tool lists is a row).

The archives are decoded from the `.uu` files of `libarchive/test/` in a
libarchive checkout (`--libarchive`, a git directory; nothing of it is
committed). Listers: 7-Zip (`7zz l -slt`, Debian's `7zip`) for 7z and CAB;
`rarfile` (pure-Python RAR 4/5 header parser) for RAR, which Debian's 7-Zip
cannot open. A member is a file or link entry (folders are not rows, as in
zip and tar); ours are the archive's direct member rows from `iter_refs`.
Encrypted-header archives are counted apart: no lister shows their members
without the password.

    .venv/bin/python bench/archives.py --libarchive /work/.mirror/libarchive+libarchive/repo
"""

from __future__ import annotations

import argparse
import binascii
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forensics.sources import iter_refs  # noqa: E402


def decode_uu(text: str) -> bytes:
    out = bytearray()
    started = False
    for line in text.splitlines():
        if line.startswith("begin "):
            started = True
            continue
        if line.strip() == "end":
            break
        if started and line:
            try:
                out += binascii.a2b_uu(line)
            except binascii.Error:
                n = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
                out += binascii.a2b_uu(line[:n])
    return bytes(out)


def seven_zip(path: Path) -> list[str] | None:
    out = subprocess.run(
        ["7zz", "l", "-slt", "-p-", str(path)],
        capture_output=True,
        text=True,
        errors="surrogateescape",
    )
    if "Cannot open the file as archive" in out.stdout + out.stderr:
        return None
    names, current, folder = [], None, False
    body = out.stdout.split("----------", 1)[-1]
    for line in [*body.splitlines(), ""]:
        if line.startswith("Path = "):
            current = line[len("Path = ") :]
        elif line.startswith("Folder = "):
            folder = line.endswith("+")
        elif line.startswith("Attributes = ") and "D" in line.split("=", 1)[1].split(" ")[1]:
            folder = True  # an empty folder shows no Folder line, only its D attribute
        elif not line.strip() and current is not None:
            if not folder:
                names.append(current)
            current, folder = None, False
    return names


def rar(path: Path) -> list[str] | None:
    import rarfile

    try:
        with rarfile.RarFile(str(path)) as rf:
            return [i.filename for i in rf.infolist() if not i.is_dir()]
    except rarfile.NeedFirstVolume:
        return None
    except rarfile.Error:
        return None


def ours(path: Path) -> tuple[list[str], Counter[str]]:
    names, problems = [], Counter()
    for ref in iter_refs(path):
        if len(ref.container) == 1:
            names.append(ref.url.split("!/", 1)[1])
        for p in ref.flags:
            problems[p.kind] += 1
    return names, problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--libarchive", required=True, help="git directory of a libarchive checkout")
    args = ap.parse_args()
    git = ["git", "--git-dir", args.libarchive]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "--name-only", "HEAD", "libarchive/test"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    wanted = [
        p
        for p in listing
        if p.endswith((".rar.uu", ".7z.uu", ".cab.uu")) and "multivolume" not in p
    ]
    tmp = Path(tempfile.mkdtemp(prefix="forensics-archives-"))
    totals: Counter[str] = Counter()
    misses: list[str] = []
    problems: Counter[str] = Counter()
    unlisted: list[str] = []
    try:
        for p in wanted:
            name = Path(p).name[: -len(".uu")]
            text = subprocess.run(
                [*git, "show", f"HEAD:{p}"], capture_output=True, text=True, errors="replace"
            ).stdout
            path = tmp / name
            path.write_bytes(decode_uu(text))
            fmt = name.rsplit(".", 1)[-1]
            theirs = rar(path) if fmt == "rar" else seven_zip(path)
            mine, kinds = ours(path)
            problems.update(kinds)
            if theirs is None:
                unlisted.append(name)
                continue
            totals[f"{fmt} archives"] += 1
            totals[f"{fmt} members listed"] += len(theirs)
            have = Counter(mine)
            for member in theirs:
                if have[member] > 0:
                    have[member] -= 1
                    totals[f"{fmt} members found"] += 1
                else:
                    misses.append(f"{name}: {member}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for fmt in ("rar", "7z", "cab"):
        listed = totals[f"{fmt} members listed"]
        found = totals[f"{fmt} members found"]
        share = found / listed if listed else 1.0
        print(
            f"{fmt:4s} {totals[f'{fmt} archives']:3d} archives  {listed:5d} members listed  "
            f"{found:5d} rows  {share:.3f}"
        )
    print(f"archives the lister could not open (not counted): {len(unlisted)}")
    for name in unlisted:
        print(f"  {name}")
    print(f"members listed and not rows: {len(misses)}")
    for miss in misses[:40]:
        print(f"  {miss}")
    print("problems raised on the way:", dict(problems.most_common()))


if __name__ == "__main__":
    main()
