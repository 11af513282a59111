"""riskoff.audit: record decisions, read them back as a DataFrame, verify, recheck."""

import os

import pandas as pd
import pytest

import riskoff
from conftest import SNAPSHOTS, cli


# The PostgreSQL databases riskoff_pg_run made for this run (tests/support/pg_run.cpp): ctest
# runs this file again through it as python.test_audit_pg, with -k postgresql.
_PG_DATABASES = os.environ.get("RISKOFF_TEST_PG_DATABASES", "").split()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, rules):
    if request.param == "sqlite":
        db = str(tmp_path / "audit.sqlite")
    elif not _PG_DATABASES:
        pytest.skip("no test PostgreSQL server (ctest's python.test_audit_pg runs these under riskoff_pg_run)")
    else:
        db = _PG_DATABASES.pop(0)  # one new database per test
    with riskoff.audit.open(db, mode="c") as log:
        for day in SNAPSHOTS:
            snap = riskoff.Snapshot.from_file(f"examples/snapshots/{day}.json")
            log.record(rules.decide(snap, profile="swing"), snap)
    return db


def test_decisions_is_a_dataframe_of_what_was_recorded(store, rules):
    log = riskoff.audit.open(store)
    frame = log.decisions()
    assert frame.shape == (3, 13) and frame.index.name == "id" and list(frame.index) == [1, 2, 3]
    assert str(frame["as_of"].dtype) == "datetime64[ns, UTC]"
    assert str(frame["recorded_at"].dtype) == "datetime64[ns, UTC]"
    assert frame["tampered"].dtype == bool and not frame["tampered"].any()
    assert set(frame["ruleset"]) == {"riskoff"} and set(frame["ruleset_hash"]) == {rules.content_hash}
    later = log.decisions(start="2020-01-01")
    assert list(later.index) == [2, 3]
    only = log.decisions(action=frame["action"].iloc[0])
    assert len(only) >= 1 and set(only["action"]) == {frame["action"].iloc[0]}


def test_get_verify_and_recheck(store):
    log = riskoff.audit.open(store)
    record = log.get(3)
    assert record["explanation"]["as_of"] == "2026-02-04T21:00:00Z"
    assert log.verify()["ok"] and log.verify()["records"] == 3
    assert log.recheck(2)["ok"]


def test_the_cli_reads_what_python_recorded(store):
    done = cli("audit", "verify", "--db", store)
    assert done.returncode == 0, done.stderr


def test_store_errors_are_exceptions(tmp_path, store):
    with pytest.raises(riskoff.IoError):
        riskoff.audit.open(tmp_path / "nope.sqlite")
    with pytest.raises(riskoff.StoreError, match="no decision 9"):
        riskoff.audit.open(store).get(9)
    not_a_store = tmp_path / "text.sqlite"
    not_a_store.write_text("hello")
    with pytest.raises(riskoff.StoreError):
        riskoff.audit.open(not_a_store)
    with pytest.raises(riskoff.UsageError, match="mode"):
        riskoff.audit.open(store, mode="x")
