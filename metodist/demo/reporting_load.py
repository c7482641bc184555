"""Demo reporting (being built)."""

from collections import Counter


def load_reporting() -> Counter:
    return Counter()
