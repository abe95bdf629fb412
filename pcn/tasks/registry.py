"""The functions a background task may run, by name.

Each app puts its long work in its own `tasks.py`:

    from pcn.tasks.registry import register

    @register("coupons.print_series")
    def print_series(progress, *, series_id: int) -> None:
        series = Series.objects.get(pk=series_id)
        progress.set_total(series.coupon_count)
        with progress.open_result(f"coupons-serie-{series.number}.pdf") as out:
            for chunk in ...:
                out.write(...)
                progress.advance(len(chunk))

The function receives a `pcn.tasks.services.Progress` and the task's keyword arguments (plain JSON:
ids, strings, numbers; never model instances). It runs in the worker, outside any transaction: keep its
own transactions short (one per batch), so that progress shows and locks stay short. Raising
`TaskError(message)` ends the task with that message for the user; any other exception ends it with a
generic message, and the traceback goes to the log.

`pcn.<app>.tasks` modules are imported on first use (autodiscover), so the worker and the web process
find every function without importing them by hand.
"""

from collections.abc import Callable
from importlib import import_module
from threading import Lock

from django.apps import apps
from django.utils.module_loading import module_has_submodule

TaskFunction = Callable[..., None]

_functions: dict[str, TaskFunction] = {}
_discovered = False
_discover_lock = Lock()


class UnknownTask(LookupError):
    """No function is registered under this name (a programming error, not a user's)."""


class TaskError(Exception):
    """Raised by a task function to end the task with a message meant for the user (plain French,
    through gettext so that it can be translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def register(name: str) -> Callable[[TaskFunction], TaskFunction]:
    """Register `fn(progress, **kwargs)` under `name` ("<app>.<verb_noun>")."""

    def decorator(fn: TaskFunction) -> TaskFunction:
        existing = _functions.get(name)
        if existing is not None and _identity(existing) != _identity(fn):
            raise ValueError(f"two task functions are registered as {name!r}: {_identity(existing)} and {_identity(fn)}")
        _functions[name] = fn
        return fn

    return decorator


def _identity(fn: TaskFunction) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def autodiscover() -> None:
    """Import `tasks.py` of every installed pcn app, once."""
    global _discovered
    if _discovered:
        return
    with _discover_lock:
        if _discovered:
            return
        for config in apps.get_app_configs():
            if config.name.startswith("pcn.") and module_has_submodule(config.module, "tasks"):
                import_module(f"{config.name}.tasks")
        _discovered = True


def get_function(name: str) -> TaskFunction:
    autodiscover()
    try:
        return _functions[name]
    except KeyError:
        raise UnknownTask(f"no task function is registered as {name!r}") from None


def is_registered(name: str) -> bool:
    autodiscover()
    return name in _functions


def registered_names() -> list[str]:
    autodiscover()
    return sorted(_functions)
