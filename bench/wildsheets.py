#!/usr/bin/env python3
"""The generalization set: sketch sheets drawn unlike `samples/make_samples.py`
in every way we could vary, with their truth.

- Fonts: every CJK font Debian installs here (`fc-list`), split by family
  into a tuning half and a held-out half (`split_of`: a hash of the family
  name, so the split never depends on what the reader scored). Headline
  figures are reported on held-out fonts only.
- Texts: words from sources we did not write: jieba's dictionary
  (Simplified Chinese, by frequency), the same words in Traditional forms
  through OpenCC, wordfreq's Japanese, Korean and English lists, and
  Sino-Korean words made by reading jieba's words through the `hanja`
  package's readings (角度修正 -> 각도수정), which also give the bilingual
  pairs (a Chinese note and its Korean reading beside it).
- Sheets 1600x900: tinted paper, pencil line art and light-blue
  construction lines, a printed header, notes 18-120 px high rotated up to
  +-12 degrees crossing the line art, some written in columns, inks that
  are not pure red or blue (pink, orange, faded, ballpoint), blur, noise,
  JPEG quality 40-95 or PNG, and the whole sheet scanned slightly skewed.

Nothing drawn here is committed; `generate(seed, n)` draws the same sheets
for the same seed.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import math
import random
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 1600, 900
SCRIPTS = {"ko": "ko", "zh-Hans": "zh-cn", "zh-Hant": "zh-tw", "ja": "ja"}


@dataclass(frozen=True)
class Font:
    family: str
    path: str
    index: int
    langs: frozenset[str]


@dataclass
class TruthNote:
    text: str
    lang: str
    ink: str
    box: tuple[int, int, int, int]
    angle: float
    vertical: bool
    font: str
    pair: int = 0


@dataclass
class Sheet:
    name: str
    data: bytes
    notes: list[TruthNote] = field(default_factory=list)
    language: str = ""  # the language most of the sheet's notes are in
    split: str = ""  # "tune" or "held-out": the split of every font on the sheet


def split_of(family: str) -> str:
    """A font family's half of the set, by a hash of its name."""
    return "tune" if hashlib.sha256(family.encode()).digest()[0] % 2 == 0 else "held-out"


