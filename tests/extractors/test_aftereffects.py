"""After Effects projects (.aep RIFX, .aepx XML)."""

from __future__ import annotations

import io
import struct

import pytest

from forensics.errors import CorruptInput
from forensics.extractors.aftereffects import AfterEffectsExtractor, AfterEffectsRecord
from forensics.extractors.base import Context
from forensics.extractors.xmp import XmpExtractor, XmpRecord
from forensics.records import FileRef, Note, Record
from forensics.sniff import sniff

from .util import TRUTH, extract, sample_bytes

EX = AfterEffectsExtractor()
URL = next(u for u in TRUTH if u.endswith(".aep"))


def test_the_sample_project_its_footage_and_its_xmp() -> None:
    data = sample_bytes(URL)
    assert sniff(data[:65536]) == "application/vnd.adobe.aftereffects.project"
    [rec] = [r for r in extract(EX, data) if isinstance(r, AfterEffectsRecord)]
    assert rec.format == "aep"
    assert rec.footage_paths == ("C:\\Users\\minjun\\Desktop\\KMR_C099_key.psd",)
    [xmp] = [r for r in extract(XmpExtractor(), data) if isinstance(r, XmpRecord)]
    assert xmp.creator_tool == "Adobe After Effects 2024 (Windows)"
    assert xmp.modify_date is not None
    assert xmp.modify_date.isoformat() == TRUTH[URL]["timestamps"]["XMP xmp:ModifyDate"]


def test_an_aepx_names_its_footage() -> None:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<AfterEffectsProject xmlns="http://www.adobe.com/products/aftereffects">'
        b'<Fold><Item><fileReference platform="Win" fullpath="\\\\NAS01\\kmr\\bg.psd"/>'
        b"</Item></Fold></AfterEffectsProject>"
    )
    assert sniff(xml) == "application/vnd.adobe.aftereffects.projectx"
    [rec] = extract(EX, xml)
    assert isinstance(rec, AfterEffectsRecord) and rec.footage_paths == ("\\\\NAS01\\kmr\\bg.psd",)


def test_a_chunk_lying_about_its_size_keeps_what_came_before() -> None:
    data = bytearray(sample_bytes(URL))
    alas = data.index(b"Alas")
    data[alas + 4 : alas + 8] = struct.pack(">I", 10_000_000)  # past its parent
    ctx = Context()
    ref = FileRef(url="x.aep", path=None, payload=bytes(data))
    [rec] = [r for r in EX.extract(ref, io.BytesIO(bytes(data)), ctx) if isinstance(r, Record)]
    assert isinstance(rec, AfterEffectsRecord) and rec.footage_paths == ()
    assert [p.kind for p in ctx.problems] == ["corrupt"]


def test_a_damaged_aepx() -> None:
    with pytest.raises(CorruptInput, match="not well-formed"):
        extract(EX, b"<AfterEffectsProject><Fold>")


def _chunk(cid: bytes, body: bytes) -> bytes:
    return cid + struct.pack(">I", len(body)) + body + b"\x00" * (len(body) & 1)


def _list(kind: bytes, *chunks: bytes) -> bytes:
    return _chunk(b"LIST", kind + b"".join(chunks))


def _alias_record(posix: str, mount: str) -> bytes:
    """A version 2 Mac AliasRecord: the fixed part, then tags 18 and 19."""
    fixed = b"CoSA" + struct.pack(">HH", 0, 2) + b"\x00" * 142
    tags = b""
    for tag, value in ((18, posix.encode()), (19, mount.encode())):
        tags += struct.pack(">hH", tag, len(value)) + value + b"\x00" * (len(value) & 1)
    return fixed + tags + struct.pack(">hH", -1, 0)


def _alas(path: str, record: bytes = b"", mac_type: bytes = b"TEXT") -> bytes:
    raw = path.encode("cp932")
    return _chunk(
        b"alas",
        b"\x01\x00\x00\x09"
        + mac_type
        + b"\x00\x00\x00\x00"
        + bytes([len(raw)])
        + b"\x00"
        + raw
        + b"\x00"
        + record,
    )


