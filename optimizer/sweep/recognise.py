"""Telling a sweep spec from an instance file, without building the spec's schema (validate stays light)."""

from __future__ import annotations

from typing import Any

SPEC_KEYS = ("base", "grid", "zip", "scenarios", "sample", "options")
"""Top-level keys only a sweep spec has (``tests/test_sweep_spec.py`` holds them to the spec's schema)."""


def is_sweep_spec(data: Any) -> bool:
    """True when parsed YAML data is a sweep spec (it has a spec's keys) rather than an instance (``format``)."""
    return isinstance(data, dict) and "format" not in data and any(key in data for key in SPEC_KEYS)
