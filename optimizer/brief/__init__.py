"""The negotiation brief of a solve: one page on what to offer, why, what it costs whom, and what else would work.

::

    from optimizer import load_instance, solve
    from optimizer.brief import build_brief

    loaded = load_instance("instances/us_japan_2025.yaml")
    brief = build_brief(loaded, solve(loaded))
    brief.to_dict()        # what brief.json holds
    brief.to_markdown()    # brief.md
"""

from .brief import Brief, build_brief

__all__ = ["Brief", "build_brief"]