@functools.cache
def fonts() -> tuple[Font, ...]:
    """Every installed font that covers one of the four scripts, once per
    family (its regular face where it has one)."""
    out: dict[str, Font] = {}
    for lang, fc in SCRIPTS.items():
        listing = subprocess.run(
            ["fc-list", f":lang={fc}", "family", "style", "file", "index"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in listing.splitlines():
            m = re.match(r"(.+?): (.+?):(?:style=(.+?):)?index=(\d+)", line)
            if not m:
                continue
            path, fam, style, index = m.group(1), m.group(2), m.group(3) or "", int(m.group(4))
            family = fam.split(",")[0]
            if "Mono" in family or "Coding" in family or "YetHangul" in family:
                continue
            if path.endswith(".pcf.gz"):
                continue
            regular = not re.search(r"Bold|Light|Thin|Black|Heavy|Medium|ExtraLight", style)
            old = out.get(family)
            langs = frozenset({lang}) | (old.langs if old else frozenset())
            if old is None or (regular and not re.search("Regular|Book", old.path + "")):
                out[family] = Font(family, path, index, langs)
            else:
                out[family] = Font(old.family, old.path, old.index, langs)
    return tuple(sorted(out.values(), key=lambda f: f.family))


# -- texts -----------------------------------------------------------------


@functools.cache
def _jieba_words() -> tuple[tuple[str, ...], tuple[float, ...]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, _tag = [*line.split(" "), "", ""][:3]
        if 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word):
            f = int(freq or 0)
            if f >= 50:
                words.append(word)
                weights.append(math.log(f))
    return tuple(words), tuple(weights)


@functools.cache
def _opencc(config: str) -> object:
    import opencc

    return opencc.OpenCC(config)


def simplified(text: str) -> str:
    return str(_opencc("t2s").convert(text))  # type: ignore[attr-defined]


def traditional(text: str) -> str:
    return str(_opencc("s2t").convert(text))  # type: ignore[attr-defined]


def korean_reading(chinese: str) -> str:
    """The Sino-Korean reading of a Chinese word, from the hanja package's
    table (which is keyed by Traditional forms)."""
    import hanja

    return str(hanja.translate(traditional(chinese), "substitution"))


@functools.cache
def _wordfreq(lang: str, kind: str) -> tuple[str, ...]:
    import wordfreq

    words = wordfreq.top_n_list(lang, 30000)
    if kind == "hangul":
        return tuple(w for w in words if len(w) >= 2 and all("\uac00" <= c <= "\ud7a3" for c in w))
    if kind == "ja":
        kana = re.compile(r"^[\u3040-\u30ff\u4e00-\u9fff]{2,6}$")
        return tuple(w for w in words if kana.match(w))
    return tuple(w for w in words if w.isalpha() and len(w) >= 3)


def chinese_words(rng: random.Random, n: int) -> str:
    words, weights = _jieba_words()
    return "".join(rng.choices(words, weights, k=n))


def text_for(lang: str, rng: random.Random) -> str:
    n = rng.choice((1, 2, 2, 3))
    if lang == "zh-Hans":
        return chinese_words(rng, n)
    if lang == "zh-Hant":
        return traditional(chinese_words(rng, n))
    if lang == "ja":
        return "".join(rng.choices(_wordfreq("ja", "ja"), k=n + 1))
    if lang == "ko":
        if rng.random() < 0.5:
            return " ".join(rng.choices(_wordfreq("ko", "hangul"), k=n))
        return " ".join(korean_reading(chinese_words(rng, 1)) for _ in range(n))
    return " ".join(rng.choices(_wordfreq("en", "latin"), k=n))


# -- drawing -----------------------------------------------------------------

INKS = {
    # name: (hue degrees range, saturation range, value range)
    "red": ((350, 370), (0.75, 1.0), (0.65, 0.95)),
    "pink": ((325, 345), (0.45, 0.8), (0.8, 1.0)),
    "orange": ((15, 30), (0.8, 1.0), (0.85, 1.0)),
    "blue": ((210, 230), (0.7, 1.0), (0.6, 0.95)),
    "faded-blue": ((205, 225), (0.35, 0.55), (0.75, 0.9)),
    "ballpoint": ((228, 245), (0.6, 0.9), (0.35, 0.6)),
}
INK_FAMILY = {
    "red": "red",
    "pink": "red",
    "orange": "red",
    "blue": "blue",
    "faded-blue": "blue",
    "ballpoint": "blue",
}


def _colour(name: str, rng: random.Random) -> tuple[int, int, int]:
    (h0, h1), (s0, s1), (v0, v1) = INKS[name]
    r, g, b = colorsys.hsv_to_rgb(
        (rng.uniform(h0, h1) % 360) / 360, rng.uniform(s0, s1), rng.uniform(v0, v1)
    )
    return round(r * 255), round(g * 255), round(b * 255)


def _font(font: Font, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font.path, size, index=font.index)


def _covers(font: Font, text: str) -> bool:
    """Whether the font draws every character (no .notdef boxes)."""
    f = _font(font, 32)
    try:
        notdef = f.getmask("\U0010fffd").getbbox()
    except Exception:
        notdef = None
    for ch in set(text) - {" "}:
        mask = f.getmask(ch)
        if mask.getbbox() is None or (
            notdef is not None
            and mask.getbbox() == notdef
            and bytes(mask) == bytes(f.getmask("\U0010fffd"))
        ):
            return False
    return True


def _text_image(text: str, font: Font, size: int, vertical: bool) -> Image.Image:
    """The text as an alpha mask (white on black), a row or a column."""
    f = _font(font, size)
    if not vertical:
        x0, y0, x1, y1 = f.getbbox(text)
        img = Image.new("L", (x1 - x0 + 8, y1 - y0 + 8), 0)
        ImageDraw.Draw(img).text((4 - x0, 4 - y0), text, font=f, fill=255)
        return img
    chars = [c for c in text if c != " "]
    img = Image.new("L", (round(size * 1.3), round(size * 1.1 * len(chars)) + 8), 0)
    d = ImageDraw.Draw(img)
    for i, ch in enumerate(chars):
        x0, y0, x1, y1 = f.getbbox(ch)
        d.text(
            ((img.width - (x1 - x0)) / 2 - x0, 4 + i * size * 1.1 - y0 + (size - (y1 - y0)) / 2),
            ch,
            font=f,
            fill=255,
        )
    return img


def _line_art(d: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for _ in range(rng.randint(3, 8)):  # construction lines
        x, y = rng.randint(0, W), rng.randint(0, H)
        a = rng.uniform(0, math.pi)
        L = rng.randint(400, 1600)
        d.line(
            [
                (x - L * math.cos(a), y - L * math.sin(a)),
                (x + L * math.cos(a), y + L * math.sin(a)),
            ],
            fill=(150, 190, 230),
            width=rng.choice((1, 2)),
        )
    grey = rng.randint(40, 110)
    for _ in range(rng.randint(15, 40)):  # pencil strokes and shapes
        pts = [(rng.randint(100, W - 100), rng.randint(100, H - 100))]
        for _ in range(rng.randint(1, 4)):
            px, py = pts[-1]
            pts.append((px + rng.randint(-200, 200), py + rng.randint(-200, 200)))
        d.line(pts, fill=(grey, grey, grey + 5), width=rng.choice((1, 2, 3)))
    for _ in range(rng.randint(2, 6)):
        x, y, r = rng.randint(100, W - 100), rng.randint(100, H - 100), rng.randint(20, 160)
        d.ellipse([x - r, y - r, x + r, y + r], outline=(grey, grey, grey), width=2)


def _free(box: tuple[int, int, int, int], taken: list[tuple[int, int, int, int]]) -> bool:
    x0, y0, x1, y1 = box
    if x0 < 10 or y0 < 70 or x1 > W - 10 or y1 > H - 10:
        return False
    return all(
        x1 + 12 < a0 or a1 + 12 < x0 or y1 + 12 < b0 or b1 + 12 < y0 for a0, b0, a1, b1 in taken
    )


def _place(
    sheet: Image.Image,
    mask: Image.Image,
    angle: float,
    colour: tuple[int, int, int],
    at: tuple[int, int],
) -> tuple[int, int, int, int]:
    rotated = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    x, y = at
    layer = Image.new("RGB", rotated.size, colour)
    sheet.paste(layer, (x, y), rotated)
    bbox = rotated.getbbox() or (0, 0, 1, 1)
    return (x + bbox[0], y + bbox[1], x + bbox[2], y + bbox[3])


def draw(seed: int, wanted_split: str) -> Sheet:
    """One sheet, every note in fonts of one split."""
    rng = random.Random(seed)
    paper = tuple(
        int(c)
        for c in np.array((250, 247, 238))
        - np.array([rng.randint(0, 25)] * 3)
        + np.array([rng.randint(-6, 6) for _ in range(3)])
    )
    sheet = Image.new("RGB", (W, H), paper)  # type: ignore[arg-type]
    d = ImageDraw.Draw(sheet)
    _line_art(d, rng)
    header = _font(next(f for f in fonts() if "Noto Sans CJK" in f.family), 26)
    d.rectangle([20, 12, W - 20, 60], outline=(20, 20, 20), width=2)
    d.text(
        (34, 20),
        f"{rng.choice(['KMR', 'INV', 'SKY'])} S0{rng.randint(1, 3)} EP{rng.randint(1, 24):02d} "
        f"SC{rng.randint(1, 60):03d} C{rng.randint(1, 400):03d}",
        font=header,
        fill=(15, 15, 15),
    )
    pool = [f for f in fonts() if split_of(f.family) == wanted_split]
    main = rng.choice(list(SCRIPTS))
    notes: list[TruthNote] = []
    taken: list[tuple[int, int, int, int]] = []
    ink_name = rng.choice(list(INKS))
    pair_id = 0
    for _ in range(rng.randint(2, 5)):
        lang = main if rng.random() < 0.7 else rng.choice([*SCRIPTS, "en"])
        bilingual = lang.startswith("zh") and rng.random() < 0.4
        text = text_for(lang, rng)
        candidates = [
            f
            for f in pool
            if (lang if lang != "en" else "ko") in f.langs or (lang == "en" and f.langs)
        ]
        candidates = [f for f in candidates if _covers(f, text)]
        if not candidates:
            continue
        font = rng.choice(candidates)
        size = rng.choice((rng.randint(18, 40), rng.randint(30, 70), rng.randint(60, 120)))
        vertical = lang in ("ja", "zh-Hans", "zh-Hant") and not bilingual and rng.random() < 0.15
        if vertical:
            text = text[:8]
        mask = _text_image(text, font, size, vertical)
        if mask.width > W - 80 or mask.height > H - 160:
            continue
        angle = rng.uniform(-12, 12)
        colour = _colour(ink_name if rng.random() < 0.8 else rng.choice(list(INKS)), rng)
        for _ in range(30):
            at = (rng.randint(10, W - mask.width), rng.randint(70, H - mask.height))
            rot = mask.rotate(angle, expand=True)
            box = (at[0], at[1], at[0] + rot.width, at[1] + rot.height)
            if not _free(box, taken):
                continue
            second: tuple[Image.Image, tuple[int, int], str, Font] | None = None
            if bilingual:
                ko = korean_reading(text)
                if NATURAL:  # a translator's native Korean, not the reading
                    zh, ko = natural_pair(rng)
                    text = traditional(zh) if lang == "zh-Hant" else zh
                    mask = _text_image(text, font, size, False)
                    if not _covers(font, text) or mask.width > W - 80:
                        break
                    rot = mask.rotate(angle, expand=True)
                    box = (at[0], at[1], at[0] + rot.width, at[1] + rot.height)
                    if not _free(box, taken):
                        continue
                ko_fonts = [f for f in pool if "ko" in f.langs and _covers(f, ko)]
                if not ko_fonts:
                    break
                kf = rng.choice(ko_fonts)
                kmask = _text_image(ko, kf, max(18, round(size * rng.uniform(0.7, 1.0))), False)
                gap = round(size * rng.uniform(0.2, 0.6))
                kat = (at[0] + rng.randint(-10, 30), box[3] + gap)
                krot = kmask.rotate(angle, expand=True)
                kbox = (kat[0], kat[1], kat[0] + krot.width, kat[1] + krot.height)
                if not _free(kbox, taken) or not _free(kbox, [box]):
                    continue
                second = (kmask, kat, ko, kf)
            drawn = _place(sheet, mask, angle, colour, at)
            taken.append(box)
            pid = 0
            if second:
                pair_id += 1
                pid = pair_id
            notes.append(
                TruthNote(
                    text,
                    lang,
                    _name_of(colour),
                    drawn,
                    angle,
                    vertical,
                    font.family,
                    pid,
                )
            )
            if second:
                kmask, kat, ko, kf = second
                kdrawn = _place(sheet, kmask, angle, colour, kat)
                taken.append(kdrawn)
                notes.append(
                    TruthNote(ko, "ko", _name_of(colour), kdrawn, angle, False, kf.family, pid)
                )
            break
    # a few pencil strokes over the notes, as line art crossing them
    for note in rng.sample(notes, k=min(len(notes), rng.randint(0, 2))):
        x0, y0, x1, y1 = note.box
        d.line(
            [(x0 - 30, rng.randint(y0, y1)), (x1 + 30, rng.randint(y0, y1))],
            fill=(70, 70, 75),
            width=2,
        )
    # the scan: skew, blur, noise, compression
    skew = rng.uniform(-1.5, 1.5)
    scanned = sheet.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=paper)  # type: ignore[arg-type]
    notes = [_skewed(n, skew) for n in notes]
    scanned = blur_and_noise(scanned, rng, seed)
    buf = io.BytesIO()
    if rng.random() < 0.7:
        scanned.save(buf, "JPEG", quality=rng.randint(40, 95))
        ext = "jpg"
    else:
        scanned.save(buf, "PNG")
        ext = "png"
    # a Korean reading beside its Chinese note translates it: not counted
    langs = [n.lang for n in notes if not (n.pair and n.lang == "ko")]
    language = max(sorted(set(langs)), key=langs.count) if langs else ""
    return Sheet(f"wild_{seed}.{ext}", buf.getvalue(), notes, language, wanted_split)


# pairs on the sheets are natural translations (bench/natural_pairs.py)
# instead of Sino-Korean readings: `bench/annotations.py --natural`
NATURAL = False


def natural_pair(rng: random.Random) -> tuple[str, str]:
    from natural_pairs import PAIRS

    return rng.choice(PAIRS)


def blur_and_noise(img: Image.Image, rng: random.Random, seed: int) -> Image.Image:
    """A scanner's softening (half the time) and sensor noise."""
    if rng.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    arr = np.asarray(img, np.int16) + np.random.default_rng(seed).normal(
        0, rng.uniform(0, 6), (img.height, img.width, 1)
    ).astype(np.int16)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _name_of(colour: tuple[int, int, int]) -> str:
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in colour))
    deg = h * 360
    if 195 <= deg <= 250:
        return "ballpoint" if v < 0.62 else ("faded-blue" if s < 0.56 else "blue")
    if 320 <= deg < 346:
        return "pink"
    if 10 <= deg <= 35:
        return "orange"
    return "red"


