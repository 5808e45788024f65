"""Where the text is: PaddleOCR's DBNet text detector over the whole sheet.

The detector (PP-OCRv4 mobile, as published in the `rapidocr-onnxruntime`
wheel, Apache 2.0, copied into the package by
`scripts/vendor_ocr_models.py`) was trained on photographs, scans and
screenshots of text in many scripts: it finds writing by its look, not by the colour or
the stroke sizes of our own drawings. Its output is a probability map of
"inside a text line"; each connected region of it above `DETECTOR.threshold`
becomes a rotated rectangle (the minimum-area rectangle of the region's
convex hull), grown by the DB "unclip" offset (the model learnt to mark
the shrunken core of each line), scored by the mean probability inside.

Written with numpy and scipy rather than through rapidocr's own pipeline
or OpenCV: only the bare network is needed, and the post-processing is a
few array operations (`cv2.minAreaRect` and pyclipper's offset are
replaced by the rotating-calipers rectangle and its exact offset for a
rectangle).
"""

from __future__ import annotations

import functools
import importlib.util
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from .params import DETECTOR

MODEL = "annotations/models/ppocrv4_det.onnx"  # scripts/vendor_ocr_models.py


@dataclass(frozen=True)
class Region:
    """A text region: its centre, size along and across the writing, and
    angle (degrees, the long side's direction, clockwise in image space),
    in sheet pixels, with the detector's mean probability inside."""

    cx: float
    cy: float
    width: float
    height: float
    angle: float
    score: float

    @property
    def box(self) -> tuple[int, int, int, int]:
        """Axis-aligned bounds on the sheet (left, top, right, bottom)."""
        xs, ys = zip(*self.corners(), strict=True)
        return (
            max(0, math.floor(min(xs))),
            max(0, math.floor(min(ys))),
            math.ceil(max(xs)),
            math.ceil(max(ys)),
        )

    def corners(self) -> list[tuple[float, float]]:
        a = math.radians(self.angle)
        ux, uy = math.cos(a), math.sin(a)  # along the long side
        vx, vy = -uy, ux  # across it
        hw, hh = self.width / 2, self.height / 2
        return [
            (self.cx + sx * hw * ux + sy * hh * vx, self.cy + sx * hw * uy + sy * hh * vy)
            for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))
        ]


