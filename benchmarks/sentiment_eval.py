"""Evaluate the sentiment analyzer (dagster_project/analytics/sentiment).

1. Held-out evaluation sets (data/eval_{it,en}.tsv), per language: n, accuracy,
   macro-F1, per-class precision/recall, confusion matrix; also with the
   language taken from detection instead of the known language.
2. Throughput on 100,000 texts made by the project's text generator
   (seeds/generator/texts.py), once as generated (duplicates are scored once)
   and once with every text made distinct; plus agreement with the sentiment
   the generator intended for comments and mentions.
3. Agreement on the bundled extracts (seeds/bundled): review stars
   (1-2 negative, 3 neutral, 4-5 positive) and NPS categories
   (0-6 detractor = negative, 7-8 passive = neutral, 9-10 promoter = positive).

    .venv/bin/python benchmarks/sentiment_eval.py [--texts 100000]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from dagster_project.analytics.sentiment import MODEL_VERSION, SentimentAnalyzer
from dagster_project.analytics.sentiment.corpus import LABELS, load_corpus
from seeds.generator.texts import MIX, NEG, NEU, POS, TextGen

BUNDLED = Path(__file__).resolve().parents[1] / "seeds" / "bundled"


def report(name: str, gold: Sequence[str], pred: Sequence[str]) -> None:
    """Print accuracy, macro-F1, per-class precision/recall and the confusion matrix."""
    acc = accuracy_score(gold, pred)
    macro = f1_score(gold, pred, labels=list(LABELS), average="macro", zero_division=0)
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(LABELS), zero_division=0)
    print(f"\n{name}: n={len(gold)}  accuracy={acc:.3f}  macro-F1={macro:.3f}")
    print(f"  {'class':<9} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>5}")
    for i, lbl in enumerate(LABELS):
        print(f"  {lbl:<9} {p[i]:9.3f} {r[i]:7.3f} {f[i]:6.3f} {s[i]:5d}")
    cm = confusion_matrix(gold, pred, labels=list(LABELS))
    print("  confusion (rows = gold, columns = predicted: " + ", ".join(LABELS) + ")")
    for i, lbl in enumerate(LABELS):
        print(f"  {lbl:<9} " + " ".join(f"{v:5d}" for v in cm[i]))


def evaluate_eval_sets(analyzer: SentimentAnalyzer) -> None:
    print("=" * 72 + "\n1. Held-out evaluation sets\n" + "=" * 72)
    for lang in ("it", "en"):
        rows = load_corpus("eval", lang)
        texts = [r.text for r in rows]
        gold = [r.label for r in rows]
        hinted = analyzer.analyze(texts, [lang] * len(texts))
        report(f"[{lang}] language given", gold, [s.label for s in hinted])
        detected = analyzer.analyze(texts)
        langs = [s.language for s in detected]
        lang_acc = np.mean([x == lang for x in langs])
        undetermined = sum(x is None for x in langs)
        f1 = f1_score(gold, [s.label for s in detected], labels=list(LABELS), average="macro")
        print(
            f"  with detected language: macro-F1={f1:.3f}; language detection accuracy={lang_acc:.3f} "
            f"({undetermined} undetermined)"
        )
        by_kind = pd.DataFrame(
            {"kind": [r.kind for r in rows], "ok": [g == s.label for g, s in zip(gold, hinted, strict=False)]}
        )
        print(
            "  accuracy by kind: " + ", ".join(f"{k}={v:.2f}" for k, v in by_kind.groupby("kind")["ok"].mean().items())
        )


def generated_corpus(n: int, seed: int = 7) -> tuple[list[str], list[str | None], list[str]]:
    """``n`` texts from the project's generator: (texts, declared language or None, intended sentiment or '')."""
    rng = random.Random(seed)
    gen = TextGen(random.Random(seed + 1))
    ctx = {"product": "la sedia ErgoPro", "campaign": "Black Friday", "city": "Milano", "country": "Switzerland"}
    texts: list[str] = []
    hints: list[str | None] = []
    intended: list[str] = []
    for _ in range(n):
        lang = rng.choice(("it", "it", "en"))
        kind = rng.random()
        if kind < 0.35:
            s = rng.choice((POS, NEU, NEG, MIX))
            texts.append(gen.comment(lang, s, ctx))
            hints.append(None)
            intended.append(s if s != MIX else "")
        elif kind < 0.6:
            s = rng.choice((POS, NEU, NEG, MIX))
            texts.append(gen.mention(lang, s, ctx))
            hints.append(None)
            intended.append(s if s != MIX else "")
        elif kind < 0.8:
            title, body = gen.review(lang, rng.randint(1, 5), "chairs", (), "la sedia", ctx)
            texts.append(body)
            hints.append(lang)
            intended.append("")
        else:
            texts.append(gen.nps(lang, rng.randint(0, 10), (), ctx))
            hints.append(None)
            intended.append("")
    return texts, hints, intended


