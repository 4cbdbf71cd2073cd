"""Sentiment of Italian and English customer texts: language, label and score.

Design
------
There is no labelled Italian sentiment data in any wheel we may install and the
only Italian lexicon in a wheel (asent's) is auto-translated and noisy; VADER
covers English only and, used alone, misreads the register of our texts
("ok", "fine" are lukewarm, "a joke" is a complaint, "not up to standard" has no
lexicon word at all). So each language gets a small supervised model trained,
at load time, on labelled texts written for this project and shipped in
``data/train_{it,en}.tsv`` (reviews, social comments, brand mentions and NPS
verbatims about office furniture, with negation, contrast, intensifiers,
questions and factual statements):

1. language: lingua restricted to Italian/English (a declared language wins);
2. features: word uni/bigrams with negation scope marking (``NOT_male``),
   character 2-5-grams (typos, inflection) and the dense output of a
   VADER-style rule scorer over a polarity lexicon (VADER's for English plus
   domain additions, a hand-written stem lexicon for Italian, a shared emoji
   lexicon), which brings knowledge of words absent from the training texts;
3. model: multinomial logistic regression per language (C chosen by 5-fold
   cross-validation on the training set only);
4. output: label = most probable class; score = P(positive) - P(negative),
   shrunk by (1 - P(neutral)) when the label is neutral, so its sign always
   agrees with the label and neutral texts stay near 0.

Texts whose language cannot be determined (emoji only, "ok") are scored by both
models and their probabilities averaged; texts with no words at all (emoji
only) rely on the emoji lexicon inside the same features. Everything runs
offline, trains in about a second, and is deterministic. The held-out
evaluation set (``data/eval_{it,en}.tsv``) is never used for training or for
choosing rules; ``benchmarks/sentiment_eval.py`` reports the scores on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .corpus import DATA_DIR, LABELS, load_corpus
from .language import SUPPORTED, LanguageIdentifier
from .model import LanguageModel, ModelConfig

__all__ = ["MODEL_VERSION", "Sentiment", "SentimentAnalyzer"]

_MODEL_FAMILY = "lexlogreg-1"
_VERSIONED_FILES = ("train_it.tsv", "train_en.tsv", "lexicon_it.tsv", "lexicon_en.tsv", "lexicon_emoji.tsv")
_SOURCE_FILES = ("text.py", "lexicon.py", "model.py", "analyzer.py", "language.py")
SCORE_DECIMALS = 4


def _model_version() -> str:
    digest = hashlib.sha256()
    for name in _VERSIONED_FILES:
        digest.update((DATA_DIR / name).read_bytes())
    for name in _SOURCE_FILES:
        digest.update((Path(__file__).parent / name).read_bytes())
    return f"{_MODEL_FAMILY}+{digest.hexdigest()[:10]}"


MODEL_VERSION: str = _model_version()
"""Model family plus a hash of the training data, lexicons and code: changes whenever predictions may change."""


@dataclass(frozen=True)
class Sentiment:
    """Result for one text.

    ``language`` is 'it', 'en' or None when undetermined (empty, emoji only, too short to tell);
    ``label`` is 'positive', 'neutral' or 'negative'; ``score`` lies in [-1, 1], its sign agrees
    with the label and it is near 0 for neutral texts.
    """

    language: str | None
    label: str
    score: float


NEUTRAL_EMPTY = Sentiment(language=None, label="neutral", score=0.0)


def _to_sentiment(language: str | None, proba: np.ndarray) -> Sentiment:
    p_neg, p_neu, p_pos = (float(p) for p in proba)
    label = LABELS[int(np.argmax(proba))]
    score = p_pos - p_neg
    if label == "neutral":
        score *= 1.0 - p_neu
    elif label == "positive":
        score = max(score, 10.0**-SCORE_DECIMALS)
    else:
        score = min(score, -(10.0**-SCORE_DECIMALS))
    return Sentiment(language=language, label=label, score=round(score, SCORE_DECIMALS) + 0.0)


class SentimentAnalyzer:
    """Trains the per-language models once (well under a second) and scores batches of texts.

    Single-threaded by design (BLAS is limited to one thread while training and scoring).
    """

    def __init__(self, config: ModelConfig | None = None) -> None:
        self.languages = LanguageIdentifier()
        self.models: dict[str, LanguageModel] = {}
        self.training_sizes: dict[str, int] = {}
        with threadpool_limits(limits=1):  # tiny problems: BLAS threads only add contention
            for lang in SUPPORTED:
                rows = load_corpus("train", lang)
                self.models[lang] = LanguageModel(lang, config).fit([r.text for r in rows], [r.label for r in rows])
                self.training_sizes[lang] = len(rows)

    def analyze(
        self, texts: Sequence[str | None], language_hints: Sequence[str | None] | None = None
    ) -> list[Sentiment]:
        """Language, label and score for every text (same order; None/empty -> neutral, language None).

        ``language_hints`` (same length as ``texts``) holds a declared language per text
        ('it', 'en', 'it-IT', ...); unsupported or missing hints fall back to detection.
        Identical (text, language) pairs are scored once.
        """
        texts = list(texts)
        languages = self.languages.detect_many(texts, language_hints)
        results: list[Sentiment | None] = [None] * len(texts)
        groups: dict[str | None, dict[str, list[int]]] = {}
        for i, (text, lang) in enumerate(zip(texts, languages, strict=False)):
            if not isinstance(text, str) or not text.strip():
                results[i] = NEUTRAL_EMPTY
                continue
            groups.setdefault(lang, {}).setdefault(text, []).append(i)
        for lang, by_text in groups.items():
            unique = list(by_text)
            with threadpool_limits(limits=1):
                proba = self._proba(lang, unique)
            for text, row in zip(unique, proba, strict=False):
                sentiment = _to_sentiment(lang, row)
                for i in by_text[text]:
                    results[i] = sentiment
        return [r if r is not None else NEUTRAL_EMPTY for r in results]

    def analyze_one(self, text: str | None, language_hint: str | None = None) -> Sentiment:
        """Convenience wrapper around :meth:`analyze` for a single text."""
        return self.analyze([text], [language_hint])[0]

    def _proba(self, lang: str | None, texts: list[str]) -> np.ndarray:
        if lang in self.models:
            return self.models[lang].predict_proba(texts)
        # Undetermined language: average both models.
        return np.mean([m.predict_proba(texts) for m in self.models.values()], axis=0)
