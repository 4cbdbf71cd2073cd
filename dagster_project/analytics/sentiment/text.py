"""Text normalisation, tokenisation and negation scope marking (Italian + English).

Everything here is pure Python over small regular expressions, so it is fast,
deterministic and has no model behind it. The same functions are used to train
the classifiers and to score new texts, so training and inference can never
drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------- rule words
NEGATORS: dict[str, frozenset[str]] = {
    "it": frozenset(
        {
            "non",
            "mai",
            "nessun",
            "nessuno",
            "nessuna",
            "niente",
            "nulla",
            "nemmeno",
            "neanche",
            "neppure",
            "senza",
            "né",
            "ne'",
            "poco",
            "poca",
            "pochi",
            "poche",
            "zero",
        }
    ),
    "en": frozenset(
        {
            "not",
            "no",
            "never",
            "nothing",
            "nobody",
            "none",
            "neither",
            "nor",
            "without",
            "hardly",
            "barely",
            "cannot",
            "zero",
            "nowhere",
        }
    ),
}
"""Words that open a negation scope. Italian has negative concord ("non ... mai"),
so a negator inside an open scope extends it instead of flipping it back.
"poco" is a negator in Italian ("poco chiaro" = unclear)."""

# Contrast words: what comes after them carries the main point ("bello ma caro").
CONTRAST_AFTER: dict[str, frozenset[str]] = {
    "it": frozenset({"ma", "però", "pero", "tuttavia", "peccato", "purtroppo", "invece", "comunque"}),
    "en": frozenset({"but", "however", "unfortunately", "shame", "pity", "yet", "though"}),
}
# Concessive words: the clause they open is the less important one ("anche se caro, ...").
CONCESSIVE: dict[str, frozenset[str]] = {
    "it": frozenset({"sebbene", "nonostante", "benché", "malgrado", "seppur", "seppure"}),
    "en": frozenset({"although", "despite", "while", "whilst", "albeit"}),
}
INTENSIFIERS: dict[str, frozenset[str]] = {
    "it": frozenset(
        {
            "molto",
            "davvero",
            "proprio",
            "veramente",
            "decisamente",
            "super",
            "troppo",
            "tanto",
            "assolutamente",
            "estremamente",
            "particolarmente",
            "incredibilmente",
            "parecchio",
            "totalmente",
            "completamente",
            "così",
            "affatto",
            "sempre",
        }
    ),
    "en": frozenset(
        {
            "very",
            "really",
            "so",
            "super",
            "too",
            "extremely",
            "incredibly",
            "absolutely",
            "totally",
            "completely",
            "genuinely",
            "honestly",
            "truly",
            "way",
            "highly",
            "utterly",
            "seriously",
            "such",
            "all",
        }
    ),
}
DIMINISHERS: dict[str, frozenset[str]] = {
    "it": frozenset({"abbastanza", "leggermente", "piuttosto", "quasi", "po'", "po", "relativamente"}),
    "en": frozenset(
        {"slightly", "somewhat", "fairly", "bit", "little", "quite", "rather", "kinda", "almost", "relatively"}
    ),
}
NEGATION_WINDOW = 3
"""A negation scope covers at most this many following words (and stops at punctuation or a contrast word)."""

# ---------------------------------------------------------------- regexes
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@[\w.\-]+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_REPEAT = re.compile(r"(.)\1{2,}")
_DIGITS = re.compile(r"\d+")
_BRANDS = re.compile(r"\bergonova\b", re.IGNORECASE)
"""Brand names carry no language signal (and "Ergonova" looks Italian to a character model)."""
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff]")
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)?|[!?]|[.,;:()]" + "|" + _EMOJI.pattern)
_NT = re.compile(r"n't\b")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_SCOPE_BREAK = frozenset({".", ",", ";", ":", "!", "?", "(", ")"})
_IT_ELISION = re.compile(r"^(?:l|un|dell|all|dall|nell|sull|d|c|m|t|s|v|quest|quell|po)'(?=[^\W\d_])")
_EMOJI_MODIFIERS = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")


@dataclass(frozen=True)
class Tokens:
    """A tokenised text: the word/emoji/punctuation tokens and their negation flags."""

    tokens: tuple[str, ...]
    negated: tuple[bool, ...]


def normalize(text: str) -> str:
    """Lower-case, unify apostrophes, replace URLs and @handles, unwrap #hashtags, squeeze repeats.

    ``"Stupendaaa!!! @marta_r #ergonova"`` -> ``"stupendaa!! @user ergonova"``.
    """
    if not text.isascii():
        text = _EMOJI_MODIFIERS.sub("", unicodedata.normalize("NFC", text).translate(_APOSTROPHES))
    if "http" in text or "www." in text:
        text = _URL.sub(" url ", text)
    if "@" in text:
        text = _HANDLE.sub(" @user ", text)
    if "#" in text:
        text = _HASHTAG.sub(r" \1 ", text)
    text = _REPEAT.sub(r"\1\1", text.lower())
    return " ".join(text.split())


def strip_for_language_id(text: str) -> str:
    """Text without handles, URLs, emoji, digits, brand names and (unless alone) hashtags.

    This is what language identification should look at.
    """
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _HANDLE.sub(" ", text)
    if not text.isascii():
        text = _EMOJI.sub(" ", _EMOJI_MODIFIERS.sub("", text))
    text = _BRANDS.sub(" ", _DIGITS.sub(" ", text))
    if "#" in text:
        # Hashtags are often English loanwords in Italian posts (#smartworking): use them only when alone.
        without = _HASHTAG.sub(" ", text)
        text = without if has_letters(without) else _HASHTAG.sub(r" \1 ", text)
    return " ".join(text.split())


def has_letters(text: str) -> bool:
    """True when the text contains at least one alphabetic character."""
    return any(ch.isalpha() for ch in text)


def tokenize(normalized: str, lang: str) -> list[str]:
    """Split a normalised text into words, numbers, emoji and the punctuation that matters.

    English "n't" becomes a separate "not"; Italian elisions ("l'assistenza",
    "dell'ordine", "un'ora") keep only the content word.
    """
    if lang == "en":
        normalized = normalized.replace("can't", "cannot").replace("won't", "will not")
        normalized = _NT.sub(" not", normalized)
    out: list[str] = []
    for tok in _TOKEN.findall(normalized):
        if lang == "it" and "'" in tok:
            tok = _IT_ELISION.sub("", tok)
        elif lang == "en" and tok.endswith("'s"):
            tok = tok[:-2]
        if tok[:1].isdigit():
            tok = "<num>"
        if tok:
            out.append(tok)
    return out


def mark_negation(tokens: list[str], lang: str) -> Tokens:
    """Flag words inside a negation scope.

    A scope opens at a negator and covers the next ``NEGATION_WINDOW`` words;
    punctuation or a contrast word closes it. The negator itself is not flagged.
    """
    negators = NEGATORS.get(lang, frozenset())
    contrast = CONTRAST_AFTER.get(lang, frozenset())
    flags: list[bool] = []
    remaining = 0
    for tok in tokens:
        if tok in _SCOPE_BREAK or tok in contrast:
            remaining = 0
            flags.append(False)
        elif tok in negators:
            flags.append(remaining > 0)
            remaining = NEGATION_WINDOW
        else:
            flags.append(remaining > 0)
            remaining = max(remaining - 1, 0)
    return Tokens(tuple(tokens), tuple(flags))


def analyze_text(text: str, lang: str) -> Tokens:
    """normalize -> tokenize -> mark_negation in one call."""
    return mark_negation(tokenize(normalize(text), lang), lang)


def feature_tokens(toks: Tokens) -> list[str]:
    """Tokens for the bag-of-words model: negated words get a ``NOT_`` prefix."""
    return [("NOT_" + t) if neg else t for t, neg in zip(toks.tokens, toks.negated, strict=False)]


def is_emoji(token: str) -> bool:
    """True for a single emoji token."""
    return len(token) == 1 and ord(token) >= 0x2190 and _EMOJI.match(token) is not None


def dedup_key(text: str) -> str:
    """Normalisation used to compare texts across data sets: lower-case, no punctuation, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in text)
    return " ".join(text.split())
