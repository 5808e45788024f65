#!/usr/bin/env python3
"""Draw the synthetic sample dump and its ground truth.

A subcontractor's upload folder, three working weeks long: sketch sheets on
paper (pencil line art, light-blue construction lines, a printed cut header,
red or blue handwritten-style notes in Korean, Simplified and Traditional
Chinese and a little Japanese, some Chinese notes with a Korean translation
beneath), JPEG with EXIF, PNG with text chunks and tIME, layered PSDs with a
note layer, daily upload zips with UTC extra fields, a nested archive, a
spreadsheet work log per day, a RAR 5 and a 7z upload from studios that
ship with WinRAR and 7-Zip, and a few corrupt and hostile files.

Seeded and byte-for-byte deterministic (given the pinned Pillow and the
Debian fonts that `make setup` installs). Nothing here is real material.

    python samples/make_samples.py                 # writes samples/dump and samples/expected
    python samples/make_samples.py --out /tmp/s --offset +08:00 --seed 11
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import struct
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

HERE = Path(__file__).resolve().parent
FONTS = {
    "ko": ("/usr/share/fonts/truetype/nanum/NanumPen.ttf", 0, 44),
    "ko-brush": ("/usr/share/fonts/truetype/nanum/NanumBrush.ttf", 0, 44),
    "zh-Hans": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, 34),
    "zh-Hant": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 2, 34),
    "ja": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 3, 34),
    "print": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0, 20),
}
INKS = {"red": (205, 35, 40), "blue": (35, 70, 200)}
PENCIL = (88, 88, 92)
CONSTRUCTION = (150, 192, 235)
PAPER = (246, 243, 235)

PHRASES = {
    "ko": [
        "눈 크기 수정",
        "머리카락 선 정리",
        "손 모양 다시",
        "그림자 추가",
        "얼굴 각도 수정",
        "입 모양 수정",
        "선을 깔끔하게",
        "표정 수정 바람",
        "옷 주름 줄이기",
        "발 위치 확인",
    ],
    "zh-Hans": [
        "眼睛再大一点",
        "头发线条整理",
        "手的形状重画",
        "加阴影",
        "脸的角度修改",
        "表情修改",
        "线条要干净",
        "注意透视",
        "这里画错了",
        "衣服褶皱减少",
    ],
    "zh-Hant": [
        "眼睛再大一點",
        "頭髮線條整理",
        "手的形狀重畫",
        "加陰影",
        "臉的角度修改",
        "顏色修改",
        "線條要乾淨",
        "注意透視",
        "這裡畫錯了",
        "衣服皺褶減少",
    ],
    "ja": [
        "表情を修正",
        "目線修正",
        "髪の流れに注意",
        "影を追加して",
        "口パク確認",
        "線を整理して",
    ],
}
# A go-between studio's mark: a Chinese instruction and its Korean translation.
PAIRS = [
    ("眼睛再大一点", "눈을 더 크게"),
    ("头发线条整理", "머리카락 선 정리"),
    ("手的形状重画", "손 모양 다시 그리기"),
    ("表情修改", "표정 수정"),
    ("脸的角度修改", "얼굴 각도 수정"),
    ("注意透视", "원근감 주의"),
]
SHOWS = {"INV": (3, [5, 6]), "KMR": (1, [12])}
STAGES = ["LO", "KEY", "INB"]
SOFTWARE = ["CLIP STUDIO PAINT 2.0.6", "Adobe Photoshop 25.0 (Windows)", "CLIP STUDIO PAINT 1.13.2"]
START = dt.date(2024, 4, 1)  # a Monday
WEEKS = 3
SHEETS_PER_DAY = 4
SHEET_SIZE = (1000, 707)


@dataclass
class Truth:
    """What the generator knows about each file it wrote."""

    files: dict[str, dict[str, object]] = field(default_factory=dict)
    notes: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    # the drawing a file is a version of, where its name does not say
    drawing_of: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        url: str,
        data: bytes,
        when: dt.datetime | None,
        basis: str,
        kind: str = "file",
        **timestamps: str,
    ) -> None:
        """`when` None: the file carries no time at all (a Pencil2D member)."""
        self.files[url] = {
            "kind": kind,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "time": when.isoformat() if when is not None else None,
            "time_basis": basis,
            "timestamps": timestamps,
        }

    def add_members(self, url: str, data: bytes, when: dt.datetime | None) -> None:
        """Each member of the zip `url` (a document that is a zip), dated by
        its DOS time, `when` (None: its members carry none)."""
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                basis = "archive_entry.dos_time" if when is not None else ""
                self.add(f"{url}!/{info.filename}", zf.read(info), when, basis)


class Sampler:
    def __init__(self, seed: int, offset: dt.timedelta, vertical: float = 0.0) -> None:
        self.vertical = vertical  # share of sheets with a note written top to bottom
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.tz = dt.timezone(offset)
        self.truth = Truth()
        self.fonts: dict[str, ImageFont.FreeTypeFont] = {}
        self.ink_layer = Image.new("L", SHEET_SIZE, 0)

    # ---- drawing -------------------------------------------------------------------------

    def font(self, key: str, size: int | None = None) -> ImageFont.FreeTypeFont:
        path, index, default = FONTS[key]
        k = f"{key}:{size or default}"
        if k not in self.fonts:
            self.fonts[k] = ImageFont.truetype(path, size or default, index=index)
        return self.fonts[k]

    def paper(self, noisy: bool) -> Image.Image:
        w, h = SHEET_SIZE
        base = np.empty((h, w, 3), dtype=np.int16)
        base[:] = PAPER
        if noisy:
            base += self.np.normal(0, 2.5, (h, w, 1)).astype(np.int16)
        return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")

    def construction(self, draw: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(3, 5)):
            x0 = cx + rng.randint(-260, 260)
            draw.line([(x0, 120), (x0 + rng.randint(-60, 60), 680)], fill=CONSTRUCTION, width=1)
        draw.line([(cx - 300, cy), (cx + 300, cy + rng.randint(-20, 20))], fill=CONSTRUCTION)
        r = rng.randint(70, 95)
        draw.ellipse([cx - r, cy - 180 - r, cx + r, cy - 180 + r], outline=CONSTRUCTION, width=1)

    def stroke(
        self,
        draw: ImageDraw.ImageDraw,
        pts: list[tuple[float, float]],
        width: int = 2,
        fill: tuple[int, int, int] = PENCIL,
    ) -> None:
        jittered = [
            (x + self.rng.uniform(-1.2, 1.2), y + self.rng.uniform(-1.2, 1.2)) for x, y in pts
        ]
        draw.line(jittered, fill=fill, width=width, joint="curve")

    def figure(self, draw: ImageDraw.ImageDraw, cx: int, cy: int) -> None:
        """A pencil figure: head, hair, eyes, body, arms."""
        rng = self.rng
        hr = rng.randint(60, 80)
        hy = cy - 180
        head = [
            (cx + hr * math.cos(t / 20 * math.pi) * 0.9, hy + hr * math.sin(t / 20 * math.pi))
            for t in range(41)
        ]
        self.stroke(draw, head)
        for i in range(rng.randint(5, 9)):  # hair strands
            a = math.pi * (1.05 + i * 0.11)
            x0, y0 = cx + hr * math.cos(a), hy + hr * math.sin(a)
            self.stroke(
                draw,
                [
                    (x0, y0),
                    (x0 + rng.uniform(-30, 30), y0 - rng.uniform(15, 40)),
                    (x0 + rng.uniform(-40, 40), y0 + rng.uniform(5, 30)),
                ],
            )
        for side in (-1, 1):  # eyes
            ex = cx + side * hr * 0.38
            draw.ellipse([ex - 10, hy - 6, ex + 10, hy + 12], outline=PENCIL, width=2)
        self.stroke(draw, [(cx - 15, hy + 40), (cx, hy + 45), (cx + 15, hy + 40)])
        body = [(cx - 60, hy + hr + 20), (cx - 75, cy + 40), (cx - 60, cy + 160)]
        self.stroke(draw, body)
        self.stroke(draw, [(2 * cx - x, y) for x, y in body])
        for side in (-1, 1):
            self.stroke(
                draw,
                [
                    (cx + side * 62, hy + hr + 30),
                    (cx + side * 120, cy - 10),
                    (cx + side * rng.randint(100, 160), cy + rng.randint(30, 80)),
                ],
            )

    def header(self, img: Image.Image, code: dict[str, str]) -> dict[str, object]:
        draw = ImageDraw.Draw(img)
        draw.rectangle([20, 14, 980, 62], outline=(20, 20, 20), width=2)
        text = f"{code['show']}  S{code['season']}  EP{code['ep']}  SC{code['sc']}  C{code['cut']}  {code['stage']}"
        font = self.font("print", 24)
        draw.text((36, 24), text, fill=(15, 15, 15), font=font)
        box = draw.textbbox((36, 24), text, font=font)
        return {
            "text": text,
            "lang": "und",
            "ink": "black",
            "origin": "printed",
            "box": list(box),
            "pair": None,
        }

    def write_note(
        self,
        img: Image.Image,
        text: str,
        lang: str,
        ink: str,
        x: int,
        y: int,
        font_key: str | None = None,
    ) -> dict[str, object]:
        """Render text in ink, slightly rotated like a hand would, and return its true box."""
        font = self.font(font_key or lang)
        bbox = font.getbbox(text)
        w, h = bbox[2] + 12, bbox[3] + 12
        layer = Image.new("L", (w, h), 0)
        ImageDraw.Draw(layer).text((6, 4), text, fill=255, font=font)
        return self._paste_note(img, layer, 3, text, lang, ink, x, y)

    def write_vertical_note(
        self, img: Image.Image, text: str, lang: str, ink: str, x: int, y: int
    ) -> dict[str, object]:
        """Render text top to bottom (a column, as Japanese and Chinese notes
        are often written in a margin) and return its true box."""
        font = self.font(lang)
        size = font.size
        layer = Image.new("L", (size + 12, len(text) * round(size * 1.05) + 12), 0)
        draw = ImageDraw.Draw(layer)
        for i, ch in enumerate(text):
            draw.text((6, 4 + i * round(size * 1.05)), ch, fill=255, font=font)
        return {**self._paste_note(img, layer, 2, text, lang, ink, x, y), "vertical": True}

    def _paste_note(
        self,
        img: Image.Image,
        layer: Image.Image,
        tilt: float,
        text: str,
        lang: str,
        ink: str,
        x: int,
        y: int,
    ) -> dict[str, object]:
        """Paste written text (a mask) in ink, turned by up to `tilt` degrees
        like a hand would, note it in the ink truth, and return its note."""
        layer = layer.rotate(
            self.rng.uniform(-tilt, tilt), resample=Image.Resampling.BICUBIC, expand=True
        )
        colour = Image.new("RGB", layer.size, INKS[ink])
        img.paste(colour, (x, y), layer)
        self.ink_layer.paste(255, (x, y), layer)
        lb = layer.point(lambda v: 255 if v > 60 else 0).getbbox() or (0, 0, 0, 0)
        return {
            "text": text,
            "lang": lang,
            "ink": ink,
            "origin": "ocr",
            "box": [x + lb[0], y + lb[1], x + lb[2], y + lb[3]],
            "pair": None,
        }

    def marks(self, img: Image.Image, ink: str, cx: int, cy: int) -> None:
        """Correction marks that are not text: a circle and an arrow."""
        draw = ImageDraw.Draw(img)
        r = self.rng.randint(28, 40)
        ox, oy = cx + self.rng.randint(-40, 40), cy - 180 + self.rng.randint(-20, 20)
        ax, ay = ox + r + 10, oy
        for target, colour in ((draw, INKS[ink]), (ImageDraw.Draw(self.ink_layer), 255)):
            target.ellipse([ox - r, oy - r, ox + r, oy + r], outline=colour, width=3)
            target.line([(ax, ay), (ax + 120, ay - 40)], fill=colour, width=3)
            target.line([(ax, ay), (ax + 16, ay - 14)], fill=colour, width=3)
            target.line([(ax, ay), (ax + 20, ay + 4)], fill=colour, width=3)

    def sheet(
        self, code: dict[str, str], noisy: bool
    ) -> tuple[Image.Image, list[dict[str, object]]]:
        img = self.paper(noisy)
        self.ink_layer = Image.new("L", img.size, 0)  # where the correction ink went: the truth
        draw = ImageDraw.Draw(img)
        cx, cy = self.rng.randint(300, 420), self.rng.randint(380, 430)
        self.construction(draw, cx, cy)
        self.figure(draw, cx, cy)
        notes = [self.header(img, code)]
        ink = self.rng.choice(list(INKS))
        self.marks(img, ink, cx, cy)
        kind = self.rng.random()
        x, y = 600, self.rng.randint(110, 160)
        if kind < 0.3:  # bilingual pair: Chinese, its Korean translation beneath
            zh, ko = self.rng.choice(PAIRS)
            a = self.write_note(img, zh, "zh-Hans", ink, x, y)
            b = self.write_note(img, ko, "ko", ink, x + self.rng.randint(-8, 8), a["box"][3] + 10)  # type: ignore[index]
            pair_id = (
                len([n for ns in self.truth.notes.values() for n in ns if n["pair"] is not None])
                // 2
                + 1
            )
            a["pair"] = b["pair"] = pair_id
            notes += [a, b]
            y = int(b["box"][3]) + 40  # type: ignore[index]
        for _ in range(self.rng.randint(1, 2)):
            lang = self.rng.choices(["ko", "zh-Hans", "zh-Hant", "ja"], [4, 3, 2, 1])[0]
            text = self.rng.choice(PHRASES[lang])
            note_ink = ink if self.rng.random() < 0.7 else self.rng.choice(list(INKS))
            if y > 600:
                break
            n = self.write_note(img, text, lang, note_ink, x + self.rng.randint(-20, 20), y)
            notes.append(n)
            y = int(n["box"][3]) + self.rng.randint(30, 60)  # type: ignore[index]
        if self.vertical and self.rng.random() < self.vertical:
            lang = self.rng.choice(["zh-Hans", "zh-Hant", "ja"])
            text = self.rng.choice(PHRASES[lang])
            notes.append(
                self.write_vertical_note(img, text, lang, ink, 905, self.rng.randint(110, 150))
            )
        return img, notes

    # ---- files ---------------------------------------------------------------------------

    def work_time(self, day: dt.date) -> dt.datetime:
        """A time in working hours (09:00-18:00 local, none at lunch 12:00-13:00)."""
        while True:
            minutes = self.rng.randint(9 * 60, 18 * 60 - 1)
            if not 12 * 60 <= minutes < 13 * 60:
                break
        return dt.datetime.combine(
            day, dt.time(minutes // 60, minutes % 60, self.rng.randint(0, 59)), tzinfo=self.tz
        )

    def code(self, show: str, ep: int, stage: str) -> dict[str, str]:
        season = SHOWS[show][0]
        return {
            "show": show,
            "season": f"{season:02d}",
            "ep": f"{ep:02d}",
            "sc": f"{self.rng.randint(1, 40):03d}",
            "cut": f"{self.rng.randint(1, 250):03d}",
            "stage": stage,
            "version": f"{self.rng.randint(1, 4):02d}",
        }

    def name(self, code: dict[str, str], ext: str) -> str:
        return (
            f"{code['show']}/EP{code['ep']}/{code['stage']}/{code['show']}_S{code['season']}_EP{code['ep']}"
            f"_SC{code['sc']}_C{code['cut']}_{code['stage']}_v{code['version']}.{ext}"
        )

    def jpeg(
        self, img: Image.Image, when: dt.datetime, with_offset: bool
    ) -> tuple[bytes, dict[str, str]]:
        exif = Image.Exif()
        software = self.rng.choice(SOFTWARE)
        local = when.strftime("%Y:%m:%d %H:%M:%S")
        created = (when - dt.timedelta(minutes=self.rng.randint(20, 180))).strftime(
            "%Y:%m:%d %H:%M:%S"
        )
        exif[0x0131] = software
        exif[0x0132] = local
        ifd = exif.get_ifd(0x8769)
        ifd[0x9003] = created
        ifd[0x9004] = created
        stamps = {
            "EXIF DateTime": local,
            "EXIF DateTimeOriginal": created,
            "EXIF DateTimeDigitized": created,
        }
        if with_offset:
            off = when.strftime("%z")
            off = f"{off[:3]}:{off[3:]}"
            ifd[0x9010] = off
            ifd[0x9011] = off
            ifd[0x9012] = off
            stamps["EXIF OffsetTime"] = off
        extra: dict[str, bytes] = {}
        if self.rng.random() < 0.4:  # saved from Photoshop: XMP with an edit history
            created_at = dt.datetime.strptime(created, "%Y:%m:%d %H:%M:%S").replace(
                tzinfo=when.tzinfo
            )
            extra["xmp"] = self.xmp_packet(created_at, when, software)
            stamps["XMP xmp:CreateDate"] = created_at.isoformat()
            stamps["XMP xmp:ModifyDate"] = when.isoformat()
            stamps["XMP history saved"] = when.isoformat()
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=70, exif=exif.tobytes(), optimize=True, **extra)
        data = buf.getvalue()
        if self.rng.random() < 0.3:  # an agency's IPTC caption
            data = data[:2] + self.iptc_segment(when) + data[2:]
            stamps["IPTC DateCreated"] = when.isoformat()
        return data, stamps

    def xmp_packet(self, created: dt.datetime, saved: dt.datetime, software: str) -> bytes:
        doc = "".join(self.rng.choice("0123456789abcdef") for _ in range(32))
        inst = "".join(self.rng.choice("0123456789abcdef") for _ in range(32))
        return (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
            'xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" '
            'xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" '
            'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
            f'xmp:CreatorTool="{software}" xmp:CreateDate="{created.isoformat()}" '
            f'xmp:ModifyDate="{saved.isoformat()}" xmp:MetadataDate="{saved.isoformat()}" '
            f'xmpMM:DocumentID="xmp.did:{doc}" xmpMM:InstanceID="xmp.iid:{inst}" '
            f'xmpMM:OriginalDocumentID="xmp.did:{doc}">'
            "<xmpMM:History><rdf:Seq>"
            f'<rdf:li stEvt:action="created" stEvt:instanceID="xmp.iid:{doc}" '
            f'stEvt:when="{created.isoformat()}" stEvt:softwareAgent="{software}"/>'
            f'<rdf:li stEvt:action="saved" stEvt:instanceID="xmp.iid:{inst}" '
            f'stEvt:when="{saved.isoformat()}" stEvt:softwareAgent="{software}" stEvt:changed="/"/>'
            "</rdf:Seq></xmpMM:History></rdf:Description></rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>'
        ).encode()

    def iptc_segment(self, when: dt.datetime) -> bytes:
        def dataset(record: int, number: int, value: bytes) -> bytes:
            return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value

        off = when.strftime("%z")
        iim = b"".join(
            [
                dataset(1, 90, b"\x1b%G"),
                dataset(2, 55, when.strftime("%Y%m%d").encode()),
                dataset(2, 60, (when.strftime("%H%M%S") + off).encode()),
                dataset(2, 80, self.rng.choice(["김지수", "王芳", "이민호"]).encode()),
                dataset(2, 120, "수정 부탁드립니다 / 请修改".encode()),
                dataset(2, 25, b"layout"),
                dataset(2, 25, b"retake"),
            ]
        )
        if len(iim) % 2:
            iim += b"\x00"
        resource = (
            b"8BIM" + struct.pack(">H", 1028) + b"\x00\x00" + struct.pack(">I", len(iim)) + iim
        )
        body = b"Photoshop 3.0\x00" + resource
        return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body

    def png(self, img: Image.Image, when: dt.datetime) -> tuple[bytes, dict[str, str]]:
        info = PngInfo()
        utc = when.astimezone(dt.UTC)
        info.add_text("Software", self.rng.choice(SOFTWARE))
        info.add_text("Creation Time", when.strftime("%Y:%m:%d %H:%M:%S"))
        info.add_itxt("Comment", "수정 완료", lang="ko", tkey="Comment")
        info.add(
            b"tIME",
            struct.pack(">HBBBBB", utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second),
        )
        buf = io.BytesIO()
        img.quantize(64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buf, "PNG", pnginfo=info, optimize=True
        )
        return buf.getvalue(), {
            "PNG Creation Time": when.strftime("%Y:%m:%d %H:%M:%S"),
            "PNG tIME": utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def worklog(self, day: dt.date, rows: list[tuple[str, str, str]], when: dt.datetime) -> bytes:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "작업일지"
        ws.append(["날짜 日期", "담당 担当", "컷 镜头", "공정 工序", "상태 状态"])
        people = ["김", "이", "박", "王", "李"]
        for name, stage, note in rows:
            ws.append([day.isoformat(), self.rng.choice(people), name, stage, note])
        raw = io.BytesIO()
        wb.save(raw)
        return self.rezip(raw.getvalue(), when)

    def rezip(self, data: bytes, when: dt.datetime) -> bytes:
        """Rewrite an office file's zip with fixed entry times and core properties,
        so that it is byte-for-byte reproducible."""
        stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        core = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>studio-pc07</dc:creator>'
            "<cp:lastModifiedBy>studio-pc07</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
        )
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = core.encode() if info.filename == "docProps/core.xml" else src.read(info)
                zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(zi, body)
        return out.getvalue()

    def psd(self, img: Image.Image, note_layer: str, notes: list[dict[str, object]]) -> bytes:
        """A layered PSD: paper, construction, line art, and a note group named
        수정 or 修改 holding the correction ink."""
        from psd_tools import PSDImage
        from psd_tools.constants import Compression, Tag
        from psd_tools.psd.descriptor import DescriptorBlock, String

        w, h = img.size
        psd = PSDImage.new("RGB", (w, h), color=PAPER, compression=Compression.RLE)
        arr = np.asarray(img)
        ink_mask = (arr[..., 0].astype(int) - arr[..., 2].astype(int) > 80) | (
            arr[..., 2].astype(int) - arr[..., 0].astype(int) > 80
        )
        blue_line = (abs(arr[..., 0].astype(int) - 150) < 30) & (
            abs(arr[..., 2].astype(int) - 235) < 25
        )
        base = np.array(img)
        base[ink_mask | blue_line] = PAPER
        paper = Image.new("RGB", (w, h), PAPER)
        named(psd.create_pixel_layer(paper, name="paper"), "用紙")
        construction = np.zeros((h, w, 4), dtype=np.uint8)
        construction[blue_line] = (*CONSTRUCTION, 255)
        named(psd.create_pixel_layer(Image.fromarray(construction, "RGBA"), name="d"), "下書き")
        lineart = np.zeros((h, w, 4), dtype=np.uint8)
        dark = np.asarray(Image.fromarray(base).convert("L")) < 200
        lineart[dark] = (*PENCIL, 255)
        named(psd.create_pixel_layer(Image.fromarray(lineart, "RGBA"), name="l"), "線画")
        group = named(psd.create_group(name="notes"), note_layer)
        ink = np.zeros((h, w, 4), dtype=np.uint8)
        ink[ink_mask, :3] = arr[ink_mask]
        ink[ink_mask, 3] = 255
        named(group.create_pixel_layer(Image.fromarray(ink, "RGBA"), name="ink"), "赤ペン")
        # The same notes typed as text layers (psd-tools cannot make text layers,
        # so the TySh block is set by hand: a TxLr descriptor holding 'Txt ').
        for note in [n for n in notes if n["origin"] == "ocr"]:
            text = str(note["text"])
            layer = named(group.create_pixel_layer(Image.new("RGBA", (w, h)), name="t"), text)
            desc = DescriptorBlock(classID=b"TxLr")
            desc[b"Txt "] = String(text)
            x0, y0, x1, y1 = note["box"]  # type: ignore[misc]
            layer._record.tagged_blocks.set_data(
                Tag.TYPE_TOOL_OBJECT_SETTING,
                1,
                (1.0, 0.0, 0.0, 1.0, float(x0), float(y1)),
                50,
                desc,
                1,
                DescriptorBlock(classID=b"warp"),
                x0,
                y0,
                x1,
                y1,
            )
            notes.append(
                {
                    "text": text,
                    "lang": note["lang"],
                    "ink": None,
                    "origin": "text_layer",
                    "box": None,
                    "pair": None,
                }
            )
        buf = io.BytesIO()
        psd.save(buf)
        return buf.getvalue()

    def pdf(self, when: dt.datetime, title: str) -> tuple[bytes, dict[str, str]]:
        """A one-page storyboard export: info dictionary dates and an XMP stream."""

        def pdfdate(t: dt.datetime) -> str:
            off = t.strftime("%z")
            return t.strftime("D:%Y%m%d%H%M%S") + f"{off[:3]}'{off[3:]}'"

        created = when - dt.timedelta(hours=self.rng.randint(1, 30))
        xmp = self.xmp_packet(created, when, "Adobe InDesign 19.0 (Windows)")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream",
            b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
            + xmp
            + b"\nendstream",
            (
                f"<< /Title ({title}) /Producer (Adobe PDF Library 17.0) /Creator (Adobe InDesign 19.0) "
                f"/CreationDate ({pdfdate(created)}) /ModDate ({pdfdate(when)}) >>"
            ).encode(),
        ]
        out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for pos in offsets:
            out += b"%010d 00000 n \n" % pos
        out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            xref,
        )
        return bytes(out), {
            "PDF CreationDate": created.isoformat(),
            "PDF ModDate": when.isoformat(),
        }

    @staticmethod
    def mp4(when: dt.datetime) -> tuple[bytes, dict[str, str]]:
        """An animatic's container: ftyp, moov with mvhd, one track (tkhd, mdhd)."""

        def box(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I4s", 8 + len(body), kind) + body

        secs = int(
            (when.astimezone(dt.UTC) - dt.datetime(1904, 1, 1, tzinfo=dt.UTC)).total_seconds()
        )
        mvhd = box(b"mvhd", struct.pack(">BxxxIIII", 0, secs, secs, 600, 7200) + bytes(80))
        tkhd = box(b"tkhd", struct.pack(">BxxxIIIII", 0, secs, secs, 1, 0, 7200) + bytes(60))
        mdhd = box(b"mdhd", struct.pack(">BxxxIIII", 0, secs, secs, 24, 288) + bytes(4))
        moov = box(b"moov", mvhd + box(b"trak", tkhd + box(b"mdia", mdhd)))
        data = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41") + moov + box(b"mdat", bytes(64))
        utc = when.astimezone(dt.UTC).isoformat()
        return data, {"QuickTime CreateDate": utc, "QuickTime ModifyDate": utc}

    def clip(self, img: Image.Image, layers: list[str]) -> bytes:
        """A CLIP STUDIO file: CSFCHUNK with a SQLite chunk (canvas, layers, preview)."""
        import sqlite3

        preview = io.BytesIO()
        img.resize((200, 141)).quantize(32).save(preview, "PNG")
        con = sqlite3.connect(":memory:")
        con.executescript(
            "CREATE TABLE Canvas (MainId INTEGER PRIMARY KEY, CanvasWidth REAL, CanvasHeight REAL,"
            " CanvasResolution REAL);"
            "CREATE TABLE Layer (MainId INTEGER PRIMARY KEY, LayerName TEXT, LayerType INTEGER);"
            "CREATE TABLE CanvasPreview (MainId INTEGER PRIMARY KEY, ImageWidth INTEGER,"
            " ImageHeight INTEGER, ImageData BLOB);"
        )
        con.execute("INSERT INTO Canvas VALUES (1, ?, ?, 350)", img.size)
        con.executemany("INSERT INTO Layer VALUES (?, ?, 1)", list(enumerate(layers, 1)))
        con.execute("INSERT INTO CanvasPreview VALUES (1, 200, 141, ?)", (preview.getvalue(),))
        con.commit()
        db = con.serialize()
        con.close()

        def chunk(name: bytes, body: bytes) -> bytes:
            return name + struct.pack(">Q", len(body)) + body

        body = (
            chunk(b"CHNKHead", bytes(40))
            + chunk(b"CHNKExta", b"")
            + chunk(b"CHNKSQLi", db)
            + chunk(b"CHNKFoot", b"")
        )
        return b"CSFCHUNK" + struct.pack(">QQ", 24 + len(body), 24) + body

    # ---- archives ------------------------------------------------------------------------

    @staticmethod
    def zip_info(name: str, when: dt.datetime, extra: str = "ext") -> zipfile.ZipInfo:
        zi = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.create_system = 3
        zi.external_attr = 0o100644 << 16
        seconds = int(when.timestamp())
        if extra == "ext":  # Info-ZIP extended timestamp: mtime, UTC
            zi.extra = struct.pack("<HHBi", 0x5455, 5, 1, seconds)
        elif extra == "ntfs":  # Windows: NTFS FILETIMEs (mtime, atime, ctime), UTC
            ft = (seconds + 11644473600) * 10_000_000
            zi.extra = struct.pack("<HHIHHQQQ", 0x000A, 32, 0, 1, 24, ft, ft, ft)
        return zi


def filetime_ticks(when: dt.datetime) -> int:
    """A Windows FILETIME: 100 ns ticks since 1601-01-01 UTC (whole seconds)."""
    return int(when.timestamp()) * 10_000_000 + 116_444_736_000_000_000


def _vint(n: int) -> bytes:
    """RAR 5's variable-length integer: seven bits a byte, low first."""
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def rar5(members: list[tuple[str, bytes, dt.datetime]]) -> bytes:
    """A RAR 5 archive of stored members (WinRAR's `-m0`, as studios send
    JPEGs that do not compress further), each member's mtime a Windows
    FILETIME in the file time extra record, where WinRAR writes it.

    Written here because no RAR writer is free software; the layout is
    RARLAB's "RAR 5.0 archive format" technote, and the tests read the result
    with rarfile and libarchive, two independent readers."""

    def block(fields: bytes) -> bytes:
        body = _vint(len(fields)) + fields  # the size counts from the header type on
        return struct.pack("<I", zlib.crc32(body)) + body

    out = bytearray(b"Rar!\x1a\x07\x01\x00")
    out += block(_vint(1) + _vint(0) + _vint(0))  # main header: no flags
    for name, data, when in members:
        filetime = filetime_ticks(when)
        time_record = _vint(3) + _vint(0x02) + struct.pack("<Q", filetime)  # FILETIME mtime
        extra = _vint(len(time_record)) + time_record
        encoded = name.encode()
        fields = (
            _vint(2)  # file header
            + _vint(0x0001 | 0x0002)  # extra area and data area present
            + _vint(len(extra))
            + _vint(len(data))
            + _vint(0x0004)  # data CRC32 present, no Unix mtime field
            + _vint(len(data))
            + _vint(0x20)  # Windows "archive" attribute
            + struct.pack("<I", zlib.crc32(data))
            + _vint(0)  # compression: version 0, method 0 (store)
            + _vint(0)  # host OS: Windows
            + _vint(len(encoded))
            + encoded
            + extra
        )
        out += block(fields) + data
    out += block(_vint(5) + _vint(0) + _vint(0))  # end of archive
    return bytes(out)


def fpxr_segments(name: str, application: str, when: dt.datetime) -> bytes:
    """JPEG APP2 FPXR segments as Kodak cameras wrote them: a contents list
    naming one stream, the FlashPix extension list, and that stream, an OLE
    property set ([MS-OLEPS]) giving extension 1's name, creating
    application, and creation and modification FILETIMEs."""

    def lpwstr(text: str) -> bytes:
        raw = (text + "\0").encode("utf-16-le")
        body = struct.pack("<HHI", 0x1F, 0, len(text) + 1) + raw
        return body + bytes(-len(body) % 4)

    ticks = filetime_ticks(when)
    filetime = struct.pack("<HHQ", 0x40, 0, ticks)
    props = [
        (0x00000001, struct.pack("<HHh", 0x02, 0, 1200) + bytes(2)),  # code page: UTF-16
        (0x00010001, lpwstr(name)),
        (0x00010004, filetime),
        (0x00010005, filetime),
        (0x00010006, lpwstr(application)),
    ]
    table = b""
    values = b""
    at = 8 + 8 * len(props)
    for pid, value in props:
        table += struct.pack("<II", pid, at + len(values))
        values += value
    section = struct.pack("<II", at + len(values), len(props)) + table + values
    fmtid = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
    stream = b"\xfe\xff\x00\x00" + bytes(4) + bytes(16) + struct.pack("<I", 1) + fmtid
    stream += struct.pack("<I", 48) + section
    path = "/\x05Extension List".encode("utf-16-le") + b"\0\0"
    contents = b"FPXR\x00\x00\x01" + struct.pack(">H", 1) + struct.pack(">I", len(stream))
    contents += b"\x00" + path
    data = b"FPXR\x00\x00\x02" + struct.pack(">HI", 0, 0) + stream
    return b"".join(b"\xff\xe2" + struct.pack(">H", len(seg) + 2) + seg for seg in (contents, data))


def avi(recorded: dt.datetime, software: str) -> bytes:
    """A camera's AVI clip with no frames: the header list (main header, one
    MJPEG video stream), the IDIT recording time in the ctime layout Canon
    and Casio cameras write, and LIST INFO naming the camera's software."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return kind + struct.pack("<I", len(body)) + body + bytes(len(body) & 1)

    def listed(kind: bytes, *parts: bytes) -> bytes:
        return chunk(b"LIST", kind + b"".join(parts))

    avih = struct.pack("<10I4I", 66666, 0, 0, 0x10, 0, 0, 1, 0, 64, 48, 0, 0, 0, 0)
    strh = b"vidsMJPG" + struct.pack(
        "<IHHIIIIIIiI4h", 0, 0, 0, 0, 1, 15, 0, 0, 0, -1, 0, 0, 0, 64, 48
    )
    strf = struct.pack("<IiiHH4sIiiII", 40, 64, 48, 1, 24, b"MJPG", 0, 0, 0, 0, 0)
    idit = recorded.strftime("%a %b %d %H:%M:%S %Y").upper().encode() + b"\n\x00"
    body = b"AVI " + listed(
        b"hdrl",
        chunk(b"avih", avih),
        listed(b"strl", chunk(b"strh", strh), chunk(b"strf", strf)),
        chunk(b"IDIT", idit),
    )
    body += listed(b"INFO", chunk(b"ISFT", software.encode() + b"\x00"))
    body += listed(b"movi") + chunk(b"idx1", b"")
    return b"RIFF" + struct.pack("<I", len(body)) + body


def wmv(created: dt.datetime, title: str, author: str, tool: str) -> bytes:
    """An ASF (WMV) file with no packets, as Windows Movie Maker exports an
    animatic: the header object (File Properties with the creation date as a
    UTC FILETIME, Content Description, Extended Content Description naming
    the tool), then an empty data object. GUIDs from the ASF specification,
    stored with their first three fields little-endian."""
    import uuid

    def guid(text: str) -> bytes:
        return uuid.UUID(text).bytes_le

    def obj(kind: str, body: bytes) -> bytes:
        return guid(kind) + struct.pack("<Q", 24 + len(body)) + body

    def utf16(text: str) -> bytes:
        return (text + "\0").encode("utf-16-le")

    file_id = uuid.UUID(int=int(created.timestamp())).bytes_le
    ticks = filetime_ticks(created)
    props = file_id + struct.pack(
        "<QQQQQQIIII", 0, ticks, 0, 120_000_000, 120_000_000, 0, 2, 3200, 3200, 0
    )
    names = [utf16(title), utf16(author), utf16(""), utf16(""), utf16("")]
    described = struct.pack("<5H", *map(len, names)) + b"".join(names)
    name, value = utf16("WM/ToolName"), utf16(tool)
    extended = struct.pack("<HH", 1, len(name)) + name + struct.pack("<HH", 0, len(value)) + value
    children = (
        obj("8CABDCA1-A947-11CF-8EE4-00C00C205365", props)
        + obj("75B22633-668E-11CF-A6D9-00AA0062CE6C", described)
        + obj("D2D0A440-E307-11D2-97F0-00A0C95EA850", extended)
    )
    header = obj("75B22630-668E-11CF-A6D9-00AA0062CE6C", struct.pack("<IBB", 3, 1, 2) + children)
    data = obj("75B22636-668E-11CF-A6D9-00AA0062CE6C", file_id + struct.pack("<QH", 0, 0x0101))
    return header + data


def seven_zip(members: list[tuple[str, bytes, dt.datetime]]) -> bytes:
    """A 7z archive (LZMA2, one solid block, mtimes as FILETIME UTC), as 7-Zip
    writes by default, through libarchive's writer."""
    import libarchive

    out = bytearray()

    def take(chunk: bytes) -> int:
        out.extend(chunk)
        return len(chunk)

    with libarchive.custom_writer(take, "7zip", options="compression=lzma2") as archive:
        for name, data, when in members:
            stamp = int(when.timestamp())
            archive.add_file_from_memory(name, len(data), data, mtime=(stamp, 0))
    return bytes(out)


def named(layer, name: str):  # type: ignore[no-untyped-def]
    """psd-tools writes non-Latin names only through the setter (as 'luni')."""
    layer.name = name
    return layer


def krita_document(when: dt.datetime, created: dt.datetime, layers: list[str]) -> bytes:
    """A Krita 5 document as Krita writes one: the `mimetype` member first
    and stored, then maindoc.xml (version, image, layers, animation) and
    documentinfo.xml (KoDocumentInfo's tags: saves, editing time, creation
    and last save dates in local time without an offset, the author)."""
    layer_xml = "".join(
        f'<layer name="{name}" nodetype="paintlayer" filename="layer{i + 2}" '
        'visible="1" opacity="255" colorspacename="RGBA" x="0" y="0"/>'
        for i, name in enumerate(layers)
    )
    maindoc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE DOC PUBLIC \'-//KDE//DTD krita 2.0//EN\' '
        "'http://www.calligra.org/DTD/krita-2.0.dtd'>\n"
        '<DOC xmlns="http://www.calligra.org/DTD/krita" kritaVersion="5.1.5" '
        'syntaxVersion="2.0" editor="Krita">'
        '<IMAGE name="KMR_S01_EP12_SC099_C099_KEY" width="320" height="180" '
        'mime="application/x-kra" colorspacename="RGBA" x-res="300" y-res="300">'
        f"<layers>{layer_xml}</layers>"
        '<animation><framerate type="value" value="24"/><range type="timerange" from="0" to="47"/>'
        "</animation></IMAGE></DOC>\n"
    )
    info = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<document-info xmlns="http://www.calligra.org/DTD/document-info"><about>'
        "<title>KMR EP12 C099 key</title><description></description><subject></subject>"
        "<abstract><![CDATA[팔 길이 수정 반영]]></abstract><keyword></keyword>"
        "<initial-creator>minjun</initial-creator><editing-cycles>7</editing-cycles>"
        "<editing-time>5400</editing-time>"
        f"<date>{when.replace(tzinfo=None).isoformat()}</date>"
        f"<creation-date>{created.replace(tzinfo=None).isoformat()}</creation-date>"
        "<language></language><license></license></about>"
        "<author><full-name>김민준</full-name><creator-first-name>민준</creator-first-name>"
        "<creator-last-name>김</creator-last-name><initial></initial><author-title></author-title>"
        "<position>key animator</position><company>Studio Hanbit</company>"
        '<contact type="email">minjun.kim@example.com</contact></author></document-info>\n'
    )
    merged = io.BytesIO()
    Image.new("RGB", (32, 18), (250, 250, 250)).save(merged, "PNG")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        stamp = when.timetuple()[:6]
        first = zipfile.ZipInfo("mimetype", date_time=stamp)
        zf.writestr(first, "application/x-krita")  # stored, as the convention asks
        for name, data in (
            ("maindoc.xml", maindoc.encode()),
            ("documentinfo.xml", info.encode()),
            ("mergedimage.png", merged.getvalue()),
        ):
            zi = zipfile.ZipInfo(name, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return buf.getvalue()


def toonz_history(saves: list[tuple[dt.datetime, str, str, str]], level: bool) -> str:
    """A content history as OpenToonz's TContentHistory writes one: a header,
    then one fixed-width line a save (number 4, "dd MMM yy   hh:mm" 20,
    machine 12, user 15, and for a level the frames changed, 20)."""

    def pad(text: str, width: int) -> str:
        return text[:width].ljust(width)

    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    if level:
        out = "| #    DATE:       Time:   MACHINE:    USER:          FRAMES MODIFIED:     |"
    else:
        out = "| #    DATE:       Time:   MACHINE:    USER:           |"
    for n, (when, machine, user, frames) in enumerate(saves, 1):
        date = f"{when.day:02d} {months[when.month - 1]} {when.year % 100:02d}   {when:%H:%M}"
        line = "| #" + pad(str(n), 4) + pad(date, 20) + pad(machine, 12) + pad(user, 15)
        out += line + (pad(frames, 20) if level else "") + " |"
    return out


def toonz_scene(history: str, frames: int, levels: list[tuple[str, str]]) -> bytes:
    """A scene in OpenToonz's TOStream dialect: quoted strings, single-quoted
    attributes, the history as quoted pieces of one line each."""
    level_xml = "".join(
        f"      <level name='{name}' id='{i + 1}'>\n        \"{name}\"\n"
        f"        <info dpix='120' dpiy='120' type='s'/>\n        <path>\n"
        f'          "{path}"\n          </path>\n        </level>\n'
        for i, (name, path) in enumerate(levels)
    )
    # one quoted piece a line, cut where "||" joins two (ToonzScene::saveData)
    pieces = "".join(f'    "{piece}"\n' for piece in history.replace("||", "|\n|").split("\n"))
    body = (
        f'<tnz framecount="{frames}" version="71.1">\n'
        '  <generator>\n    "OpenToonz 1.7.1"\n    </generator>\n'
        "  <properties>\n    <cameras>\n      <camera>\n"
        "        <cameraSize>\n          16 9 \n          </cameraSize>\n"
        "        <cameraRes>\n          1920 1080 \n          </cameraRes>\n"
        "        </camera>\n      </cameras>\n    <outputs>\n      <output name='main'>\n"
        '        <path>\n          "+outputs/KMR_S01_EP12_SC099_C099..tif"\n'
        "          </path>\n        </output>\n      </outputs>\n    </properties>\n"
        f"  <levelSet>\n    <levels>\n{level_xml}      </levels>\n    </levelSet>\n"
        f"  <history>\n{pieces}    </history>\n  </tnz>\n"
    )
    return body.encode("utf-8")


def write(root: Path, url: str, data: bytes, when: dt.datetime) -> None:
    path = root / url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    ns = int(when.timestamp()) * 1_000_000_000
    os.utime(path, ns=(ns, ns))


def build(
    out: Path,
    seed: int,
    offset: dt.timedelta,
    weeks: int = WEEKS,
    sheets_per_day: int = SHEETS_PER_DAY,
    vertical: float = 0.0,
) -> Truth:
    s = Sampler(seed, offset, vertical)
    dump = out / "dump"
    if dump.exists():
        shutil.rmtree(dump)
    dump.mkdir(parents=True)
    truth = s.truth
    days = [
        START + dt.timedelta(days=d)
        for d in range(weeks * 7)
        if (START + dt.timedelta(days=d)).weekday() < 5
    ]

    def add_member(
        zf: zipfile.ZipFile,
        container: str,
        name: str,
        data: bytes,
        when: dt.datetime,
        extra: str,
        basis: str,
        **stamps: str,
    ) -> None:
        zf.writestr(s.zip_info(name, when, extra), data)
        truth.add(f"{container}!/{name}", data, when, basis, **stamps)

    drawn: list[tuple[int, dict[str, str], Image.Image, list[dict[str, object]]]] = []
    for i, day in enumerate(days):
        upload = f"uploads/{day.isoformat()}.zip"
        extra = "ntfs" if i >= 10 else "ext"  # the last week was zipped on Windows
        basis = "archive_entry.ntfs_mtime" if extra == "ntfs" else "archive_entry.ext_mtime"
        buf = io.BytesIO()
        log_rows = []
        with zipfile.ZipFile(buf, "w") as zf:
            times = sorted(s.work_time(day) for _ in range(sheets_per_day))
            for j, when in enumerate(times):
                show = s.rng.choice(["INV", "INV", "KMR"])
                code = s.code(show, s.rng.choice(SHOWS[show][1]), s.rng.choice(STAGES))
                as_png = j == sheets_per_day - 1 and i % 2 == 0
                img, notes = s.sheet(code, noisy=not as_png)
                if as_png:
                    data, stamps = s.png(img, when)
                    name = s.name(code, "png")
                else:
                    data, stamps = s.jpeg(img, when, with_offset=s.rng.random() < 0.5)
                    name = s.name(code, "jpg")
                add_member(zf, upload, name, data, when, extra, basis, **stamps)
                truth.notes[f"{upload}!/{name}"] = notes
                drawn.append((i, dict(code), img, notes))
                log_rows.append(
                    (
                        name.rsplit("/", 1)[-1],
                        code["stage"],
                        s.rng.choice(["완료", "修改中", "재작업", "完成"]),
                    )
                )
            log_time = dt.datetime.combine(day, dt.time(18, 10), tzinfo=s.tz)
            log = s.worklog(day, log_rows, log_time)
            add_member(zf, upload, f"worklog_{day.isoformat()}.xlsx", log, log_time, extra, basis)
        zip_time = dt.datetime.combine(day, dt.time(18, 30), tzinfo=s.tz)
        write(dump, upload, buf.getvalue(), zip_time)
        truth.add(upload, buf.getvalue(), zip_time, "filesystem.mtime")

    # Loose files synced into SHOW/EPxx/STAGE folders: sheets and layered PSDs.
    for k in range(8):
        day = days[s.rng.randrange(len(days))]
        when = s.work_time(day)
        show = s.rng.choice(list(SHOWS))
        code = s.code(show, s.rng.choice(SHOWS[show][1]), s.rng.choice(STAGES))
        img, notes = s.sheet(code, noisy=True)
        if k < 3:
            data = s.psd(img, "수정" if k % 2 == 0 else "修改", notes)
            url = s.name(code, "psd")
            stamps: dict[str, str] = {}
        else:
            data, stamps = s.jpeg(img, when, with_offset=k % 2 == 0)
            url = s.name(code, "jpg")
        write(dump, url, data, when)
        truth.add(url, data, when, "filesystem.mtime", **stamps)
        truth.notes[url] = notes

    # Production files beside the sheets: a storyboard PDF, an animatic, a
    # CLIP STUDIO file, and an XMP sidecar.
    day = days[3]
    when = s.work_time(day)
    data, stamps = s.pdf(when, "INV S03 EP05 storyboard")
    write(dump, "INV/EP05/storyboard/INV_S03_EP05_storyboard_v03.pdf", data, when)
    truth.add(
        "INV/EP05/storyboard/INV_S03_EP05_storyboard_v03.pdf",
        data,
        when,
        "filesystem.mtime",
        **stamps,
    )
    when = s.work_time(days[7])
    data, stamps = s.mp4(when)
    write(dump, "INV/EP05/animatic/INV_S03_EP05_animatic_v02.mp4", data, when)
    truth.add(
        "INV/EP05/animatic/INV_S03_EP05_animatic_v02.mp4", data, when, "filesystem.mtime", **stamps
    )
    when = s.work_time(days[11])
    code = s.code("INV", 5, "KEY")
    img, _notes = s.sheet(code, noisy=False)
    data = s.clip(img, ["用紙", "線画", "수정", "影指定"])
    url = s.name(code, "clip").replace("/KEY/", "/KEY/作監修正/")  # studios name folders in CJK
    write(dump, url, data, when)
    truth.add(url, data, when, "filesystem.mtime")
    truth.notes[url] = [
        {"text": t, "lang": lang, "ink": None, "origin": "layer_name", "box": None, "pair": None}
        for t, lang in (("用紙", "ja"), ("線画", "ja"), ("수정", "ko"), ("影指定", "ja"))
    ]
    when = s.work_time(days[12])
    sidecar = s.xmp_packet(when - dt.timedelta(hours=2), when, "Adobe Bridge 2024")
    url = s.name(s.code("KMR", 12, "LO"), "xmp")
    write(dump, url, sidecar, when)
    truth.add(url, sidecar, when, "filesystem.mtime", **{"XMP xmp:ModifyDate": when.isoformat()})

    # A resend: a zip holding a tar.gz of another episode's layouts.
    day = days[9]
    tar_buf = io.BytesIO()
    tar_time = dt.datetime.combine(day, dt.time(17, 5), tzinfo=s.tz)
    members = []
    with io.BytesIO() as raw:
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tf:
            for _ in range(3):
                when = s.work_time(days[8])
                code = s.code("INV", 6, "LO")
                img, notes = s.sheet(code, noisy=True)
                data, stamps = s.jpeg(img, when, with_offset=False)
                name = s.name(code, "jpg")
                ti = tarfile.TarInfo(name)
                ti.size, ti.mtime, ti.mode = len(data), int(when.timestamp()), 0o644
                ti.uid = ti.gid = 1000
                ti.uname = ti.gname = "artist"
                tf.addfile(ti, io.BytesIO(data))
                members.append((name, data, when, stamps, notes))

        with gzip.GzipFile(
            fileobj=tar_buf, mode="wb", mtime=int(tar_time.timestamp()), filename=""
        ) as gz:
            gz.write(raw.getvalue())
    resend = "uploads/2024-04-12_resend.zip"
    inner = "EP06_LO_resend.tar.gz"
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        zf.writestr(s.zip_info(inner, tar_time), tar_buf.getvalue())
    resend_time = dt.datetime.combine(day, dt.time(17, 20), tzinfo=s.tz)
    write(dump, resend, zbuf.getvalue(), resend_time)
    truth.add(resend, zbuf.getvalue(), resend_time, "filesystem.mtime")
    truth.add(f"{resend}!/{inner}", tar_buf.getvalue(), tar_time, "archive_entry.ext_mtime")
    for name, data, when, stamps, notes in members:
        url = f"{resend}!/{inner}!/{name}"
        truth.add(url, data, when, "archive_entry.tar_mtime", **stamps)
        truth.notes[url] = notes

    # Corrupt and hostile files.
    bad_day = days[6]
    some = s.work_time(bad_day)
    good_jpeg = next(iter(truth.files))
    whole = (
        zipfile.ZipFile(dump / good_jpeg.split("!/")[0]).read(good_jpeg.split("!/")[1])
        if "!/" in good_jpeg
        else (dump / good_jpeg).read_bytes()
    )
    hostile: list[tuple[str, bytes]] = [
        ("misc/INV_S03_EP05_SC099_C001_LO_v01_truncated.jpg", whole[: len(whole) // 3]),
        ("misc/scan_0001.png", bytes(s.np.integers(0, 256, 4096, dtype=np.uint8))),
        ("misc/empty_note.txt", b""),
        ("misc/really_a_png.jpg", s.png(Image.new("RGB", (64, 64), PAPER), some)[0]),
    ]
    source = truth.files[good_jpeg]
    for url, data in hostile:
        write(dump, url, data, some)
        truth.add(url, data, some, "filesystem.mtime")
    # The truncated copy keeps its source's EXIF: by the timeline's rule that
    # embedded time, not the copy's mtime, dates it.
    cut = truth.files[hostile[0][0]]
    cut["time"], cut["timestamps"] = source["time"], dict(source["timestamps"])  # type: ignore[call-overload]
    truth.files[hostile[3][0]]["timestamps"] = {
        "PNG tIME": some.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    }
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        for name in ("../../../etc/cron.d/evil", "/tmp/absolute_evil.txt"):
            zf.writestr(
                s.zip_info(name, some), b"this member tries to escape the extraction folder\n"
            )
            truth.add(
                f"hostile/traversal.zip!/{name}",
                b"this member tries to escape the extraction folder\n",
                some,
                "archive_entry.ext_mtime",
            )
    write(dump, "hostile/traversal.zip", zbuf.getvalue(), some)
    truth.add("hostile/traversal.zip", zbuf.getvalue(), some, "filesystem.mtime")
    zbuf = io.BytesIO()
    bomb = bytes(64 * 1024 * 1024)
    with zipfile.ZipFile(zbuf, "w") as zf:
        zi = s.zip_info("zeros.bin", some)
        zf.writestr(zi, bomb, compresslevel=9)
    write(dump, "hostile/bomb.zip", zbuf.getvalue(), some)
    truth.add("hostile/bomb.zip", zbuf.getvalue(), some, "filesystem.mtime")
    truth.files["hostile/bomb.zip!/zeros.bin"] = {
        "kind": "file",
        "size": len(bomb),
        "sha256": None,
        "time": some.isoformat(),
        "time_basis": "archive_entry.ext_mtime",
        "timestamps": {},
    }
    link = dump / "hostile/passwd_link"
    link.symlink_to("../../../../../etc/passwd")
    ns = int(some.timestamp()) * 1_000_000_000
    os.utime(link, ns=(ns, ns), follow_symlinks=False)
    truth.files["hostile/passwd_link"] = {
        "kind": "symlink",
        "size": None,
        "sha256": None,
        "time": some.isoformat(),
        "time_basis": "filesystem.mtime",
        "timestamps": {},
        "link_target": "../../../../../etc/passwd",
    }

    # Revision chains, drawn last so that every file above keeps its bytes:
    # two sheets of the uploads come back days later as the next versions
    # of the same cut, in the show's folders, and one comes back once more
    # as a redraw saved under a name without a production code.
    def redraw(img: Image.Image, k: int) -> Image.Image:
        """The sheet with a few more pencil strokes in the drawing."""
        out = img.copy()
        d = ImageDraw.Draw(out)
        for n in range(3):
            x, y = 1000 + 60 * n + 10 * k, 300 + 40 * n + 15 * k
            d.arc((x, y, x + 80, y + 60), 20, 200, fill=(70, 70, 70), width=2)
        return out

    first_of = {entry[0]: entry for entry in reversed(drawn)}  # each day's first sheet
    chains = [(first_of[1], (4, 8), None), (first_of[3], (6,), 9)]
    for (_day, code, img, notes), later, renamed in chains:
        for k, d in enumerate(later, 1):
            version = dict(code, version=f"{int(code['version']) + k:02d}")
            when = s.work_time(days[d])
            data, stamps = s.jpeg(redraw(img, k), when, with_offset=True)
            url = s.name(version, "jpg")
            write(dump, url, data, when)
            truth.add(url, data, when, "filesystem.mtime", **stamps)
            truth.notes[url] = notes
        if renamed is not None:
            when = s.work_time(days[renamed])
            data, stamps = s.jpeg(redraw(img, 3), when, with_offset=True)
            url = f"{code['show']}/EP{code['ep']}/retakes/retake_{days[renamed]:%m%d}.jpg"
            write(dump, url, data, when)
            truth.add(url, data, when, "filesystem.mtime", **stamps)
            truth.notes[url] = notes
            truth.drawing_of[url] = drawing_id(code)

    # Uploads from studios that ship with WinRAR and 7-Zip, written last so
    # that every file above keeps its bytes: a RAR 5 of KMR key frames under
    # a Korean folder name, and a 7z of INV in-betweens with the day's log.
    for kind, show, stage, d, folder in (
        ("rar", "KMR", "KEY", 13, "수정본"),
        ("7z", "INV", "INB", 14, "EP06_동화"),
    ):
        day = days[d]
        times = sorted(s.work_time(day) for _ in range(2))
        members: list[tuple[str, bytes, dt.datetime]] = []
        sheets = []
        for when in times:
            code = s.code(show, SHOWS[show][1][-1], stage)
            img, notes = s.sheet(code, noisy=True)
            data, stamps = s.jpeg(img, when, with_offset=False)
            name = f"{folder}/{s.name(code, 'jpg').rsplit('/', 1)[-1]}"
            members.append((name, data, when))
            sheets.append((name, data, when, stamps, notes))
        log_time = dt.datetime.combine(day, dt.time(18, 5), tzinfo=s.tz)
        if kind == "7z":
            rows = [(n.rsplit("/", 1)[-1], stage, "완료") for n, *_ in sheets]
            log = s.worklog(day, rows, log_time)
            members.append((f"worklog_{day.isoformat()}.xlsx", log, log_time))
        upload = f"uploads/{day.isoformat()}_{show}_{stage}.{kind}"
        data = rar5(members) if kind == "rar" else seven_zip(members)
        sent = dt.datetime.combine(day, dt.time(18, 40), tzinfo=s.tz)
        write(dump, upload, data, sent)
        truth.add(upload, data, sent, "filesystem.mtime")
        stamped = {name: (stamps, notes) for name, _d, _w, stamps, notes in sheets}
        for name, member, when in members:
            url = f"{upload}!/{name}"
            stamps, notes = stamped.get(name, ({}, None))
            truth.add(url, member, when, "archive_entry.entry_mtime", **stamps)
            if notes is not None:
                truth.notes[url] = notes

    # A reference photo from an old Kodak camera the studio scans layouts
    # with: EXIF, and the camera's FlashPix extension list in APP2.
    when = s.work_time(days[2])
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "EASTMAN KODAK COMPANY", "KODAK DX6490 ZOOM DIGITAL CAMERA"
    exif[0x0131] = "KODAK DX6490 ZOOM DIGITAL CAMERA"
    exif[0x0132] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[0x9003] = exif.get_ifd(0x8769)[0x9004] = exif[0x0132]
    photo = Image.fromarray(s.np.integers(90, 170, (48, 64, 3), dtype=np.uint8))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=80, exif=exif.tobytes())
    raw = buf.getvalue()
    app1 = raw.index(b"\xff\xe1")
    end = app1 + 2 + struct.unpack(">H", raw[app1 + 2 : app1 + 4])[0]
    data = raw[:end] + fpxr_segments("Screen nail", "Picoss", when) + raw[end:]
    url = "INV/EP05/ref/kodak_ref_0001.jpg"
    write(dump, url, data, when)
    truth.add(
        url,
        data,
        when,
        "filesystem.mtime",
        **{
            "EXIF DateTime": when.strftime("%Y:%m:%d %H:%M:%S"),
            "EXIF DateTimeOriginal": when.strftime("%Y:%m:%d %H:%M:%S"),
            "EXIF DateTimeDigitized": when.strftime("%Y:%m:%d %H:%M:%S"),
            "FlashPix ExtensionCreateDate": when.astimezone(dt.UTC).isoformat(),
        },
    )
    truth.notes[url] = []

    # An animator's acting reference, filmed on a compact camera: the clip's
    # IDIT is the camera's clock when it recorded.
    when = s.work_time(days[5])
    data = avi(when.replace(tzinfo=None), "CanonMVI06")
    url = "KMR/EP12/ref/acting_ref_0001.avi"
    write(dump, url, data, when + dt.timedelta(minutes=40))  # copied off the card later
    truth.add(  # dated by its recording time, not by the copy's mtime
        url,
        data,
        when,
        "filesystem.mtime",
        **{"RIFF DateTimeOriginal": when.strftime("%Y:%m:%d %H:%M:%S")},
    )

    # An older cut of the animatic, exported by Windows Movie Maker.
    when = s.work_time(days[1])
    data = wmv(when, "INV S03 EP05 animatic v01", "박지훈", "Windows Movie Maker 6.0")
    url = "INV/EP05/animatic/INV_S03_EP05_animatic_v01.wmv"
    write(dump, url, data, when)
    truth.add(
        url,
        data,
        when,
        "filesystem.mtime",
        **{"ASF CreationDate": when.astimezone(dt.UTC).isoformat()},
    )

    # A key drawing redone in Krita: the document names its author, their
    # company and e-mail, how often it was saved and for how long it was
    # worked on; its members (the merged image...) are its parts.
    when = s.work_time(days[7])
    when = when.replace(second=when.second - when.second % 2)  # its members' DOS times
    created = s.work_time(days[6])
    data = krita_document(when, created, ["선화", "채색", "수정 메모"])
    url = "KMR/EP12/key/KMR_S01_EP12_SC099_C099_KEY_v01.kra"
    write(dump, url, data, when + dt.timedelta(minutes=3))
    truth.add(
        url,
        data,
        when,
        "filesystem.mtime",
        **{
            "Krita creation date": created.replace(tzinfo=None).isoformat(),
            "Krita last save date": when.replace(tzinfo=None).isoformat(),
        },
    )
    truth.add_members(url, data, when)

    # The cut's OpenToonz scene and the history of one of its levels: each
    # save with its machine and user, the levels' paths on the artist's disk.
    saves = [
        (s.work_time(days[d]).replace(second=0), machine, user, frames)
        for d, machine, user, frames in (
            (4, "KMR-ANIM07", "jihoon", "1-12"),
            (5, "KMR-ANIM07", "jihoon", "4, 9"),
            (8, "KMR-CHK02", "sora.lee", "9"),
        )
    ]

    def add_saved(url: str, data: bytes, saves: list[tuple[dt.datetime, str, str, str]]) -> None:
        """A file dated by its last save, each save's time in its truth."""
        stamps = {
            f"OpenToonz save {n}": w.replace(tzinfo=None).isoformat()
            for n, (w, *_r) in enumerate(saves, 1)
        }
        truth.add(url, data, saves[-1][0], "filesystem.mtime", **stamps)

    level_history = toonz_history(saves, level=True)
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099_A.hst"
    data = level_history.encode()
    write(dump, url, data, saves[-1][0])
    add_saved(url, data, saves)
    scene_saves = [(w + dt.timedelta(minutes=2), m, u, "") for w, m, u, _f in saves]
    data = toonz_scene(
        toonz_history(scene_saves, level=False),
        48,
        [
            ("A", "C:/Users/jihoon/Documents/OpenToonz stuff/sandbox/drawings/KMR_C099_A.pli"),
            ("BG", "+extras/KMR_C099_BG.tif"),
        ],
    )
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099.tnz"
    write(dump, url, data, scene_saves[-1][0])
    add_saved(url, data, scene_saves)

    # The cut's exposure sheet, exported as XDTS: cut and scene, its
    # tracks, a line of dialogue and a camera instruction.
    sheet = {
        "header": {"cut": "99", "scene": "4"},
        "timeTables": [
            {
                "name": "KMR_EP12_C099",
                "duration": 48,
                "timeTableHeaders": [
                    {"fieldId": 0, "names": ["A", "BG"]},
                    {"fieldId": 3, "names": ["S1"]},
                    {"fieldId": 5, "names": ["CAM"]},
                ],
                "fields": [
                    {
                        "fieldId": 0,
                        "tracks": [
                            {
                                "trackNo": 0,
                                "frames": [{"frame": 0, "data": [{"id": 0, "values": ["1"]}]}],
                            }
                        ],
                    },
                    {
                        "fieldId": 3,
                        "tracks": [
                            {
                                "trackNo": 0,
                                "frames": [
                                    {"frame": 6, "data": [{"id": 0, "values": ["여기서 멈춰!"]}]}
                                ],
                            }
                        ],
                    },
                    {
                        "fieldId": 5,
                        "tracks": [
                            {
                                "trackNo": 0,
                                "frames": [{"frame": 0, "data": [{"id": 0, "values": ["PAN"]}]}],
                            }
                        ],
                    },
                ],
            }
        ],
        "version": 5,
    }
    data = (
        "exchangeDigitalTimeSheet Save Data\n"
        + json.dumps(sheet, ensure_ascii=False, indent=2)
        + "\n"
    ).encode()
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099.xdts"
    when = s.work_time(days[8])
    write(dump, url, data, when)
    truth.add(url, data, when, "filesystem.mtime")

    # The cut's effects done in Synfig, saved compressed (.sifz, gzip): the
    # imported background's path is on the artist's disk.
    when = s.work_time(days[8])
    sif = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<canvas version="1.2" width="1920" height="1080" xres="2834.645669" '
        'yres="2834.645669" view-box="-4 2.25 4 -2.25" antialias="1" fps="24.000" '
        'begin-time="0f" end-time="2s" bgcolor="0.5 0.5 0.5 1.0">\n'
        "  <name>KMR EP12 C099 fx</name>\n  <desc>빛 효과</desc>\n"
        '  <meta name="background_first_color" content="0.880000 0.880000 0.880000"/>\n'
        '  <layer type="import" active="true" version="0.1" desc="배경">\n'
        '    <param name="filename">\n'
        "      <string>C:/Users/sora.lee/Desktop/KMR_C099_BG.png</string>\n    </param>\n"
        "  </layer>\n"
        '  <layer type="circle" active="true" version="0.2" desc="glow"/>\n</canvas>\n'
    ).encode()
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=int(when.timestamp()), filename="") as gz:
        gz.write(sif)
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099_fx.sifz"
    write(dump, url, packed.getvalue(), when + dt.timedelta(minutes=1))
    truth.add(url, packed.getvalue(), when + dt.timedelta(minutes=1), "filesystem.mtime")
    truth.add(f"{url}!/KMR_S01_EP12_SC099_C099_fx", sif, when, "archive_entry.gzip_mtime")

    # The cut's Animate document (.fla: a zip, XFL inside): when the
    # background was imported, from where on whose disk, and the symbol's
    # last change; its members are its parts.
    when = s.work_time(days[9])
    when = when.replace(second=when.second - when.second % 2)  # its members' DOS times
    imported = s.work_time(days[8])
    dom = (
        '<DOMDocument xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="http://ns.adobe.com/xfl/2008/" currentTimeline="1" xflVersion="22.02" '
        'creatorInfo="Adobe Animate" platform="Windows" '
        'versionInfo="Saved by Animate Windows 22.0 build 186" majorVersion="22" '
        'buildNumber="186" width="1920" height="1080" frameRate="24">\n'
        ' <folders>\n  <DOMFolderItem name="배경" itemID="5f1a2b3c-00000001"/>\n </folders>\n'
        " <media>\n"
        '  <DOMBitmapItem name="배경/KMR_C099_BG.png" itemID="5f1a2b3c-00000002" '
        'sourceExternalFilepath="..\\..\\..\\Users\\jihoon\\Desktop\\KMR_C099_BG.png" '
        f'sourceLastImported="{int(imported.timestamp())}" sourcePlatform="windows" '
        'href="배경/KMR_C099_BG.png" bitmapDataHRef="M 1 1.dat"/>\n </media>\n'
        " <symbols>\n"
        f'  <Include href="Symbol 1.xml" itemIcon="1" lastModified="{int(when.timestamp())}"/>\n'
        " </symbols>\n"
        ' <timelines>\n  <DOMTimeline name="C099"/>\n </timelines>\n</DOMDocument>\n'
    ).encode()
    symbol = b'<DOMSymbolItem name="Symbol 1"><timeline><DOMTimeline name="Symbol 1"/></timeline></DOMSymbolItem>\n'
    # its publish settings: the HTML template inside the artist's own copy
    # of Animate (user, product, the installation's language)
    settings = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n<flash_profiles>\n'
        '<flash_profile version="1.0" name="기본값" current="true">\n'
        '  <PublishFormatProperties enabled="true">\n'
        "    <flashFileName>KMR_S01_EP12_SC099_C099.swf</flashFileName>\n"
        '  </PublishFormatProperties>\n  <PublishHtmlProperties enabled="true">\n'
        "    <TemplateFileName>C:\\Users\\jihoon\\AppData\\Local\\Adobe\\Animate 2022\\"
        "ko_KR\\Configuration\\HTML\\Default.html</TemplateFileName>\n"
        "  </PublishHtmlProperties>\n</flash_profile>\n</flash_profiles>\n"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        stamp = when.timetuple()[:6]
        zf.writestr(zipfile.ZipInfo("mimetype", date_time=stamp), "application/vnd.adobe.xfl")
        for name, member in (
            ("DOMDocument.xml", dom),
            ("LIBRARY/Symbol 1.xml", symbol),
            ("PublishSettings.xml", settings),
        ):
            zi = zipfile.ZipInfo(name, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, member)
    data = buf.getvalue()
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099.fla"
    write(dump, url, data, when)
    truth.add(
        url,
        data,
        when,
        "filesystem.mtime",
        **{"Animate sourceLastImported": imported.astimezone(dt.UTC).isoformat()},
    )
    truth.add_members(url, data, when)

    # A rough in Pencil2D (.pclx): keyframes first, then main.xml, every
    # member's DOS time zero, as its zip writer (miniz) leaves them.
    when = s.work_time(days[9])
    frame = io.BytesIO()
    Image.new("RGBA", (16, 9), (0, 0, 0, 0)).save(frame, "PNG")
    main = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PencilDocument>\n<document>\n'
        ' <projectdata>\n  <currentFrame value="12"/>\n  <fps value="24"/>\n'
        '  <markInFrame value="1"/>\n  <markOutFrame value="48"/>\n </projectdata>\n'
        " <object>\n"
        '  <layer id="1" name="Camera Layer" visibility="1" type="5">\n'
        '   <camera frame="1" m11="1" m12="0" m21="0" m22="1" dx="0" dy="0"/>\n  </layer>\n'
        '  <layer id="2" name="러프" visibility="1" type="1">\n'
        '   <image frame="1" src="002.001.png" topLeftX="-800" topLeftY="-600"/>\n'
        '   <image frame="13" src="002.013.png" topLeftX="-800" topLeftY="-600"/>\n  </layer>\n'
        " </object>\n</document>\n"
    ).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, member in (
            ("data/002.001.png", frame.getvalue()),
            ("data/002.013.png", frame.getvalue()),
            ("main.xml", main),
            (
                "data/palette.xml",
                b'<palette><Color name="Black" red="0" green="0" blue="0"/></palette>\n',
            ),
        ):
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 0, 0, 0, 0, 0)), member)
    data = buf.getvalue()
    url = "KMR/EP12/rough/KMR_S01_EP12_SC099_C099_rough.pclx"
    write(dump, url, data, when)
    truth.add(url, data, when, "filesystem.mtime")
    truth.add_members(url, data, None)

    # The cut's compositing in After Effects (.aep: RIFX chunks, footage
    # paths as JSON in Alas chunks, the XMP appended after the RIFX data).
    when = s.work_time(days[9])

    def chunk(cid: bytes, body: bytes) -> bytes:
        return cid + struct.pack(">I", len(body)) + body + (b"\0" if len(body) % 2 else b"")

    footage = json.dumps(
        {"fullpath": "C:\\Users\\minjun\\Desktop\\KMR_C099_key.psd", "target_is_folder": False}
    ).encode()
    items = chunk(b"LIST", b"Item" + chunk(b"Utf8", b"KMR_C099_key.psd") + chunk(b"Alas", footage))
    body = b"Egg!" + chunk(b"head", b"\0" * 20) + chunk(b"LIST", b"Fold" + items)
    stamp = when.isoformat()
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        f'xmp:CreatorTool="Adobe After Effects 2024 (Windows)" xmp:ModifyDate="{stamp}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    data = b"RIFX" + struct.pack(">I", len(body)) + body + xmp
    url = "KMR/EP12/comp/KMR_S01_EP12_SC099_C099_comp.aep"
    write(dump, url, data, when + dt.timedelta(minutes=5))
    truth.add(url, data, when, "filesystem.mtime", **{"XMP xmp:ModifyDate": stamp})
    harmony_scene(s, dump, truth, days[10])
    nas_sheet(s, dump, truth, days[10])
    binary_fla(s, dump, truth, days[10])
    return truth


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (MS-CFB version 3, 512-byte sectors)
    holding `streams` at its root, each padded to 4096 bytes so that none
    lives in the mini stream: enough for olefile and for Flash's readers."""
    sector = 512
    end, free, fat_id = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = list(streams)
    bodies = [streams[n] + b"\0" * max(0, 4096 - len(streams[n])) for n in names]
    bodies = [b + b"\0" * (-len(b) % sector) for b in bodies]
    chains: list[int] = []
    starts, at = [], 0
    for body in bodies:
        count = len(body) // sector
        starts.append(at)
        chains += [at + i + 1 for i in range(count - 1)] + [end]
        at += count
    directory_sector = at
    entries = len(names) + 1
    directory_sectors = -(-entries * 128 // sector)
    chains += [directory_sector + i + 1 for i in range(directory_sectors - 1)] + [end]
    fat_sector = directory_sector + directory_sectors
    chains.append(fat_id)
    fat = b"".join(struct.pack("<I", v) for v in chains)
    fat += struct.pack("<I", free) * ((sector - len(fat)) // 4)

    def entry(
        name: str, kind: int, left: int, right: int, child: int, start: int, size: int
    ) -> bytes:
        raw = name.encode("utf-16le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, left, right, child)
            + b"\0" * 16  # class id
            + b"\0" * 4  # state bits
            + b"\0" * 16  # created, modified (none)
            + struct.pack("<IQ", start, size)
        )

    none = 0xFFFFFFFF
    # the streams under the root as a chain of right siblings, in the
    # format's order (shorter names first, then by upper case)
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    right = {a: b + 1 for a, b in zip(order, [*order[1:], -1], strict=True)}
    links = {i: (none, right[i] if right[i] else none) for i in range(len(names))}
    middle = order[0]
    directory = entry("Root Entry", 5, none, none, middle + 1, end, 0)
    for i, name in enumerate(names):
        # declared at their padded size: a stream under 4096 bytes would be the mini stream's
        directory += entry(name, 2, *links[i], none, starts[i], max(4096, len(streams[name])))
    directory = directory.ljust(directory_sectors * sector, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, end, 0, end, 0)
    )
    header += struct.pack("<I", fat_sector) + struct.pack("<I", free) * 108
    return header + b"".join(bodies) + directory + fat


def cstring(text: str) -> bytes:
    """An MFC CString as Flash writes it: FF FE FF, the length, UTF-16LE."""
    return b"\xff\xfe\xff" + bytes([len(text)]) + text.encode("utf-16le")


def binary_fla(s: Sampler, dump: Path, truth: Truth, day: dt.date) -> None:
    """An old cut of the show in Flash CS3's binary .fla (an OLE compound
    file): two scenes, a symbol, and a background imported from the
    artist's disk, with its file's date and the import time."""
    when = s.work_time(day).replace(microsecond=0)
    source = int((when - dt.timedelta(days=40)).timestamp())
    imported = int((when - dt.timedelta(hours=2)).timestamp())
    shared = imported - 600

    def name(stream: str) -> bytes:
        return b"\x17" + bytes([len(stream)]) + stream.encode("utf-16le")

    contents = (
        b"\x00\x00\xff\xff\x01\x00\r\x00CDocumentPage"
        + name("Page 1")
        + cstring("C099 오프닝")
        + b"\0" * 12
        + name("Page 2")
        + cstring("C099 본편")
        + b"\0" * 12
        + name("Symbol 1")
        + cstring("캐릭터 A")
        + b"\0" * 12
        + b"\xff\xff\x01\x00\n\x00CMediaBits"
        + name("Media 1")
        + cstring("KMR_C099_BG.png")
        + b"\x01\x00"
        + cstring("C:\\Users\\jihoon\\Desktop\\KMR_C099_BG.png")
        + struct.pack("<IIIIIII", source, 6, 1, shared, 1525, 1, imported)
    )
    stamp = when.isoformat()
    xmp = (  # CS4 writes the document's XMP into Contents, in UTF-16
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        f'xmp:CreatorTool="Adobe Flash CS4 Professional" xmp:ModifyDate="{stamp}"/>'
        '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    contents += b"\0\0" + xmp.encode("utf-16le")
    data = compound_file(
        {"Contents": contents, "Page 1": b"\x01", "Page 2": b"\x01", "Media 1": b"\x03"}
    )
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099_old.fla"
    write(dump, url, data, when)
    truth.add(url, data, when, "filesystem.mtime", **{"XMP xmp:ModifyDate": stamp})


def nas_sheet(s: Sampler, dump: Path, truth: Truth, day: dt.date) -> None:
    """The cut's exposure sheet in the nas TIME-SHEET text form (.xps): who
    made and last updated it, and the stage approvals with names and
    e-mails (as remaping writes them)."""
    when = s.work_time(day).replace(microsecond=0)
    local = when.replace(tzinfo=None)
    rows = ["[option\tdialog\ttiming\ttiming\tcamera]", "[CELL\tN\tA\tBG\t]"]
    for frame in range(48):
        spoken = "여기서멈춰"[frame // 2] if frame < 10 and frame % 2 == 0 else ""
        rows.append(f".\t{'____' if frame == 11 else spoken}\t{'1' if frame == 0 else '|'}\t\t")
    text = "\n".join(
        [
            "nasTIME-SHEET 0.5",
            "##TITLE=KMR",
            "##SUB_TITLE=",
            "##OPUS=12",
            "##SCENE=4",
            "##CUT=99",
            "##TIME=2+00",
            "##CREATE_USER=minji:minji.kim@studio-kmr.example",
            "##UPDATE_USER=seojun:seojun.lee@studio-kmr.example",
            f"##CREATE_TIME={(local - dt.timedelta(days=3)).strftime('%Y/%m/%d')}",
            f"##UPDATE_TIME={local.strftime('%Y/%m/%d')} {local.hour}:{local:%M:%S}",
            "##FRAME_RATE=24(24)",
            "##Stage=LO:1",
            "#",
            "##<signatures>",
            "0//LO:1",
            f"\t[0\t-済-\t{local:%Y.%m.%d}\tseojun:seojun.lee@studio-kmr.example]",
            f"\t[1\t作監\t{local:%Y.%m.%d}\t박지훈:jihoon.park@studio-kmr.example]",
            "##<signatures>/",
            *rows,
            "[END]",
            "배경 수정 부탁드립니다",
            "",
        ]
    ).encode()
    url = "KMR/EP12/scene/KMR_S01_EP12_SC099_C099.xps"
    write(dump, url, text, when)
    truth.add(url, text, when, "filesystem.mtime")


def harmony_scene(s: Sampler, dump: Path, truth: Truth, day: dt.date) -> None:
    """The cut's key animation in Toon Boom Harmony: the scene (.xstage, its
    save in local time and in milliseconds UTC, and the user), the scene
    version (.aux), the palette list (an absolute path on the artist's
    disk) and one drawing (.tvg: the licence certificate, the host)."""
    folder = "KMR/EP12/harmony/KMR_S01_EP12_SC099_C099"
    when = s.work_time(day).replace(microsecond=0)
    local = when.replace(tzinfo=None)
    msec = int(when.timestamp() * 1000) + 250
    head = (
        'source="Harmony Premium (HarmonyPremium.exe) version 22.0.3 build 19258 '
        '2023-01-18 14:01:29" version="2203" build="19258" '
        f'date="{local.strftime("%a %b %d %H:%M:%S %Y")}" timeMsec="{msec}" '
        'username="hyejin" realUsername="hyejin.park"'
    )
    xstage = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<project {head} creator="harmony">\n <elements>\n'
        '  <element id="1" elementName="A" elementFolder="A" rootFolder="elements">\n'
        '   <drawings>\n    <dwg name="1"/>\n    <dwg name="2"/>\n   </drawings>\n'
        "  </element>\n </elements>\n <scenes>\n"
        '  <scene name="Top" id="0ce452e4ed00f1c1" nbframes="48" startFrame="1" stopFrame="48">\n'
        '   <columns>\n    <column type="0" name="원화 A" id="1">\n'
        '     <elementSeq exposures="1-24" val="1" id="1"/>\n    </column>\n'
        '    <column type="2" name="SOUND" id="2">\n'
        '     <soundSequence file="D:/KMR/EP12/audio/C099_dialogue.wav"/>\n    </column>\n'
        "   </columns>\n  </scene>\n </scenes>\n</project>\n"
    ).encode()
    url = f"{folder}/KMR_S01_EP12_SC099_C099.xstage"
    write(dump, url, xstage, when + dt.timedelta(seconds=1))
    utc = dt.datetime.fromtimestamp(msec / 1000, dt.UTC)
    truth.add(url, xstage, utc, "harmony.saved_utc", **{"Harmony timeMsec": utc.isoformat()})
    aux = (
        "<!DOCTYPE SceneVersion>\n"
        f'<SceneVersion Modified="{local.isoformat(" ")}" VersionName="KMR_S01_EP12_SC099_C099" ID="1">\n'
        ' <Element Folder="A" Name="A" ID="1">\n'
        '  <Drawing Key="" Version="1" Name="1"/>\n  <Drawing Key="" Version="1" Name="2"/>\n'
        " </Element>\n</SceneVersion>\n"
    ).encode()
    url = f"{folder}/KMR_S01_EP12_SC099_C099.aux"
    write(dump, url, aux, when + dt.timedelta(seconds=1))
    truth.add(url, aux, when + dt.timedelta(seconds=1), "filesystem.mtime")
    palettes = (
        b"ToonBoomAnimationInc PaletteList 1\n"
        b'palette-library/KMR LINK "C:/Users/hyejin.park/Documents/KMR/palette-library/KMR.plt"\n'
    )
    url = f"{folder}/PALETTE_LIST"
    write(dump, url, palettes, when)
    truth.add(url, palettes, when, "filesystem.mtime")
    drawing = tvg_drawing(
        "KMR-ANIM-07", "Harmony Premium", dt.datetime(2024, 1, 8, 2, 0, tzinfo=dt.UTC)
    )
    url = f"{folder}/elements/A/A-1.tvg"
    write(dump, url, drawing, when - dt.timedelta(minutes=20))
    truth.add(url, drawing, when - dt.timedelta(minutes=20), "filesystem.mtime")


def tvg_drawing(host: str, product: str, issued: dt.datetime) -> bytes:
    """A Harmony drawing's first blocks as Harmony 22 writes them: the
    header, the licence certificate (PEM, signed here by a fixed Ed25519
    key, so the bytes are the same on every run), and the TVCI block naming
    the host and the product."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.x509.oid import NameOID

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "licenser.toonboom.com")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "WEB_51730288")]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(1234)
        .not_valid_before(issued)
        .not_valid_after(issued.replace(year=issued.year + 10))
        .sign(key, None)
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    block = struct.pack("<II", 1, len(pem)) + pem
    info = b"\0\0\0\0\0@A\x02\0@\0\x01\0\0\0\0" + f"{host} - unknown host type (12):".encode()
    info += b"\0" + product.encode() + b"\0" + b"\0" * 18
    return (
        b"OTVGfull"
        + struct.pack("<III", 0x3F1, 2, 1)
        + b"CERT"
        + struct.pack("<I", len(block))
        + block
        + b"ENDT\0\0\0\0"
        + b"TVCIUNCO"
        + struct.pack("<Q", len(info))
        + info
    )


def drawing_id(code: dict[str, str]) -> str:
    """The generator's own name for a drawing: its cut and stage."""
    return f"{code['show']}_S{code['season']}_EP{code['ep']}_SC{code['sc']}_C{code['cut']}_{code['stage']}"


def expected_basis(url: str, info: dict[str, object]) -> str:
    """Which event the timeline should date the file by (README's rule: an
    explicit offset first, then times the format defines as UTC, then naive
    times, the filesystem mtime last; embedded fields in a fixed order)."""
    stamps = info["timestamps"]
    assert isinstance(stamps, dict)
    recorded = str(info["time_basis"])
    explicit = [
        ("exif.date_time", "EXIF OffsetTime" in stamps),
        ("pdf.mod_date", "PDF ModDate" in stamps),
        ("office.modified", url.endswith(".xlsx")),
        ("xmp.modify_date", "XMP xmp:ModifyDate" in stamps),
        ("iptc.date_time_created", "IPTC DateCreated" in stamps),
    ]
    utc = [
        ("png.modified", "PNG tIME" in stamps),
        ("asf.created", "ASF CreationDate" in stamps),
        ("video.modified", "QuickTime ModifyDate" in stamps),
        ("harmony.saved_utc", "Harmony timeMsec" in stamps),
        (recorded, recorded.startswith("archive_entry.") and recorded != "archive_entry.dos_time"),
    ]
    naive = [
        ("exif.date_time", "EXIF DateTime" in stamps),
        ("riff.when", "RIFF DateTimeOriginal" in stamps),
        ("krita.saved", "Krita last save date" in stamps),
    ]
    for name, present in explicit + utc + naive:
        if present:
            return name
    return recorded


# What the generator wrote that is not what its extension says.
WORK_OF = {
    "misc/scan_0001.png": "other",  # random bytes
    "misc/empty_note.txt": "other",  # no bytes at all
    "hostile/bomb.zip!/zeros.bin": "other",  # zeros, refused unread
    "hostile/traversal.zip!/../../../etc/cron.d/evil": "text",
    "KMR/EP12/scene/KMR_S01_EP12_SC099_C099_fx.sifz!/KMR_S01_EP12_SC099_C099_fx": "scene",
}
WORK_BY_EXTENSION = {
    "jpg": "drawing",
    "png": "drawing",
    "psd": "drawing",
    "clip": "drawing",
    "kra": "drawing",
    "tnz": "scene",
    "fla": "scene",
    "pclx": "scene",
    "aep": "scene",
    "xstage": "scene",
    "xps": "document",
    "tvg": "drawing",
    "aux": "other",
    "xdts": "document",
    "hst": "text",
    "zip": "archive",
    "gz": "archive",
    "sifz": "archive",
    "rar": "archive",
    "7z": "archive",
    "xlsx": "document",
    "pdf": "document",
    "mp4": "video",
    "avi": "video",
    "wmv": "video",
    "txt": "text",
    "xmp": "text",
}
CODE = re.compile(r"([A-Z]+_S\d+_EP\d+_SC\d+_C\d+_[A-Z]+)_v\d+")


def work_of(url: str) -> str:
    """What the generator made each file as: drawing, document, video,
    text, archive, part (a member of a Krita document) or other (the
    tool's work types)."""
    if ".kra!/" in url or ".fla!/" in url or ".pclx!/" in url:
        return "part"
    if url in WORK_OF:
        return WORK_OF[url]
    return WORK_BY_EXTENSION.get(url.rsplit(".", 1)[-1].lower(), "other")


def revisions_truth(truth: Truth) -> dict[str, bool]:
    """Per drawing file, whether it is a revision: not the first, in time,
    of the files of its drawing (the cut and stage its name codes, or the
    drawing it was redrawn from)."""
    drawings: dict[str, list[tuple[str, str]]] = {}
    for url, info in truth.files.items():
        if info["kind"] != "file" or work_of(url) != "drawing":
            continue
        found = CODE.search(url.rsplit("/", 1)[-1])
        ident = truth.drawing_of.get(url) or (found.group(1) if found else url)
        drawings.setdefault(ident, []).append((str(info["time"]), url))
    out = {}
    for versions in drawings.values():
        ordered = sorted(versions, key=lambda v: (dt.datetime.fromisoformat(v[0]), v[1]))
        for n, (_when, url) in enumerate(ordered):
            out[url] = n > 0
    return out


DAILY = ("files", "bytes", "archives", "drawings", "new_drawings", "revisions")


def daily(truth: Truth, offset: dt.timedelta) -> list[dict[str, object]]:
    """Per local day, zeros included: content files (archives are counted
    apart, as transport), the bytes of those that can be read (a member
    meant to be refused has no hash), archives, drawings, new drawings and
    revisions."""
    tz = dt.timezone(offset)
    revision = revisions_truth(truth)
    per: dict[dt.date, dict[str, int]] = {}
    for url, info in truth.files.items():
        if info["kind"] != "file" or work_of(url) == "part":  # parts count with their document
            continue
        day = dt.datetime.fromisoformat(str(info["time"])).astimezone(tz).date()
        acc = per.setdefault(day, dict.fromkeys(DAILY, 0))
        work = work_of(url)
        if work == "archive":
            acc["archives"] += 1
            continue
        acc["files"] += 1
        if info["sha256"]:
            acc["bytes"] += int(info["size"])  # type: ignore[call-overload]
        if work == "drawing":
            acc["drawings"] += 1
            acc["revisions" if revision[url] else "new_drawings"] += 1
    first, last = min(per), max(per)
    rows = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        rows.append({"period": day.isoformat(), **per.get(day, dict.fromkeys(DAILY, 0))})
    return rows


def parse_offset(text: str) -> dt.timedelta:
    sign = -1 if text.startswith("-") else 1
    hours, _, minutes = text.lstrip("+-").partition(":")
    return sign * dt.timedelta(hours=int(hours), minutes=int(minutes or 0))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=HERE, help="folder for dump/ and expected/")
    ap.add_argument("--seed", type=int, default=20240401)
    ap.add_argument("--offset", default="+09:00", help="UTC offset of the artists' working day")
    ap.add_argument("--weeks", type=int, default=WEEKS, help="working weeks of uploads")
    ap.add_argument("--sheets-per-day", type=int, default=SHEETS_PER_DAY)
    ap.add_argument(
        "--vertical",
        type=float,
        default=0.0,
        help="share of sheets that also get a note written top to bottom (the bench's)",
    )
    args = ap.parse_args()
    offset = parse_offset(args.offset)
    truth = build(args.out, args.seed, offset, args.weeks, args.sheets_per_day, args.vertical)
    expected = args.out / "expected"
    expected.mkdir(parents=True, exist_ok=True)
    for url, info in truth.files.items():
        if info["kind"] == "file":
            info["time_basis"] = expected_basis(url, info)
    dump_json = {
        "seed": args.seed,
        "offset": args.offset,
        "files": dict(sorted(truth.files.items())),
    }
    (expected / "files.json").write_text(json.dumps(dump_json, indent=1, ensure_ascii=False) + "\n")
    (expected / "notes.json").write_text(
        json.dumps(dict(sorted(truth.notes.items())), indent=1, ensure_ascii=False) + "\n"
    )
    rows = daily(truth, offset)
    lines = [",".join(("period", *DAILY))] + [
        ",".join(str(r[c]) for c in ("period", *DAILY)) for r in rows
    ]
    (expected / "daily.csv").write_text("\n".join(lines) + "\n")
    total = sum(
        p.stat().st_size
        for p in (args.out / "dump").rglob("*")
        if p.is_file() and not p.is_symlink()
    )
    print(f"{len(truth.files)} files ({total} bytes on disk) in {args.out / 'dump'}")


if __name__ == "__main__":
    main()
