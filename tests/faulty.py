"""Extractors that misbehave on purpose, for the supervised worker tests. A
worker process imports this module by name (the tests put the checkout on
PYTHONPATH), so the faults happen inside a real worker."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO

from forensics.extractors.base import Context, Extractor, ExtractorDoc
from forensics.records import FileRef, Note, Record


class Faulty(Extractor):
    """Reads the first word of a file and does what it says: HANG, BALLOON,
    SEGFAULT, EXIT; anything else gives one note."""

    name = "faulty"
    version = "0"
    doc = ExtractorDoc(summary="misbehaves on purpose", reads="a command word")

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return True

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        word = stream.read(16).split(b"\n")[0]
        if word == b"HANG":
            time.sleep(3600)
        elif word == b"BALLOON":
            hoard = []
            while True:
                hoard.append(bytearray(32 * 2**20))  # touched: resident
        elif word == b"SEGFAULT":
            ctypes.string_at(0)
        elif word == b"EXIT":
            os.kill(os.getpid(), signal.SIGKILL)
        elif word == b"SLOW":
            mark = os.environ.get("FAULTY_MARK")
            if mark:  # tells a test this worker is busy with the file
                with open(mark, "a") as fh:
                    fh.write(f"{os.getpid()}\n")
            time.sleep(2)
        yield Note(text=f"read {word.decode('ascii', 'replace')}", origin="cell")


class Parent(Extractor):
    """Says how its worker was started: forked from the test's process (which
    has pytest imported) or as a fresh interpreter, and by which parent."""

    name = "parent"
    version = "0"
    doc = ExtractorDoc(summary="says how its worker started", reads="nothing")

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return True

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        how = "forked" if "pytest" in sys.modules else "spawned"
        yield Note(text=f"{how} by {os.getppid()}", origin="cell")
