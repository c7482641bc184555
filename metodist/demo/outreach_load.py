"""Writes the demo outreach projects: Knigonosha and Orange windows (being built)."""

from collections import Counter


def load_outreach() -> Counter:
    return Counter()
