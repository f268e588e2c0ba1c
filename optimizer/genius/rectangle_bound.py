r"""The largest utility one outcome reaches in a nonlinear (hyper-rectangle) profile, proven by HiGHS.

Summing every positive rectangle overstates it when rectangles exclude each other (two ranges
of one issue that do not overlap). The exact maximum is a small MILP: per issue, one binary per
value with :math:`\sum_k x_{ik} = 1`; per rectangle r of utility :math:`u_r`, :math:`y_r \in
[0, 1]` with

- :math:`u_r > 0`: :math:`y_r \le \sum_{k \in S_{ri}} x_{ik}` for each of its sides i (it counts
  only when the outcome lies inside);
- :math:`u_r < 0`: :math:`y_r \ge \sum_i \sum_{k \in S_{ri}} x_{ik} - (m_r - 1)` with m_r sides
  (it counts whenever the outcome lies inside);

maximising :math:`\sum_r u_r y_r`. With the x binary, each y_r is the rectangle's indicator at
the optimum. One thread, a fixed seed, no gap: the answer is HiGHS's proven optimum, or, when
HiGHS stops without proving it, its upper bound (never below the truth).
"""

from __future__ import annotations

TIME_LIMIT = 30.0
"""Seconds HiGHS may take before its upper bound is used instead of the proven maximum."""


def largest_sum(rectangles, counts: dict[str, int]) -> float:
    """An upper bound on the sum of the rectangles an outcome lies in, exact when HiGHS proves it.

    ``rectangles``: :class:`~optimizer.genius.space.Rectangle` objects; ``counts``: issue -> number of values.
    """
    import highspy
    from pyomo.common.tee import capture_output

    with capture_output(capture_fd=True):  # HiGHS prints a banner on stdout when the first solver is made
        highs = highspy.Highs()
    for option, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-12),
        ("time_limit", TIME_LIMIT),
    ):
        highs.setOptionValue(option, value)
    used = sorted({issue for r in rectangles for issue in r.sides})
    x = {issue: [highs.addBinary() for _ in range(counts[issue])] for issue in used}
    for issue in used:
        highs.addConstr(sum(x[issue]) == 1)
    objective = 0
    for r in rectangles:
        y = highs.addVariable(0.0, 1.0)
        inside = [sum(x[issue][k] for k in values) for issue, values in r.sides.items()]
        if r.utility > 0:
            for side in inside:
                highs.addConstr(y <= side)
        else:
            highs.addConstr(y >= sum(inside) - (len(inside) - 1))
        objective = objective + r.utility * y
    highs.maximize(objective)
    info = highs.getInfo()
    if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        return max(info.objective_function_value, info.mip_dual_bound)
    positive = sum(r.utility for r in rectangles if r.utility > 0)
    bound = info.mip_dual_bound
    return min(bound, positive) if bound == bound else positive  # NaN: no bound
