"""The checks of what plugins are and offer: their shape, their answers, their backends.

A plugin's shape (marked hooks, known hooks, their signatures) is checked when it registers,
through pluggy's own validation; a hook's answer when the hook is called; a backend spec when
its plugin answers ``doqu_backends``; its adapter is imported and checked on first use, so
listing plugins stays cheap.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any, TypeVar

import pluggy

from ._capabilities import Capabilities
from ._hookspecs import PROJECT, BackendSpec, DoquHookSpecs
from ._storage import StorageAdapter
from ._url import SCHEME
from .errors import PluginConflictError, PluginError, PluginLoadError, PluginValidationError

__all__ = [
    "HOOK_LIST",
    "HOOKS",
    "Backend",
    "Source",
    "check_answer",
    "check_hooks",
    "check_marked",
    "checked_spec",
    "find_conflicts",
    "install_hint",
    "load_adapter",
    "wrong_signature",
]

T = TypeVar("T")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]*")


def _hook_signatures() -> dict[str, str]:
    hooks = {}
    for name, function in inspect.getmembers(DoquHookSpecs, inspect.isfunction):
        if name.startswith(f"{PROJECT}_"):
            signature = inspect.signature(function)
            arguments = ", ".join(name for name in signature.parameters if name != "self")
            hooks[name] = f"{name}({arguments}) -> {signature.return_annotation}"
    return hooks


#: hook name -> its signature, as messages show it.
HOOKS = _hook_signatures()
HOOK_LIST = "the doqu hooks are " + ", ".join(HOOKS.values())


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


def _hook_name(name: str) -> str:
    """``name`` quoted, with the hook it was probably meant to be."""
    close = difflib.get_close_matches(name, HOOKS, n=1)
    return f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name)


def check_marked(pm: pluggy.PluginManager, plugin: object, source: Source) -> None:
    """Refuse a function named ``doqu_*`` that is not marked as a hook implementation.

    Names starting with ``doqu_`` are reserved for hooks: an unmarked one is either a
    misspelled hook or a forgotten marker.
    """
    for attribute in dir(plugin):
        if not attribute.startswith(f"{PROJECT}_"):
            continue
        value = inspect.getattr_static(plugin, attribute, None)
        is_function = inspect.isroutine(value) or isinstance(value, staticmethod | classmethod)
        if not is_function or pm.parse_hookimpl_opts(plugin, attribute) is not None:
            continue
        if attribute in HOOKS:
            problem = (
                f"defines {attribute}() without the @doqu.hookimpl marker, so doqu never "
                "calls it; mark it with @doqu.hookimpl"
            )
        else:
            problem = (
                f"defines {_hook_name(attribute)}, which is not a doqu hook; names "
                f"starting with 'doqu_' are reserved for hooks, and {HOOK_LIST}"
            )
        raise PluginValidationError(f"{source} {problem}", plugin=source.name)


def wrong_signature(
    pm: pluggy.PluginManager, plugin: object, source: Source, error: pluggy.PluginValidationError
) -> PluginError:
    """The error for a plugin pluggy refused to register.

    Each of its known hooks is registered alone with a scratch plugin manager, so that pluggy
    itself says which one it refuses.
    """
    # pluggy's message reads "Plugin 'x' for hook 'h'\nhookimpl definition: ...\n<problem>"
    details = "; ".join(line.strip() for line in str(error).splitlines()[1:])
    for hook in HOOKS:
        if pm.parse_hookimpl_opts(plugin, hook) is None:
            continue
        scratch = pluggy.PluginManager(PROJECT)
        scratch.add_hookspecs(DoquHookSpecs)
        try:
            scratch.register(SimpleNamespace(**{hook: getattr(plugin, hook)}))
        except pluggy.PluginValidationError:
            return PluginValidationError(
                f"{source} implements hook {hook!r} with the wrong signature ({details}); "
                f"the hook is {HOOKS[hook]}",
                plugin=source.name,
            )
    return PluginValidationError(f"{source} is invalid: {error}; {HOOK_LIST}", plugin=source.name)


def check_hooks(pm: pluggy.PluginManager, plugin: object, source: Source) -> None:
    """Refuse a registered plugin with unknown hooks, or with no doqu hook at all.

    pluggy accepts an unknown hook silently until ``check_pending``; the plugin is
    unregistered before the error is raised.
    """
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as error:
        unknown = [
            caller.name for caller in pm.get_hookcallers(plugin) or () if not caller.has_spec()
        ]
        pm.unregister(plugin)
        raise PluginValidationError(
            f"{source} implements unknown hook {', '.join(map(_hook_name, unknown))}; {HOOK_LIST}",
            plugin=source.name,
        ) from error
    if not any(caller.has_spec() for caller in pm.get_hookcallers(plugin) or ()):
        pm.unregister(plugin)
        raise PluginValidationError(
            f"{source} implements no doqu hook; mark its hook functions with "
            f"@doqu.hookimpl ({HOOK_LIST})",
            plugin=source.name,
        )


def check_answer(answer: object, kind: type[T], source: Source, hook: str) -> list[T]:
    """A hook's answer as a list of ``kind``, or ``PluginValidationError`` showing it."""
    if isinstance(answer, list | tuple) and all(isinstance(item, kind) for item in answer):
        return list(answer)
    raise PluginValidationError(
        f"{source} returned {answer!r} from {hook}(); the hook returns a list "
        f"of doqu.{kind.__name__} ({HOOKS[hook]})",
        plugin=source.name,
    )


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


#: first-party backends: URL scheme -> what installs it. Only these are ever suggested: a name
#: built from what the user typed (``doqu-mongdb``) is one anyone could register on PyPI.
KNOWN_BACKENDS: dict[str, str] = {
    "memory": "doqu",
    "mongodb": "doqu-mongodb",
    "mongodb+srv": "doqu-mongodb",
    "mongomock": "'doqu-mongodb[mongomock]'",
    "sqlite": "doqu-sqlite",
    "postgresql": "doqu-postgres",
    "postgres": "doqu-postgres",
}


def install_hint(scheme: str) -> str:
    """How to get a backend for ``scheme``: the first-party distribution that serves it (or a
    near spelling of one), else where to look."""
    scheme = scheme.lower()
    known = KNOWN_BACKENDS.get(scheme)
    if known is None:
        close = difflib.get_close_matches(scheme, list(KNOWN_BACKENDS), n=1)
        if not close:
            return "no first-party backend serves it; `doqu backends` lists the installed ones"
        scheme, known = close[0], KNOWN_BACKENDS[close[0]]
        return f"for {scheme}://, pip install {known}"
    return f"pip install {known}"
