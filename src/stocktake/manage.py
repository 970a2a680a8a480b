"""The `stocktake` console script: Django's management entry point."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings.development")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A wrong setting stops start-up with the message alone, not a traceback.
        sys.stderr.write(f"stocktake: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
