#!/usr/bin/env python3
"""Every registered test has a time limit of at most 60 s (issue 14): a test added without one,
or given more, fails here. Reads what ctest registered:  time_limit.py BUILD_DIR LIMIT"""
import json
import subprocess
import sys

build_dir, limit = sys.argv[1], float(sys.argv[2])
listing = json.loads(subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"], check=True,
                                    capture_output=True, text=True).stdout)
bad = []
for test in listing["tests"]:
    timeout = next((p["value"] for p in test.get("properties", []) if p["name"] == "TIMEOUT"), None)
    if timeout is None or timeout > limit:
        bad.append(f"{test['name']}: TIMEOUT {timeout}")
if bad:
    print(f"{len(bad)} test(s) without a time limit of at most {limit:g} s:\n  " + "\n  ".join(bad))
    sys.exit(1)
print(f"all {len(listing['tests'])} tests have a time limit of at most {limit:g} s")
