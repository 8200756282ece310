"""The Parquet store: layout, atomic publish, the DuckDB catalog, and opening a release read-only.

```
STORE/release=<id>/<Table>.parquet, lookup/<Lookup>.parquet, _quarantine.parquet, _release.json
STORE/catalog.duckdb   one schema per release (views over its files) and a `latest` schema
```
Views use paths relative to the store (resolved through DuckDB's `file_search_path`), so a store can be moved.

Publishing is atomic, also when it replaces a release: `release=<id>` is a relative symbolic link to a
folder `.versions/<id>@<pid>@<ns>`, and publishing switches the link with one rename (the "pointer" switched
last). Readers see the old release or the new one, never neither; a kill at any point leaves the previous
release readable, and :func:`clean_leftovers` (run by every ingest) removes what a killed process left
(staging folders, unreferenced versions, temporary links, catalog files), each only once its process is gone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from immcourt.sqlsafe import quote_ident, quote_literal, quote_path

RELEASE_PREFIX = "release="
RELEASE_FILE = "_release.json"
QUARANTINE_FILE = "_quarantine.parquet"
CATALOG_FILE = "catalog.duckdb"
LOOKUP_DIR = "lookup"
VERSIONS_DIR = ".versions"  # the folders `release=<id>` links point to


class StoreError(Exception):
    """A store problem a user can meet; the message names the path and what to do."""


@dataclass(frozen=True)
class ReleaseInfo:
    """One ingested release as recorded in its `_release.json`."""

    id: str
    is_sample: bool
    path: Path
    tables: tuple[str, ...]
    lookups: tuple[str, ...]
    manifest: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def label(self) -> str:
        """How to name the release next to any figure computed from it."""
        return f"{self.id} (SAMPLE DATA)" if self.is_sample else self.id


_RELEASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def release_dir(store: str | Path, release_id: str) -> Path:
    """`STORE/release=<id>`; an id that is not 1-64 letters, digits, `.`, `_`, `-` (so cannot leave the
    store, e.g. `../x`) is a StoreError."""
    if not _RELEASE_ID.fullmatch(str(release_id)) or ".." in str(release_id):
        raise StoreError(
            f"release id {release_id!r} is not usable; write 1-64 letters, digits, '.', '_' or '-'"
        )
    return Path(store) / f"{RELEASE_PREFIX}{release_id}"


def schema_name(release_id: str) -> str:
    """A SQL identifier for a release id: `sample-2026-01-05` → `r_sample_2026_01_05`."""
    return "r_" + re.sub(r"\W", "_", release_id)


def list_releases(store: str | Path) -> list[ReleaseInfo]:
    """Every published release of a store, oldest first (by id, which starts with the release date)."""
    root = Path(store)
    if not root.is_dir():
        return []
    infos = [read_info(path) for path in root.glob(f"{RELEASE_PREFIX}*") if (path / RELEASE_FILE).is_file()]
    return sorted(infos, key=lambda info: (_date_part(info.id), info.id))


def _date_part(release_id: str) -> str:
    return release_id.removeprefix("sample-")


def latest_release(store: str | Path) -> ReleaseInfo | None:
    releases = list_releases(store)
    return releases[-1] if releases else None


def read_info(path: Path) -> ReleaseInfo:
    manifest = json.loads((path / RELEASE_FILE).read_text(encoding="utf-8"))
    tables = tuple(sorted(p.stem for p in path.glob("*.parquet") if not p.name.startswith("_")))
    lookups = tuple(sorted(p.stem for p in (path / LOOKUP_DIR).glob("*.parquet")))
    return ReleaseInfo(
        id=manifest["id"],
        is_sample=bool(manifest.get("is_sample")),
        path=path,
        tables=tables,
        lookups=lookups,
        manifest=manifest,
    )


def staging_dir(store: str | Path, release_id: str) -> Path:
    """A fresh private folder to build a release in; invisible to readers until published."""
    path = Path(store) / f".tmp-{release_id}-{os.getpid()}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def publish(staging: Path, *, store: str | Path, release_id: str) -> Path:
    """Publish a finished staging folder as `release=<id>`, replacing any previous one atomically.

    The folder moves to `.versions/` (invisible to readers), then a new link to it replaces `release=<id>`
    with one rename, then the previous version is deleted. A store written before links were used holds a
    real folder, which no rename can swap for a link: it is renamed aside to `.old-<id>-<pid>` first, and
    :func:`clean_leftovers` puts it back if the process dies before the link is in place.
    """
    root = Path(store)
    target = release_dir(root, release_id)
    versions = root / VERSIONS_DIR
    versions.mkdir(exist_ok=True)
    version = versions / f"{release_id}@{os.getpid()}@{time.time_ns()}"
    staging.rename(version)
    link = root / f".link-{release_id}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(VERSIONS_DIR) / version.name, target_is_directory=True)
    previous = _link_target(target)
    aside = None
    if target.exists() and not target.is_symlink():
        aside = root / f".old-{release_id}-{os.getpid()}"
        target.rename(aside)
    os.replace(link, target)  # the switch: atomic
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    if previous is not None and previous != version:
        shutil.rmtree(previous, ignore_errors=True)
    return target


def _link_target(link: Path) -> Path | None:
    """The version folder a `release=<id>` link points to, or None when it is not a link."""
    if not link.is_symlink():
        return None
    return link.parent / os.readlink(link)


def remove_stale_staging(store: str | Path) -> None:
    """Delete staging folders (`.tmp-<name>-<pid>`) left by interrupted processes that are gone."""
    for path in Path(store).glob(".tmp-*-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isascii() and pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def clean_leftovers(store: str | Path) -> list[Path]:
    """Remove everything killed processes left in a store; returns what was removed (or restored).

    Each leftover carries its process id and is touched only when that process is gone: staging folders
    `.tmp-<id>-<pid>`, links `.link-<id>-<pid>`, versions no `release=<id>` link points to, catalog files
    `.catalog.duckdb.<pid>`; a `.old-<id>-<pid>` folder goes back in place when its release is missing
    (killed between the two renames of a legacy replacement), and is deleted otherwise.
    """
    root = Path(store)
    if not root.is_dir():
        return []
    removed = []
    for path in leftovers(root):
        pid = _pid_of(path)
        if pid is None or _process_alive(pid):
            continue
        removed.append(path)
        if path.name.startswith(".old-"):
            target = root / f"{RELEASE_PREFIX}{path.name.removeprefix('.old-').rsplit('-', 1)[0]}"
            if not target.exists() and not target.is_symlink():
                path.rename(target)
                continue
        if path.is_symlink() or path.is_file():
            path.unlink(missing_ok=True)
        else:
            shutil.rmtree(path, ignore_errors=True)
    versions = root / VERSIONS_DIR
    if versions.is_dir() and not any(versions.iterdir()):
        versions.rmdir()
    return removed


def leftovers(store: str | Path) -> list[Path]:
    """What is in a store besides its published releases and catalog: the files of running or killed
    ingests (see :func:`clean_leftovers`). Empty for a store no process is writing to."""
    root = Path(store)
    if not root.is_dir():
        return []
    found = [
        path
        for pattern in (".tmp-*-*", ".old-*-*", ".link-*-*", f".{CATALOG_FILE}.*")
        for path in root.glob(pattern)
    ]
    versions = root / VERSIONS_DIR
    if versions.is_dir():
        used = {
            target.resolve()
            for link in root.glob(f"{RELEASE_PREFIX}*")
            if (target := _link_target(link)) is not None
        }
        found += [path for path in versions.iterdir() if path.resolve() not in used]
    return sorted(found)


def _pid_of(path: Path) -> int | None:
    """The process id a leftover's name carries (`...-<pid>`, `<id>@<pid>@<ns>`, `.catalog.duckdb.<pid>`)."""
    name = path.name
    if path.parent.name == VERSIONS_DIR:
        parts = name.rsplit("@", 2)
        text = parts[1] if len(parts) == 3 else ""
    elif name.startswith(f".{CATALOG_FILE}."):
        text = name.removeprefix(f".{CATALOG_FILE}.").split(".")[0]
    else:
        text = name.rsplit("-", 1)[-1]
    return int(text) if text.isascii() and text.isdigit() else None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _view_statements(info: ReleaseInfo, schema: str) -> list[str]:
    """DDL for a schema with one view per table/lookup file; names and paths (which come from the
    release's member names) are quoted by sqlsafe, so a member named `x'); COPY ...` is just a name."""
    base = f"{RELEASE_PREFIX}{info.id}"
    statements = [f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}"]
    names = [(table, f"{base}/{table}.parquet") for table in info.tables]
    names += [
        (lookup if lookup not in info.tables else f"lookup_{lookup}", f"{base}/{LOOKUP_DIR}/{lookup}.parquet")
        for lookup in info.lookups
    ]
    if (info.path / QUARANTINE_FILE).exists():
        names.append(("_quarantine", f"{base}/{QUARANTINE_FILE}"))
    for name, relative in names:
        statements.append(
            f"CREATE OR REPLACE VIEW {quote_ident(schema)}.{quote_ident(name)} AS "
            f"SELECT * FROM read_parquet({quote_path(relative)})"
        )
    return statements


