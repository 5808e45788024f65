"""A hostile corpus, built afresh for the tests (never committed as bytes).

`build(folder)` writes one file or folder per class of input that has broken
scans before, and returns what each is expected to become: the problem kind
its row (or a row below it) must carry. Sizes are kept small enough for the
regular tests while still crossing every default limit that matters.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import socket
import struct
import tarfile
import warnings
import zipfile
import zlib
from pathlib import Path

from .conftest import SAMPLES

MiB = 2**20
JPEG = "KMR/EP12/KEY/KMR_S01_EP12_SC010_C206_KEY_v04.jpg"
PSD = "KMR/EP12/INB/KMR_S01_EP12_SC036_C214_INB_v01.psd"


def _zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", compression) as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, (2024, 4, 1, 9, 0, 0)), data, compression)
    return buf.getvalue()


def _tar(members: list[tarfile.TarInfo | tuple[str, bytes]], mode: str = "w") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:  # type: ignore[call-overload]
        for m in members:
            if isinstance(m, tarfile.TarInfo):
                tf.addfile(m)
            else:
                info = tarfile.TarInfo(m[0])
                info.size, info.mtime = len(m[1]), 1711962000
                tf.addfile(info, io.BytesIO(m[1]))
    return buf.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(extra: list[bytes]) -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + b"".join(extra)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def itxt_xmp_bomb(chunks: int, inflated: int) -> bytes:
    """A PNG of `chunks` compressed iTXt XMP chunks, each inflating to
    `inflated` bytes of an XMP packet padded with spaces."""
    packet = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b" " * inflated + b"</x:xmpmeta>"
    body = b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + zlib.compress(packet, 9)
    return _png([_png_chunk(b"iTXt", body)] * chunks)


def gif_xmp_blocks(blocks: int) -> bytes:
    """A GIF whose application extensions repeat `XMP DataXMP` packets."""
    header = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0, 0, 0)
    packet = b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>" + b"x" * 200
    sub = b"".join(
        bytes([len(packet[i : i + 255])]) + packet[i : i + 255] for i in range(0, len(packet), 255)
    )
    ext = b"\x21\xff\x0bXMP DataXMP" + sub + b"\x00"
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return header + ext * blocks + image + b"\x3b"


def tiff_ifd_chain(count: int) -> bytes:
    """A little-endian TIFF of `count` chained IFDs, each of one tag."""
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    for i in range(count):
        here = len(out)
        nxt = here + 2 + 12 + 4 if i + 1 < count else 0
        out += struct.pack("<H", 1) + struct.pack("<HHII", 0x0132, 2, 4, 0x30303030)
        out += struct.pack("<I", nxt)
    return bytes(out)


def tiff_ifd_loop() -> bytes:
    """A TIFF whose first IFD names itself as the next one."""
    return (
        b"II*\x00"
        + struct.pack("<I", 8)
        + struct.pack("<H", 1)
        + struct.pack("<HHII", 0x010F, 2, 4, 0x41414141)
        + struct.pack("<I", 8)
    )


def xlsx_shared_sheet(sheets: int, rows: int) -> bytes:
    """A workbook listing `sheets` sheets that all point at one sheet part."""
    ct = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    wb = (
        f'<?xml version="1.0"?><workbook {ns}><sheets>'
        + "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId1"/>' for i in range(sheets))
        + "</sheets></workbook>"
    )
    wb_rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    )
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'
        for r in range(1, rows + 1)
    )
    sheet = f'<?xml version="1.0"?><worksheet {ns}><sheetData>{cells}</sheetData></worksheet>'
    return _zip(
        [
            ("[Content_Types].xml", ct.encode()),
            ("_rels/.rels", rels.encode()),
            ("xl/workbook.xml", wb.encode()),
            ("xl/_rels/workbook.xml.rels", wb_rels.encode()),
            ("xl/worksheets/sheet1.xml", sheet.encode()),
        ]
    )


def _nested_zip(depth: int) -> bytes:
    data = _zip([("core.txt", b"at the bottom\n")])
    for i in range(depth):
        data = _zip([(f"level{depth - i}.zip", data)])
    return data


def _truth() -> dict[str, object]:
    import json

    return json.loads((SAMPLES / "expected" / "files.json").read_text())["files"]


def _sample(url: str) -> bytes:
    return (SAMPLES / "dump" / url).read_bytes()


def build(folder: Path, big_sparse: int = 3 * 2**30) -> dict[str, str]:
    """Write the corpus into `folder`; returns {url: problem kind expected on
    that row} ("" where the row must simply be there)."""
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, str] = {}

    def put(name: str, data: bytes, kind: str = "") -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        expect[name] = kind

    # Names: not UTF-8; read two ways; duplicates.
    os.makedirs(os.fsencode(folder / "names"), exist_ok=True)
    with open(os.fsencode(folder) + b"/names/bad_name_\xff\xfe.jpg", "wb") as fh:
        fh.write(_sample("misc/really_a_png.jpg"))
    expect["names/bad_name_%FF%FE.jpg"] = "undecodable_name"
    put("names/a.zip", _zip([("b.txt", b"inside the zip\n")]))
    expect["names/a.zip!/b.txt"] = ""
    (folder / "names" / "a.zip!").mkdir()
    put("names/a.zip!/b.txt", b"a loose file in a folder named a.zip!\n")
    expect.pop("names/a.zip!/b.txt")
    expect["names/a.zip%21/b.txt"] = ""
    put("names/same.zip", _zip([("same.txt", b"first\n"), ("same.txt", b"second\n")]))
    expect["names/same.zip!/same.txt"] = ""
    expect["names/same.zip!/same.txt;2"] = "duplicate_name"
    link = tarfile.TarInfo("passwd")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    put("names/links.tar", _tar([link, ("passwd", b"root:x:0:0\n")]))
    expect["names/links.tar!/passwd"] = ""
    expect["names/links.tar!/passwd;2"] = "duplicate_name"

    # A zip that merely holds a [Content_Types].xml is a folder, not a document.
    fake = [("[Content_Types].xml", b"<Types/>"), *((f"cut_{i:02d}.txt", b"x") for i in range(21))]
    put("containers/not_a_document.zip", _zip(fake))
    for name, _ in fake:
        expect[f"containers/not_a_document.zip!/{name}"] = ""

    # Truncated archives: the member being read when the data ends has a row.
    whole_tar = _tar([("first.txt", b"a" * 4000), ("second.bin", os.urandom(20000))])
    put("containers/truncated.tar", whole_tar[:12000], "")
    expect["containers/truncated.tar!/second.bin"] = "truncated"
    expect["containers/truncated.tar!/first.txt"] = ""

    # Bombs of each kind (64 MiB of zeros: past the 250x ratio once past 1 MiB).
    zeros = bytes(64 * MiB)
    put("bombs/zeros.gz", gzip.compress(zeros, 9))
    expect["bombs/zeros.gz!/zeros"] = "limit_exceeded"
    put("bombs/zeros.bz2", bz2.compress(zeros, 9))
    expect["bombs/zeros.bz2!/zeros"] = "limit_exceeded"
    put("bombs/zeros.xz", lzma.compress(zeros))
    expect["bombs/zeros.xz!/zeros"] = "limit_exceeded"
    put("bombs/zeros.tar.gz", gzip.compress(_tar([("zeros.bin", zeros)]), 9))
    expect["bombs/zeros.tar.gz!/zeros.bin"] = "limit_exceeded"
    put("bombs/nested30.zip", _nested_zip(30), "limit_exceeded")
    put("bombs/itxt_xmp.png", itxt_xmp_bomb(24, 64 * MiB), "limit_exceeded")
    put("bombs/gif_xmp.gif", gif_xmp_blocks(2000))
    put("bombs/ifd_chain.tif", tiff_ifd_chain(20000))
    put("bombs/ifd_loop.tif", tiff_ifd_loop())
    put("bombs/shared_sheet.xlsx", xlsx_shared_sheet(300, 20000))

    # Damaged files: truncated at several offsets, random bytes behind magic.
    whole_tar_gz = gzip.compress(_tar([(f"cut_{i}.jpg", _sample(JPEG)) for i in range(3)]))
    (folder / "damaged").mkdir(parents=True, exist_ok=True)
    for url, data in (
        ("really_a_png.jpg", _sample("misc/really_a_png.jpg")),
        ("sheet.jpg", _sample(JPEG)),
        ("layers.psd", _sample(PSD)),
        ("upload.zip", _sample("uploads/2024-04-01.zip")),
        ("upload.tar.gz", whole_tar_gz),
    ):
        for frac in (0.01, 0.1, 0.5, 0.9, 0.999):
            put(f"damaged/cut{frac * 100:g}_{url}", data[: int(len(data) * frac)])
    expect["damaged/cut50_upload.tar.gz!/cut_0.jpg"] = ""
    expect["damaged/cut50_upload.tar.gz!/cut_1.jpg"] = "truncated"
    expect["damaged/cut50_upload.zip"] = "corrupt_archive"
    rnd = os.urandom(4096)
    for magic, ext in (
        (b"\xff\xd8\xff\xe1", "jpg"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"8BPS\x00\x01", "psd"),
        (b"PK\x03\x04", "zip"),
        (b"%PDF-1.7\n", "pdf"),
        (b"II*\x00", "tif"),
        (b"\x00\x00\x00\x18ftypmp42", "mp4"),
    ):
        put(f"damaged/random.{ext}", magic + rnd)
    crc = bytearray(_zip([("member.txt", b"hello crc\n" * 50)], zipfile.ZIP_STORED))
    crc[crc.index(b"hello crc")] ^= 0xFF
    put("damaged/bad_crc.zip", bytes(crc))
    expect["damaged/bad_crc.zip!/member.txt"] = "corrupt_member"

    # Archive members that are not plain files, and hostile names.
    dev = tarfile.TarInfo("dev/sda")
    dev.type, dev.devmajor, dev.devminor = tarfile.BLKTYPE, 8, 0
    hard = tarfile.TarInfo("hard")
    hard.type, hard.linkname = tarfile.LNKTYPE, "../../etc/shadow"
    put(
        "members/special.tar",
        _tar([dev, hard, ("../../evil.sh", b"#!/bin/sh\n"), ("/abs.txt", b"x")]),
    )
    expect["members/special.tar!/dev/sda"] = ""
    expect["members/special.tar!/hard"] = ""
    expect["members/special.tar!/../../evil.sh"] = "suspicious_name"
    expect["members/special.tar!//abs.txt"] = "suspicious_name"

    # The production software's files, hostile: an OpenToonz scene that
    # declares entities (refused, never expanded: read from its text), a
    # Krita document whose maindoc.xml is a bomb, a Harmony drawing cut in
    # its licence certificate, an After Effects chunk lying about its size.
    billion = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    put(
        "production/entities.tnz",
        f'<!DOCTYPE tnz [<!ENTITY e0 "lol">{billion}]>\n'
        '<tnz framecount="12" version="71.1"><generator>&e9;</generator></tnz>\n'.encode(),
        "corrupt",
    )
    put(
        "production/bomb.kra",
        _zip(
            [("mimetype", b"application/x-krita"), ("maindoc.xml", bytes(80 * MiB))],
        ),
        "limit_exceeded",
    )
    tvg = _sample(next(u for u in _truth() if u.endswith(".tvg")))
    put("production/cut.tvg", tvg[: tvg.index(b"-----END")], "corrupt")
    aep = bytearray(_sample(next(u for u in _truth() if u.endswith(".aep"))))
    alas = aep.index(b"Alas")
    aep[alas + 4 : alas + 8] = (10_000_000).to_bytes(4, "big")
    put("production/lying.aep", bytes(aep), "corrupt")

    # Filesystem oddities.
    fs = folder / "fs"
    fs.mkdir()
    os.symlink("loop_b", fs / "loop_a")
    os.symlink("loop_a", fs / "loop_b")
    os.symlink("/etc/passwd", fs / "outside")
    os.mkfifo(fs / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(fs / "socket"))
    sock.close()
    (fs / "empty").write_bytes(b"")
    with open(fs / "sparse.bin", "wb") as fh:
        fh.truncate(big_sparse)
    for name in ("loop_a", "loop_b", "outside", "fifo", "socket", "empty", "sparse.bin"):
        expect[f"fs/{name}"] = ""
    return expect
