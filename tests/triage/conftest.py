"""A toy triage training set, small enough to fit in well under a second, and the model trained on it."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pytest

from bot.search.encoders.hash import HashEncoder
from bot.triage.augment import augment
from bot.triage.model import KINDS, TriageModel
from bot.triage.train import SEED, Report, train

PHRASES = {
    "emergency": ["is not breathing", "has blue lips", "wont wake up", "passed out cold", "is turning blue"],
    "crisis": ["want to die", "end my life tonight", "no reason to live", "wrote a goodbye letter", "hurt myself"],
    "refusal": ["press my own pills", "cook meth at home", "sell dope fast", "cut fentanyl", "cheat a drug test"],
    "out_of_scope": ["weather tomorrow", "football score", "pizza recipe", "movie tonight", "math homework"],
    "answer": [
        "what is naloxone",
        "fentanyl test strips",
        "how long withdrawal lasts",
        "treatment near me",
        "mix alcohol",
    ],
}
FILLERS = ["please", "my friend", "right now", "today", "ok", "hey", "quick question"]
PER_KIND = 12


@dataclass(frozen=True)
class Toy:
    """What `train` takes: texts (originals first, then noisy copies), labels, vectors and groups."""

    texts: list[str]
    labels: list[str]
    vectors: np.ndarray
    groups: list[int]
    originals: int


def make_toy(seed: int = 7) -> Toy:
    rng = random.Random(seed)
    texts: list[str] = []
    labels: list[str] = []
    for kind in KINDS:
        for _ in range(PER_KIND):
            a, b = rng.sample(PHRASES[kind], 2)
            texts.append(f"{rng.choice(FILLERS)} {a} {rng.choice(FILLERS)} {b}")
            labels.append(kind)
    copies = augment(texts, SEED)
    originals = len(texts)
    groups = list(range(originals)) + [i for i, _ in copies]
    all_texts = texts + [c for _, c in copies]
    all_labels = labels + [labels[i] for i, _ in copies]
    return Toy(all_texts, all_labels, HashEncoder().encode(all_texts), groups, originals)


@pytest.fixture(scope="session")
def toy() -> Toy:
    return make_toy()


@pytest.fixture(scope="session")
def toy_trained(toy: Toy) -> tuple[TriageModel, Report]:
    return train(toy.texts, toy.labels, toy.vectors, toy.groups, toy.originals)


@pytest.fixture(scope="session")
def toy_model(toy_trained: tuple[TriageModel, Report]) -> TriageModel:
    return toy_trained[0]
