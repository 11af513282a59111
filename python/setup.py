"""pip install --no-build-isolation ./python: builds riskoff's library and the compiled module
with CMake (Debian's pybind11 and setuptools only, nothing fetched), then packages the folder the
build assembles (riskoff/*.py, _core, libriskoff.so found through $ORIGIN).

RISKOFF_BUILD_DIR=<dir> builds in (and packages from) that CMake build folder instead of
python/build/cmake (an existing one is reused as configured; a new one is configured Release).
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def project_version() -> str:
    header = (ROOT / "include/riskoff/version.h").read_text()
    return re.search(r'#define RISKOFF_VERSION_STRING "([0-9.]+)"', header).group(1)


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(os.environ.get("RISKOFF_BUILD_DIR") or HERE / "build" / "cmake").resolve()
        if not (build / "CMakeCache.txt").exists():
            subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                            "-DRISKOFF_PYTHON=ON", "-DRISKOFF_BUILD_TESTS=OFF", f"-DPython3_EXECUTABLE={sys.executable}"],
                           check=True)
        subprocess.run(["cmake", "--build", str(build), "-j2", "--target", "riskoff_python", "riskoff_python_files"],
                       check=True)
        package = build / "python" / "riskoff"
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).parent
        target.mkdir(parents=True, exist_ok=True)
        for item in package.iterdir():
            if item.suffix in (".so", ".py", ".pyi") or item.name in ("py.typed",) or ".so." in item.name:
                shutil.copy2(item, target / item.name)


setup(
    name="riskoff",
    version=project_version(),
    description="Explainable rule engine for cross-asset risk-off weeks",
    long_description=(HERE / "README.md").read_text() if (HERE / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    packages=["riskoff"],
    package_data={"riskoff": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("riskoff._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.9",
    install_requires=[],  # numpy and pandas are needed by frames only; Debian's python3-pandas
    zip_safe=False,
)
