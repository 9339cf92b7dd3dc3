"""A one-line progress bar on standard error for the long-running commands."""

from __future__ import annotations

import time

from django.core.management.base import OutputWrapper


class Progress:
    """A one-line progress bar on standard error."""

    def __init__(self, stream: OutputWrapper, enhet: str = "ärenden"):
        self.stream = stream
        self.enhet = enhet
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            # Told before the work starts (a later phase of the command): time from here.
            self.started = time.monotonic()
        width = 30
        filled = width * done // total
        rate = done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{' ' * (width - filled)}] {done:,}/{total:,} {self.enhet}, "
            f"{rate:,.0f} ärenden/s".replace(",", " "),
            ending="",
        )
        if done == total:
            self.stream.write("")
        self.stream.flush()
