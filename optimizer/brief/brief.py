"""The negotiation brief as data: what ``brief.json`` holds, read back without solving anything.

:func:`optimizer.brief.build.build_brief` computes it from a solved result; review and
report read it back with :meth:`Brief.from_dict` and render it through
:mod:`optimizer.brief.render`.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT = 1
"""The version of brief.json's layout."""


@dataclass
class Brief:
    """The seven sections of a brief as JSON-ready data (see :func:`build_brief` for the keys)."""

    data: dict

    def to_dict(self) -> dict:
        """What ``brief.json`` holds: numbers at full precision."""
        return self.data

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        return cls(data)

    def to_markdown(self) -> str:
        """``brief.md``: the brief for a memo."""
        from .render import brief_markdown

        return brief_markdown(self)
