"""XMP from JPEG, PSD, PDF and sidecars; history events; hostile XML."""

from __future__ import annotations

import datetime as dt

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.extractors.xmp import XmpDateRecord, XmpExtractor, XmpHistoryRecord, XmpRecord
from forensics.timeline import events_for

from .util import CORPUS, TRUTH, extract, sample_bytes, samples_with

EX = XmpExtractor()


@pytest.mark.parametrize("key", ["XMP xmp:CreateDate", "XMP xmp:ModifyDate"])
def test_samples_match_the_generator(key: str) -> None:
    urls = samples_with(key)
    assert urls
    for url in urls:
        records = extract(EX, sample_bytes(url), url)
        [main] = [r for r in records if isinstance(r, XmpRecord)]
        field = "create_date" if key.endswith("CreateDate") else "modify_date"
        value = getattr(main, field)
        assert isinstance(value, dt.datetime)
        assert value == dt.datetime.fromisoformat(TRUTH[url]["timestamps"][key]), url
        if "XMP history saved" in TRUTH[url]["timestamps"]:
            history = [r for r in records if isinstance(r, XmpHistoryRecord)]
            assert [h.action for h in history] == ["created", "saved"]
            assert history[1].when == dt.datetime.fromisoformat(
                TRUTH[url]["timestamps"]["XMP history saved"]
            )
            assert history[1].software_agent and main.document_id.startswith("xmp.did:")


def test_history_events_are_separate_timestamps_with_offsets() -> None:
    url = samples_with("XMP history saved")[0]
    events = [e for e in events_for(extract(EX, sample_bytes(url))) if "history" in e.description]
    assert len(events) == 2 and all(
        e.zone_basis == "explicit" and e.offset == "+09:00" for e in events
    )


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus absent")
def test_psd_resource_and_document_ancestors() -> None:
    records = extract(EX, (CORPUS / "psd-tools" / "gray0.psd").read_bytes())
    [main] = [r for r in records if isinstance(r, XmpRecord)]
    assert (
        main.source == "PSD resource 1060" and main.creator_tool == "Adobe Photoshop CS6 (Windows)"
    )
    assert [r.action for r in records if isinstance(r, XmpHistoryRecord)] == [
        "created",
        "saved",
        "saved",
    ]
    ancestors = [
        m
        for p in sorted((CORPUS / "psd-tools").glob("*.psd"))
        for m in extract_or_none(p.read_bytes())
        if isinstance(m, XmpRecord) and m.document_ancestors
    ]
    assert ancestors


def extract_or_none(data: bytes) -> list:  # type: ignore[type-arg]
    try:
        return extract(EX, data)
    except (NotMyFormat, CorruptInput):
        return []


def test_pdf_and_sidecar() -> None:
    pdf = samples_with("PDF ModDate")[0]
    [main] = [r for r in extract(EX, sample_bytes(pdf)) if isinstance(r, XmpRecord)]
    assert main.source == "PDF metadata stream" and main.modify_date is not None
    sidecar = next(u for u in TRUTH if u.endswith(".xmp"))
    [main] = [r for r in extract(EX, sample_bytes(sidecar)) if isinstance(r, XmpRecord)]
    assert main.modify_date == dt.datetime.fromisoformat(
        TRUTH[sidecar]["timestamps"]["XMP xmp:ModifyDate"]
    )


def test_other_date_properties_and_hostile_xml() -> None:
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        b'exif:DateTimeOriginal="2024-04-01T10:00:00.25+09:00"/></rdf:RDF></x:xmpmeta>'
    )
    [_main, date] = extract(EX, packet, "a.xmp")
    assert isinstance(date, XmpDateRecord) and date.property == "exif:DateTimeOriginal"
    assert events_for([date])[0].description == "XMP exif:DateTimeOriginal"
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>'
    )
    with pytest.raises(CorruptInput):
        extract(EX, bomb, "b.xmp")
