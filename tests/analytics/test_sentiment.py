"""Sentiment analyzer (dagster_project/analytics/sentiment): quality on the held-out set, data hygiene, edge cases.

Fast (a few seconds): the models train in well under a second.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from dagster_project.analytics.sentiment import MODEL_VERSION, Sentiment, SentimentAnalyzer
from dagster_project.analytics.sentiment.corpus import KINDS, LABELS, load_corpus
from dagster_project.analytics.sentiment.text import dedup_key

LANGS = ("it", "en")
MIN_MACRO_F1 = 0.75
GENERATOR_TEXTS = Path(__file__).resolve().parents[2] / "seeds" / "generator" / "texts.py"


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


# ---------------------------------------------------------------- data sets
@pytest.mark.parametrize("lang", LANGS)
def test_eval_set_is_large_and_covers_all_labels(lang: str) -> None:
    rows = load_corpus("eval", lang)
    assert len(rows) >= 300
    counts = {lbl: sum(r.label == lbl for r in rows) for lbl in LABELS}
    assert min(counts.values()) >= 0.25 * len(rows), counts  # roughly balanced
    assert {r.kind for r in rows} == set(KINDS)


@pytest.mark.parametrize("lang", LANGS)
def test_eval_set_is_disjoint_from_training(lang: str) -> None:
    train = {dedup_key(r.text) for other in LANGS for r in load_corpus("train", other)}
    leaked = [r.text for r in load_corpus("eval", lang) if dedup_key(r.text) in train]
    assert not leaked
    eval_keys = [dedup_key(r.text) for r in load_corpus("eval", lang)]
    assert len(eval_keys) == len(set(eval_keys)), "duplicate texts in the eval set"


def test_labelled_texts_do_not_copy_generator_templates() -> None:
    literals = {
        dedup_key(node.value)
        for node in ast.walk(ast.parse(GENERATOR_TEXTS.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" not in node.value
    }
    literals.discard("")
    copied = [
        r.text
        for split in ("train", "eval")
        for lang in LANGS
        for r in load_corpus(split, lang)
        if dedup_key(r.text) in literals
    ]
    assert not copied


# ---------------------------------------------------------------- quality
@pytest.mark.parametrize("lang", LANGS)
def test_macro_f1_on_held_out_eval_set(analyzer: SentimentAnalyzer, lang: str) -> None:
    rows = load_corpus("eval", lang)
    predicted = analyzer.analyze([r.text for r in rows], [lang] * len(rows))
    macro = f1_score([r.label for r in rows], [p.label for p in predicted], labels=list(LABELS), average="macro")
    assert macro >= MIN_MACRO_F1, f"{lang}: macro-F1 {macro:.3f}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Non è male, anzi", "positive"),
        ("La sedia non è comoda", "negative"),
        ("Non consiglierei questa scrivania a nessuno", "negative"),
        ("Nessun problema con la consegna, tutto perfetto", "positive"),
        ("Non mi piace per niente il colore", "negative"),
        ("Bella ma troppo cara", "negative"),
        ("Un po' cara ma ne vale la pena", "positive"),
        ("Il prezzo è alto però la qualità è eccellente", "positive"),
        ("Comoda, peccato che lo schienale si sia rotto dopo un mese", "negative"),
        ("Quando riaprite lo showroom?", "neutral"),
        ("La scrivania è arrivata martedì", "neutral"),
        ("Not bad at all, really happy", "positive"),
        ("The chair is not comfortable", "negative"),
        ("I would not recommend this desk to anyone", "negative"),
        ("No problems with delivery, everything perfect", "positive"),
        ("I do not like the colour at all", "negative"),
        ("Looks great but it broke after a week", "negative"),
        ("Expensive but worth every penny", "positive"),
        ("Although the price is high, the quality is excellent", "positive"),
        ("Comfortable, shame the backrest snapped after a month", "negative"),
        ("When does the showroom reopen?", "neutral"),
        ("The desk arrived on Tuesday", "neutral"),
    ],
)
def test_negation_contrast_and_neutral_cases(analyzer: SentimentAnalyzer, text: str, expected: str) -> None:
    assert analyzer.analyze_one(text).label == expected


# ---------------------------------------------------------------- language
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("La consegna è arrivata in anticipo e la sedia è comodissima", "it"),
        ("Qualcuno sa se la scrivania arriva già montata?", "it"),
        ("Che delusione, il servizio clienti non risponde mai 😡", "it"),
        ("@ergonova grazie mille per l'aiuto #smartworking", "it"),
        ("The delivery was early and the chair is really comfortable", "en"),
        ("Does anyone know if the desk comes assembled?", "en"),
        ("Customer service never answers, so disappointed 😡", "en"),
        ("@ergonova thanks a lot for the help #homeoffice", "en"),
    ],
)
def test_language_detection(analyzer: SentimentAnalyzer, text: str, expected: str) -> None:
    assert analyzer.analyze_one(text).language == expected


def test_language_hint_wins_over_detection(analyzer: SentimentAnalyzer) -> None:
    texts = ["Top quality, super comfortable", "Top quality, super comfortable", "Ottima sedia"]
    out = analyzer.analyze(texts, ["it-IT", None, "de"])
    assert [s.language for s in out] == ["it", "en", "it"]  # unsupported hint 'de' -> detection


def test_hints_must_match_texts(analyzer: SentimentAnalyzer) -> None:
    with pytest.raises(ValueError):
        analyzer.analyze(["a", "b"], ["it"])


# ---------------------------------------------------------------- edge cases and contract
def test_none_empty_and_emoji_only(analyzer: SentimentAnalyzer) -> None:
    out = analyzer.analyze([None, "", "   ", "😍😍", "👎", "🤔"])
    assert out[0] == out[1] == out[2] == Sentiment(language=None, label="neutral", score=0.0)
    assert [s.language for s in out[3:]] == [None, None, None]
    assert [s.label for s in out[3:]] == ["positive", "negative", "neutral"]
    assert analyzer.analyze([]) == []


def test_scores_in_range_and_consistent_with_labels(analyzer: SentimentAnalyzer) -> None:
    texts = [r.text for lang in LANGS for r in load_corpus("eval", lang)]
    for s in analyzer.analyze(texts):
        assert -1.0 <= s.score <= 1.0
        assert s.label in LABELS
        if s.label == "positive":
            assert s.score > 0
        elif s.label == "negative":
            assert s.score < 0
        else:
            assert abs(s.score) <= 0.5


def test_deterministic(analyzer: SentimentAnalyzer) -> None:
    texts = [r.text for lang in LANGS for r in load_corpus("eval", lang)][::3] + [None, "😍"]
    first = analyzer.analyze(texts)
    assert analyzer.analyze(texts) == first
    assert SentimentAnalyzer().analyze(texts) == first  # retraining gives the same model


def test_duplicates_and_order_are_preserved(analyzer: SentimentAnalyzer) -> None:
    texts = ["Sedia pessima", "Sedia ottima", "Sedia pessima", None, "Sedia ottima"]
    out = analyzer.analyze(texts)
    assert [s.label for s in out] == ["negative", "positive", "negative", "neutral", "positive"]
    assert out[0] == out[2]


def test_model_version() -> None:
    assert isinstance(MODEL_VERSION, str) and MODEL_VERSION.startswith("lexlogreg-")
