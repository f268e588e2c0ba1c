"""dealopt: the least-political-cost acceptable package of concessions in a negotiation.

The public API::

    from optimizer import load_instance, solve
    result = solve("instances/us_japan_2025.yaml", overrides=[("constituencies.farmers.weight", 4)])
    print(result.status, result.objective)
    result.tables["package"]        # pandas DataFrame
"""

__version__ = "0.1.0"

from .api import solve, solve_loaded  # noqa: E402
from .errors import InputError, Problem  # noqa: E402
from .instance import load, load_instance  # noqa: E402
from .result import Result  # noqa: E402
from .solver import SolveOptions  # noqa: E402
from .status import Status  # noqa: E402

__all__ = [
    "InputError",
    "Problem",
    "Result",
    "SolveOptions",
    "Status",
    "load",
    "load_instance",
    "solve",
    "solve_loaded",
]
