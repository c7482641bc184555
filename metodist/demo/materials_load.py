"""Demo materials (being built)."""

from collections import Counter


def load_materials() -> Counter:
    return Counter()
