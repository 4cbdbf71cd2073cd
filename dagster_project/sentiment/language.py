"""Italian / English language identification with lingua (models bundled in its wheel, offline).

The detector is restricted to the two languages the warehouse sees. Short texts
(where most errors happen) use lingua's high-accuracy mode; long texts use the
low-accuracy mode, which is faster and just as good once there are a few
sentences to look at. A declared language (a review's ``language`` column, a
survey's locale) wins over detection when it is Italian or English.
"""

from __future__ import annotations

from collections.abc import Sequence

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from .text import has_letters, strip_for_language_id

SUPPORTED: tuple[str, ...] = ("it", "en")
LONG_TEXT_CHARS = 120
"""From this length on the low-accuracy (trigram-only) detector is used."""
MIN_RELATIVE_DISTANCE = 0.05
"""For very short texts ("Ok", "Top") lingua may not be able to decide: the result is then None."""

_TO_CODE = {Language.ITALIAN: "it", Language.ENGLISH: "en"}
_HINT_ALIASES = {"ita": "it", "italian": "it", "italiano": "it", "eng": "en", "english": "en", "inglese": "en"}


def normalize_hint(hint: str | None) -> str | None:
    """Map a declared language ('it', 'IT', 'it-IT', 'en_GB', 'English', ...) to 'it'/'en', else None."""
    if not hint or not isinstance(hint, str):
        return None
    h = hint.strip().lower().replace("_", "-")
    if h in _HINT_ALIASES:
        return _HINT_ALIASES[h]
    code = h.split("-", 1)[0]
    return code if code in SUPPORTED else None


class LanguageIdentifier:
    """Detects 'it' / 'en' (or None) for batches of texts."""

    def __init__(self) -> None:
        languages = (Language.ITALIAN, Language.ENGLISH)
        self._precise: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*languages)
            .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
            .with_preloaded_language_models()
            .build()
        )
        self._fast: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
        )

    def detect(self, text: str | None) -> str | None:
        """Language of one text: 'it', 'en' or None (no letters, or undecidable)."""
        if not text:
            return None
        cleaned = strip_for_language_id(text)
        if not has_letters(cleaned):
            return None
        detector = self._fast if len(cleaned) >= LONG_TEXT_CHARS else self._precise
        return _TO_CODE.get(detector.detect_language_of(cleaned))  # type: ignore[arg-type]

    def detect_many(self, texts: Sequence[str | None], hints: Sequence[str | None] | None = None) -> list[str | None]:
        """Languages for a batch; a supported hint replaces detection for its (non-blank) text."""
        if hints is not None and len(hints) != len(texts):
            raise ValueError(f"language_hints has {len(hints)} items for {len(texts)} texts")
        out: list[str | None] = []
        for i, text in enumerate(texts):
            hint = normalize_hint(hints[i]) if hints is not None else None
            out.append(hint if hint is not None and text and text.strip() else self.detect(text))
        return out
