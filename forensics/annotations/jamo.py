"""Hangul as the reader's letters: a syllable as the jamo it is built of
(initial consonant, vowel, optional final consonant, as Unicode's
conjoining jamo), and syllables built back from them."""

from __future__ import annotations

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
