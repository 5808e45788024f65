"""forensics: who drew these files, where and when.

The public API; the CLI, the report and the notebooks use only this. Names
are imported on first use, so that worker processes, which need only the
pipeline, do not pay for pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Case": "case",
    "open_case": "case",
    "CorruptInput": "errors",
    "ForensicsError": "errors",
    "LimitExceeded": "errors",
    "NotMyFormat": "errors",
    "extract_one": "pipeline",
    "FileRef": "records",
    "FileResult": "records",
    "Note": "records",
    "Problem": "records",
    "Record": "records",
    "scan": "scanner",
    "Limits": "sources",
    "iter_refs": "sources",
    "read_annotations": "annotations",
    "detect_language": "language",
    "LanguageGuess": "language",
    "export_case": "export",
    "write_report": "report",
}

__all__ = [
    "Case",
    "CorruptInput",
    "FileRef",
    "FileResult",
    "ForensicsError",
    "LanguageGuess",
    "LimitExceeded",
    "Limits",
    "NotMyFormat",
    "Note",
    "Problem",
    "Record",
    "__version__",
    "detect_language",
    "export_case",
    "extract_one",
    "iter_refs",
    "open_case",
    "read_annotations",
    "scan",
    "write_report",
]

if TYPE_CHECKING:
    from .annotations import read_annotations
    from .case import Case, open_case
    from .errors import CorruptInput, ForensicsError, LimitExceeded, NotMyFormat
    from .export import export_case
    from .language import LanguageGuess, detect_language
    from .pipeline import extract_one
    from .records import FileRef, FileResult, Note, Problem, Record
    from .report import write_report
    from .scanner import scan
    from .sources import Limits, iter_refs


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'forensics' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names too, before their modules are imported."""
    return sorted(set(globals()) | set(__all__))
