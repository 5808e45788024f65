"""Production codes (show, season, episode, scene, cut, stage, version,
take, correction) from paths and names. The patterns and the stage words
are data (production.toml, overridable per case): studios name things their
own way, and an analyst must be able to say how without changing code.
What no pattern finds stays blank, never guessed."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FIELDS = ("show", "season", "episode", "scene", "cut", "stage", "version", "take", "correction")
_FIELD_SET = frozenset(FIELDS)
CORRECTIONS = {
    "e": "episode director",
    "k": "director",
    "s": "animation director",
    "ss": "chief animation director",
}


@dataclass(frozen=True)
class Patterns:
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    stages: dict[str, str]  # word (casefolded) -> stage

    @functools.cached_property
    def searches(self) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
        """Each pattern with the fields it can fill."""
        return tuple((rx, frozenset(rx.groupindex) & _FIELD_SET) for _, rx in self.patterns)

    @functools.cached_property
    def written_in(self) -> tuple[tuple[str, str], ...]:
        """The stage words found inside other words (修正 in 修正稿): those
        of more than one letter not written in ASCII."""
        return tuple((w, s) for w, s in self.stages.items() if len(w) > 1 and not w.isascii())


def load_patterns(path: str | Path | None = None) -> Patterns:
    """The patterns of a TOML file, the package's by default."""
    text = (
        Path(path).read_text()
        if path
        else resources.files(__package__).joinpath("production.toml").read_text()
    )
    data = tomllib.loads(text)
    patterns = tuple((p["name"], re.compile(p["regex"])) for p in data.get("pattern", []))
    stages = {
        word.casefold(): stage for stage, words in data.get("stages", {}).items() for word in words
    }
    return Patterns(patterns, stages)


@functools.cache
def default_patterns() -> Patterns:
    return load_patterns()


_WORDS = re.compile(r"[/_. !-]+")


def _stage(word: str | None, patterns: Patterns) -> str | None:
    return patterns.stages.get(word.casefold()) if word else None


def parse(path: str, patterns: Patterns | None = None) -> dict[str, str | None]:
    """The production fields of one path (an archive member's url included)."""
    pats = patterns or default_patterns()
    member = path.rsplit("!/", 1)[-1]
    name = member.rsplit("/", 1)[-1]
    out: dict[str, str | None] = dict.fromkeys(FIELDS)
    missing = set(FIELDS)
    for text in dict.fromkeys((name, member, path)):  # a loose file's member is its path
        for regex, keys in pats.searches:
            if missing.isdisjoint(keys):  # what it could say is said already
                continue
            m = regex.search(text)
            if not m:
                continue
            for key, value in m.groupdict().items():
                if value is None or key not in missing:
                    continue
                out[key] = value
                missing.discard(key)
    if out["stage"] is not None:
        out["stage"] = _stage(out["stage"], pats) or out["stage"]
    else:  # a stage word anywhere in the folders or the name
        for part in _WORDS.split(member):
            if stage := _stage(part, pats):
                out["stage"] = stage
        if out["stage"] is None and not member.isascii():
            for word, stage in pats.written_in:
                if word in member:
                    out["stage"] = stage
                    break
    if out["correction"]:
        out["correction"] = CORRECTIONS.get(out["correction"], out["correction"])
    for key in ("season", "episode", "scene", "cut", "version", "take"):
        value = out[key]
        if value is not None:
            out[key] = str(int(value))  # "003" and "3" are the same cut
    return out


def drawing_key(fields: dict[str, str | None]) -> str | None:
    """The code of a drawing without its version: the same key is the same
    drawing; None when the name says too little (show and cut at least)."""
    if not fields.get("cut") or not (fields.get("show") or fields.get("episode")):
        return None
    return "|".join(
        fields.get(k) or "" for k in ("show", "season", "episode", "scene", "cut", "stage")
    )
