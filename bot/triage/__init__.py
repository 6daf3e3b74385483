"""Triage before retrieval: rules, labelled examples, the decision and the fixed replies."""
