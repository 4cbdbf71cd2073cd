"""Polarity lexicons and a VADER-style rule scorer that turns them into dense features.

* English: the lexicon shipped inside the ``vaderSentiment`` wheel (``vader_lexicon.txt``),
  overlaid with ``data/lexicon_en.tsv`` (domain words VADER lacks or rates for a different
  register: "comfy", "sturdy", "wobbly", "overpriced", "late"; "ok"/"fine" near 0 because in
  reviews they signal a lukewarm, neutral opinion).
* Italian: ``data/lexicon_it.tsv``, hand-maintained for this project. Entries ending
  in ``*`` are stems (``ottim*`` covers ottimo/ottima/ottimi/ottime); the longest
  matching stem wins.
* Emoji: ``data/lexicon_emoji.tsv``, shared by both languages.

The scorer applies the usual rules: negation flips and dampens (x -0.74),
intensifiers amplify (x 1.3), diminishers dampen (x 0.6), words before a
contrast word ("ma", "but", ...) count half and words after it one and a half,
a concessive clause ("although ...", "sebbene ...") counts half, exclamation
marks amplify. Its outputs are features for the classifier, not the final answer.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import numpy as np

from .text import CONCESSIVE, CONTRAST_AFTER, DIMINISHERS, INTENSIFIERS, Tokens, is_emoji

DATA_DIR = Path(__file__).parent / "data"
NEGATION_FACTOR = -0.74
INTENSIFIER_FACTOR = 1.3
DIMINISHER_FACTOR = 0.6
BEFORE_CONTRAST_FACTOR = 0.5
AFTER_CONTRAST_FACTOR = 1.5
CONCESSIVE_FACTOR = 0.5
_MIN_STEM = 3
_CLAUSE_BREAK = frozenset({",", ".", ";", "!", "?"})
_SENTENCE_END = frozenset({".", "!", "?", ";"})

FEATURE_NAMES: tuple[str, ...] = (
    "compound",
    "pos_sum",
    "neg_sum",
    "pos_count",
    "neg_count",
    "emoji_sum",
    "last_clause",
    "question",
    "exclamations",
    "n_tokens_log",
    "no_hits",
)


def _read_valence_tsv(path: Path) -> dict[str, float]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)  # header
        return {row[0]: float(row[1]) for row in reader if row and not row[0].startswith("#")}


def vader_lexicon() -> dict[str, float]:
    """The English lexicon bundled in the vaderSentiment wheel (term -> mean valence, -4..4)."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    lex: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            lex[parts[0]] = float(parts[1])
    return lex


class Lexicon:
    """Word -> valence lookup with optional ``stem*`` entries and a per-word cache."""

    def __init__(self, entries: dict[str, float]) -> None:
        self.exact = {k: v for k, v in entries.items() if not k.endswith("*")}
        self.stems = {k[:-1]: v for k, v in entries.items() if k.endswith("*")}
        self._cache: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self.exact) + len(self.stems)

    def valence(self, word: str) -> float:
        """Valence of ``word`` (0.0 when unknown)."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        value = self.exact.get(word)
        if value is None:
            value = 0.0
            if self.stems:
                for k in range(len(word), _MIN_STEM - 1, -1):
                    stem_value = self.stems.get(word[:k])
                    if stem_value is not None:
                        value = stem_value
                        break
        self._cache[word] = value
        return value

    @classmethod
    def for_language(cls, lang: str) -> Lexicon:
        """The lexicon for ``'it'`` or ``'en'``, with the shared emoji lexicon merged in."""
        entries = dict(vader_lexicon()) if lang == "en" else {}
        entries.update(_read_valence_tsv(DATA_DIR / f"lexicon_{lang}.tsv"))
        entries.update(_read_valence_tsv(DATA_DIR / "lexicon_emoji.tsv"))
        return cls(entries)


class RuleScorer:
    """Scores tokenised texts with a lexicon and the negation / intensity / contrast rules."""

    def __init__(self, lang: str, lexicon: Lexicon | None = None) -> None:
        self.lang = lang
        self.lexicon = lexicon or Lexicon.for_language(lang)
        self.intensifiers = INTENSIFIERS[lang]
        self.diminishers = DIMINISHERS[lang]
        self.contrast = CONTRAST_AFTER[lang]
        self.concessive = CONCESSIVE[lang]

    def word_scores(self, toks: Tokens) -> list[float]:
        """Per-token valence after negation, intensifier, contrast and concessive rules."""
        tokens, negated = toks.tokens, toks.negated
        contrast, concessive = self.contrast, self.concessive
        intensifiers, diminishers, valence = self.intensifiers, self.diminishers, self.lexicon.valence
        last_contrast = -1
        for i, tok in enumerate(tokens):
            if tok in contrast:
                last_contrast = i
        scores: list[float] = []
        in_concessive = False
        for i, tok in enumerate(tokens):
            if tok in concessive:
                in_concessive = True
            elif tok in _CLAUSE_BREAK:
                in_concessive = False
            v = valence(tok)
            if v == 0.0 or tok in intensifiers or tok in diminishers:
                scores.append(0.0)
                continue
            before = tokens[i - 2 : i] if i >= 2 else tokens[:i]
            if any(p in intensifiers for p in before):
                v *= INTENSIFIER_FACTOR
            elif any(p in diminishers for p in before):
                v *= DIMINISHER_FACTOR
            if negated[i] and not is_emoji(tok):
                v *= NEGATION_FACTOR
            if last_contrast >= 0:
                v *= BEFORE_CONTRAST_FACTOR if i < last_contrast else AFTER_CONTRAST_FACTOR
            if in_concessive:
                v *= CONCESSIVE_FACTOR
            scores.append(v)
        return scores

    def features(self, toks: Tokens) -> list[float]:
        """Dense features, in the order of ``FEATURE_NAMES`` (one pass over the tokens)."""
        tokens = toks.tokens
        scores = self.word_scores(toks)
        pos = neg = emoji_sum = clause = 0.0
        n_pos = n_neg = words = exclamations = 0
        question = False
        last = len(tokens) - 1
        for i, (tok, sc) in enumerate(zip(tokens, scores, strict=False)):
            if sc > 0.0:
                pos += sc
                n_pos += 1
            elif sc < 0.0:
                neg -= sc
                n_neg += 1
            if sc and is_emoji(tok):
                emoji_sum += sc
            clause += sc
            if tok in _SENTENCE_END:
                if tok == "!":
                    exclamations += 1
                elif tok == "?":
                    question = True
                if i < last:
                    clause = 0.0
            elif tok[:1].isalpha():
                words += 1
        exclamations = min(exclamations, 3)
        total = pos - neg
        if total:
            total += math.copysign(0.3 * exclamations, total)
        return [
            total / math.sqrt(total * total + 15.0),
            pos / (1.0 + pos),
            neg / (1.0 + neg),
            float(n_pos),
            float(n_neg),
            emoji_sum / (1.0 + abs(emoji_sum)),
            clause / math.sqrt(clause * clause + 15.0),
            1.0 if question else 0.0,
            float(exclamations),
            math.log1p(words),
            1.0 if n_pos + n_neg == 0 else 0.0,
        ]

    def matrix(self, docs: Iterable[Tokens]) -> np.ndarray:
        """Feature matrix for many documents."""
        rows = [self.features(d) for d in docs]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
