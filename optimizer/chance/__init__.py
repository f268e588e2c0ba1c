"""Uncertain counterpart thresholds: the chance that an offer is accepted (docs/chance.md).

- :mod:`.laws`: each belief's law as the law of a threshold ``Y`` that a package's value ``z`` must reach;
- :mod:`.conditions`: which beliefs make a tier's acceptance uncertain, and the means of our own numbers;
- :mod:`.probability`: P(accept | package, tier) recomputed in plain Python from a rounded package;
- :mod:`.formulation`: the rows that put a chance into the deal model (levels, log-CDF cuts, scenarios);
- :mod:`.solve`: ``solve --chance p`` per tier, and the best over tiers;
- :mod:`.curve`: the cost–probability curve of ``dealopt acceptance``;
- :mod:`.robust`: ``--robust box[:q]`` and ``--robust budget:G``;
- :mod:`.scenario_file`: the user's own scenarios (``--scenarios FILE``);
- :mod:`.uncertain`: :func:`~.uncertain.solve_uncertain`, one instance under a chance target or robustly,
  for the command line, sweeps and notebooks.

scipy is imported inside functions only: plain ``solve``, ``validate`` and ``--help`` never load it.
"""
