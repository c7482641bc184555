"""Demo letters (being built)."""

from collections import Counter


def load_letters() -> Counter:
    return Counter()
