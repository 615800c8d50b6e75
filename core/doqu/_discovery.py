"""Backend discovery: plugins found through the ``doqu`` entry point group, wired with pluggy.

Tolerant while discovering, strict when selecting. A plugin that fails to import, fails
validation or raises from a hook is recorded (:func:`plugin_failures`) and reported with a
:class:`PluginWarning` naming it; the other plugins keep working. Selecting a backend that is
broken, or whose name or scheme two plugins claim, raises. With ``DOQU_STRICT_PLUGINS=1`` in
the environment every problem raises instead of warning.

Entry points are loaded on first use and cached; :func:`refresh_backends` loads them again
(after a ``pip install`` in a running process). An adapter given as ``"module:Class"`` is
imported only when its backend is selected or listed.

Names starting with ``doqu_`` in a plugin are reserved for hooks: an unmarked ``doqu_*``
function is reported, since it is either a misspelled hook or a forgotten marker. The checks
of a plugin's shape and answers live in :mod:`._backends`; hooks are called through pluggy's
hook callers.
"""

from __future__ import annotations

import difflib
import os
import threading
import warnings
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Literal, TypeVar

import pluggy

from ._backends import (
    Backend,
    Source,
    check_answer,
    check_hooks,
    check_marked,
    checked_spec,
    find_conflicts,
    install_hint,
    load_adapter,
    wrong_signature,
)
from ._capabilities import Capabilities
from ._hookspecs import PROJECT, BackendSpec, DoquHookSpecs, Target
from ._storage import StorageAdapter
from .errors import (
    PluginConflictError,
    PluginError,
    PluginLoadError,
    PluginValidationError,
    UnknownBackendError,
)

__all__ = [
    "STRICT_ENV",
    "BackendInfo",
    "PluginFailure",
    "PluginWarning",
    "backend_for_scheme",
    "backends",
    "plugin_failures",
    "refresh_backends",
    "register_plugin",
    "contract_targets",
    "unregister_plugin",
]

#: the environment variable that turns plugin problems from warnings into exceptions.
STRICT_ENV = "DOQU_STRICT_PLUGINS"
T = TypeVar("T")


class PluginWarning(UserWarning):
    """A plugin could not be used; the message names it, its distribution and the error."""


@dataclass(frozen=True, slots=True)
class PluginFailure:
    """A plugin that could not be used: it failed to import, to validate, or in a hook."""

    #: the entry point name (or the name given to :func:`register_plugin`).
    plugin: str
    distribution: str | None
    version: str | None
    #: the error, a message naming the plugin, the cause and the fix.
    exception: PluginError

    @property
    def error(self) -> str:
        """The error message."""
        return str(self.exception)


@dataclass(frozen=True, slots=True)
class BackendInfo:
    """An installed backend, as :func:`backends` lists it.

    ``capabilities`` are read from the adapter class, which listing imports; they are
    ``None`` when it cannot be loaded. ``status`` is ``"error"`` when the adapter is broken or
    another backend claims the same name or scheme; ``error`` says which.
    """

    name: str
    schemes: tuple[str, ...]
    #: the entry point name (or the name given to :func:`register_plugin`).
    plugin: str
    #: the distribution offering it; ``None`` for a plugin registered in-process.
    distribution: str | None
    version: str | None
    description: str
    capabilities: Capabilities | None
    status: Literal["ok", "error"]
    error: str | None = None


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _warn(problem: PluginError) -> None:
    if not _strict():  # strict mode raises it where it is used instead
        warnings.warn(str(problem), PluginWarning, stacklevel=2)


