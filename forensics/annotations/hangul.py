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
from .params import LM
from .recognise import ctc_greedy

MODEL = "annotations/models/hangul.onnx"
_L0, _V0, _T0 = 0x1100, 0x1161, 0x11A8  # conjoining jamo: initials, vowels, finals
INITIALS = [chr(_L0 + i) for i in range(19)]
VOWELS = [chr(_V0 + i) for i in range(21)]
FINALS = [chr(_T0 + i) for i in range(27)]
OTHERS = [*"0123456789", *map(chr, range(65, 91)), *map(chr, range(97, 123)), *".,!?-~()/", " "]
TOKENS = [*INITIALS, *VOWELS, *FINALS, *OTHERS]  # the model's outputs after the CTC blank


def to_tokens(text: str) -> list[str]:
    """A text as the reader's output letters (a syllable as its jamo)."""
    out: list[str] = []
    for ch in text:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out += [INITIALS[code // 588], VOWELS[(code % 588) // 28]]
            if code % 28:
                out.append(FINALS[code % 28 - 1])
        else:
            out.append(ch)
    return out


def compose(tokens: list[str]) -> str:
    """Syllables built back from jamo; a stray jamo that makes no syllable
    (a vowel with no initial, say) is dropped rather than guessed."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        ch = tokens[i]
        if ch in INITIALS and i + 1 < len(tokens) and tokens[i + 1] in VOWELS:
            code = (INITIALS.index(ch) * 21 + VOWELS.index(tokens[i + 1])) * 28
            i += 2
            if i < len(tokens) and tokens[i] in FINALS:
                code += FINALS.index(tokens[i]) + 1
                i += 1
            out.append(chr(0xAC00 + code))
            continue
        if not ("\u1100" <= ch <= "\u11ff"):
            out.append(ch)
        i += 1
    return "".join(out)


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
