"""Search: encoders, the index and hybrid retrieval."""
