"""Backend discovery: entry points, in-process plugins, validation, conflicts, failures.

Installed plugins are real distributions: a ``.dist-info`` directory and modules in a
directory put on ``sys.path``, found by ``importlib.metadata`` as pip-installed ones are. The
last test installs the fixture distributions of ``plugins/`` with pip into a new virtual
environment and uses them from there, as a user would.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import re
import shutil
import sys
import textwrap
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self

import pytest

import doqu
from doqu._capabilities import Capabilities
from doqu._discovery import (
    STRICT_ENV,
    BackendInfo,
    PluginWarning,
    backend_for_scheme,
    backends,
    contract_targets,
    plugin_failures,
    refresh_backends,
    register_plugin,
    unregister_plugin,
)
from doqu._hookspecs import BackendSpec, Target, hookimpl
from doqu._storage import StorageAdapter
from doqu.errors import (
    PluginConflictError,
    PluginError,
    PluginLoadError,
    PluginValidationError,
    UnknownBackendError,
)
from doqu.memory import MemoryStorage

REPO = Path(__file__).resolve().parents[2]
FIXTURE_PLUGINS = Path(__file__).resolve().parent / "plugins"

Install = Callable[..., None]
Register = Callable[..., str]


@pytest.fixture(autouse=True)
def _fresh_discovery(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(STRICT_ENV, raising=False)
    refresh_backends()
    yield
    refresh_backends()


@pytest.fixture
def install(tmp_path: Path) -> Iterator[Install]:
    """Install a plugin distribution (metadata, entry points, modules) on ``sys.path``."""
    site = tmp_path / "site"
    site.mkdir()
    sys.path.insert(0, str(site))
    written: list[str] = []

    def install(
        distribution: str,
        version: str = "1.0",
        *,
        entry_points: dict[str, str],
        modules: dict[str, str],
        refresh: bool = True,
    ) -> None:
        for name, code in modules.items():
            (site / f"{name}.py").write_text(textwrap.dedent(code))
            written.append(name)
        info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n"
        )
        lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
        (info / "entry_points.txt").write_text(f"[doqu]\n{lines}")
        importlib.invalidate_caches()
        if refresh:
            refresh_backends()

    yield install
    sys.path.remove(str(site))
    for name in written:
        sys.modules.pop(name, None)
    importlib.invalidate_caches()


@pytest.fixture
def register() -> Iterator[Register]:
    """``register_plugin``, unregistering at the end of the test."""
    names: list[str] = []

    def register(plugin: object, name: str | None = None) -> str:
        names.append(register_plugin(plugin, name))
        return names[-1]

    yield register
    for name in names:
        with contextlib.suppress(PluginError):  # the test unregistered it itself
            unregister_plugin(name)


def plugin(name: str, **functions: Callable[..., Any]) -> types.ModuleType:
    """A plugin module named ``name`` holding ``functions`` (hook implementations or not)."""
    module = types.ModuleType(name)
    for attribute, function in functions.items():
        setattr(module, attribute, function)
    return module


def offering(*specs: BackendSpec) -> Callable[[], list[BackendSpec]]:
    """A ``doqu_backends`` hook implementation returning ``specs``."""

    @hookimpl
    def doqu_backends() -> list[BackendSpec]:
        return list(specs)

    return doqu_backends


def by_name(name: str) -> list[BackendInfo]:
    return [info for info in backends() if info.name == name]


class HalfDone(StorageAdapter):
    """An adapter its author has not finished."""

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Self:
        return cls()

    def add_record(self, record: dict[str, Any]) -> str:
        return "k"

    def put_record(self, key: str, record: dict[str, Any]) -> None:
        pass


# -- entry points ----------------------------------------------------------------------------


def test_memory_backend_is_discovered_through_its_entry_point() -> None:
    [info] = by_name("memory")
    assert (info.schemes, info.plugin, info.distribution, info.version, info.status) == (
        ("memory",),
        "memory",
        "doqu",
        doqu.__version__,
        "ok",
    )
    assert info.capabilities == MemoryStorage.capabilities
    assert info.error is None
    assert backend_for_scheme("memory") is MemoryStorage
    assert plugin_failures() == []


def test_entry_points_are_read_once_until_refreshed(install: Install) -> None:
    install("doqu-fx-early", entry_points={"early": "fx_early"}, modules={"fx_early": ""})
    with pytest.warns(PluginWarning):  # fx_early implements no hook
        assert [failure.plugin for failure in plugin_failures()] == ["early"]
    code = f"""
        from doqu._hookspecs import BackendSpec, hookimpl

        @hookimpl
        def doqu_backends():
            return [BackendSpec("fxlate", ("fxlate",), "{MemoryStorage.__module__}:MemoryStorage")]
    """
    install(
        "doqu-fx-late", entry_points={"late": "fx_late"}, modules={"fx_late": code}, refresh=False
    )
    assert by_name("fxlate") == []
    refresh_backends()
    with pytest.warns(PluginWarning):
        assert [info.distribution for info in by_name("fxlate")] == ["doqu-fx-late"]


def test_adapter_given_by_path_is_imported_on_first_use(install: Install) -> None:
    install(
        "doqu-fx-lazy",
        entry_points={"lazy": "fx_lazy_plugin"},
        modules={
            "fx_lazy_plugin": """
                from doqu._hookspecs import BackendSpec, hookimpl

                @hookimpl
                def doqu_backends():
                    return [BackendSpec("fxlazy", ("fxlazy",), "fx_lazy_adapter:LazyStorage")]
            """,
            "fx_lazy_adapter": """
                from doqu.memory import MemoryStorage

                class LazyStorage(MemoryStorage):
                    backend = "fxlazy"
            """,
        },
    )
    assert backend_for_scheme("memory") is MemoryStorage
    assert "fx_lazy_plugin" in sys.modules
    assert "fx_lazy_adapter" not in sys.modules
    adapter = backend_for_scheme("fxlazy")
    assert (adapter.__module__, adapter.__name__) == ("fx_lazy_adapter", "LazyStorage")


def test_plugin_that_fails_to_import_is_recorded_and_never_hides_the_others(
    install: Install,
) -> None:
    install(
        "doqu-fx-broken",
        "2.5",
        entry_points={"fxbroken": "fx_broken_plugin"},
        modules={"fx_broken_plugin": "import fx_missing_driver\n"},
    )
    expected = (
        "doqu plugin 'fxbroken' (distribution doqu-fx-broken 2.5) failed to load: its entry "
        "point 'fxbroken = fx_broken_plugin' raised ModuleNotFoundError: No module named "
        "'fx_missing_driver'; fix the plugin or uninstall it (pip uninstall doqu-fx-broken)"
    )
    with pytest.warns(PluginWarning, match=re.escape(expected)):
        [failure] = plugin_failures()
    assert (failure.plugin, failure.distribution, failure.version, failure.error) == (
        "fxbroken",
        "doqu-fx-broken",
        "2.5",
        expected,
    )
    assert isinstance(failure.exception, PluginLoadError)
    assert [info.status for info in by_name("memory")] == ["ok"]
    storage = backend_for_scheme("memory").from_url("memory://")
    storage.save({"a": 1})
    assert len(storage) == 1


def test_strict_mode_raises_the_load_failure(
    install: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(
        "doqu-fx-broken",
        entry_points={"fxbroken": "fx_broken_plugin"},
        modules={"fx_broken_plugin": "import fx_missing_driver\n"},
    )
    monkeypatch.setenv(STRICT_ENV, "1")
    with pytest.raises(PluginLoadError, match=r"plugin 'fxbroken' .* failed to load") as raised:
        backends()
    assert isinstance(raised.value.__cause__, ModuleNotFoundError)
    with pytest.raises(PluginLoadError, match="fx_missing_driver"):
        backend_for_scheme("memory")
    monkeypatch.setenv(STRICT_ENV, "0")
    refresh_backends()
    with pytest.warns(PluginWarning):
        assert backend_for_scheme("memory") is MemoryStorage


def test_misspelled_hook_of_installed_plugin_is_a_recorded_validation_failure(
    install: Install,
) -> None:
    install(
        "doqu-fx-typo",
        entry_points={"typo": "fx_typo_plugin"},
        modules={
            "fx_typo_plugin": """
                from doqu._hookspecs import hookimpl

                @hookimpl
                def doqu_backend():
                    return []
            """
        },
    )
    with pytest.warns(PluginWarning, match="unknown hook 'doqu_backend'"):
        [failure] = plugin_failures()
    assert isinstance(failure.exception, PluginValidationError)
    assert failure.error == (
        "doqu plugin 'typo' (distribution doqu-fx-typo 1.0) implements unknown hook "
        "'doqu_backend' (did you mean 'doqu_backends'?); the doqu hooks are "
        "doqu_backends() -> list[BackendSpec], doqu_test_targets() -> list[Target]"
    )
    assert [info.status for info in by_name("memory")] == ["ok"]


def test_scheme_claimed_by_two_distributions_is_a_conflict(install: Install) -> None:
    for distribution, version, name in [
        ("doqu-fx-one", "1.0", "one"),
        ("doqu-fx-two", "2.0", "two"),
    ]:
        install(
            distribution,
            version,
            entry_points={name: f"fx_{name}_plugin"},
            modules={
                f"fx_{name}_plugin": f"""
                    from doqu._hookspecs import BackendSpec, hookimpl

                    @hookimpl
                    def doqu_backends():
                        adapter = "doqu.memory:MemoryStorage"
                        return [BackendSpec("{name}", ("fx", "{name}"), adapter)]
                """
            },
        )
    conflict = (
        "URL scheme 'fx' is claimed by backend 'one' of doqu plugin 'one' (distribution "
        "doqu-fx-one 1.0) and by backend 'two' of doqu plugin 'two' (distribution doqu-fx-two "
        "2.0); uninstall all but one of them"
    )
    with pytest.warns(PluginWarning, match=re.escape(conflict)):
        listed = {info.name: info for info in backends()}
    assert (listed["one"].status, listed["one"].error) == ("error", conflict)
    assert (listed["two"].status, listed["two"].error) == ("error", conflict)
    assert listed["memory"].status == "ok"
    with pytest.raises(PluginConflictError, match=re.escape(conflict)):
        backend_for_scheme("FX")
    with pytest.raises(PluginConflictError, match=re.escape(conflict)):
        backend_for_scheme("one")  # its own scheme: the backend as a whole is in doubt


# -- in-process plugins ----------------------------------------------------------------------


def test_register_plugin_offers_its_backends_until_unregistered(register: Register) -> None:
    spec = BackendSpec("fxmem", ("fxmem", "fx+mem"), MemoryStorage, "memory under another name")
    name = register(plugin("fx_mem_plugin", doqu_backends=offering(spec)))
    assert name == "fx_mem_plugin"
    assert backend_for_scheme("FX+Mem") is MemoryStorage
    [info] = by_name("fxmem")
    assert (info.schemes, info.plugin, info.distribution, info.description, info.status) == (
        ("fxmem", "fx+mem"),
        "fx_mem_plugin",
        None,
        "memory under another name",
        "ok",
    )
    unregister_plugin("fx_mem_plugin")
    assert by_name("fxmem") == []
    with pytest.raises(
        UnknownBackendError, match="no installed backend handles URL scheme 'fxmem'"
    ):
        backend_for_scheme("fxmem")


def test_register_plugin_refuses_a_name_or_object_already_registered(register: Register) -> None:
    module = plugin("fx_twice", doqu_backends=offering())
    register(module)
    with pytest.raises(PluginConflictError, match="named 'fx_twice' is already registered"):
        register(plugin("fx_twice", doqu_backends=offering()))
    with pytest.raises(PluginConflictError, match="already registered as doqu plugin 'fx_twice'"):
        register(module, "fx_other_name")


def test_plugins_stay_registered_across_refresh(register: Register) -> None:
    register(
        plugin("fx_kept", doqu_backends=offering(BackendSpec("fxkept", ("fxkept",), MemoryStorage)))
    )
    refresh_backends()
    assert backend_for_scheme("fxkept") is MemoryStorage


def test_claiming_an_installed_backend_name_is_a_conflict(register: Register) -> None:
    impostor = BackendSpec("memory", ("fximpostor",), MemoryStorage)
    register(plugin("fx_impostor", doqu_backends=offering(impostor)))
    conflict = (
        "backend name 'memory' is claimed by backend 'memory' of doqu plugin 'memory' "
        f"(distribution doqu {doqu.__version__}) and by backend 'memory' of doqu plugin "
        "'fx_impostor' (registered in-process); uninstall all but one of them"
    )
    with (
        pytest.warns(PluginWarning, match=re.escape(conflict)),
        pytest.raises(PluginConflictError, match=re.escape(conflict)),
    ):
        backend_for_scheme("memory")
    unregister_plugin("fx_impostor")
    assert backend_for_scheme("memory") is MemoryStorage


# -- validation ------------------------------------------------------------------------------


def test_misspelled_hook_name_is_refused_with_the_hooks_that_exist(register: Register) -> None:
    @hookimpl
    def doqu_test_target() -> list[Target]:
        return []

    expected = (
        "doqu plugin 'fx_typo' (registered in-process) implements unknown hook "
        "'doqu_test_target' (did you mean 'doqu_test_targets'?); the doqu hooks are "
        "doqu_backends() -> list[BackendSpec], doqu_test_targets() -> list[Target]"
    )
    with pytest.raises(PluginValidationError, match=re.escape(expected)):
        register(plugin("fx_typo", doqu_test_target=doqu_test_target))
    assert by_name("memory")[0].status == "ok"  # the refused plugin left nothing behind


@pytest.mark.parametrize(
    ("function_name", "message"),
    [
        (
            "doqu_backends",
            "defines doqu_backends() without the @doqu.hookimpl marker, so doqu never calls "
            "it; mark it with @doqu.hookimpl",
        ),
        (
            "doqu_backend",
            "defines 'doqu_backend' (did you mean 'doqu_backends'?), which is not a doqu hook; "
            "names starting with 'doqu_' are reserved for hooks",
        ),
    ],
)
def test_unmarked_hook_like_function_is_refused(
    register: Register, function_name: str, message: str
) -> None:
    def unmarked() -> list[BackendSpec]:
        return []

    @hookimpl
    def doqu_test_targets() -> list[Target]:
        return []

    hooks = {function_name: unmarked, "doqu_test_targets": doqu_test_targets}
    with pytest.raises(PluginValidationError, match=re.escape(message)):
        register(plugin("fx_unmarked", **hooks))


def test_hook_with_wrong_arguments_is_refused_with_the_expected_signature(
    register: Register,
) -> None:
    @hookimpl
    def doqu_backends(config: dict[str, Any]) -> list[BackendSpec]:
        return []

    with pytest.raises(
        PluginValidationError,
        match=r"doqu plugin 'fx_args' \(registered in-process\) implements hook 'doqu_backends' "
        r"with the wrong signature \(hookimpl definition: doqu_backends\(config: .*; "
        r"Argument\(s\) \{'config'\} .*\); the hook is doqu_backends\(\) -> list\[BackendSpec\]",
    ):
        register(plugin("fx_args", doqu_backends=doqu_backends))


def test_plugin_without_hooks_is_refused(register: Register) -> None:
    with pytest.raises(PluginValidationError, match=r"'fx_empty' .* implements no doqu hook"):
        register(plugin("fx_empty"))


def test_adapter_missing_abstract_methods_are_named(register: Register) -> None:
    register(
        plugin("fx_half", doqu_backends=offering(BackendSpec("fxhalf", ("fxhalf",), HalfDone)))
    )
    missing = (
        f"backend 'fxhalf' of doqu plugin 'fx_half' (registered in-process): adapter "
        f"{__name__}.HalfDone does not implement the abstract method(s) clear, fetch_records, "
        "query_items, remove_record; implement them"
    )
    with pytest.raises(PluginValidationError, match=re.escape(missing)):
        backend_for_scheme("fxhalf")
    [info] = by_name("fxhalf")
    assert (info.status, info.capabilities) == ("error", None)
    assert (info.error or "").startswith(missing)


@pytest.mark.parametrize(
    ("adapter", "error", "message"),
    [
        (
            "collections:OrderedDict",
            PluginValidationError,
            "gives adapter <class 'collections.OrderedDict'>, which is not a "
            "doqu.StorageAdapter subclass",
        ),
        ("doqu.memory.MemoryStorage", PluginValidationError, "write the class's path as"),
        (
            "fx_no_such_module:Storage",
            PluginLoadError,
            "failed to load its adapter 'fx_no_such_module:Storage': ModuleNotFoundError: "
            "No module named 'fx_no_such_module'; fix the plugin",
        ),
        (
            "doqu.memory:NoSuchStorage",
            PluginLoadError,
            "failed to load its adapter 'doqu.memory:NoSuchStorage': AttributeError",
        ),
    ],
)
def test_broken_adapter_breaks_only_its_backend(
    register: Register, adapter: str, error: type[PluginError], message: str
) -> None:
    register(plugin("fx_bad", doqu_backends=offering(BackendSpec("fxbad", ("fxbad",), adapter))))
    with pytest.warns(PluginWarning, match=re.escape(message)):
        listed = {info.name: info.status for info in backends()}
    assert (listed["fxbad"], listed["memory"]) == ("error", "ok")
    with pytest.raises(error, match=re.escape(message)):
        backend_for_scheme("fxbad")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            [BackendSpec("fxstr", "fxstr", MemoryStorage)],  # type: ignore[arg-type]
            "backend 'fxstr' gives schemes='fxstr', a str; write a tuple: schemes=('fxstr',)",
        ),
        (
            [BackendSpec("fxbad", ("fx bad",), MemoryStorage)],
            "backend 'fxbad' gives invalid URL scheme(s) 'fx bad'",
        ),
        (
            [BackendSpec("", ("fxnoname",), MemoryStorage)],
            "backend '' has an invalid name ''",
        ),
        (None, "returned None from doqu_backends(); the hook returns a list of doqu.BackendSpec"),
    ],
)
def test_wrong_answer_from_a_hook_is_a_recorded_failure(
    register: Register, answer: Any, message: str
) -> None:
    @hookimpl
    def doqu_backends() -> Any:
        return answer

    register(plugin("fx_wrong", doqu_backends=doqu_backends))
    with pytest.warns(PluginWarning, match=re.escape(message)):
        [failure] = plugin_failures()
    assert (failure.plugin, failure.distribution) == ("fx_wrong", None)
    assert isinstance(failure.exception, PluginValidationError)


def test_hook_that_raises_is_a_recorded_failure(register: Register) -> None:
    @hookimpl
    def doqu_backends() -> list[BackendSpec]:
        raise RuntimeError("driver not configured")

    register(plugin("fx_raises", doqu_backends=doqu_backends))
    message = (
        "doqu plugin 'fx_raises' (registered in-process) raised RuntimeError in "
        "doqu_backends(): driver not configured; fix the plugin"
    )
    with pytest.warns(PluginWarning, match=re.escape(message)):
        assert "memory" in [info.name for info in backends()]
    [failure] = plugin_failures()
    assert isinstance(failure.exception.__cause__, RuntimeError)


def test_test_targets_come_from_every_plugin_and_a_failing_hook_is_recorded(
    register: Register,
) -> None:
    @hookimpl
    def doqu_test_targets() -> list[Target]:
        raise ConnectionError("no server")

    offered = [target.name for target in contract_targets()]
    assert "memory" in offered
    register(plugin("fx_targets", doqu_test_targets=doqu_test_targets))
    with pytest.warns(PluginWarning, match=r"'fx_targets' .* raised ConnectionError in "):
        assert [target.name for target in contract_targets()] == offered
    assert [failure.plugin for failure in plugin_failures()] == ["fx_targets"]


def test_unknown_scheme_lists_the_plugins_that_failed_to_load(install: Install) -> None:
    install(
        "doqu-fx-broken",
        entry_points={"fxbroken": "fx_broken_plugin"},
        modules={"fx_broken_plugin": "import fx_missing_driver\n"},
    )
    with (
        pytest.warns(PluginWarning),
        pytest.raises(
            UnknownBackendError,
            match=r"(?s)URL scheme 'fxbroken'.*These plugins failed to load \(the one you want "
            r"may be among them\):\n  - doqu plugin 'fxbroken' \(distribution doqu-fx-broken "
            r"1.0\) failed to load: .*ModuleNotFoundError",
        ),
    ):
        backend_for_scheme("fxbroken")


def test_capabilities_come_from_the_adapter_class(register: Register) -> None:
    class Regexless(MemoryStorage):
        capabilities = Capabilities(regex=False, thread_safe=True)

    register(
        plugin("fx_caps", doqu_backends=offering(BackendSpec("fxcaps", ("fxcaps",), Regexless)))
    )
    [info] = by_name("fxcaps")
    assert info.capabilities is not None
    assert info.capabilities.declared() == ("thread_safe",)


# -- installed with pip, used from a new virtual environment ---------------------------------


def test_installed_broken_plugins_are_reported_and_never_break_the_others(
    tmp_path: Path, new_venv: Any
) -> None:
    venv = new_venv(tmp_path)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    fixtures = shutil.copytree(FIXTURE_PLUGINS, tmp_path / "plugins", ignore=ignore)
    venv.pip_install(venv.core, fixtures / "broken", fixtures / "misspelled")

    listing = venv.doqu("backends")
    assert listing.returncode == 1, listing.stderr
    assert re.search(
        rf"^memory +memory +doqu +{re.escape(doqu.__version__)} +ok ", listing.stdout, re.M
    )
    assert (
        "  - doqu plugin 'broken' (distribution doqu-broken-fixture 1.0.0a1) failed to load: its "
        "entry point 'broken = doqu_broken_fixture._plugin' raised ModuleNotFoundError: No "
        "module named 'doqu_fixture_driver_not_installed'; fix the plugin or uninstall it "
        "(pip uninstall doqu-broken-fixture)\n"
    ) in listing.stdout
    assert (
        "  - doqu plugin 'misspelled' (distribution doqu-misspelled-fixture 1.0.0a1) implements "
        "unknown hook 'doqu_backend' (did you mean 'doqu_backends'?)"
    ) in listing.stdout
    assert listing.stderr == ""

    as_json = json.loads(venv.doqu("backends", "--json").stdout)
    assert [(b["name"], b["status"]) for b in as_json["backends"]] == [("memory", "ok")]
    assert [(f["plugin"], f["kind"]) for f in as_json["failures"]] == [
        ("broken", "PluginLoadError"),
        ("misspelled", "PluginValidationError"),
    ]

    code = "import doqu; s = doqu.connect('memory://'); s.save({'a': 1}); print(len(s))"
    used = venv.python_code(code)
    assert (used.returncode, used.stdout) == (0, "1\n"), used.stderr
    assert "PluginWarning: doqu plugin 'broken' (distribution doqu-broken-fixture" in used.stderr
    assert "PluginWarning: doqu plugin 'misspelled'" in used.stderr
