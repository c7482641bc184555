"""Demo plans (being built)."""

from collections import Counter


def load_plans() -> Counter:
    return Counter()