def throughput(analyzer: SentimentAnalyzer, n: int) -> None:
    print("\n" + "=" * 72 + f"\n2. Throughput on {n:,} generated texts (one process, one thread)\n" + "=" * 72)
    texts, hints, intended = generated_corpus(n)
    t = time.perf_counter()
    out = analyzer.analyze(texts, hints)
    dt = time.perf_counter() - t
    print(f"as generated ({len(set(texts)):,} distinct): {dt:.1f} s = {n / dt:,.0f} texts/s")
    distinct = [f"{x} #{i}" for i, x in enumerate(texts)]
    t = time.perf_counter()
    analyzer.analyze(distinct, hints)
    dt = time.perf_counter() - t
    print(f"all {n:,} distinct:        {dt:.1f} s = {n / dt:,.0f} texts/s")
    pairs = [(g, s.label) for g, s in zip(intended, out, strict=False) if g]
    agree = np.mean([g == p for g, p in pairs])
    print(
        f"agreement with the generator's intended sentiment (comments + mentions, mixed excluded): "
        f"{agree:.3f} on {len(pairs):,} texts"
    )
    report("generator comments + mentions", [g for g, _ in pairs], [p for _, p in pairs])


def bundled_agreement(analyzer: SentimentAnalyzer) -> None:
    print("\n" + "=" * 72 + "\n3. Agreement on the bundled extracts\n" + "=" * 72)
    reviews = pd.read_csv(BUNDLED / "reviews_product_reviews" / "product_reviews.csv.gz")
    reviews = reviews[reviews["body"].notna()]
    res = analyzer.analyze(reviews["body"].tolist(), reviews["language"].tolist())
    stars = reviews["rating"].map(lambda r: "negative" if r <= 2 else ("neutral" if r == 3 else "positive"))
    report("reviews: body vs star rating", stars.tolist(), [s.label for s in res])
    scores = np.array([s.score for s in res])
    print(
        "  Spearman(score,"
        f" rating) = {pd.Series(scores).corr(reviews['rating'].reset_index(drop=True), method='spearman'):.3f}"
    )
    titles = analyzer.analyze(reviews["title"].fillna("").tolist(), reviews["language"].tolist())
    report("reviews: title vs star rating", stars.tolist(), [s.label for s in titles])

    nps = pd.read_csv(BUNDLED / "survey_nps_responses" / "nps_responses.csv.gz")
    nps = nps[nps["verbatim"].notna()].reset_index(drop=True)
    res = analyzer.analyze(nps["verbatim"].tolist())
    cats = nps["score"].map(lambda s: "negative" if s <= 6 else ("neutral" if s <= 8 else "positive"))
    report("NPS verbatim vs category (detractor/passive/promoter)", cats.tolist(), [s.label for s in res])
    print(
        f"  Spearman(score, NPS score) = {pd.Series([s.score for s in res]).corr(nps['score'], method='spearman'):.3f}"
    )

    for folder, file, col in (("social_comments", "comments", "text"), ("social_mentions", "mentions", "text")):
        df = pd.read_csv(BUNDLED / folder / f"{file}.csv.gz")
        res = analyzer.analyze(df[col].tolist())
        dist = pd.Series([s.label for s in res]).value_counts(normalize=True).round(3).to_dict()
        langs = pd.Series([s.language for s in res]).value_counts(dropna=False).to_dict()
        print(f"\n{file}: n={len(df)} label distribution {dist}; languages {langs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=100_000, help="texts for the throughput test")
    args = parser.parse_args()
    t = time.perf_counter()
    analyzer = SentimentAnalyzer()
    print(f"model {MODEL_VERSION}; trained on {analyzer.training_sizes} texts in {time.perf_counter() - t:.2f} s")
    evaluate_eval_sets(analyzer)
    throughput(analyzer, args.texts)
    bundled_agreement(analyzer)


if __name__ == "__main__":
    main()
