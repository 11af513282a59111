#!/usr/bin/env bash
# pip install ./python into a fresh virtual environment (Debian's site packages visible, no
# index: nothing is fetched) and use the package from outside the source tree.
# Usage: pip_install.sh PYTHON SOURCE_DIR BUILD_DIR
set -euo pipefail
unset PYTHONPATH  # the build tree's package must not shadow the installed one
python=$1 source=$2 build=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Without a pip of its own: ensurepip costs 5 CPU-s for a pip used once. The interpreter's pip
# installs into the venv instead (--python), as a user's pip would.
"$python" -m venv --system-site-packages --without-pip "$work/venv"
# The build folder ctest already built: setup.py rebuilds its riskoff_python target (a no-op) and
# packages it, the same path a fresh Release build takes.
# pip itself runs without the sanitizer preload (it only packages the built module; slow under ASan).
env -u LD_PRELOAD RISKOFF_BUILD_DIR=$build "$python" -m pip --python "$work/venv/bin/python" install --quiet \
    --no-build-isolation --no-index "$source/python"

cd "$work"
"$work/venv/bin/python" - "$source" <<'PY'
import pathlib, sys
import riskoff

source = pathlib.Path(sys.argv[1])
where = pathlib.Path(riskoff.__file__).resolve()
assert source not in where.parents, f"imported from the source tree: {where}"
assert "site-packages" in where.parts, where
assert riskoff.__version__ == riskoff._core.version, riskoff.__version__
rules = riskoff.Ruleset.from_file(source / "rulesets/riskoff.rules")
decision = rules.decide(riskoff.Snapshot.from_file(source / "examples/snapshots/2026-02-04.json"), profile="swing")
assert decision.action in ("hedge", "reduce", "wait")
lib = where.parent / "libriskoff.so.0"
assert lib.exists(), "libriskoff.so is packaged beside the module"
print(f"installed riskoff {riskoff.__version__} at {where.parent}: {decision.action} on 2026-02-04")
PY
