"""The fuzz harness, short: mutated releases are refused in one line or loaded whole and reconciled.

The long run (>= 10,000 releases) is `make fuzz`; its figures are in docs/RELIABILITY.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_release import MUTATIONS, base_members, physical_data_lines, run_one


def test_physical_line_count_is_independent_of_line_ends() -> None:
    assert physical_data_lines(b"H\r\n1\r\n2\r\n") == 2
    assert physical_data_lines(b"H\n1\r2\r\n\n3") == 4  # LF, lone CR, CRLF, LF, and a last line without end
    assert physical_data_lines(b"\xef\xbb\xbfH\x00\r\n1\r\n") == 1
    assert physical_data_lines(b"") == 0


def test_clean_base_release_loads(tmp_path: Path) -> None:
    outcome = run_one(tmp_path, [], seed=0, container="folder")
    assert outcome.kind == "loaded", outcome.detail
    assert outcome.lines == sum(
        data.count(b"\r\n") - 1 for name, data in base_members().items() if "Case Data" in name
    )


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(
    operations=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
    seed=st.integers(0, 2**32 - 1),
    container=st.sampled_from(["folder", "zip"]),
)
def test_mutated_releases_are_refused_in_one_line_or_reconciled(
    tmp_path_factory, operations: list[str], seed: int, container: str
) -> None:
    work = tmp_path_factory.mktemp("fuzz")
    try:
        outcome = run_one(work, operations, seed, container)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert outcome.kind in ("loaded", "refused"), f"{operations} {seed} {container}: {outcome.detail}"
