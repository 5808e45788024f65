"""forensics: who drew these files, where and when.

The public API; the CLI, the report and the notebooks use only this."""

__version__ = "0.1.0"

from .case import Case, open_case
from .errors import CorruptInput, ForensicsError, LimitExceeded, NotMyFormat
from .pipeline import extract_one
from .records import FileRef, FileResult, Note, Problem, Record
from .scanner import scan
from .sources import Limits, iter_refs

__all__ = [
    "Case",
    "CorruptInput",
    "FileRef",
    "FileResult",
    "ForensicsError",
    "LimitExceeded",
    "Limits",
    "NotMyFormat",
    "Note",
    "Problem",
    "Record",
    "__version__",
    "extract_one",
    "iter_refs",
    "open_case",
    "scan",
]
