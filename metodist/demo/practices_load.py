"""Demo practices (being built)."""

from collections import Counter


def load_practices() -> Counter:
    return Counter()
