"""Writes the demo marketing: surveys with their responses (being built)."""

from collections import Counter


def load_marketing() -> Counter:
    return Counter()
