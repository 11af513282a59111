#!/usr/bin/python3
"""The Python package's cost, as ratios to the C++ API measured in the same run (these machines
are noisy): decide() from Python against riskoff_decide_baseline (target: within 2x), and the
replay DataFrame for ten years of daily steps (target: under 50 ms).

    make bench        # or, after a release build with -DRISKOFF_BUILD_BENCH=ON -DRISKOFF_PYTHON=ON:
    /usr/bin/python3 bench/python_bench.py --build build/release

Exits 1 when a target is missed.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import timeit

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=str(ROOT / "build/release"), help="a release build folder")
    parser.add_argument("--calls", type=int, default=2000, help="decide() calls per repeat")
    args = parser.parse_args()
    build = pathlib.Path(args.build).resolve()
    sys.path.insert(0, str(build / "python"))
    import riskoff

    baseline = json.loads(subprocess.run([str(build / "bench/riskoff_decide_baseline"), str(ROOT), str(args.calls)],
                                         check=True, capture_output=True, text=True).stdout)
    rules = riskoff.Ruleset.from_file(ROOT / "rulesets/riskoff.rules")
    snapshot = riskoff.Snapshot.from_file(ROOT / "examples/snapshots/2026-02-04.json")
    timer = timeit.Timer(lambda: rules.decide(snapshot, profile="swing").action)
    python_us = min(timer.repeat(repeat=5, number=args.calls)) / args.calls * 1e6
    ratio = python_us / baseline["decide_us"]

    run = riskoff.replay(rules, sources=ROOT / "examples/sources-local.json", start="2017-01-01", end="2026-02-06",
                         profile="swing")
    frame_timer = timeit.Timer(lambda: riskoff.Replay(run._core).frame)  # a fresh Replay: nothing cached
    frame_ms = min(frame_timer.repeat(repeat=7, number=1)) * 1e3
    shape = run.frame.shape

    ok_decide, ok_frame = ratio <= 2.0, frame_ms < 50.0
    print(f"decide, C++ API (riskoff_decide_baseline)   {baseline['decide_us']:9.1f} us/call")
    print(f"decide, Python (Ruleset.decide)             {python_us:9.1f} us/call   ratio {ratio:.2f} "
          f"(target <= 2.00) {'ok' if ok_decide else 'MISSED'}")
    print(f"replay DataFrame {shape[0]} steps x {shape[1]} columns  {frame_ms:9.1f} ms        "
          f"(target < 50 ms) {'ok' if ok_frame else 'MISSED'}")
    return 0 if ok_decide and ok_frame else 1


if __name__ == "__main__":
    sys.exit(main())
