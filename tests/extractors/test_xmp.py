"""XMP from JPEG, PSD, PDF and sidecars; history events; hostile XML."""

from __future__ import annotations

import datetime as dt
import io
import struct

import pytest

from forensics.errors import CorruptInput, NotMyFormat
from forensics.events import events_for
from forensics.extractors.base import Context
from forensics.extractors.xmp import XmpDateRecord, XmpExtractor, XmpHistoryRecord, XmpRecord
from forensics.records import FileRef

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


_HEAD = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
    b' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
    b' xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"'
    b' xmp:CreateDate="2022-07-31T18:53:44-05:00">'
)
_WHOLE = _HEAD + (
    b'<xmpMM:History><rdf:Seq><rdf:li stEvt:action="saved" stEvt:when="2022-07-31T22:11:01-05:00"/>'
    b"</rdf:Seq></xmpMM:History></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def _app1(packet: bytes) -> bytes:
    """A JPEG whose APP1 carries the packet as it is (the carrier that
    hands a damaged packet over whole)."""
    body = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    return b"\xff\xd8\xff\xe1" + struct.pack(">H", len(body) + 2) + body + b"\xff\xd9"


@pytest.mark.parametrize(
    ("damage", "packet"),
    [
        # a rewritten packet left the tail of the older, longer one behind it
        ("junk", _WHOLE + b'<?xpacket end="r"?>li>\n       <rdf:Descr'),
        # an APP1 length two bytes short: the end instruction lost its "?>"
        ("junk", _WHOLE + b' <?xpacket end="w"'),
        ("control", _WHOLE.replace(b"<xmpMM:History>", b"\x13<xmpMM:History>")),
        # cut short inside the history: what came before is still read
        ("open", _WHOLE[: _WHOLE.index(b"</rdf:Seq>")] + b"<rdf:li stEvt:act"),
    ],
)
def test_damaged_packets_are_read_as_far_as_they_go_and_flagged(damage: str, packet: bytes) -> None:
    ctx = Context()
    items = list(EX.extract(FileRef(url="a.jpg", path=None), io.BytesIO(_app1(packet)), ctx))
    [rec] = [r for r in items if isinstance(r, XmpRecord)]
    assert rec.create_date == dt.datetime(
        2022, 7, 31, 18, 53, 44, tzinfo=dt.timezone(-dt.timedelta(hours=5))
    )
    [event] = [r for r in items if isinstance(r, XmpHistoryRecord)]
    assert event.action == "saved" and event.when is not None
    [problem] = ctx.problems
    assert problem.kind == "corrupt" and "not well-formed" in problem.message
    assert {"junk": "junk around", "control": "control characters", "open": "closed"}[
        damage
    ] in problem.message
    # an undamaged packet is no problem
    ctx = Context()
    list(EX.extract(FileRef(url="a.jpg", path=None), io.BytesIO(_app1(_WHOLE)), ctx))
    assert not ctx.problems


def test_a_packet_past_repair_is_a_problem_not_a_guess() -> None:
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, _app1(_HEAD.replace(b"<rdf:RDF", b"<rdf:RDF <<")), "c.jpg")


def test_dates_in_structures_inside_arrays() -> None:
    """IPTC Extension's ArtworkOrObject: a bag of structures, each with its
    own date (ExifTool's XMP-iptcExt:ArtworkDateCreated)."""
    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        b'22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
        b' xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        b'<Iptc4xmpExt:ArtworkOrObject><rdf:Bag><rdf:li rdf:parseType="Resource">'
        b"<Iptc4xmpExt:AODateCreated>1916-10-26T12:13:14Z</Iptc4xmpExt:AODateCreated>"
        b'<Iptc4xmpExt:AOTitle><rdf:Alt><rdf:li xml:lang="x-default">A</rdf:li></rdf:Alt>'
        b'</Iptc4xmpExt:AOTitle></rdf:li><rdf:li Iptc4xmpExt:AODateCreated="1920-01-02"/>'
        b"</rdf:Bag></Iptc4xmpExt:ArtworkOrObject></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    dates = {
        r.property: r.when for r in extract(EX, packet, "a.xmp") if isinstance(r, XmpDateRecord)
    }
    assert dates == {
        "Iptc4xmpExt:ArtworkOrObject[1]/Iptc4xmpExt:AODateCreated": dt.datetime(
            1916, 10, 26, 12, 13, 14, tzinfo=dt.UTC
        ),
        "Iptc4xmpExt:ArtworkOrObject[2]/Iptc4xmpExt:AODateCreated": dt.datetime(1920, 1, 2),  # noqa: DTZ001 - a date alone
    }
