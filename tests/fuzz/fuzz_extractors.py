#!/usr/bin/env python3
"""Coverage-guided fuzzing of the worker with atheris, on demand (not part of
`make test`): every input goes through `extract_one` as a loose file and as
an archive member, and through the archive walker; an `error` problem or an
exception is a finding.

    .venv/bin/pip install -c constraints.txt -e ".[fuzz]"
    .venv/bin/python tests/fuzz/fuzz_extractors.py -atheris_runs=100000 [corpus_dir]

A crash input is written by libFuzzer as `crash-*`; rerun it with the same
command and the file as the last argument.
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from forensics.extractors import registry
    from forensics.pipeline import extract_one
    from forensics.records import PROBLEM_KINDS, ArchiveEntry, FileRef
    from forensics.sources import iter_refs

EXTRACTORS = tuple(ex for ex in registry() if ex.name != "annotations")  # OCR: too slow
FOLDER = tempfile.mkdtemp(prefix="forensics-fuzz-")


def _check(result: object) -> None:
    for problem in result.problems:  # type: ignore[attr-defined]
        assert problem.kind in PROBLEM_KINDS, problem
        assert problem.kind != "error", problem.message


def test_one_input(data: bytes) -> None:
    entry = ArchiveEntry(format="zip", name="x", size=len(data), central_extra=data[:64])
    member = FileRef(url="a.zip!/x", path=None, container=("a.zip",), payload=data, entry=entry)
    _check(extract_one(member, EXTRACTORS))
    path = os.path.join(FOLDER, "input.bin")
    with open(path, "wb") as fh:
        fh.write(data)
    for ref in iter_refs(path):
        _check(extract_one(ref, EXTRACTORS))


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
