"""dealopt: the least-political-cost acceptable package of concessions in a negotiation.

The public API::

    from optimizer import load_instance, solve
    result = solve("instances/us_japan_2025.yaml", overrides=[("constituencies.farmers.weight", 4)])
    print(result.status, result.objective)
    result.tables["package"]        # pandas DataFrame

Each name is imported on first use, so that ``import optimizer.<module>`` (and
the command line) loads Pyomo, HiGHS or pandas only when something needs them.
"""

from __future__ import annotations

import importlib
import sys

__version__ = "0.1.0"

_SOURCES = {
    "InputError": "errors",
    "Problem": "errors",
    "Result": "result",
    "SolveOptions": "solver",
    "Status": "status",
    "load": "instance",
    "load_instance": "instance",
    "solve": "api",
    "solve_loaded": "api",
}
"""Public name -> the module of this package that defines it."""

__all__ = sorted(_SOURCES)


def lazy_exports(package: str, sources: dict[str, str]):
    """The module ``__getattr__`` and ``__dir__`` of a package whose public names are imported on first use.

    ``sources`` maps each public name to the submodule (relative to ``package``) that defines it.
    """

    def __getattr__(name: str):
        if name not in sources:
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        value = getattr(importlib.import_module(f".{sources[name]}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted([*vars(sys.modules[package]), *sources])

    return __getattr__, __dir__


__getattr__, __dir__ = lazy_exports(__name__, _SOURCES)
