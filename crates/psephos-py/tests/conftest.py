"""Shared fixtures: the repository's test data and the psephos binary."""

import os
import shutil
from pathlib import Path

import pytest

import psephos

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "testdata"
BURLINGTON = TESTDATA / "audit" / "2009-Burlington-Mayor.blt"


@pytest.fixture(scope="session")
def burlington():
    return psephos.read(BURLINGTON)


def cli_binary():
    """The command-line binary to compare with: $PSEPHOS_CLI, else one built
    in the workspace's target folder, else `psephos` on PATH."""
    if os.environ.get("PSEPHOS_CLI"):
        return os.environ["PSEPHOS_CLI"]
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("debug", "release"):
        if (target / profile / "psephos").exists():
            return str(target / profile / "psephos")
    return shutil.which("psephos")


@pytest.fixture(scope="session")
def cli():
    binary = cli_binary()
    if binary is None:
        pytest.skip("no psephos binary to compare with (set PSEPHOS_CLI)")
    return binary
