from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stocktake.search.models import SearchDocument
from stocktake.search.services import search_index_rebuild
from stocktake.vocabularies.services import VocabularyDataError, vocabulary_load_all


class Command(BaseCommand):
    help = "Load (or update) every vocabulary and crosswalk from the data files. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, help="Folder of data files to load.")

    def handle(self, *args, data_dir=None, **options):
        try:
            report = vocabulary_load_all(data_dir=data_dir)
        except VocabularyDataError as exc:
            raise CommandError("The vocabulary data is not loadable:\n" + str(exc)) from exc
        verbosity = options["verbosity"]
        # Entries are indexed with their terms' labels and broader terms: bring them along.
        if report.changed and SearchDocument.objects.exists():
            indexed = search_index_rebuild()
            if verbosity:
                self.stdout.write(f"Search index rebuilt for the new labels: {indexed} entries.")
        if verbosity == 0:
            return
        for kind, entries in (("scheme", report.schemes), ("crosswalk", report.crosswalks)):
            for identifier, c in entries.items():
                if verbosity < 2 and not c.changed:
                    continue
                self.stdout.write(
                    f"{kind} {identifier}: {c.created} created, {c.updated} updated, "
                    f"{c.deprecated} deprecated/removed, {c.unchanged} unchanged"
                )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Vocabularies loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Vocabularies already up to date."))
