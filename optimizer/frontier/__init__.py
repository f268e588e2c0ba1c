"""The bargaining frontier: both sides' values, the Pareto frontier certified to a resolution, and
the Nash, Kalai–Smorodinsky and egalitarian points (docs/frontier.md).

::

    from optimizer import load
    from optimizer.frontier import analyse

    analysis = analyse(load("instances/us_japan_2025.yaml"))
    analysis.tables["frontier"], analysis.nash

The CLI command lives in :mod:`optimizer.frontier.command`.
"""
