"""`BOT_ENCODER=hash`: deterministic unit vectors from hashed tokens."""

from __future__ import annotations

import numpy as np
import pytest

from bot.search.encoders.hash import HashEncoder


def test_vectors_are_unit_rows_of_the_dimension() -> None:
    vectors = HashEncoder().encode(["how do i use narcan", "¿qué es la naloxona?", ""])
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, rtol=1e-6)
    assert not vectors[2].any()


def test_the_same_text_gets_the_same_vector_in_every_encoder() -> None:
    a, b = HashEncoder().encode(["fentanyl test strips"]), HashEncoder().encode(["fentanyl test strips"])
    np.testing.assert_array_equal(a, b)


def test_accents_and_case_do_not_matter() -> None:
    a, b = HashEncoder().encode(["Naloxóna"]), HashEncoder().encode(["naloxona"])
    np.testing.assert_array_equal(a, b)


def test_name_says_the_dimension() -> None:
    assert HashEncoder(64).name == "hash-64"
    assert HashEncoder(64).encode(["x"]).shape == (1, 64)


@pytest.mark.parametrize("dim", [0, -3])
def test_non_positive_dimension_is_refused(dim: int) -> None:
    with pytest.raises(ValueError, match="dim must be positive"):
        HashEncoder(dim)
