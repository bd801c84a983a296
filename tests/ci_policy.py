"""A test that needs an outside tool (Chromium, Java, a reader) skips with a reason containing
"is not installed" when the tool is absent.  On a developer's machine that stays a skip; under
``CI=true`` the hook below turns it into a failure, so that a CI without a browser or Java is
never quietly green.  Imported by ``tests/conftest.py``."""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

import pytest

MISSING_TOOL = "is not installed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and os.environ.get("CI", "").lower() == "true"
        and MISSING_TOOL in str(report.longrepr)
    ):
        report.outcome = "failed"
        report.longrepr = f"CI=true, so a missing tool fails the run: {report.longrepr}"
