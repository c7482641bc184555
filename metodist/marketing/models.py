"""Marketing: surveys of readers and non-readers (being built)."""