def model_path(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{package} (which ships {relative}) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative


@functools.cache
def session(package: str, relative: str) -> object:
    """An onnxruntime session for a model shipped inside a package."""
    return open_session(str(model_path(package, relative)))


def open_session(model: str | bytes) -> object:
    """An onnxruntime session for a model file or a model's bytes, one
    thread (the scan runs one worker per core), memory given back after
    each run."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # the arena keeps the largest activations of any run for the life of the
    # worker (about 150 MB more at the detector's 1440 pixels); without it
    # a sheet costs about 3% more time
    options.enable_cpu_mem_arena = False
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def probability_map(rgb: np.ndarray, side: int) -> tuple[np.ndarray, float, float]:
    """The detector's text probability at each pixel of the sheet scaled so
    that its longer side is about `side` (a multiple of 32); returns the map
    and the x and y scale back to sheet pixels."""
    h, w = rgb.shape[:2]
    scale = side / max(h, w)
    nh, nw = max(32, round(h * scale / 32) * 32), max(32, round(w * scale / 32) * 32)
    img = Image.fromarray(rgb).resize((nw, nh), Image.Resampling.BILINEAR)
    # BGR, as the model was trained on OpenCV images
    x = np.asarray(img, np.float32)[..., ::-1]
    x = ((x / 255.0 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    sess = session("forensics", MODEL)
    name = sess.get_inputs()[0].name  # type: ignore[attr-defined]
    out = np.asarray(sess.run(None, {name: np.ascontiguousarray(x)})[0])[0, 0]  # type: ignore[attr-defined]
    return out, w / nw, h / nh


def _min_area_rect(points: np.ndarray) -> tuple[float, float, float, float, float]:
    """Centre, long side, short side and angle (degrees) of the smallest
    rectangle around the points (rotating calipers over the convex hull)."""
    from scipy.spatial import ConvexHull, QhullError

    try:
        hull = points[ConvexHull(points).vertices]
    except (QhullError, ValueError):  # collinear: a one-pixel line
        hull = points
    best: tuple[float, float, float, float, float] | None = None
    edges = np.roll(hull, -1, axis=0) - hull
    for dx, dy in edges:
        norm = math.hypot(dx, dy)
        if norm == 0:
            continue
        u = np.array([dx, dy]) / norm
        v = np.array([-u[1], u[0]])
        pu, pv = hull @ u, hull @ v
        area = (pu.max() - pu.min()) * (pv.max() - pv.min())
        if best is None or area < best[0]:
            c = u * (pu.max() + pu.min()) / 2 + v * (pv.max() + pv.min()) / 2
            lu, lv = pu.max() - pu.min(), pv.max() - pv.min()
            angle = math.degrees(math.atan2(u[1], u[0]))
            if lv > lu:
                lu, lv, angle = lv, lu, angle + 90
            best = (area, float(c[0]), float(c[1]), lu, lv)
            best_angle = angle
    if best is None:
        x, y = points.mean(axis=0)
        return float(x), float(y), 1.0, 1.0, 0.0
    angle = (best_angle + 90) % 180 - 90  # in [-90, 90)
    return best[1], best[2], best[3] + 1, best[4] + 1, angle


def detect(rgb: np.ndarray) -> list[Region]:
    """Text regions of a sheet, in reading order (top to bottom, then left
    to right)."""
    from scipy import ndimage

    p = DETECTOR
    prob, sx, sy = probability_map(rgb, p.side)
    labels, _count = ndimage.label(prob > p.threshold)
    regions = []
    for i, where in enumerate(ndimage.find_objects(labels), 1):
        if where is None:
            continue
        inside = labels[where] == i
        if inside.sum() < p.min_pixels:
            continue
        score = float(prob[where][inside].mean())
        if score < p.box_threshold:
            continue
        ys, xs = np.nonzero(inside)
        pts = np.stack([xs + where[1].start, ys + where[0].start], axis=1).astype(np.float64)
        # pixel corners, so a region one pixel wide still has an area
        corner = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], np.float64)
        pts = (pts[:, None, :] + corner[None]).reshape(-1, 2)
        cx, cy, long, short, angle = _min_area_rect(pts)
        # DB's unclip: offset the shrunk core by area * ratio / perimeter
        offset = long * short * p.unclip / (2 * (long + short))
        long, short = long + 2 * offset, short + 2 * offset
        a = math.radians(angle)
        # back to sheet pixels (the two scales are almost equal)
        cx, cy = cx * sx, cy * sy
        long *= math.hypot(math.cos(a) * sx, math.sin(a) * sy)
        short *= math.hypot(math.sin(a) * sx, math.cos(a) * sy)
        if short < p.min_side:
            continue
        regions.append(Region(cx, cy, long, short, angle, score))
    regions = _joined(regions)
    regions.sort(key=lambda r: (round(r.cy - r.height / 2), r.cx))
    return regions


def _same_line(a: Region, b: Region) -> bool:
    """Whether b continues a's line: about as tall, turned alike, its
    centre on a's axis, and the gap between them under `DETECTOR.join` of
    their height (DBNet parts a line where wide glyphs leave paper between
    them, as between Hangul words)."""
    p = DETECTOR
    h = max(a.height, b.height)
    if min(a.height, b.height) < p.join_height * h or abs(a.angle - b.angle) > p.join_angle:
        return False
    t = math.radians(a.angle)
    ux, uy = math.cos(t), math.sin(t)
    dx, dy = b.cx - a.cx, b.cy - a.cy
    along, across = dx * ux + dy * uy, -dx * uy + dy * ux
    gap = abs(along) - (a.width + b.width) / 2
    return abs(across) <= p.join_offset * h and gap <= p.join * h


def _merge(a: Region, b: Region) -> Region:
    pts = np.array(a.corners() + b.corners())
    cx, cy, long, short, angle = _min_area_rect(pts)
    return Region(
        cx, cy, long, short, angle, (a.score * a.width + b.score * b.width) / (a.width + b.width)
    )


def _joined(regions: list[Region]) -> list[Region]:
    """Parts of one line joined into one region (columns are left alone:
    their parts are characters the row layout puts together anyway)."""
    out = list(regions)
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                if _same_line(out[i], out[j]) or _same_line(out[j], out[i]):
                    out[i] = _merge(out[i], out[j])
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def cut(rgb: np.ndarray, region: Region, pad: float = 0.0) -> Image.Image:
    """The region cut from the sheet with its rotation removed: an upright
    image `width` by `height` (plus `pad` of its height on every side)."""
    a = math.radians(region.angle)
    ca, sa = math.cos(a), math.sin(a)
    margin = pad * region.height
    w, h = region.width + 2 * margin, region.height + 2 * margin
    ow, oh = max(1, round(w)), max(1, round(h))
    # output (u, v) -> sheet (x, y) = centre + (u - w/2) * along + (v - h/2) * across
    x0 = region.cx - (w / 2) * ca + (h / 2) * sa
    y0 = region.cy - (w / 2) * sa - (h / 2) * ca
    img = Image.fromarray(rgb)
    return img.transform(
        (ow, oh),
        Image.Transform.AFFINE,
        (ca, -sa, x0, sa, ca, y0),
        resample=Image.Resampling.BILINEAR,
        fillcolor=(255, 255, 255),
    )
