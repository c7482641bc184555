"""Signals other apps listen to (the registry knows no other app)."""

from django.dispatch import Signal

# Sent after a unit (with its subtree) moved: `old_path` and `new_path` are the unit's paths.
unit_moved = Signal()
