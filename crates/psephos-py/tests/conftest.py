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


def _no_skips(report):
    """With PSEPHOS_NO_SKIPS set (as in CI), a skipped test fails."""
    if os.environ.get("PSEPHOS_NO_SKIPS") and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped, but PSEPHOS_NO_SKIPS is set: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _no_skips(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _no_skips(outcome.get_result())
