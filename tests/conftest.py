from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI the property tests draw the same examples every run (a finding
# must not depend on the day's luck to land or block a submission); run
# locally they draw new ones each time, which is how they find bugs.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

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


@pytest.fixture(scope="session")
def scanned_samples(tmp_path_factory: pytest.TempPathFactory, regenerated: Path) -> Path:
    """A whole scan of the samples (OCR and pixel hashes on), for the tests
    that read its figures; its folder holds `dump` and `case`."""
    import forensics

    tmp = tmp_path_factory.mktemp("scanned")
    shutil.copytree(regenerated / "dump", tmp / "dump", symlinks=True)
    forensics.scan(tmp / "dump", tmp / "case", jobs=2)
    return tmp


@pytest.fixture(scope="session")
def aws_credentials() -> Iterator[None]:
    """The credentials moto accepts, in the environment, where a scan's
    workers take them from; no profile or endpoint from the machine's."""
    from .servers import CREDENTIALS

    with pytest.MonkeyPatch.context() as mp:
        for key, value in CREDENTIALS.items():
            mp.setenv(key, value)
        for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(key, raising=False)
        yield


@pytest.fixture(scope="session")
def s3_endpoint(aws_credentials: None) -> Iterator[str]:
    """A moto S3 server on loopback for the session (each test makes its own
    buckets)."""
    from .servers import moto_server

    with moto_server() as url:
        yield url
