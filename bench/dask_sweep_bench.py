"""The same sweep on this machine and on a 2-worker Dask LocalCluster, timed in one run
(docs/scale.md "Sweeps on Dask"). Figures are a ratio, because these machines are noisy.

    PYTHONPATH=build/release/python python3 bench/dask_sweep_bench.py [--grid yield_jump=5bp..30bp/5bp ...]

The cluster is started before timing (its start-up is not the sweep's); each run is timed as
the median of --runs. Both results are checked to be the same bytes before any figure is shown.
"""

import argparse
import statistics
import time

import riskoff

DEFAULT_GRID = ["yield_jump=10bp..25bp/5bp", "dollar_jump=0.5%,0.75%,1%"]


def timed(call, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--grid", nargs="*", default=DEFAULT_GRID)
    parser.add_argument("--start", default="2017-01-01")
    parser.add_argument("--end", default="2026-02-06")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    from distributed import Client, LocalCluster

    rules = riskoff.Ruleset.from_file("rulesets/riskoff.rules")
    args = dict(sources="examples/sources-local.json", start=options.start, end=options.end, profile="swing")
    with LocalCluster(n_workers=options.workers, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("riskoff").__version__)  # workers up and riskoff imported
        local_s, local = timed(lambda: riskoff.sweep(rules, options.grid, **args), options.runs)
        spread_s, spread = timed(lambda: riskoff.sweep(rules, options.grid, client=client, **args), options.runs)
    if spread.csv != local.csv:
        raise SystemExit("the Dask sweep differs from the local one")
    print(f"grid {' × '.join(options.grid)}: {len(local)} points, {local.steps} steps each "
          f"({options.start} to {options.end})")
    print(f"local (library thread pool, every core):  {local_s:7.2f} s  ({local_s / len(local) * 1000:.0f} ms/point)")
    print(f"Dask LocalCluster, {options.workers} processes x 1 thread: {spread_s:7.2f} s  "
          f"({spread_s / len(local) * 1000:.0f} ms/point)")
    print(f"ratio Dask / local: {spread_s / local_s:.2f}  (same bytes: yes)")


if __name__ == "__main__":
    main()
