"""Readable labels and units for names, taken from the instance (names stand in when there is none).

Figures and the sweep brief use short labels (:meth:`Labels.shortened`): the
head of each label, before a parenthesis or a colon, cut at a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..kinds import red_line_kind
from ..schema import Instance

SHORT_LABEL = 28
"""A short label has at most this many characters."""
_HEAD_END = re.compile(r"\s+[(\[]|:\s")


def short_label(text: str, width: int = SHORT_LABEL) -> str:
    """The head of a label, before a parenthesis or a colon, cut at a word (with '…') to at most ``width`` characters.

    'Car deal (cars and the reciprocal rate at a common 15%)' -> 'Car deal'.
    """
    head = _HEAD_END.split(text, maxsplit=1)[0].strip() or text
    if len(head) <= width:
        return head
    cut = head[: width - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;-") + "…"


@dataclass(frozen=True)
class Labels:
    """Labels and units of one instance's levers, options, offers, constituencies, metrics and parameters."""

    instance: Instance | None
    short: bool = False
    """Short labels and units (:func:`short_label`), for figures and the sweep brief."""

    def shortened(self) -> Labels:
        """The same labels, short."""
        return replace(self, short=True)

    def lever(self, name: str) -> str:
        lever = self.instance.levers.get(name) if self.instance else None
        return self._text((lever.label if lever else None) or name)

    def lever_unit(self, name: str) -> str | None:
        lever = self.instance.levers.get(name) if self.instance else None
        return self._text(lever.unit if lever else None)

    def option(self, lever: str, option: str) -> str:
        choice = self.instance.levers.get(lever) if self.instance else None
        found = getattr(choice, "options", {}).get(option)
        return self._text((found.label if found else None) or option)

    def offer(self, name: str | None) -> str:
        if name is None:
            return "none"
        offer = self.instance.offer_items.get(name) if self.instance else None
        return self._text((offer.label if offer else None) or name)

    def constituency(self, name: str) -> str:
        group = self.instance.constituencies.get(name) if self.instance else None
        return self._text((group.label if group else None) or name)

    def metric(self, name: str) -> str:
        metric = self.instance.metrics.get(name) if self.instance else None
        return self._text((metric.label if metric else None) or name)

    def metric_unit(self, name: str) -> str | None:
        metric = self.instance.metrics.get(name) if self.instance else None
        return self._text(metric.unit if metric else None)

    @property
    def cost_unit(self) -> str | None:
        """The unit of political cost (the instance's ``units.cost``)."""
        return self._text(self.instance.units.get("cost") if self.instance else None)

    def _text(self, text: str | None) -> str | None:
        return short_label(text) if self.short and text else text

    def parameter(self, path: str) -> tuple[str, str | None]:
        """A swept parameter's label and unit: ``demands.investment`` -> ('Investment in the US demand', 'USD bn')."""
        parts = path.split(".")
        match parts:
            case ["demands", metric]:
                return f"{self.metric(metric)} demand", self.metric_unit(metric)
            case ["offers", offer, "requires", metric]:
                return f"{self.offer(offer)}: {self.metric(metric)} required", self.metric_unit(metric)
            case ["offers", offer, "benefits", group]:
                return f"{self.offer(offer)}: benefit to {self.constituency(group)}", self.cost_unit
            case ["constituencies", group, "weight"]:
                return f"{self.constituency(group)} weight", None
            case ["levers", lever, ("max" | "min_if_used") as bound]:
                return f"{self.lever(lever)} {bound.replace('_', ' ')}", self.lever_unit(lever)
            case ["red_lines", name, ("max" | "min") as bound]:
                return f"red line {self._red_line(name)} {bound}", self._red_line_unit(name)
        return path, None

    @staticmethod
    def axis(label: str, unit: str | None) -> str:
        """An axis label with its unit: 'net political cost (points)'."""
        return f"{label} ({unit})" if unit else label

    def _red_line(self, name: str) -> str:
        line = self._find_red_line(name)
        return self._text((line.label if line is not None else None) or name)

    def _red_line_unit(self, name: str) -> str | None:
        line = self._find_red_line(name)
        return self.cost_unit if line is not None and red_line_kind(line).value_in_cost_points else None

    def _find_red_line(self, name: str):
        lines = self.instance.red_lines if self.instance else []
        return next((line for line in lines if line.name == name), None)
