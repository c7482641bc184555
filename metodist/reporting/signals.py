"""Keep the copies of unit paths in `Value` true when a unit moves in the tree."""

from django.db.models import F
from django.db.models import Value as V
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from metodist.network.signals import unit_moved


@receiver(unit_moved)
def rewrite_value_paths(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    from metodist.reporting.models import Value
    from metodist.reporting.selectors import path_range

    low, high = path_range(old_path)
    Value.objects.filter(unit_path__gte=low, unit_path__lt=high).update(
        unit_path=Concat(V(new_path), Substr(F("unit_path"), len(old_path) + 1))
    )
