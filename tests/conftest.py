import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"


@pytest.fixture(scope="session")
def root():
    "The repository root."
    return ROOT
