"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference folder beside the project (schema, lookups, published figures, seeds)."""
    if not SHARED.is_dir():
        pytest.skip(f"reference folder {SHARED} is missing: clone the project beside shared/")
    return SHARED


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2,000-case sample release (zip) with its oracle, generated once per test session and worker."""
    from immcourt.sample import generate

    out = tmp_path_factory.mktemp("small-sample")
    generate(cases=2_000, seed=7, out=out, fmt="zip", quiet=True)
    return out


@pytest.fixture(scope="session")
def small_store(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the ingested 2,000-case sample."""
    from immcourt.ingest import ingest_release

    store = tmp_path_factory.mktemp("small-store")
    ingest_release(small_sample / "EOIR Case Data.zip", store=store, progress=False)
    return store
