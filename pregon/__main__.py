"""The `pregon` console script: every Django management command."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pregon.settings")
    # After the settings module is named: Django reads it while loading.
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - see above

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