def test_an_older_project_names_its_files_its_output_and_its_items() -> None:
    """As After Effects CS3 to CS5 wrote them (the layouts of public projects
    of those versions): `alas` paths in the colon-for-backslash Windows form
    and the Mac form with its alias record, the render queue's output, and
    the names of items and layers in fixed fields (Shift_JIS) and Utf8."""
    name = b"\x83J\x83b\x83g\x94\xd4\x8d\x86"  # カット番号 in Shift_JIS
    body = b"Egg!" + _list(
        b"Fold",
        _list(
            b"Item",
            _chunk(b"idta", b"\x00" * 24 + b"_footages".ljust(32, b"\x00")),
            _alas(":C::Program Files (x86):Adobe:resources:A4-72dpi.psd", mac_type=b"8BPS"),
        ),
        _list(
            b"Item",
            _chunk(b"Utf8", "仮背景1".encode()),
            _alas(
                ":Macintosh HD:Users:sora:cut:bg.psd", _alias_record("Users/sora/cut/bg.psd", "/")
            ),
        ),
        _list(b"Layr", _chunk(b"ldta", b"\x00" * 64 + name.ljust(32, b"\x00"))),
        _list(
            b"LRdr",
            _list(
                b"LItm",
                _list(
                    b"list",
                    _chunk(
                        b"ldat", b"\x00" * 40 + b"C::Documents and Settings:kiyo:out:001.gif\x00"
                    ),
                ),
            ),
        ),
    )
    data = b"RIFX" + struct.pack(">I", len(body)) + body
    out = extract(EX, data)
    [rec] = [r for r in out if isinstance(r, AfterEffectsRecord)]
    assert rec.footage_paths == (
        "C:\\Program Files (x86)\\Adobe\\resources\\A4-72dpi.psd",
        "Macintosh HD:Users:sora:cut:bg.psd",
        "/Users/sora/cut/bg.psd",
    )
    assert rec.output_paths == ("C:\\Documents and Settings\\kiyo\\out\\001.gif",)
    notes = {(n.text, n.source) for n in out if isinstance(n, Note)}
    assert notes == {("_footages", "Item"), ("仮背景1", "Item"), ("カット番号", "Layer")}
    assert all(n.origin == "layer_name" for n in out if isinstance(n, Note))


def test_a_cc_project_its_servers_texts_and_e_mail() -> None:
    """As CC 2018 writes a footage alias (JSON in a lower-case `alas` inside
    `Als2`, with the machine it was found on); the names of effects (`fnam`)
    and masks (`tdsn`) wrapped around a Utf8 chunk, in the language of the
    After Effects that wrote them; a control's label with an e-mail."""
    alias = (
        b'{"ascendcount_base":1,"fullpath":"E:\\\\hecc\\\\ae\\\\levels\\\\image_17.jpg",'
        b'"platform":1,"server_name":"tutu-stone","server_volume_name":"Data",'
        b'"target_is_folder":false}'
    )
    utf8 = _chunk(b"Utf8", "色阶".encode())
    body = b"Egg!" + _list(
        b"Fold",
        _list(b"Item", _chunk(b"Utf8", b"comp1"), _list(b"Als2", _chunk(b"alas", alias))),
        _list(
            b"sspc",
            _chunk(b"fnam", utf8),
            _list(b"tdgp", _chunk(b"tdsn", _chunk(b"Utf8", "マスク 3".encode()))),
            _chunk(b"Utf8", b"Aodaruma (hi@aodaruma.net)"),
            _chunk(b"Utf8", b"comp1"),
        ),
    )
    data = b"RIFX" + struct.pack(">I", len(body)) + body
    out = extract(EX, data)
    [rec] = [r for r in out if isinstance(r, AfterEffectsRecord)]
    assert rec.footage_paths == ("E:\\hecc\\ae\\levels\\image_17.jpg",)
    assert (rec.servers, rec.volumes) == (("tutu-stone",), ("Data",))
    assert rec.texts == ("色阶", "マスク 3", "Aodaruma (hi@aodaruma.net)")  # names once, as notes
    assert rec.emails == ("hi@aodaruma.net",)
    assert [n.text for n in out if isinstance(n, Note)] == ["comp1"]


def _cdta(width: int, height: int, rate: float, frames: int) -> bytes:
    """A composition's settings as After Effects writes them (204 bytes):
    the duration as frames over the frame rate times 1024 at 44, the frame
    size at 140, the frame rate as 16.16 fixed point at 156."""
    body = bytearray(204)
    scaled = round(rate * 1024)
    struct.pack_into(">II", body, 44, frames * 1024, scaled)
    struct.pack_into(">HH", body, 140, width, height)
    struct.pack_into(">HH", body, 156, int(rate), round((rate % 1) * 65536))
    return _chunk(b"cdta", bytes(body))


def test_compositions_their_settings_and_the_items_comments() -> None:
    body = b"Egg!" + _list(
        b"Fold",
        _list(
            b"Item",
            _chunk(b"idta", b"\x00" * 24 + b"C099_comp".ljust(32, b"\x00")),
            _chunk(b"cmta", "리테이크 3번 - 배경 수정\x00".encode()),
            _cdta(1920, 1080, 23.976, 144),
            _list(b"Layr", _chunk(b"Utf8", b"BG")),
        ),
        _list(b"Item", _chunk(b"Utf8", b"pan"), _cdta(4096, 2160, 24.0, 36)),
        _list(b"Item", _chunk(b"Utf8", b"broken"), _chunk(b"cdta", b"\x00" * 60)),
    )
    data = b"RIFX" + struct.pack(">I", len(body)) + body
    out = extract(EX, data)
    [rec] = [r for r in out if isinstance(r, AfterEffectsRecord)]
    assert rec.compositions == (
        ("C099_comp", 1920, 1080, 23.976, 6.006),
        ("pan", 4096, 2160, 24.0, 1.5),
    )
    assert rec.comments == ("리테이크 3번 - 배경 수정",)
    assert ("리테이크 3번 - 배경 수정", "comment") in {
        (n.text, n.origin) for n in out if isinstance(n, Note)
    }
