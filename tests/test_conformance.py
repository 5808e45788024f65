"""Over the whole registry: unique names, docs, a sample each, and random or
truncated bytes give records, NotMyFormat or CorruptInput, never a crash."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forensics.analysis.entities import ROLES
from forensics.errors import CorruptInput, LimitExceeded, NotMyFormat
from forensics.extractors import registry
from forensics.extractors.base import Context
from forensics.pipeline import extract_one
from forensics.records import PROBLEM_KINDS, ArchiveEntry, FileRef, Note, Record
from forensics.sources import iter_refs

from .conftest import ROOT, SAMPLES
from .servers import http_folder

# The shared corpus sits beside the checkout; a clone elsewhere names it.
CORPUS = next(
    (
        p
        for p in (
            Path(os.environ.get("FORENSICS_CORPUS", "/nonexistent")),
            ROOT.parent / "shared" / "corpus",
            Path("/work/shared/corpus"),
        )
        if p.exists()
    ),
    ROOT.parent / "shared" / "corpus",
)


def test_names_unique_and_documented() -> None:
    names = [ex.name for ex in registry()]
    assert len(names) == len(set(names))
    for ex in registry():
        assert ex.version and ex.doc.summary and ex.doc.reads, ex.name
        assert ex.record_kinds, ex.name
        for kind in ex.record_kinds:
            assert issubclass(kind, Record) and kind.KIND != "record"
            for field in kind.TIME_FIELDS:
                assert field in kind.__dataclass_fields__, (kind, field)
            for field, role in kind.ENTITY_FIELDS.items():
                assert field in kind.__dataclass_fields__, (kind, field)
                assert role in (*ROLES, "path"), (kind, field, role)


def test_each_extractor_has_a_test_file_and_reads_a_sample() -> None:
    produced: set[str] = set()
    pending = list(registry())

    def read(refs: Iterator[FileRef]) -> None:
        for ref in refs:
            for ex in list(pending):  # each extractor until it has read one sample (OCR is slow)
                if any(r.extractor == ex.name for r in extract_one(ref, (ex,)).records):
                    produced.add(ex.name)
                    pending.remove(ex)

    read(iter_refs(SAMPLES / "dump"))
    with http_folder(SAMPLES / "dump") as url:  # what only a remote source has (object)
        read(iter_refs(url))
    for ex in registry():
        assert (ROOT / "tests" / "extractors" / f"test_{ex.name.split('_')[0]}.py").exists() or (
            ROOT / "tests" / "extractors" / f"test_{type(ex).__module__.rsplit('.', 1)[-1]}.py"
        ).exists(), ex.name
        assert ex.name in produced, f"no sample exercises {ex.name}"


def _entry(data: bytes) -> ArchiveEntry:
    return ArchiveEntry(
        format="zip",
        name="x",
        size=len(data),
        dos_time=(1980, 0, 0, 99, 0, 0),
        central_extra=data,
        local_extra=data[::-1],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048))
def test_random_bytes_never_crash_an_extractor(data: bytes) -> None:
    ref = FileRef(url="x.bin", path=None, container=("a.zip",), payload=data, entry=_entry(data))
    for ex in registry():
        if ex.name == "filesystem":
            continue  # reads the filesystem, not bytes
        try:
            items = list(ex.extract(ref, io.BytesIO(data), Context()))
        except (NotMyFormat, CorruptInput, LimitExceeded):
            continue
        assert all(isinstance(i, Record | Note) for i in items)
    result = extract_one(ref)
    assert all(p.severity != "error" for p in result.problems), result.problems
    assert {p.kind for p in result.problems} <= set(PROBLEM_KINDS)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=4000))
def test_truncated_archives_become_problems(cut: int) -> None:
    whole = (SAMPLES / "dump" / "uploads" / "2024-04-12_resend.zip").read_bytes()
    cut = cut * len(whole) // 4000
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cut.zip").write_bytes(whole[:cut])
        for ref in iter_refs(Path(tmp) / "cut.zip"):
            extract_one(ref)  # never raises


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not here")
def test_real_corpus_crash_files_give_rows_not_crashes() -> None:
    """Every file of Pillow's test suite (its crash files among them) with
    every extractor but OCR (perceptual hashes still decode the pixels), and
    every 25th with OCR too (about a second a
    sheet): rows, never `error` problems."""
    no_ocr = tuple(ex for ex in registry() if ex.name != "annotations")  # pixels still decoded
    count = 0
    for i, ref in enumerate(iter_refs(CORPUS / "pillow")):
        result = extract_one(ref, None if i % 25 == 0 else no_ocr)
        assert result.hashes is not None or result.problems, ref.url
        errors = [p for p in result.problems if p.severity == "error" and p.kind == "error"]
        assert not errors, (ref.url, errors)
        assert {p.kind for p in result.problems} <= set(PROBLEM_KINDS), ref.url
        count += 1
    assert count > 500


def _seeds() -> list[bytes]:
    """One real sample of each format, as the seeds that mutations start from."""
    from .extractors.util import TRUTH, sample_bytes

    wanted = (".jpg", ".png", ".psd", ".pdf", ".mp4", ".clip", ".xlsx", ".xmp", ".zip", ".tar.gz")
    seeds = []
    for suffix in wanted:
        url = next(
            u
            for u in sorted(TRUTH)
            if u.endswith(suffix) and "hostile" not in u and "misc" not in u
        )
        seeds.append(sample_bytes(url))
    return seeds


SEEDS = _seeds()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
)
def test_truncated_and_mutated_real_files_never_crash(
    seed: int, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(SEEDS[seed][: max(1, int(len(SEEDS[seed]) * cut))])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    ref = FileRef(url="x", path=None, payload=bytes(data))
    for ex in registry():
        if ex.name in ("filesystem", "archive_entry", "annotations"):
            continue  # annotations: OCR is too slow for hundreds of examples, see below
        try:
            items = list(ex.extract(ref, io.BytesIO(bytes(data)), Context()))
        except (NotMyFormat, CorruptInput, LimitExceeded):
            continue
        assert all(isinstance(i, Record | Note) for i in items)


@settings(max_examples=8, deadline=None)
@given(
    cut=st.floats(0.05, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=3),
)
def test_annotations_on_damaged_images(cut: float, flips: list[tuple[float, int]]) -> None:
    from forensics.extractors.annotations import AnnotationsExtractor

    seed = SEEDS[0]
    data = bytearray(seed[: max(1, int(len(seed) * cut))])
    for where, value in flips:
        data[min(int(where * len(data)), len(data) - 1)] = value
    ref = FileRef(url="x.jpg", path=None, payload=bytes(data))
    try:
        items = list(
            AnnotationsExtractor(time_limit=30).extract(ref, io.BytesIO(bytes(data)), Context())
        )
    except (NotMyFormat, CorruptInput):
        return
    assert all(isinstance(i, Record | Note) for i in items)
