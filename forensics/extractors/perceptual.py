"""Perceptual hashes of images (imagehash): near-identical pixels give
near-identical hashes, which is how revisions of one drawing are grouped
when their names say nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from ..config import ScanConfig
from ..errors import CorruptInput, LimitExceeded
from ..records import FileRef, Note, Record
from .annotations import IMAGE_MIMES as OCR_MIMES
from .base import Context, Extractor, ExtractorDoc

# Pixel formats Pillow decodes: the annotations extractor's, and PSD composites.
IMAGE_MIMES = (*OCR_MIMES, "image/vnd.adobe.photoshop")
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class PerceptualHashRecord(Record):
    KIND: ClassVar[str] = "perceptual_hash"

    phash: str = ""
    dhash: str = ""
    width: int = 0
    height: int = 0


class PerceptualHashExtractor(Extractor):
    name = "perceptual_hash"
    version = "1.0"
    doc = ExtractorDoc(
        summary="pHash and dHash (64 bits) of an image's pixels, for grouping revisions.",
        reads="The decoded first frame (PSD: its composite, via Pillow where it can).",
        references=("imagehash (J. Buchner)", "Zauner 2010, pHash"),
        limits=f"Images over {MAX_PIXELS} pixels are not decoded. Skipped by --no-ocr (the "
        "metadata-only scan): revisions of unnamed files then cannot be grouped by pixels.",
    )
    record_kinds = (PerceptualHashRecord,)

    def configure(self, options: ScanConfig) -> Extractor | None:
        # Decoding pixels is what makes a scan slow; `--no-ocr` is the
        # metadata-only scan, so it skips this as it skips OCR.
        return self if options.ocr else None

    def applies(self, ref: FileRef, mime: str, head: bytes) -> bool:
        return mime in IMAGE_MIMES

    def extract(self, ref: FileRef, stream: BinaryIO, ctx: Context) -> Iterator[Record | Note]:
        import imagehash
        from PIL import Image

        stream.seek(0)
        try:
            with Image.open(stream) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise CorruptInput(f"{img.width}x{img.height}: too many pixels to hash")
                width, height = img.size
                img.draft("L", (256, 256))  # JPEG: decode at a fraction of the size
                grey = img.convert("L")
                yield PerceptualHashRecord(
                    extractor=self.name,
                    source="pixels",
                    phash=str(imagehash.phash(grey)),
                    dhash=str(imagehash.dhash(grey)),
                    width=width,
                    height=height,
                )
        except Image.DecompressionBombError as exc:
            raise LimitExceeded(f"not decoded: {exc}") from exc
        except (OSError, ValueError, SyntaxError) as exc:  # Pillow raises SyntaxError on bad files
            raise CorruptInput(f"pixels not decodable: {exc}") from exc
