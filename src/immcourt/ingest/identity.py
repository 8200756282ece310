"""What a release is: its content (member names and hashes), and when an ingest may replace a stored one.

A release id names one content. Ingesting a release whose id is already in the store:

- with the same content (every member's name and SHA-256 equal, whatever the container: the zip and its
  unpacked folder are the same release) publishes it again, as before (a newer immcourt, a repaired store);
- with different content is refused, naming the id, what differs and where the stored one came from, unless
  the caller passes `replace=True` (`immcourt ingest --replace`); then the report says what it replaced.
  Cited numbers must not change under an id without the user knowing.

Members are compared by file name (not path: folders do not matter, release.py) and SHA-256, after the load
(the byte pass hashes each table), so a damaged release is refused for its damage, naming it, first.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from immcourt.release import DATE_SOURCES


def stored_manifest(release_folder: Path) -> dict[str, Any] | None:
    """The `_release.json` of a published release folder, or None (no release, or unreadable)."""
    path = release_folder / "_release.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _by_name(files: list[dict[str, Any]], key: str) -> dict[str, object]:
    return {PurePosixPath(str(f["name"])).name.lower(): f.get(key) for f in files}


def differences(old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> list[str]:
    """Member file names whose `key` ("bytes" or "sha256") differs between two manifests' `files`, or which
    only one holds; sorted."""
    a, b = _by_name(old, key), _by_name(new, key)
    shown = {
        PurePosixPath(str(f["name"])).name.lower(): PurePosixPath(str(f["name"])).name for f in old + new
    }
    return sorted(shown[name] for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def replacement_message(
    release_id: str, manifest: dict[str, Any], changed: list[str], *, source: object
) -> str:
    """The one-line refusal to replace a stored release of the same id with different content."""
    shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
    return (
        f"{source}: release {release_id} is already in the store with different content ({shown} differ; "
        f"stored from {manifest.get('source', 'an unknown source')}, ingested "
        f"{manifest.get('ingested_at', 'at an unknown time')}); pass --replace to replace it, or "
        "--release-id to store this one under another id"
    )


def replaced_warning(release_id: str, manifest: dict[str, Any], changed: list[str]) -> str:
    """The report line of an ingest that replaced a stored release of the same id (`replace=True`)."""
    return (
        f"replaced release {release_id} (stored from {manifest.get('source', 'an unknown source')}, ingested "
        f"{manifest.get('ingested_at', 'at an unknown time')}): {len(changed)} member(s) differ "
        f"({', '.join(changed[:3])}); numbers cited from the old content may change"
    )


def date_source_warning(release_id: str, date_source: str) -> str | None:
    """The warning for an id whose date came from a folder's file modification times; None otherwise."""
    if date_source != DATE_SOURCES["folder"]:
        return None
    return (
        f"release id {release_id} is dated by the newest file modification time in the folder, which a copy "
        "changes (the same release copied gets another id and records-through day); pass --release-id "
        "YYYY-MM-DD with the date EOIR published it, or ingest the zip (its member dates travel with it)"
    )
