"""The card classifier: fitted on asks with scikit-learn, applied with numpy, cached by what it was fitted on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.config import ROOT
from bot.lexicon import expand
from bot.loader import load_index
from bot.search import cardmodel
from bot.search.cardmodel import CardModel
from bot.search.cards import card_scores, read_cards_index
from bot.search.encoders.hash import HashEncoder
from bot.tuning import CARD_MODEL_WEIGHT

ASKS = {
    3: ["how do i use narcan", "narcan steps", "how to give naloxone spray", "hw do u use narcan nasal spray"],
    5: ["where do i get test strips", "fentanyl test strips near me", "free fent strips", "who gives out test strips"],
    8: ["how do i get rid of old pills", "drug take back day", "throw away leftover opioids", "dispose of meds"],
}


def _data() -> tuple[list[str], list[int]]:
    texts = [t for ts in ASKS.values() for t in ts]
    labels = [card for card, ts in ASKS.items() for _ in ts]
    return texts, labels


@pytest.fixture(scope="module")
def model() -> CardModel:
    return cardmodel.fit(*_data())


def test_probabilities_cover_the_fitted_cards_only(model: CardModel) -> None:
    probs = model.probabilities("how do i use narcan", 10)
    assert probs.shape == (10,)
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)
    assert set(np.flatnonzero(probs)) == {3, 5, 8}


@pytest.mark.parametrize(
    ("question", "card"),
    [("how do I use narcn", 3), ("wher can i get fentanyl strips", 5), ("gettin rid of my dads old pills", 8)],
)
def test_a_misspelt_or_reworded_question_gets_its_card(model: CardModel, question: str, card: int) -> None:
    assert int(np.argmax(model.probabilities(question, 10))) == card


def test_a_question_with_no_known_gram_gets_the_prior(model: CardModel) -> None:
    # No gram in the vocabulary: the intercepts alone, so every fitted card keeps some probability.
    probs = model.probabilities("§§§", 10)
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)
    assert (probs[[3, 5, 8]] > 0).all()


def test_numpy_probabilities_equal_scikit_learns(model: CardModel) -> None:
    texts, labels = _data()
    vectorizer = TfidfVectorizer(
        analyzer=cardmodel.NGRAMS[0],
        ngram_range=cardmodel.NGRAMS[1:],
        strip_accents="unicode",
        lowercase=True,
        sublinear_tf=True,
        min_df=cardmodel.MIN_DF,
    )
    classifier = LogisticRegression(C=cardmodel.C, max_iter=cardmodel.MAX_ITER).fit(
        vectorizer.fit_transform(texts), labels
    )
    questions = ["how do I use narcan", "take back day near me", "fent strips free", "¿dónde tiro las pastillas?"]
    want = classifier.predict_proba(vectorizer.transform(questions))
    for question, row in zip(questions, want, strict=True):
        got = model.probabilities(question, 10)[classifier.classes_]
        np.testing.assert_allclose(got, row, atol=1e-5)


def test_two_cards_are_told_apart_too() -> None:
    texts = ASKS[3] + ASKS[8]
    labels = [3] * 4 + [8] * 4
    two = cardmodel.fit(texts, labels)
    assert two.weights.shape[0] == 2
    assert int(np.argmax(two.probabilities("narcan nasal spray steps", 10))) == 3
    assert int(np.argmax(two.probabilities("take back leftover pills", 10))) == 8


def test_save_then_load_gives_the_same_model(model: CardModel, tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    cardmodel.save(model, path)
    loaded = cardmodel.load(path)
    assert loaded.vocabulary == model.vocabulary
    np.testing.assert_array_equal(loaded.labels, model.labels)
    for question in ("narcan steps", "old pills"):
        np.testing.assert_array_equal(loaded.probabilities(question, 10), model.probabilities(question, 10))


def test_a_model_of_another_version_or_shape_is_refused(model: CardModel, tmp_path: Path) -> None:
    path = tmp_path / "m.npz"
    cardmodel.save(model, path)
    with np.load(path) as data:
        arrays = dict(data)
    np.savez(tmp_path / "old.npz", **{**arrays, "meta": np.array('{"version": 0, "ngrams": []}')})
    np.savez(tmp_path / "cut.npz", **{**arrays, "weights": arrays["weights"][:, :5]})
    with pytest.raises(ValueError, match="version"):
        cardmodel.load(tmp_path / "old.npz")
    with pytest.raises(ValueError, match="n-grams"):
        cardmodel.load(tmp_path / "cut.npz")


def test_the_cache_saves_refitting_until_an_ask_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    texts, labels = _data()
    first = cardmodel.fitted(texts, labels, "en", tmp_path)
    assert first is not None
    assert len(list(tmp_path.glob("card-model-en-*.npz"))) == 1

    def no_fit(*_: object) -> CardModel:
        raise AssertionError("refitted although the asks did not change")

    monkeypatch.setattr(cardmodel, "fit", no_fit)
    again = cardmodel.fitted(texts, labels, "en", tmp_path)
    assert again is not None and again.vocabulary == first.vocabulary
    monkeypatch.undo()
    changed = cardmodel.fitted([*texts, "narcan how to"], [*labels, 3], "en", tmp_path)
    assert changed is not None
    # The older model of the language is replaced, not kept beside the new one.
    assert len(list(tmp_path.glob("card-model-en-*.npz"))) == 1


def test_a_damaged_cache_file_is_refitted(tmp_path: Path) -> None:
    texts, labels = _data()
    cardmodel.fitted(texts, labels, "es", tmp_path)
    (cached,) = tmp_path.glob("card-model-es-*.npz")
    cached.write_bytes(b"not a model")
    assert cardmodel.fitted(texts, labels, "es", tmp_path) is not None
    assert cardmodel.load(cached).weights.shape[0] == 3


def test_one_card_has_nothing_to_tell_apart(tmp_path: Path) -> None:
    assert cardmodel.fitted(ASKS[3], [3] * 4, "en", tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_the_built_index_holds_a_model_per_language(built_data_dir: Path) -> None:
    cards = load_index(built_data_dir / "index", ROOT / "corpus", HashEncoder().name).cards
    assert set(cards.models) == {"en", "es"}
    for lang, model in cards.models.items():
        # Each language's model names that language's cards, every one of them.
        assert {cards.cards[i].language for i in model.labels} == {lang}
        assert len(model.labels) == sum(c.language == lang for c in cards.cards)


def test_card_scores_add_the_weighted_probability(built_data_dir: Path) -> None:
    cards = read_cards_index((built_data_dir / "index").resolve())
    question = "como uso el narcn"
    expanded = expand(question, "es")
    vector = HashEncoder().encode([expanded])[0]
    with_model = card_scores(cards, vector, expanded, "es")
    model = cards.models.pop("es")
    without = card_scores(cards, vector, expanded, "es")
    probs = model.probabilities(expanded, len(cards.cards))
    np.testing.assert_allclose(with_model - without, CARD_MODEL_WEIGHT * probs, atol=1e-5)
    assert cards.cards[int(np.argmax(probs))].language == "es"


def test_an_index_whose_model_names_missing_cards_is_refused(
    model: CardModel, built_data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    for path in (built_data_dir / "index").resolve().iterdir():
        target = folder / path.name
        target.symlink_to(path, target_is_directory=path.is_dir())
    (folder / "card_model_en.npz").unlink()
    far = CardModel(model.vocabulary, model.idf, model.weights, model.intercept, np.array([0, 1, 10**6]))
    cardmodel.save(far, folder / "card_model_en.npz")
    with pytest.raises(ValueError, match="card model"):
        read_cards_index(folder)
