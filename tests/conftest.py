from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FONTS = [
    "/usr/share/fonts/truetype/nanum/NanumPen.ttf",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


@pytest.fixture(scope="session")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample dump drawn afresh, with the file times git does not keep."""
    missing = [f for f in FONTS if not Path(f).exists()]
    if missing:
        pytest.skip(f"fonts missing (make setup installs them): {missing}")
    out = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture()
def dump_copy(regenerated: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "dump"
    shutil.copytree(regenerated / "dump", dest, symlinks=True)
    return dest
