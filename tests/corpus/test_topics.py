"""Topic cues: the words in a question that point at a corpus topic."""

from __future__ import annotations

import pytest

from bot.config import ROOT
from bot.corpus.documents import load_corpus
from bot.corpus.topics import TOPIC_CUES, topic_cues


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("got these from a guy on snap, are they legit", "counterfeit-pills"),
        ("what does one line on the strip mean", "fentanyl-test-strips"),
        ("just got out of jail, is my usual amount ok", "loss-of-tolerance"),
        ("is it ok if i use by myself", "never-use-alone"),
        ("will the cops arrest me if i call", "good-samaritan"),
        ("what are these sores from tranq", "xylazine"),
        ("can i store narcan in my car in the heat", "naloxone-storage"),
        ("how do i put someone in the recovery position", "recovery-position"),
        ("¿la policía me puede arrestar?", "good-samaritan"),
    ],
)
def test_cue_words_point_at_their_topic(question: str, topic: str) -> None:
    assert topic in topic_cues(question)


@pytest.mark.parametrize("question", ["what is naloxone", "how long does a high last"])
def test_questions_without_cues_point_nowhere(question: str) -> None:
    assert topic_cues(question) == frozenset()


def test_every_cued_topic_is_a_corpus_topic() -> None:
    tagged = {str(t) for doc in load_corpus(ROOT / "corpus") for t in doc.meta.get("topics") or ()}
    assert set(TOPIC_CUES) <= tagged
