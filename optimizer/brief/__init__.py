"""The negotiation brief of a solve: one page on what to offer, why, what it costs whom, and what else would work.

::

    from optimizer import load, solve
    from optimizer.brief import build_brief

    loaded = load("instances/us_japan_2025.yaml")
    brief = build_brief(loaded, solve(loaded))
    brief.to_dict()        # what brief.json holds
    brief.to_markdown()    # brief.md
    build_brief(loaded, solve(loaded), analyses=("acceptance", "frontier", "sensitivity"))  # solve --brief-with all

Reading a brief back (:class:`Brief`) imports nothing that solves; :func:`build_brief` is
imported on first use.
"""

from __future__ import annotations

from typing import Any

from .brief import Brief

__all__ = ["Brief", "build_brief"]


def __getattr__(name: str) -> Any:
    if name == "build_brief":
        from .build import build_brief

        return build_brief
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
