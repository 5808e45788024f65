"""Every tuned parameter of the note reader, in one place, with where it
was chosen. "Tune fonts" are the generalization set's tuning half
(`bench/wildsheets.py`, split by font); nothing here was chosen on the
fonts its headline figures are reported on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Detector:
    # pixels of the longer side the sheet is scaled to for DBNet. 1440 reads
    # better (tune fonts, seeds 7 and 8: CER 0.086 / 0.064 at 1120, 0.069 /
    # 0.051 at 1440; notes found 0.983 / 0.992 -> 0.991 / 0.992); its
    # activations need the 1 GiB worker cap (executors.FILE_MEMORY)
    side: int = 1440
    threshold: float = 0.3  # probability above which a pixel is inside a line (DB's default)
    box_threshold: float = 0.5  # mean probability a region needs (DB's default)
    unclip: float = 1.6  # DB's unclip ratio (rapidocr's default)
    min_pixels: int = 6  # map pixels a region needs
    min_side: float = 8.0  # sheet pixels across, below which a region is a speck
    join: float = 1.0  # of the line's height: a gap along a line that still joins two parts
    join_offset: float = 0.35  # of the height: how far off the line's axis a part may sit
    join_height: float = 0.6  # the shorter part is at least this share of the taller
    join_angle: float = 6.0  # degrees two parts of a line may differ by


DETECTOR = Detector()


@dataclass(frozen=True)
class Recogniser:
    model: str = "ppocrv6-small"  # the PP-OCR line recogniser (recognise.MODEL), by name
    max_width: int = 2400  # pixels at height 48: longer lines are squeezed
    pad: float = 0.12  # of a region's height, paper kept round it when cut


RECOGNISER = Recogniser()


@dataclass(frozen=True)
class Inks:
    share: float = 0.25  # of a region's written pixels in one ink: the region is in that ink
    dark: float = 70.0  # luminance below which unhued writing is printed black, not pencil
    written: float = 60.0  # RGB distance from the paper from which a pixel is writing
    chroma: float = 15.0  # chroma above the paper's from which a written pixel is hued
    # chroma of the light a region's writing lets through, on average
    # (mean / paper): from here it is an ink even when no pixel is hued
    # (tune fonts: printed headers at most 9, inks from 12 in 95% of cases)
    mean_chroma: float = 12.0
    gate: float = 0.4  # of an ink's minimum chroma: where the ink is, for a region's image


INKS = Inks()


@dataclass(frozen=True)
class Pairs:
    gap: float = 1.5  # of the taller note's height: how far the Korean may sit from the Chinese
    min_score: float = 0.5  # pair score a pair beside each other on a sheet needs
    min_score_unplaced: float = 0.8  # the same, for notes without a place (text layers)
    min_text: float = 0.34  # text evidence (readings, vocabulary) any pair needs
    geometry: float = 0.25  # what the right place adds to the text evidence
    size_ratio: float = 2.5  # the two notes' heights differ by at most this factor


PAIRS = Pairs()


@dataclass(frozen=True)
class Notes:
    printed_letters: int = 20  # Latin letters printed text needs before it is given a language
    context_sure: float = 0.9  # language confidence of the notes that set a file's context
    context_unsure: float = 0.75  # ... and under which a note follows that context


NOTES = Notes()


@dataclass(frozen=True)
class Columns:
    inked: int = 170  # grey level below which a pixel of a column image is writing
    square: float = 1.15  # a character is at most this much taller than the column is wide


COLUMNS = Columns()


@dataclass(frozen=True)
class LanguageModel:
    """The Hangul reader's beam search with a letter model (`hangul_lm`)."""

    order: int = 6  # letters of context + 1: about two syllables
    weight: float = 0.35  # of the letter model's log probability against the reader's
    bonus: float = 3.0  # log score per letter emitted
    beam: int = 8  # readings kept at each step
    prune: float = 1e-3  # a class under this probability at a step is not tried there
    unknown: float = 1e-3  # probability of a letter no Korean word holds (digits, Latin)


LM = LanguageModel()


@dataclass(frozen=True)
class Forms:
    """When a line read in Simplified forms was written in Traditional (`forms`)."""

    sheet: float = 3.0  # the sheet's Traditional-only characters per Simplified-only one
    sheet_min: int = 2  # ... and at least this many
    option: float = 1e-4  # probability a Traditional candidate needs at its step
    glyph: float = 0.01  # ... on the sheet's evidence alone


FORMS = Forms()


@dataclass(frozen=True)
class Routing:
    """Which reader a region goes to (`reader.route`)."""

    sure: float = 0.95  # P(hangul) from which the script classifier alone says Hangul
    unsure: float = 0.05  # ... under which it alone says Han; between, both are weighed
    lean: float = 0.75  # what the classifier's lean adds to the Hangul reader's confidence


ROUTING = Routing()

ALL = (
    DETECTOR,
    RECOGNISER,
    INKS,
    PAIRS,
    NOTES,
    COLUMNS,
    LM,
    FORMS,
    ROUTING,
)  # what the cache key holds
