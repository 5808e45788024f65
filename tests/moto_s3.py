"""moto's S3 in server mode, for the tests: `python -m tests.moto_s3 PORT
[--seed BUCKET/PREFIX:N]`. It serves moto's S3 app alone (moto_server's
dispatcher looks up the service of every request among all of moto's
modules, which doubled the time of each), over HTTP/1.1 keep-alive. `--seed`
fills a bucket with N small objects through moto's own backend before
serving (`PREFIX/NN/NNNNN.txt`, holding `note N` for every EVERY-th, empty
otherwise; `BUCKET/PREFIX:N[:EVERY]`): creating 10,000 objects over HTTP
took a minute, this a few seconds."""

from __future__ import annotations

import argparse


def seed(spec: str) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    target, count, every = [*spec.split(":"), "1"][:3]
    bucket, _, prefix = target.partition("/")
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    backend.create_bucket(bucket, "us-east-1")
    for i in range(int(count)):
        body = f"note {i}\n".encode() if i % int(every) == 0 else b""
        backend.put_object(bucket, f"{prefix}/{i // 1000:02d}/{i:05d}.txt", body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--seed", action="append", default=[], help="BUCKET/PREFIX:N[:EVERY]")
    args = parser.parse_args()
    from moto.moto_server.werkzeug_app import create_backend_app
    from werkzeug.serving import WSGIRequestHandler, run_simple

    for spec in args.seed:
        seed(spec)
    WSGIRequestHandler.protocol_version = "HTTP/1.1"
    run_simple("127.0.0.1", args.port, create_backend_app("s3"), threaded=True)


if __name__ == "__main__":
    main()
