"""The crash harness, short: SIGKILL during a release replacement never hides the release or leaves files.

The long run (100 kills) is `make crash`; its figures are in docs/RELIABILITY.md.
"""

from __future__ import annotations

from pathlib import Path

from tests.crash_release import crash_runs


def test_killed_replacements_keep_the_release_readable_and_leave_nothing(tmp_path: Path) -> None:
    tally = crash_runs(2, seed=7, base=tmp_path)
    assert tally.failures == []
    assert tally.runs == tally.readable == tally.clean_after_next == 2
