"""Keep the copies of unit paths in `Value` true when a unit moves in the tree."""

from django.db.models import F
from django.db.models import Value as V
from django.db.models.functions import Concat, Substr
from django.dispatch import receiver

from metodist.network.signals import unit_moved


@receiver(unit_moved)
def rewrite_value_paths(sender, *, old_path: str, new_path: str, **kwargs) -> None:
    from metodist.reporting.models import Value
    from metodist.reporting.selectors import in_subtree

    Value.objects.filter(in_subtree("unit_path", old_path)).update(
        unit_path=Concat(V(new_path), Substr(F("unit_path"), len(old_path) + 1))
    )
