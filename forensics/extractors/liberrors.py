"""What the libraries we call raise on damaged or hostile bytes.

Extractors catch these, and only these, around the library call: anything
else that escapes is a bug (ours or the library's) and becomes an `error`
problem with its traceback, instead of hiding as "corrupt". Where a library
documents its errors we name them; where it does not (exifread, psd-tools,
Pillow's plug-ins raise what their parsing code happens to hit), the tuple
lists what they were seen to raise on truncated and mutated files in the
conformance tests, each entry being a parse failure, not a programming error
of the caller.
"""

from __future__ import annotations

import struct
import zlib

from exifread.core.exceptions import ExifError

_PARSING: tuple[type[BaseException], ...] = (
    ValueError,  # also UnicodeDecodeError, and enums of unknown values
    struct.error,
    zlib.error,
    EOFError,
    OSError,  # Pillow's UnidentifiedImageError, truncated reads
    IndexError,
    KeyError,
    OverflowError,
    RecursionError,  # deeply nested structures
    MemoryError,  # an allocation sized by a lying header
)

# Pillow: OSError/SyntaxError for bad files (its documented "cannot identify"
# and "broken data stream" errors), DecompressionBombError (an Exception of
# its own) for the pixel limit, which callers report as limit_exceeded.
PILLOW_ERRORS: tuple[type[BaseException], ...] = (*_PARSING, SyntaxError, TypeError)

# exifread documents none; it raises from its IFD walking on damaged TIFF
# structures (and ZeroDivisionError from rationals with a zero denominator),
# and its HEIC reader asserts that an Exif item's TIFF-header offset lands
# just after "Exif\0\0" (AssertionError), which some AVIF writers break,
# and raises its ExifError subclasses (BadSize) on truncated HEIF boxes.
EXIFREAD_ERRORS: tuple[type[BaseException], ...] = (
    *_PARSING,
    ZeroDivisionError,
    TypeError,
    AssertionError,
    ExifError,
)

# psd-tools documents none; its attrs-based readers fail with these (and
# AssertionError from its own format checks) on damaged sections.
PSD_TOOLS_ERRORS: tuple[type[BaseException], ...] = (*_PARSING, AssertionError, TypeError)


def pypdf_errors() -> tuple[type[BaseException], ...]:
    """pypdf's documented base error, plus what its object parser raises on
    broken object trees (a missing key, a wrong type where a dict was due)."""
    from pypdf.errors import PyPdfError

    return (PyPdfError, *_PARSING, TypeError, AttributeError)
