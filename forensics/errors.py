"""Exceptions. Only these cross module boundaries on purpose; the worker turns
everything else into a `Problem`."""


class ForensicsError(Exception):
    """Base of the tool's own errors."""


class NotMyFormat(ForensicsError):
    """An extractor was handed bytes it does not read. Not a problem: the
    worker simply moves on to the next extractor."""


class CorruptInput(ForensicsError):
    """The bytes are of the extractor's format but damaged. Whatever was
    yielded before the raise is kept, and flagged as partial."""


class LimitExceeded(ForensicsError):
    """A safety limit (bytes, members, depth, ratio, seconds) was reached."""


class UsageError(ForensicsError, ValueError):
    """The caller asked for something that cannot be done as asked (a bad
    zone, a case folder inside the evidence): exit status 2 in the CLI. A
    `ValueError` too, so callers that caught that keep working."""


class DiskFull(ForensicsError, OSError):
    """The disk holding the case filled up while it was written: the case
    holds whole batches only, and the same command resumes it."""
