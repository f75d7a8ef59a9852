# The Python tests run by ctest (tests/CMakeLists.txt): PYTHONPATH holds build/python, and
# ARENAPLAN_BINARY / ARENAPLAN_REPO_DIR name the command-line tool and the repository.
import os
import pathlib

import pytest

REPO = pathlib.Path(os.environ.get("ARENAPLAN_REPO_DIR", pathlib.Path(__file__).resolve().parents[2]))


@pytest.fixture
def repo():
    return REPO


@pytest.fixture
def data():
    return REPO / "tests" / "data"


@pytest.fixture
def cli():
    binary = os.environ.get("ARENAPLAN_BINARY")
    if not binary:
        pytest.fail("ARENAPLAN_BINARY is not set (run the Python tests through ctest)")
    return binary
