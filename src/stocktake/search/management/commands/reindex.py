from django.core.management.base import BaseCommand
from tqdm import tqdm

from stocktake.initiatives.selectors import published_initiatives
from stocktake.search.services import search_index_rebuild, search_postings_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the published entries."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--common-terms",
            action="store_true",
            help="only choose the common terms afresh and write their ready matches "
            "(under a minute at 100,000 entries, where a whole rebuild takes several)",
        )

    def handle(self, *args, batch_size, no_progress, common_terms, **options):
        if common_terms:
            count = search_postings_rebuild()
            self.stdout.write(self.style.SUCCESS(f"Wrote the ready matches of {count} terms."))
            return
        total = published_initiatives().count()
        with tqdm(total=total, unit="entries", disable=no_progress) as bar:
            indexed = search_index_rebuild(batch_size=max(1, batch_size), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} published entries."))
