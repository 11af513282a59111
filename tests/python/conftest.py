"""Shared fixtures: the source tree, the `riskoff` CLI (to compare with) and the shipped ruleset.

ctest runs these with PYTHONPATH at the build tree's package (build/<preset>/python) and
RISKOFF_CLI at the command-line program; under the ASan build also with libasan and libstdc++
preloaded (tests/python/CMakeLists.txt says why).
"""

import os
import pathlib
import subprocess

import pytest

import riskoff

SOURCE = pathlib.Path(os.environ.get("RISKOFF_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SNAPSHOTS = ["2019-11-15", "2020-03-16", "2026-02-04"]


def cli(*args: str) -> subprocess.CompletedProcess:
    """Runs the riskoff CLI from the source tree; returns the completed process."""
    program = os.environ.get("RISKOFF_CLI")
    if not program:
        pytest.skip("RISKOFF_CLI is not set (ctest sets it)")
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)  # the CLI links its own sanitizer runtime
    return subprocess.run([program, *args], cwd=SOURCE, capture_output=True, text=True, env=env, check=False)


@pytest.fixture(scope="session")
def source() -> pathlib.Path:
    return SOURCE


@pytest.fixture(scope="session")
def rules() -> riskoff.Ruleset:
    return riskoff.Ruleset.from_file(SOURCE / "rulesets/riskoff.rules")


@pytest.fixture(autouse=True)
def _in_source_tree(monkeypatch):
    monkeypatch.chdir(SOURCE)
