"""Reading a Hangul line: our own small reader on PP-OCR's backbone.

PP-OCR's recognisers have no Hangul in their dictionaries. This reader
takes the feature sequence the backbone of PP-OCRv6 small computes for the
line anyway (`recognise.ppocr_run`) and reads it with a small model of its
own (a convolution, a bidirectional LSTM and a CTC output), trained by
`scripts/train_hangul_reader.py` on lines drawn in the tuning fonts of the
generalization set and on regions the reader cut from tuning sheets. Its
weights (about 3.5 MB) ship in the package as ONNX.

The output letters are the jamo a syllable is built of (initial consonant,
vowel, optional final consonant, as Unicode's conjoining jamo), not the
11,172 syllables themselves: a syllable the training lines never held is
still read from its letters, and each letter is learnt from every
syllable that has it. `compose` builds the syllables back.
"""

from __future__ import annotations

import numpy as np

from .detect import session
from .hangul_lm import beam_search
from .jamo import FINALS, INITIALS, OTHERS, TOKENS, VOWELS, compose, to_tokens
from .params import LM
from .recognise import ctc_greedy

MODEL = "annotations/models/hangul.onnx"
__all__ = [
    "FINALS",
    "INITIALS",
    "MODEL",
    "OTHERS",
    "TOKENS",
    "VOWELS",
    "compose",
    "decode",
    "hangul_read",
    "letter_probabilities",
    "to_tokens",
]


def letter_probabilities(features: np.ndarray) -> np.ndarray:
    """The reader's steps x classes probabilities (class 0 the CTC blank,
    class k the letter TOKENS[k - 1]) from backbone features."""
    sess = session("forensics", MODEL)
    logits = np.asarray(
        sess.run(None, {"features": features[None].astype(np.float32)})[0]  # type: ignore[attr-defined]
    )[0]
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


def decode(probabilities: np.ndarray, weight: float | None = None) -> tuple[str, float]:
    """A line's text from the reader's probabilities: the beam search with
    the letter model (`hangul_lm`), or greedy decoding when its weight is
    0; with the mean probability of the letters emitted."""
    weight = LM.weight if weight is None else weight
    if weight:
        emitted, confidence = beam_search(probabilities, TOKENS, weight)
    else:
        emitted, confidence = ctc_greedy(probabilities)
    return compose([TOKENS[k - 1] for k in emitted]).strip(), confidence


def hangul_read(features: np.ndarray, weight: float | None = None) -> tuple[str, float]:
    """The text of a line from its backbone features (channels x steps),
    with the mean probability of the letters emitted."""
    return decode(letter_probabilities(features), weight)
