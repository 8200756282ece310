"""Helpers for tests that need a generated sample release; conftest.py may import these fixtures.

Everything is generated into pytest's temporary folders, never into the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from immcourt.sample import SampleResult, generate


def make_sample(
    out: Path, *, cases: int = 1_500, seed: int = 5, fmt: str = "dir", defects: str = "realistic"
) -> SampleResult:
    """Generate a small sample release (quietly) into `out`."""
    return generate(cases=cases, seed=seed, out=out, fmt=fmt, defects=defects, quiet=True)


def physical_lines(path: Path) -> list[bytes]:
    """A table file's physical lines (split on LF, a trailing CR removed); index 0 is line 1, the header."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


@pytest.fixture(scope="session")
def dir_sample_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[SampleResult, SampleResult]:
    """The same 1,500-case sample as folders, once with realistic defects and once clean."""
    base = tmp_path_factory.mktemp("sample-pair")
    return make_sample(base / "realistic"), make_sample(base / "clean", defects="none")
