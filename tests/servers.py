"""Real servers on loopback, started and stopped by the tests: moto in
server mode (an S3-compatible HTTP server, its own process) and Python's
`http.server` serving a folder as directory listings."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# moto accepts any credentials; the workers take them from the environment
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server at {url} exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not start")


@contextlib.contextmanager
def serve(argv: list[str], url: str, cwd: Path | None = None) -> Iterator[str]:
    proc = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy()
    )
    try:
        _wait(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def moto_server(*seeds: str) -> Iterator[str]:
    """An S3 endpoint url: moto's S3 served in its own process
    (`tests/moto_s3.py`), with buckets seeded as `BUCKET/PREFIX:N`."""
    port = free_port()
    argv = [sys.executable, "-m", "tests.moto_s3", str(port)]
    for spec in seeds:
        argv += ["--seed", spec]
    root = Path(__file__).resolve().parent.parent
    with serve(argv, f"http://127.0.0.1:{port}/", cwd=root) as url:
        yield url.rstrip("/")


@contextlib.contextmanager
def http_folder(folder: Path) -> Iterator[str]:
    """The folder served as directory listings by `python -m http.server`."""
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    with serve(argv, f"http://127.0.0.1:{port}/", cwd=folder) as url:
        yield url


def s3_client(endpoint: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, **_boto_credentials())


def _boto_credentials() -> dict[str, str]:
    return {
        "aws_access_key_id": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": CREDENTIALS["AWS_DEFAULT_REGION"],
    }


def upload_folder(client: Any, folder: Path, bucket: str, prefix: str) -> int:
    """Every regular file of the folder as an object (links are not files a
    bucket can hold); returns how many."""
    n = 0
    for here, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(here) / name
            if path.is_symlink() or not path.is_file():
                continue
            key = f"{prefix}/{path.relative_to(folder).as_posix()}"
            client.upload_file(str(path), bucket, key)
            n += 1
    return n


def put_many(endpoint: str, bucket: str, objects: dict[str, bytes]) -> None:
    """Many small objects at once, through s3fs's concurrent `pipe`."""
    import s3fs

    fs = s3fs.S3FileSystem(
        endpoint_url=endpoint,
        key=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        secret=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        skip_instance_cache=True,
    )
    fs.pipe({f"{bucket}/{k}": v for k, v in objects.items()}, batch_size=64)


class Outage:
    """A TCP forwarder on loopback in front of a server, which a test takes
    down and brings back on the same port: the server keeps its state (moto's
    buckets live in its process), its clients see connections refused."""

    def __init__(self, target_port: int) -> None:
        self.target = target_port
        self.port = free_port()
        self._listener: socket.socket | None = None
        self.up()

    def up(self) -> None:
        import threading

        if self._listener is not None:
            return
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _accept(self, sock: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = sock.accept()
            except OSError:  # closed: the outage began
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
