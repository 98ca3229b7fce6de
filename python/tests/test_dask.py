"""The docs' scaling-out example on a local Dask cluster (skipped when
`distributed` is not installed)."""

import pytest

import accord


def zopa_without(scenario, red_line):
    sc = scenario.copy()
    sc.drop_red_line(red_line)
    return red_line, accord.analyze(sc)["zopa"]["size"]


def test_dask_local_cluster_runs_accord_in_each_task():
    distributed = pytest.importorskip("distributed")
    sc = accord.load_bundled("triad")
    expected = dict(zopa_without(sc, r["id"]) for r in sc.red_lines)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        futures = [client.submit(zopa_without, sc, r["id"]) for r in sc.red_lines]
        got = dict(client.gather(futures))
    assert got == expected
    # Every single red line is in a blocking set of two: no single drop opens a deal.
    assert set(got.values()) == {0}
