"""Sentiment (positive / neutral / negative, score -1..1) and language of Italian and English texts.

Usage::

    from dagster_project.analytics.sentiment import SentimentAnalyzer

    analyzer = SentimentAnalyzer()          # trains once, offline, ~1 s
    analyzer.analyze(["Sedia comodissima!", "Still waiting for my refund"], ["it", None])

See ``analyzer.py`` for the design and ``README.md`` for the evaluation.
"""

from __future__ import annotations

from functools import lru_cache

from .analyzer import MODEL_VERSION, Sentiment, SentimentAnalyzer

__all__ = ["MODEL_VERSION", "Sentiment", "SentimentAnalyzer", "get_analyzer"]


@lru_cache(maxsize=1)
def get_analyzer() -> SentimentAnalyzer:
    """A process-wide analyzer, trained on first use and then reused."""
    return SentimentAnalyzer()
