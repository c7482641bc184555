"""Demo coordination (being built)."""

from collections import Counter


def load_coordination() -> Counter:
    return Counter()
