"""A clone with nothing beside it (no ../shared) runs the demo through the claim check of its own article."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT_ROOT

RUN = "import sys; from immcourt.cli import main; sys.argv = ['immcourt', *sys.argv[1:]]; main()"


@pytest.mark.slow
def test_demo_checks_its_own_article_without_shared(tmp_path: Path) -> None:
    clone = tmp_path / "clone"  # tmp_path/shared does not exist: nothing beside the clone
    shutil.copytree(
        PROJECT_ROOT / "src", clone / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", clone)
    env = {**os.environ, "PYTHONPATH": str(clone / "src"), "COLUMNS": "200"}
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import immcourt.cli.demo as d; print(d.EXAMPLE_ARTICLE); print(d.SEEDS_DIR.exists())",
        ],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert where == [str(clone / "src/immcourt/claims/examples/demo-article.txt"), "False"]
    run = subprocess.run(
        [sys.executable, "-c", RUN, "demo", "--out", "demo", "--cases", "1500"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout
    assert "Claim check: demo-article.txt" in out and "no article" not in out
    assert "000_" not in out  # the seed articles are not there to check
    report = (clone / "demo" / "reports" / "demo-article.html").read_text(encoding="utf-8")
    # the article's claims, each found and given a verdict: counts by fiscal year, the allowed-to-remain
    # share, terminations since a year, the grant rate, the backlog, and one the data cannot check
    for claim in ("41,000", "23,500", "61 percent", "12,000", "33 percent", "96,000", "48 percent"):
        assert claim in out, claim
    for reading in (
        "all completions",
        "share allowed to remain",
        "terminated or dismissed",
        "asylum grant rate",
        "cases pending",
        "not checkable",
    ):
        assert reading in out, reading
    assert "41,000" in report and "not checkable" in report
