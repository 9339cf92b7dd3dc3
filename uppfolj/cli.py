"""The `uppfolj` command: the project's management command with its own subcommands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `uppfolj SUBCOMMAND …` as django-admin with the project's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppfolj.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["uppfolj", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
