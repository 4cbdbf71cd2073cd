"""The labelled texts shipped with the package (training and evaluation sets).

Files live in ``data/`` as tab-separated values with a header ``text, label, kind``;
no quoting, one text per line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
KINDS: frozenset[str] = frozenset({"review", "social_comment", "mention", "nps_verbatim"})
SPLITS: tuple[str, ...] = ("train", "eval")


@dataclass(frozen=True)
class LabelledText:
    """One labelled example."""

    text: str
    label: str
    kind: str


def corpus_path(split: str, lang: str) -> Path:
    """Path of ``data/{split}_{lang}.tsv``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    return DATA_DIR / f"{split}_{lang}.tsv"


def load_corpus(split: str, lang: str) -> list[LabelledText]:
    """Read and validate one labelled file."""
    path = corpus_path(split, lang)
    rows: list[LabelledText] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for n, row in enumerate(reader, start=2):
            item = LabelledText(row["text"].strip(), row["label"].strip(), row["kind"].strip())
            if not item.text or item.label not in LABELS or item.kind not in KINDS:
                raise ValueError(f"{path.name}:{n}: bad row {row!r}")
            rows.append(item)
    return rows
