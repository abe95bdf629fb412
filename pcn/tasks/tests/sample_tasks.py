"""Tiny task functions for the tests, registered when a test module imports this one."""

import os
import signal
import time

from django.utils.translation import get_language

from pcn.tasks.registry import TaskError, register


@register("tests.write_lines")
def write_lines(progress, *, count: int, filename: str = "lignes.txt") -> None:
    progress.set_total(count)
    with progress.open_result(filename) as out:
        for number in range(1, count + 1):
            out.write(f"ligne {number}\n".encode())
            progress.advance()


@register("tests.explode")
def explode(progress, *, secret: str = "kaboom") -> None:
    progress.set_total(4)
    out = progress.open_result("à-moitié.txt")
    out.write(b"half")
    progress.advance(2)
    raise RuntimeError(f"internal detail {secret}")


@register("tests.refuse")
def refuse(progress) -> None:
    raise TaskError("La série 3 a été annulée : il n'y a plus rien à imprimer.")


@register("tests.interrupted")
def interrupted(progress) -> None:
    raise KeyboardInterrupt


@register("tests.language")
def language(progress) -> None:
    with progress.open_result("langue.txt") as out:
        out.write(get_language().encode())


@register("tests.stop_the_worker")
def stop_the_worker(progress) -> None:
    """Asks its own worker to stop (as systemd would), then finishes its work."""
    os.kill(os.getpid(), signal.SIGTERM)
    progress.set_total(2)
    progress.advance(2)


@register("tests.slow")
def slow(progress, *, steps: int = 12, pause: float = 0.2) -> None:
    progress.set_total(steps)
    with progress.open_result("lent.txt") as out:
        for number in range(steps):
            time.sleep(pause)
            out.write(f"{number}\n".encode())
            progress.advance()
