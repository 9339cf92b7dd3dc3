"""Reading timeline files for the command line: JSON from files or standard input."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from uppfolj.domain.timeline import TimelineError


class InputError(Exception):
    """Bad input: exit status 2 and a message naming the file, case and event."""


class InputCommand(BaseCommand):
    """A command whose bad input ends in one line on standard error and exit status 2."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except InputError as error:
            name = self.__module__.rsplit(".", 1)[-1]
            self.stderr.write(f"uppfolj {name}: {error}")
            sys.exit(2)


def read_cases(path: str) -> list[Any]:
    """Return the case objects in a file (or `-` for standard input) as a list."""
    name = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        raise InputError(f"{name}: kan inte läsas: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: filen är inte UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name}: ogiltig JSON på rad {error.lineno}, kolumn {error.colno}: {error.msg}"
        ) from None
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise InputError(f"{name}: ska innehålla ett ärende (JSON-objekt) eller en lista av ärenden")


def describe_error(name: str, position: int | None, error: TimelineError) -> str:
    """Return the one-line message for a bad case in file `name`."""
    where = [name if name != "-" else "<stdin>"]
    if error.case_id is None and position is not None:
        where.append(f"ärende [{position}]")
    return ": ".join([*where, error.describe()])
