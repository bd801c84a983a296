"""Under CI=true a test that skips because a tool is missing fails the run instead."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


NEEDS_A_TOOL = """
import pytest

def test_needs_chromium():
    pytest.skip("the Debian chromium package is not installed")

def test_skips_for_another_reason():
    pytest.skip("only on Tuesdays")
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest("from ci_policy import pytest_runtest_makereport  # noqa: F401")
    pytester.makepyfile(test_tool=NEEDS_A_TOOL)
    return pytester


def test_a_missing_tool_is_a_skip_on_a_developers_machine(project, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(skipped=2)


def test_a_missing_tool_fails_under_ci(project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*CI=true, so a missing tool fails the run*chromium*"])