def refresh_catalog(store: str | Path) -> Path:
    """Rebuild `catalog.duckdb`: a schema per release and `latest`, views with store-relative paths."""
    root = Path(store).resolve()
    path = root / CATALOG_FILE
    temporary = root / f".{CATALOG_FILE}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    releases = list_releases(root)
    with duckdb.connect(str(temporary)) as con:
        con.execute(f"SET file_search_path = {quote_literal(root)}")
        for info in releases:
            for statement in _view_statements(info, schema_name(info.id)):
                con.execute(statement)
        if releases:
            for statement in _view_statements(releases[-1], "latest"):
                con.execute(statement)
    temporary.replace(path)
    return path


def open_release(
    store: str | Path, release: str | None = None, *, read_only: bool = True
) -> tuple[duckdb.DuckDBPyConnection, ReleaseInfo]:
    """A DuckDB connection whose default schema has one view per table (and lookup) of a release.

    The newest release is used when `release` is None. The connection is in memory and only reads the
    Parquet files, so any number of readers can open the store while an ingest publishes a new release.
    Also available: `_quarantine` (lines set aside) when present.
    """
    root = Path(store)
    if release is None:
        info = latest_release(root)
        if info is None:
            raise StoreError(
                f"{root}: no ingested release; run `immcourt ingest <release.zip> --store {root}`"
            )
    else:
        path = release_dir(root, release)
        if not (path / RELEASE_FILE).is_file():
            known = ", ".join(i.id for i in list_releases(root)) or "none"
            raise StoreError(f"{root}: no release '{release}' (ingested: {known})")
        info = read_info(path)
    con = duckdb.connect(":memory:")
    con.execute(f"SET file_search_path = {quote_literal(root.resolve())}")
    for statement in _view_statements(info, "main")[1:]:
        con.execute(statement)
    del read_only  # the connection never writes to the store either way
    return con, info