class _Registry:
    """The plugin manager, the plugins it holds, and what they offer (cached)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._in_process: dict[str, object] = {}  # kept across refreshes
        self.refresh()

    def refresh(self) -> None:
        with self._lock:
            self._pm = pluggy.PluginManager(PROJECT)
            self._pm.add_hookspecs(DoquHookSpecs)
            self._sources: dict[str, Source] = {}  # pluggy's plugin name -> source
            self._load_failures: list[PluginFailure] = []
            self._loaded = False
            self._forget()
            for name, plugin in self._in_process.items():
                self._register(plugin, Source(name))

    def _forget(self) -> None:
        """Drop what the hooks returned, to ask them again."""
        self._backends: list[Backend] | None = None
        self._hook_failures: list[PluginFailure] = []
        self._targets: list[Target] | None = None

    # -- registration ------------------------------------------------------------------------

    def register(self, plugin: object, name: str | None) -> str:
        name = name or getattr(plugin, "__name__", None)
        if not isinstance(name, str) or not name:
            raise PluginError(f"register_plugin() needs name= for {plugin!r}, which has no name")
        with self._lock:
            if name in self._in_process:
                raise PluginConflictError(
                    f"a doqu plugin named {name!r} is already registered in-process; "
                    f"call unregister_plugin({name!r}) first or choose another name",
                    plugin=name,
                )
            if self._pm.is_registered(plugin):
                other = self._sources[self._pm.get_name(plugin) or ""]
                raise PluginConflictError(
                    f"{plugin!r} is already registered as {other}", plugin=name
                )
            self._register(plugin, Source(name))
            self._in_process[name] = plugin
            self._forget()
        return name

    def unregister(self, name: str) -> None:
        with self._lock:
            if name not in self._in_process:
                raise PluginError(
                    f"no doqu plugin named {name!r} was registered in-process; registered: "
                    f"{', '.join(map(repr, self._in_process)) or 'none'}",
                    plugin=name,
                )
            self._pm.unregister(self._in_process.pop(name))
            self._forget()

    def _register(self, plugin: object, source: Source) -> None:
        """Register ``plugin`` with pluggy, or raise ``PluginValidationError``."""
        check_marked(self._pm, plugin, source)
        key = f"{source.distribution or ''}:{source.name}"
        try:
            self._pm.register(plugin, name=key)
        except pluggy.PluginValidationError as error:
            raise wrong_signature(self._pm, plugin, source, error) from error
        check_hooks(self._pm, plugin, source)
        self._sources[key] = source

    def _load_entry_points(self) -> None:
        found = sorted(
            entry_points(group=PROJECT), key=lambda ep: (ep.dist.name if ep.dist else "", ep.name)
        )
        for ep in found:
            source = Source(
                ep.name,
                ep.dist.name if ep.dist else "<unknown>",
                ep.dist.version if ep.dist else "<unknown>",
                f"{ep.name} = {ep.value}",
            )
            try:
                plugin = ep.load()
            except Exception as error:
                failure = PluginLoadError(
                    f"{source} failed to load: its entry point {source.entry_point!r} raised "
                    f"{type(error).__name__}: {error}; {source.fix}",
                    plugin=source.name,
                )
                failure.__cause__ = error
                self._fail(self._load_failures, source, failure)
                continue
            if self._pm.is_registered(plugin):
                continue  # a second entry point naming the same module adds nothing
            try:
                self._register(plugin, source)
            except PluginError as error:
                self._fail(self._load_failures, source, error)
        self._loaded = True

    @staticmethod
    def _fail(failures: list[PluginFailure], source: Source, problem: PluginError) -> None:
        failures.append(PluginFailure(source.name, source.distribution, source.version, problem))
        _warn(problem)

    # -- hooks -------------------------------------------------------------------------------

    def _call(self, hook: str, kind: type[T]) -> list[tuple[Source, T]]:
        """Every plugin's answer to ``hook``; a plugin that raises or answers wrong is recorded.

        Each plugin is called through pluggy's hook caller for it alone, so that one plugin's
        error does not lose the others' answers.
        """
        results: list[tuple[Source, T]] = []
        plugins = self._pm.get_plugins()
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            source = self._sources[impl.plugin_name]
            others = [plugin for plugin in plugins if plugin is not impl.plugin]
            try:
                answers = self._pm.subset_hook_caller(hook, others)()
            except Exception as error:
                problem = PluginLoadError(
                    f"{source} raised {type(error).__name__} in {hook}(): {error}; {source.fix}",
                    plugin=source.name,
                )
                problem.__cause__ = error
                self._fail(self._hook_failures, source, problem)
                continue
            try:  # pluggy leaves out a None answer
                answer = check_answer(answers[0] if answers else None, kind, source, hook)
            except PluginValidationError as error:
                self._fail(self._hook_failures, source, error)
                continue
            results.extend((source, item) for item in answer)
        return results

    def _ensure_backends(self) -> list[Backend]:
        with self._lock:
            if not self._loaded:
                self._load_entry_points()
            if self._backends is None:
                backends = []
                for source, spec in self._call("doqu_backends", BackendSpec):
                    try:
                        backends.append(Backend(checked_spec(spec, source), source))
                    except PluginValidationError as error:
                        self._fail(self._hook_failures, source, error)
                # installed plugins before in-process ones, so that messages read alike
                backends.sort(
                    key=lambda b: (b.spec.name, b.source.distribution is None, str(b.source))
                )
                for conflict in find_conflicts(backends):
                    _warn(conflict)
                self._backends = backends
            return self._backends

    def _adapter(self, backend: Backend, *, quiet: bool) -> type[StorageAdapter] | None:
        """The backend's adapter class, imported and checked once; ``None`` if it is broken."""
        if backend.adapter is None and backend.adapter_error is None:
            try:
                backend.adapter = load_adapter(backend)
            except PluginError as error:
                backend.adapter_error = error
                if not quiet:
                    _warn(error)
        return backend.adapter

    def _raise_if_strict(self, *more: PluginError | None) -> None:
        if _strict():
            for failure in self.failures():
                raise failure.exception
            for problem in more:
                if problem is not None:
                    raise problem

    # -- the public operations ---------------------------------------------------------------

    def failures(self) -> list[PluginFailure]:
        with self._lock:
            self._ensure_backends()
            return self._load_failures + self._hook_failures

    def backends(self) -> list[BackendInfo]:
        with self._lock:
            listed = self._ensure_backends()
            adapters = [self._adapter(backend, quiet=False) for backend in listed]
            self._raise_if_strict(*(backend.problem for backend in listed))
        return [
            BackendInfo(
                name=backend.spec.name,
                schemes=backend.spec.schemes,
                plugin=backend.source.name,
                distribution=backend.source.distribution,
                version=backend.source.version,
                description=backend.spec.description,
                capabilities=adapter.capabilities if adapter else None,
                status="ok" if backend.problem is None else "error",
                error=None if backend.problem is None else str(backend.problem),
            )
            for backend, adapter in zip(listed, adapters, strict=True)
        ]

    def backend_for_scheme(self, scheme: str) -> type[StorageAdapter]:
        wanted = scheme.lower()
        with self._lock:
            listed = self._ensure_backends()
            self._raise_if_strict()
            for backend in listed:
                if wanted in backend.spec.schemes:
                    adapter = self._adapter(backend, quiet=True)
                    if backend.problem is not None:
                        raise backend.problem
                    assert adapter is not None  # loaded, or its problem was raised
                    return adapter
            raise self._unknown_scheme(scheme, listed)

    def _unknown_scheme(self, scheme: str, listed: list[Backend]) -> UnknownBackendError:
        installed = tuple(sorted({s for backend in listed for s in backend.spec.schemes}))
        close = difflib.get_close_matches(scheme.lower(), installed, n=1)
        message = (
            f"no installed backend handles URL scheme {scheme!r}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; installed schemes: {', '.join(installed) or 'none'}. To add a backend: "
            f"{install_hint(scheme)}"
        )
        failures = self.failures()
        if failures:
            message += "\nThese plugins failed to load (the one you want may be among them):"
            message += "".join(f"\n  - {failure.error}" for failure in failures)
        return UnknownBackendError(message, scheme=scheme, installed=installed)

    def contract_targets(self) -> list[Target]:
        with self._lock:
            self._ensure_backends()
            if self._targets is None:
                self._targets = [t for _, t in self._call("doqu_test_targets", Target)]
            self._raise_if_strict()
            return list(self._targets)


