"""A pytest plugin that loads one mutant in place of its module (``-p tools.mutation._loader``).

``DOQU_MUTANT=module.name:index`` names the mutant. The plugin is loaded with ``-p``, before
pytest loads entry-point plugins (doqu's contract plugin among them), so the mutated module is
in place before anything imports it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from ._mutants import mutated_tree

ENV = "DOQU_MUTANT"


class _MutantLoader(importlib.abc.Loader):
    def __init__(self, origin: str, index: int) -> None:
        self.origin = origin
        self.index = index

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        with open(self.origin, encoding="utf-8") as file:
            source = file.read()
        code = compile(mutated_tree(source, self.index), self.origin, "exec")
        exec(code, module.__dict__)


class _MutantFinder(importlib.abc.MetaPathFinder):
    def __init__(self, module: str, index: int) -> None:
        self.module = module
        self.index = index

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != self.module:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        spec.loader = _MutantLoader(spec.origin, self.index)
        return spec


def _install() -> None:
    named = os.environ.get(ENV)
    if not named:
        return
    module, _, index = named.rpartition(":")
    if module in sys.modules:
        raise RuntimeError(f"{module} was imported before the mutant could replace it")
    sys.meta_path.insert(0, _MutantFinder(module, int(index)))


_install()
