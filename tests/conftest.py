"""Shared helpers: tiny instances built as dicts, the CLI run in-process, exact-answer assertions."""

from __future__ import annotations

import copy
import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import settings

import optimizer
from optimizer.cli import main
from optimizer.tolerance import objectives_agree

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy.yaml"

# Property tests take their example counts from a profile, not from their decorators: a few
# fixed examples in the default run (the same ones every time, so it stays fast and a failure
# reproduces), many fresh ones under `-m slow`. HYPOTHESIS_PROFILE=NAME (or --hypothesis-profile)
# picks one explicitly.
settings.register_profile("quick", max_examples=25, derandomize=True, deadline=None)
settings.register_profile("thorough", max_examples=400, deadline=None)


def pytest_configure(config):
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or hypothesis_profile_for(config.option.markexpr))


def hypothesis_profile_for(markexpr: str) -> str:
    """'thorough' when the ``-m`` expression selects slow tests (names ``slow`` other than as ``not slow``)."""
    return "thorough" if re.search(r"(?<!\bnot )\bslow\b", markexpr or "") else "quick"


def instance(**sections) -> dict:
    """A minimal valid instance (one constituency ``a`` of weight 1, one metric ``m``), sections replaced."""
    data = {
        "format": 1,
        "name": "tiny",
        "constituencies": {"a": {}},
        "metrics": {"m": {}},
        "levers": {},
    }
    data.update(copy.deepcopy(sections))
    return data


def solve(data, **kwargs) -> optimizer.Result:
    """Solve and insist on a verified answer whenever a package is reported."""
    result = optimizer.solve(data, **kwargs)
    if result.status in ("optimal", "time_limit") and result.package is not None:
        assert result.verified, result.reasons
    return result


def assert_optimal(result: optimizer.Result, objective: float, package: dict, offer: str | None = None) -> None:
    """Status optimal, the objective within the model's tolerance (docs/model.md), exactly this package and offer."""
    assert result.status == "optimal", (result.status, result.message, result.reasons, result.errors)
    assert result.verified
    assert objectives_agree(result.objective, objective), (result.objective, objective)
    got = result.package.levers()
    assert set(got) == set(package), got
    for lever, value in package.items():
        if isinstance(value, str):
            assert got[lever] == value, got
        else:
            assert got[lever] == pytest.approx(value, abs=1e-6), got
    assert result.offer == offer


def write(tmp_path: Path, text: str, name: str = "deal.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def cli(capsys):
    """Run ``dealopt ARGS`` in-process: returns (exit code, stdout, stderr)."""

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def console_script():
    """The argv prefix that runs the installed console script (or the module, if the script is missing)."""
    script = Path(sys.executable).parent / "dealopt"
    return [str(script)] if script.exists() else [sys.executable, "-m", "optimizer"]
