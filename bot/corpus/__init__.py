"""The curated corpus: documents, passages, sources, validation, statistics and ingest."""