_registry = _Registry()


def backends() -> list[BackendInfo]:
    """Every installed backend, sorted by name, broken and conflicting ones included.

    Imports each backend's adapter to read its capabilities. Plugins that failed before
    offering any backend are in :func:`plugin_failures`.
    """
    return _registry.backends()


def backend_for_scheme(scheme: str) -> type[StorageAdapter]:
    """The adapter class of the backend serving URL ``scheme`` (case-insensitive).

    Raises ``UnknownBackendError`` (naming the installed schemes and the plugins that failed
    to load), ``PluginConflictError`` when two backends claim the scheme, and
    ``PluginLoadError``/``PluginValidationError`` when the adapter is broken.
    """
    return _registry.backend_for_scheme(scheme)


def plugin_failures() -> list[PluginFailure]:
    """The plugins that failed to load, failed validation, or raised from a hook."""
    return _registry.failures()


def contract_targets() -> list[Target]:
    """The storages every plugin offers to the contract suite (``doqu_test_targets``)."""
    return _registry.contract_targets()


def refresh_backends() -> None:
    """Forget what was discovered; the next call loads the entry points again.

    Plugins registered in-process stay registered.
    """
    _registry.refresh()


def register_plugin(plugin: object, name: str | None = None) -> str:
    """Register a plugin object (a module or class with hook functions) without an entry point.

    ``name`` defaults to the object's ``__name__``; the name is returned. Raises
    ``PluginValidationError`` for a plugin with unknown or malformed hooks, and
    ``PluginConflictError`` when the name or the object is already registered.
    """
    return _registry.register(plugin, name)


def unregister_plugin(name: str) -> None:
    """Remove a plugin :func:`register_plugin` added."""
    _registry.unregister(name)
