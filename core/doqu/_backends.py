"""What plugins offer: where each came from, and the backends they declare, checked.

A backend spec is checked when its plugin answers ``doqu_backends``; its adapter is imported
and checked on first use, so listing plugins stays cheap.
"""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from ._capabilities import Capabilities
from ._hookspecs import BackendSpec
from ._storage import StorageAdapter
from ._url import SCHEME
from .errors import PluginConflictError, PluginError, PluginLoadError, PluginValidationError

__all__ = ["Backend", "Source", "checked_spec", "find_conflicts", "install_hint", "load_adapter"]

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*")


@dataclass(frozen=True, slots=True)
class Source:
    """Where a plugin came from."""

    name: str
    distribution: str | None = None
    version: str | None = None
    entry_point: str | None = None

    def __str__(self) -> str:
        where = (
            "registered in-process"
            if self.distribution is None
            else f"distribution {self.distribution} {self.version}"
        )
        return f"doqu plugin {self.name!r} ({where})"

    @property
    def fix(self) -> str:
        """What the user can do about a broken plugin."""
        if self.distribution is None:
            return "fix the plugin"
        return f"fix the plugin or uninstall it (pip uninstall {self.distribution})"


@dataclass(slots=True)
class Backend:
    """A backend a plugin offers, with what became of it."""

    spec: BackendSpec
    source: Source
    adapter: type[StorageAdapter] | None = None
    adapter_error: PluginError | None = None
    #: another backend claims the same name or scheme.
    conflict: PluginConflictError | None = None

    @property
    def problem(self) -> PluginError | None:
        """Why the backend cannot be used, if it cannot."""
        return self.conflict or self.adapter_error

    def __str__(self) -> str:
        return f"backend {self.spec.name!r} of {self.source}"


def checked_spec(spec: BackendSpec, source: Source) -> BackendSpec:
    """``spec`` with its schemes lower-cased, or ``PluginValidationError`` saying what is wrong."""
    problem = None
    schemes: Any = spec.schemes
    if not isinstance(spec.name, str) or not _NAME.fullmatch(spec.name):
        problem = (
            f"has an invalid name {spec.name!r}; a backend name is a letter followed by "
            "letters, digits, '_', '.', '+' or '-'"
        )
    elif isinstance(schemes, str):
        problem = f"gives schemes={schemes!r}, a str; write a tuple: schemes=({schemes!r},)"
    elif not isinstance(schemes, tuple | list) or not schemes:
        problem = f"gives schemes={schemes!r}; write a non-empty tuple of URL schemes"
    else:
        bad = [s for s in schemes if not (isinstance(s, str) and SCHEME.fullmatch(s))]
        if bad:
            problem = (
                f"gives invalid URL scheme(s) {', '.join(map(repr, bad))}; a scheme is a "
                "letter followed by letters, digits, '+', '-' or '.'"
            )
    if problem:
        raise PluginValidationError(
            f"{source}: backend {spec.name!r} {problem}", plugin=source.name
        )
    return replace(spec, schemes=tuple(dict.fromkeys(s.lower() for s in schemes)))


def find_conflicts(backends: list[Backend]) -> list[PluginConflictError]:
    """Mark every backend whose name or scheme another backend claims too; return the conflicts."""
    claims: defaultdict[tuple[str, str], list[Backend]] = defaultdict(list)
    for backend in backends:
        claims["backend name", backend.spec.name.lower()].append(backend)
        for scheme in backend.spec.schemes:
            claims["URL scheme", scheme].append(backend)
    conflicts = []
    for (what, value), claimants in claims.items():
        if len(claimants) > 1:
            conflict = PluginConflictError(
                f"{what} {value!r} is claimed by {' and by '.join(map(str, claimants))}; "
                "uninstall all but one of them",
                plugin=claimants[0].source.name,
            )
            for backend in claimants:
                backend.conflict = backend.conflict or conflict
            conflicts.append(conflict)
    return conflicts


def load_adapter(backend: Backend) -> type[StorageAdapter]:
    """Import the backend's adapter (if given by path) and check it is a complete adapter."""
    adapter: Any = backend.spec.adapter
    if isinstance(adapter, str):
        module, colon, qualname = adapter.partition(":")
        if not (module and colon and qualname):
            raise PluginValidationError(
                f"{backend} gives adapter={adapter!r}; write the class's path as "
                "'package.module:ClassName'",
                plugin=backend.source.name,
            )
        try:
            adapter = importlib.import_module(module)
            for name in qualname.split("."):
                adapter = getattr(adapter, name)
        except Exception as error:
            raise PluginLoadError(
                f"{backend} failed to load its adapter {backend.spec.adapter!r}: "
                f"{type(error).__name__}: {error}; {backend.source.fix}",
                plugin=backend.source.name,
            ) from error
    if not (isinstance(adapter, type) and issubclass(adapter, StorageAdapter)):
        raise PluginValidationError(
            f"{backend} gives adapter {adapter!r}, which is not a doqu.StorageAdapter "
            "subclass; give the StorageAdapter subclass implementing the backend",
            plugin=backend.source.name,
        )
    missing = sorted(adapter.__abstractmethods__)
    if missing:
        raise PluginValidationError(
            f"{backend}: adapter {adapter.__module__}.{adapter.__qualname__} does not "
            f"implement the abstract method(s) {', '.join(missing)}; implement them "
            "(see doqu.StorageAdapter)",
            plugin=backend.source.name,
        )
    if not isinstance(adapter.capabilities, Capabilities):
        raise PluginValidationError(
            f"{backend}: adapter {adapter.__qualname__} has capabilities="
            f"{adapter.capabilities!r}; set it to a doqu.Capabilities(...)",
            plugin=backend.source.name,
        )
    return adapter


def install_hint(scheme: str) -> str:
    """The command that installs the plugin conventionally named for ``scheme``."""
    scheme = scheme.lower()
    if scheme == "mongomock":
        return "pip install 'doqu-mongodb[mongomock]'"
    # 'mongodb+srv' is served by the plugin for 'mongodb'
    return f"pip install doqu-{scheme.split('+', 1)[0]}"
