r"""Each belief's law, seen as the law of a threshold ``Y`` that a package's value ``z`` must reach.

A counterpart threshold ``θ`` on a metric is met when ``achieved >= θ``: ``Y = θ``, ``z = achieved``.
A red-line bound met from below (``value <= θ``, a ``max``) is ``Y = -θ``, ``z = -value``. So every
uncertain condition reads ``Y <= z`` and its probability is the CDF ``F_Y(z)``.

Discrete laws count a level as reached within the model's tolerance (docs/model.md), as the
independent check does. scipy is imported when a continuous law is first used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

from ..schema import Belief
from ..tolerance import tolerance


@dataclass(frozen=True)
class Law:
    """The law of ``Y = sign * θ`` for the belief's number ``θ``."""

    belief: Belief
    sign: int = 1
    """+1 when a package must reach the number, -1 when it must stay below it."""

    @property
    def discrete(self) -> bool:
        return self.belief.law == "discrete"

    @property
    def log_concave(self) -> bool:
        """True when log F_Y is concave: every law here has a log-concave density, except the lognormal,
        whose CDF is log-concave but whose survival function is not."""
        return not self.discrete and not (self.belief.law == "lognormal" and self.sign < 0)

    @cached_property
    def levels(self) -> tuple[tuple[float, float], ...]:
        """Discrete laws: (value of Y, cumulative probability F_Y(value)), values ascending."""
        law = self.belief.discrete
        pairs = sorted((self.sign * v, p) for v, p in zip(law.values, law.probs, strict=True))
        out, total = [], 0.0
        for value, prob in pairs:
            total += prob
            out.append((value, min(total, 1.0)))
        return tuple(out)

    @cached_property
    def _frozen(self):
        """The scipy distribution of θ (continuous laws)."""
        from scipy import stats

        kind, law = self.belief.law, getattr(self.belief, self.belief.law)
        if kind == "uniform":
            return stats.uniform(loc=law.low, scale=law.high - law.low)
        if kind == "triangular":
            width = law.high - law.low
            return stats.triang(c=(law.mode - law.low) / width, loc=law.low, scale=width)
        if kind == "normal":
            if law.low is None and law.high is None:
                return stats.norm(loc=law.mean, scale=law.sd)
            low = -math.inf if law.low is None else (law.low - law.mean) / law.sd
            high = math.inf if law.high is None else (law.high - law.mean) / law.sd
            return stats.truncnorm(low, high, loc=law.mean, scale=law.sd)
        sigma2 = math.log(1 + (law.sd / law.mean) ** 2)
        return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(law.mean) - sigma2 / 2))

    def cdf(self, z: float) -> float:
        """P(Y <= z)."""
        if self.discrete:
            return max((f for value, f in self.levels if z >= value - tolerance(value)), default=0.0)
        return float(self._frozen.cdf(z) if self.sign > 0 else self._frozen.sf(-z))

    def log_cdf(self, z: float) -> float:
        """log P(Y <= z) (-inf where it is 0)."""
        if self.discrete:
            probability = self.cdf(z)
            return math.log(probability) if probability > 0 else -math.inf
        return float(self._frozen.logcdf(z) if self.sign > 0 else self._frozen.logsf(-z))

    def log_cdf_slope(self, z: float) -> float:
        """d/dz log F_Y(z) = f_Y(z) / F_Y(z), for continuous laws."""
        density = float(self._frozen.pdf(self.sign * z))
        return density / math.exp(self.log_cdf(z)) if density > 0 else 0.0

    def log_cdf_and_slopes(self, z):
        """log F_Y and its slope f_Y / F_Y at the points ``z`` (a numpy array), for continuous laws."""
        import numpy as np

        if self.sign > 0:
            log_f, density = self._frozen.logcdf(z), self._frozen.pdf(z)
        else:
            log_f, density = self._frozen.logsf(-z), self._frozen.pdf(-z)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return log_f, np.where(density > 0, density / np.exp(log_f), 0.0)

    def quantile(self, p: float) -> float:
        """The least z with F_Y(z) >= p (0 < p <= 1)."""
        if self.discrete:
            return next(value for value, f in self.levels if f >= p - 1e-12)
        return float(self._frozen.ppf(p) if self.sign > 0 else -self._frozen.isf(p))

    def lowest(self) -> float:
        """The least value of Y's support (-inf when unbounded)."""
        if self.discrete:
            return self.levels[0][0]
        low, high = self._frozen.support()
        return float(low if self.sign > 0 else -high)

    def from_uniform(self, u):
        """Y's values at the uniforms ``u`` (a numpy array): inverse transform, increasing in ``u``."""
        import numpy as np

        if self.discrete:
            values = np.array([value for value, _ in self.levels])
            cumulative = np.array([f for _, f in self.levels])
            return values[np.minimum(np.searchsorted(cumulative, u, side="left"), len(values) - 1)]
        return self._frozen.ppf(u) if self.sign > 0 else -self._frozen.isf(u)


def mean(belief: Belief) -> float:
    """The mean of the belief's number θ."""
    if belief.law == "discrete":
        return sum(v * p for v, p in zip(belief.discrete.values, belief.discrete.probs, strict=True))
    if belief.law == "lognormal":
        return belief.lognormal.mean
    return float(Law(belief)._frozen.mean())
