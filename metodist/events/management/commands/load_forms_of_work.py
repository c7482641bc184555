"""`manage.py load_forms_of_work`: add the shipped forms of work that are missing from the catalogue.

Safe to run at every upgrade: forms that exist (by code) are left exactly as an administrator left them.
"""

from django.core.management.base import BaseCommand

from metodist.events.catalogue import catalogue_load


class Command(BaseCommand):
    help = (
        "Add the shipped forms of work that are missing from the catalogue; existing forms are not changed."
    )

    def handle(self, *args, **options):
        created = catalogue_load()
        self.stdout.write(
            f"Forms of work added: {created['forms']}, relations: {created['relations']}, "
            f"scenarios: {created['scenarios']}."
        )
