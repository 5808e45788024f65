#!/usr/bin/env python3
"""Train the script classifier that routes a text region to its recogniser
(Hangul to Tesseract kor; Han, kana and Latin to PP-OCR) and write it as
ONNX to forensics/annotations/models/script.onnx.

    .venv/bin/pip install torch==2.13.0 onnx -e '.[bench]'
    .venv/bin/python scripts/train_script_classifier.py [--samples 12000] [--epochs 4]

Training lines are rendered here in the *tuning* fonts of the
generalization set only (`bench/wildsheets.split_of`), from words of
packages (wordfreq's Korean, Japanese and English lists, jieba's
dictionary, OpenCC's Traditional forms, hanja readings), as dark writing
on paper with the blur, noise, stray strokes and slight rotation left in
a region's ink-alone image, together with the regions the reader itself
cuts from tuning-font sheets of the generalization set (seeds 20-39).
Validation is on reader regions of other tuning sheets (seeds 2-3).
Held-out fonts are never seen. About ten minutes on 2 cores; seeded, so
a rerun gives the same weights up to floating-point order.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import wildsheets  # noqa: E402

from forensics.annotations.script import CLASSES, HEIGHT, WIDTH, windows  # noqa: E402

OUT = ROOT / "forensics" / "annotations" / "models" / "script.onnx"


def _text(cls: str, rng: random.Random) -> str:
    if cls == "hangul":
        return wildsheets.text_for("ko", rng)
    if cls == "latin":
        if rng.random() < 0.3:
            return f"{rng.choice(['C', 'SC', 'EP', 'v'])}{rng.randint(1, 999):03d}"
        return wildsheets.text_for("en", rng)
    return wildsheets.text_for(rng.choice(["zh-Hans", "zh-Hant", "ja"]), rng)


def render(cls: str, rng: random.Random, fonts: list[wildsheets.Font]) -> Image.Image:
    text = _text(cls, rng)
    need = {"hangul": "ko", "latin": "ko"}.get(cls, "")
    pool = [f for f in fonts if (not need or need in f.langs)]
    if cls == "cjk":
        pool = [f for f in fonts if f.langs & {"zh-Hans", "zh-Hant", "ja"}]
    for _ in range(10):
        font = rng.choice(pool)
        if wildsheets._covers(font, text):
            break
    size = rng.randint(20, 72)
    img = wildsheets._text_image(text, font, size, False)  # white on black mask
    ink = rng.randint(0, 90)
    sheet = Image.new("L", img.size, 255)
    sheet.paste(ink, (0, 0), img)
    d = ImageDraw.Draw(sheet)
    for _ in range(rng.choice((0, 0, 1, 2))):  # what the ink-alone image leaves of line art
        y = rng.randint(0, sheet.height)
        d.line(
            [(0, y), (sheet.width, y + rng.randint(-20, 20))], fill=rng.randint(120, 220), width=1
        )
    sheet = sheet.rotate(
        rng.uniform(-3, 3), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    if rng.random() < 0.6:
        sheet = sheet.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))
    arr = np.asarray(sheet, np.float32) + np.random.default_rng(rng.randrange(2**32)).normal(
        0, rng.uniform(0, 10), sheet.size[::-1]
    )
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def dataset(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = random.Random(seed)
    fonts = [f for f in wildsheets.fonts() if wildsheets.split_of(f.family) == "tune"]
    xs, ys = [], []
    for i in range(n):
        cls = CLASSES[i % len(CLASSES)]
        wins = windows(render(cls, rng, fonts))
        xs.append(wins[rng.randrange(len(wins))])
        ys.append(CLASSES.index(cls))
    return np.stack(xs)[:, None], np.array(ys)


def reader_regions(seeds: range, per_seed: int = 10) -> tuple[list[np.ndarray], list[int]]:
    """Regions the reader cuts from tuning-font sheets, labelled by truth."""
    from forensics.annotations import reader
    from forensics.annotations.detect import detect
    from forensics.annotations.ink import load_palette

    palette = load_palette()
    by = {i.name: i for i in palette}
    xs, ys = [], []
    for seed in seeds:
        for sheet in wildsheets.generate(seed, per_seed, "tune"):
            rgb = np.asarray(Image.open(io.BytesIO(sheet.data)).convert("RGB"))
            for region in detect(rgb):
                lang = next(
                    (
                        n.lang
                        for n in sheet.notes
                        if n.box[0] - 8 <= region.cx <= n.box[2] + 8
                        and n.box[1] - 8 <= region.cy <= n.box[3] + 8
                    ),
                    None,
                )
                if lang is None:
                    continue
                ink = reader.region_ink(rgb, region, palette)
                vertical = reader.is_column(region)
                _plain, alone = reader.images(rgb, region, vertical, by.get(ink))
                xs.append(np.stack(windows(alone))[:, None])
                ys.append(CLASSES.index({"ko": "hangul", "en": "latin"}.get(lang, "cjk")))
    return xs, ys


def make_net() -> object:
    from torch import nn

    def block(i: int, o: int) -> list[nn.Module]:
        return [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]

    return nn.Sequential(
        *block(1, 16),
        *block(16, 32),
        *block(32, 48),
        *block(48, 64),  # 2 x 8 after four pools
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Dropout(0.2),
        nn.Linear(64, len(CLASSES)),
    )


def main() -> None:
    import torch
    from torch import nn

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--samples", type=int, default=12000)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--sheet-seeds", type=int, default=20, help="10 tuning sheets each")
    args = ap.parse_args()
    torch.manual_seed(0)
    x, y = dataset(args.samples, seed=1)
    print(f"{len(x)} rendered lines, {WIDTH}x{HEIGHT} windows", flush=True)
    # regions the reader cut from tuning-font sheets (seeds 20-39), every window of each
    rx, ry = reader_regions(range(20, 20 + args.sheet_seeds), per_seed=10)
    x = np.concatenate([x, *rx])
    y = np.concatenate([y, *[np.full(len(w), t) for w, t in zip(rx, ry, strict=True)]])
    print(f"+ {len(rx)} reader regions ({len(x)} windows in all)", flush=True)
    vx, vy = reader_regions(range(2, 4))
    print(f"{len(vx)} validation regions cut by the reader", flush=True)
    net = make_net()
    opt = torch.optim.AdamW(net.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    steps = args.epochs * (len(x) // 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(len(x))
        total = 0.0
        for i in range(0, len(x) - 63, 64):
            idx = order[i : i + 64]
            opt.zero_grad()
            loss = loss_fn(net(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
        net.eval()
        with torch.no_grad():
            right = sum(
                int(net(torch.from_numpy(w)).mean(0).argmax()) == t
                for w, t in zip(vx, vy, strict=True)
            )
        print(
            f"epoch {epoch + 1}: loss {total / (len(x) // 64):.3f}, "
            f"reader regions right {right / max(len(vx), 1):.3f}",
            flush=True,
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    net.eval()
    torch.save(net.state_dict(), OUT.with_suffix(".pt.tmp"))  # kept until the export worked
    torch.onnx.export(
        net,
        (torch.zeros(1, 1, HEIGHT, WIDTH),),
        str(OUT),
        input_names=["x"],
        output_names=["logits"],
        dynamic_axes={"x": {0: "n"}, "logits": {0: "n"}},
        opset_version=17,
        dynamo=False,
    )
    OUT.with_suffix(".pt.tmp").unlink()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
