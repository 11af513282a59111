"""examples/python/risk_off_week.ipynb runs top to bottom: with `jupyter nbconvert --execute`
when Debian's python3-nbconvert is there, else its code cells as one script."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SOURCE

NOTEBOOK = SOURCE / "examples/python/risk_off_week.ipynb"


def test_the_example_notebook_executes(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYDEVD_DISABLE_FILE_VALIDATION="1")
    try:
        import nbconvert  # noqa: F401
        have_nbconvert = True
    except ImportError:
        have_nbconvert = False
    if have_nbconvert:
        done = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path), str(NOTEBOOK)],
                              capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
        executed = json.loads((tmp_path / NOTEBOOK.name).read_text())
        outputs = [o for cell in executed["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])]
        assert not [o for o in outputs if o.get("output_type") == "error"]
        html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any("<svg" in "".join(h) for h in html), "the replay shows its chart"
    else:
        cells = json.loads(NOTEBOOK.read_text())["cells"]
        script = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        done = subprocess.run([sys.executable, "-c", script], cwd=NOTEBOOK.parent, capture_output=True, text=True,
                              env=env, check=False)
        assert done.returncode == 0, done.stderr[-4000:]