def _skewed(note: TruthNote, skew: float) -> TruthNote:
    """The note's box after the whole sheet was rotated by `skew` degrees
    about its centre (the bounds of the rotated box)."""
    a = math.radians(-skew)  # PIL rotates counter-clockwise on screen
    cx, cy = W / 2, H / 2
    x0, y0, x1, y1 = note.box
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    moved = [
        (
            cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
            cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a),
        )
        for x, y in pts
    ]
    xs, ys = [p[0] for p in moved], [p[1] for p in moved]
    return TruthNote(
        note.text,
        note.lang,
        note.ink,
        (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))),
        note.angle + skew,
        note.vertical,
        note.font,
        note.pair,
    )


def generate(seed: int, n: int, split: str) -> list[Sheet]:
    return [draw(seed * 100_003 + i, split) for i in range(n)]


if __name__ == "__main__":
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--split", choices=("tune", "held-out"), default="tune")
    ap.add_argument("--fonts", action="store_true", help="list the fonts and their split")
    args = ap.parse_args()
    if args.fonts:
        for f in fonts():
            print(f"{split_of(f.family):9} {','.join(sorted(f.langs)):24} {f.family}  {f.path}")
        raise SystemExit
    args.out.mkdir(parents=True, exist_ok=True)
    for s in generate(args.seed, args.n, args.split):
        (args.out / s.name).write_bytes(s.data)
        (args.out / (s.name + ".json")).write_text(
            json.dumps(
                {"language": s.language, "notes": [n.__dict__ for n in s.notes]},
                ensure_ascii=False,
                indent=1,
            )
        )
