"""The worker process of the process executor (run as `python -P -m
forensics.run.workerproc`; see `workerpool.py` for the side that supervises it).

It reads framed pickles on its standard input (first the worker function,
then batches of refs) and answers each file's result, in order, as a framed
pickle on a private copy of its standard output. File descriptors 0 and 1 are pointed at /dev/null
before any extractor runs, so that a C decoder that prints to stdout cannot
corrupt the protocol. `-P` keeps the current directory off `sys.path`: a
folder named `forensics` where the analyst stands is never imported.

It dies with its parent: a watchdog thread checks every half second that
the process that started it is still its parent, and kills its own process
group (the worker and any Tesseract it runs) when it is not.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import signal
import struct
import sys
import threading
import time
from typing import Any, BinaryIO

HEADER = struct.Struct("<Q")


def read_frame(stream: BinaryIO) -> Any:
    """One framed pickle, or None at end of stream."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def frame(obj: Any) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


def watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            # The supervisor is gone (kill -9, crash): take our own group with us.
            try:
                os.killpg(os.getpgid(0), signal.SIGKILL)
            finally:
                os._exit(137)


def main() -> None:
    parent = int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid()
    proto_in = os.fdopen(os.dup(0), "rb")
    proto_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    faulthandler.enable()  # a segfaulting decoder leaves its Python stack on stderr
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()

    hello = read_frame(proto_in)  # plain bytes: read before the imports, so starts overlap
    if hello is None:
        return
    expected, payload = hello

    import forensics

    here = os.path.dirname(os.path.abspath(forensics.__file__))
    if expected and os.path.realpath(here) != os.path.realpath(expected):
        proto_out.write(frame(("refused", f"imported forensics from {here}, not {expected}")))
        proto_out.flush()
        return
    serve(pickle.loads(payload), proto_in, proto_out)


def serve(worker: Any, proto_in: BinaryIO, proto_out: BinaryIO) -> None:
    """Say ready, then answer each batch of refs one result at a time."""
    proto_out.write(frame(("ready", os.getpid())))
    proto_out.flush()
    while (job := read_frame(proto_in)) is not None:
        job_id, start, refs = job
        for index, ref in enumerate(refs, start):  # one answer per file, in order, as each is done
            result = worker(ref)
            proto_out.write(frame(("done", job_id, index, result)))
            proto_out.flush()


if __name__ == "__main__":
    main()
