"""Which Korean letters are likely next: a jamo n-gram model, and the CTC
beam search that reads a Hangul line with it.

The Hangul reader (`hangul.py`) emits jamo. Read greedily, one doubtful
letter makes another syllable (흥/홍, 양/앙); a writer meant a word. The
beam search keeps the few best readings of the line as it goes and
scores each by the reader's probabilities and, weighted by
`LM.weight`, by how likely its letters are as Korean. The model is an
interpolated Witten-Bell n-gram over the letters of wordfreq's Korean
words (order `LM.order`, about two syllables), each word counted by its
Zipf value so that common words weigh more without a few swamping the
rest, with a space before and after it.

wordfreq's data is CC BY-SA 4.0: the counts are made from the installed
package at first use (under a second), never committed. `restrict(keep)`
builds them from part of the list only, for a benchmark on words the
model never saw.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from .params import LM

SPACE = " "

_keep: Callable[[str], bool] | None = None


def restrict(keep: Callable[[str], bool] | None) -> None:
    """Build the model from the words `keep` accepts only (None: all)."""
    global _keep
    _keep = keep
    model.cache_clear()


class JamoModel:
    """P(letter | the letters before it), interpolated Witten-Bell, kept
    compact (a worker holds it beside the detector): for each n-gram seen,
    its share of its history's mass, `seen[history + letter]`, and for
    each history the mass left to the shorter one, `rest[history]`;
    letters and histories are strings of jamo."""

    def __init__(self, counts: dict[str, float], order: int) -> None:
        """`counts`: the weight of each n-gram (history + letter), turned
        into `seen` in place."""
        self.order = order
        totals: dict[str, list[float]] = {}
        for gram, c in counts.items():
            entry = totals.setdefault(gram[:-1], [0.0, 0.0])
            entry[0] += c
            entry[1] += 1
        for gram in counts:
            total, kinds = totals[gram[:-1]]
            counts[gram] /= total + kinds
        self.seen = counts
        self.rest = {h: kinds / (total + kinds) for h, (total, kinds) in totals.items()}
        self.vocabulary = frozenset(g for g in counts if len(g) == 1)
        self.floor = 1.0 / (len(self.vocabulary) + 1)

    def prob(self, history: str, letter: str) -> float:
        p = self.floor
        for start in range(len(history), -1, -1):  # shortest history first
            h = history[start:]
            rest = self.rest.get(h)
            if rest is None:
                break  # a longer history is unseen too
            p = self.seen.get(h + letter, 0.0) + rest * p
        return p

    def log_prob(self, history: str, letter: str) -> float:
        """Log probability of `letter` after `history` (its last order-1
        letters count); a letter no Korean word holds (a digit, a Latin
        letter) gets `LM.unknown`."""
        if letter not in self.vocabulary:
            return math.log(LM.unknown)
        return math.log(self.prob(history[-(self.order - 1) :], letter))


@functools.cache
def model() -> JamoModel:
    from ..wordmodel import korean_words
    from .jamo import to_tokens

    counts: dict[str, float] = defaultdict(float)
    for word, freq in korean_words().items():
        if _keep is not None and not _keep(word):
            continue
        weight = max(0.5, math.log10(freq * 1e9) - 1.0)  # the Zipf value, less one
        letters = SPACE + "".join(to_tokens(word)) + SPACE
        for i in range(1, len(letters)):
            for n in range(min(LM.order, i + 1)):
                counts[letters[i - n : i + 1]] += weight
    return JamoModel(dict(counts), LM.order)


def beam_search(
    probabilities: np.ndarray, tokens: list[str], weight: float | None = None
) -> tuple[list[int], float]:
    """CTC prefix beam search over steps x classes probabilities (class 0
    the blank, class k the letter `tokens[k - 1]`), each prefix scored by
    the reader and, times `weight`, by the letter model, plus `LM.bonus`
    per letter other than a space (the model's probabilities are below one: without it the
    search would rather drop letters). Classes under `LM.prune` at a step
    are not tried there. Returns the classes of the best reading and their
    mean probability at the steps that emitted them, as greedy decoding."""
    weight = LM.weight if weight is None else weight
    lm = model() if weight else None
    log = np.log(np.maximum(probabilities, 1e-30))
    # prefix -> [log P ending in a blank, log P ending in its last class, letter-model score]
    Beam = dict[tuple[int, ...], list[float]]
    beams: Beam = {(): [0.0, -math.inf, 0.0]}
    emitted: dict[tuple[int, ...], list[float]] = {(): []}

    def lm_score(prefix: tuple[int, ...], k: int) -> float:
        if lm is None:
            return 0.0
        history = SPACE + "".join(tokens[c - 1] for c in prefix[-(LM.order - 1) :])
        return weight * lm.log_prob(history, tokens[k - 1])

    for t in range(log.shape[0]):
        row = log[t]
        candidates = [int(k) for k in np.nonzero(probabilities[t] >= LM.prune)[0] if k != 0]
        nxt: Beam = defaultdict(lambda: [-math.inf, -math.inf, 0.0])
        for prefix, (pb, pnb, lms) in beams.items():
            total = np.logaddexp(pb, pnb)
            # blank: the prefix stays
            entry = nxt[prefix]
            entry[0] = np.logaddexp(entry[0], total + row[0])
            entry[2] = lms
            last = prefix[-1] if prefix else None
            if last is not None:  # the last class repeated: the prefix stays
                entry[1] = np.logaddexp(entry[1], pnb + row[last])
            for k in candidates:
                grown = (*prefix, k)
                # the bonus is for letters: a space the reader barely saw must
                # not be bought by it (spaces split words, never add letters)
                score = lm_score(prefix, k) + (0.0 if tokens[k - 1] == SPACE else LM.bonus)
                new = nxt[grown]
                # a repeat emits again only after a blank
                source = pb if k == last else total
                if new[1] == -math.inf and new[0] == -math.inf:
                    new[2] = lms + score
                    emitted.setdefault(grown, [*emitted[prefix], float(probabilities[t, k])])
                new[1] = np.logaddexp(new[1], source + row[k])
        ranked = sorted(
            nxt.items(), key=lambda kv: float(np.logaddexp(kv[1][0], kv[1][1])) + kv[1][2]
        )
        beams = dict(ranked[-LM.beam :])
    best = max(beams.items(), key=lambda kv: float(np.logaddexp(kv[1][0], kv[1][1])) + kv[1][2])
    probs = emitted.get(best[0], [])
    return list(best[0]), float(np.mean(probs)) if probs else 0.0
