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
    "Case": "analysis.case",
    "open_case": "analysis.case",
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
    "scan": "run.scanner",
    "watch": "run.watch",
    "ScanConfig": "config",
    "Limits": "sources",
    "iter_refs": "sources",
    "read_annotations": "annotations",
    "detect_language": "language",
    "LanguageGuess": "language",
    "export_case": "export",
    "write_report": "report",
    "show_notes": "report.notebook",
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
    "ScanConfig",
    "__version__",
    "detect_language",
    "export_case",
    "extract_one",
    "iter_refs",
    "open_case",
    "read_annotations",
    "scan",
    "show_notes",
    "watch",
    "write_report",
]

if TYPE_CHECKING:
    from .analysis.case import Case, open_case
    from .annotations import read_annotations
    from .config import ScanConfig
    from .errors import CorruptInput, ForensicsError, LimitExceeded, NotMyFormat
    from .export import export_case
    from .language import LanguageGuess, detect_language
    from .pipeline import extract_one
    from .records import FileRef, FileResult, Note, Problem, Record
    from .report import write_report
    from .report.notebook import show_notes
    from .run.scanner import scan
    from .run.watch import watch
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


def _case_html(case: Any) -> str:
    from .report.notebook import summary_html

    return summary_html(case)


def _show_cases_in_notebooks() -> None:
    """In an IPython session, a `Case` shows as its summary table: the
    formatter is registered by the class's name, so neither the analysis
    nor the report is imported before a case is shown (the analysis never
    imports the report)."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    html = shell.display_formatter.formatters["text/html"]
    html.for_type_by_name("forensics.analysis.case", "Case", _case_html)


_show_cases_in_notebooks()
