"""Sweeps on a Dask cluster give the answers of local worker processes (skipped without the dask extra)."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from optimizer.sweep import run_sweep
from optimizer.tolerance import objectives_agree

distributed = pytest.importorskip("distributed")

MIXED = Path(__file__).parent / "data" / "sweep" / "toy_mixed.yaml"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


@pytest.fixture(scope="module")
def threaded_cluster():
    """One worker process with two threads: what `dask worker` starts by default on 2 cores."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as local:
        yield local


@pytest.mark.parametrize("which", ["cluster", "threaded_cluster"])
def test_a_dask_sweep_equals_a_local_one(which, request, tmp_path):
    """Also on a worker whose two threads would deadlock in Pyomo's output capture if they solved at once."""
    cluster = request.getfixturevalue(which)
    found = []
    sweep = threading.Thread(
        target=lambda: found.append(run_sweep(MIXED, out=tmp_path / "dask", dask=cluster.scheduler_address)),
        daemon=True,  # a deadlock fails the test instead of hanging it
    )
    sweep.start()
    sweep.join(120)
    assert found, "the Dask sweep did not finish in 120 s"
    on_dask = found[0]
    local = run_sweep(MIXED, out=tmp_path / "local", workers=2)
    assert on_dask.exit_code == 0 and on_dask.counts == local.counts
    a, b = (pd.read_parquet(s.folder / "scenarios.parquet") for s in (on_dask, local))
    assert list(a["id"]) == list(b["id"]) and list(a["status"]) == list(b["status"])
    assert all(
        (pd.isna(x) and pd.isna(y)) or objectives_agree(x, y)
        for x, y in zip(a["objective"], b["objective"], strict=True)
    )
    assert a.loc[a["status"] == "optimal", "verified"].all()


def test_a_dask_sweep_resumes_like_a_local_one(cluster, tmp_path):
    run_sweep(MIXED, out=tmp_path, workers=1)
    assert run_sweep(MIXED, out=tmp_path, dask=cluster.scheduler_address).solved == 0


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clean_error(tmp_path):
    """Takes the client's 10 s connection timeout."""
    from optimizer.sweep import SweepError

    with pytest.raises(SweepError, match="cannot reach the Dask scheduler"):
        run_sweep(MIXED, out=tmp_path, dask="tcp://127.0.0.1:9")


def test_a_lost_scheduler_is_a_sweep_error_not_a_crash(monkeypatch):
    """distributed.wait raises FuturesCancelledError when the scheduler dies mid-sweep."""
    from optimizer.sweep import SweepError
    from optimizer.sweep.runner import DaskWorkers

    def scheduler_gone(*args, **kwargs):
        raise distributed.client.FuturesCancelledError([])

    workers = object.__new__(DaskWorkers)  # no cluster needed to see how a lost one is reported
    workers.distributed = distributed
    monkeypatch.setattr(distributed, "wait", scheduler_gone)
    with pytest.raises(SweepError, match="the Dask cluster dropped the sweep's chunks"):
        workers.wait_first([])
