"""Open an EOIR release (a zip or a folder) and describe its members.

Tables are found by file name anywhere in the tree (``EOIR Case Data/``, ``Data/`` or flat), lookups under any
``Lookup/`` folder; ``Count.txt`` gives the row count EOIR copied for each table. Deflate64 members (method 9,
common in EOIR's zips) are readable because importing ``zipfile_deflate64`` teaches ``zipfile`` that method.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import zipfile_deflate64  # noqa: F401 - registers Deflate64 with zipfile on import

SAMPLE_MARKER = "SAMPLE-README.txt"
COUNT_FILE = "Count.txt"
_TABLE_SUFFIXES = (".csv", ".txt", ".tsv")
_COUNT_LINE = re.compile(r"^\s*(?P<table>[^\t]+?)\s*\t\s*(?P<n>\d+)\s+rows? copied\.?\s*$", re.IGNORECASE)
_CHUNK = 1 << 22


class ReleaseError(Exception):
    """A release that cannot be opened; the message names the file and what to do."""


@dataclass(frozen=True)
class Member:
    """One file of the release: its path inside the release, size and modification date."""

    name: str  # path inside the zip or relative to the folder, with forward slashes
    size: int
    modified: datetime

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def is_lookup(self) -> bool:
        return any(part.lower() == "lookup" for part in PurePosixPath(self.name).parts[:-1])


@dataclass
class Release:
    """An opened release; use :func:`open_release` to make one."""

    source: Path
    members: list[Member]
    tables: dict[str, Member]
    lookups: dict[str, Member]
    count_txt: dict[str, int]
    is_sample: bool
    release_id: str
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)

    def open_member(self, member: Member) -> BinaryIO:
        """A binary stream of one member's bytes (decompressed for a zip)."""
        if self._zip is not None:
            return self._zip.open(member.name)  # type: ignore[return-value]
        return open(self.source / member.name, "rb")

    def iter_chunks(self, member: Member, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """The member's bytes in chunks, streamed."""
        try:
            with self.open_member(member) as stream:
                while chunk := stream.read(chunk_size):
                    yield chunk
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as error:
            raise ReleaseError(
                f"{self.source}: cannot read member {member.name} ({error}); re-download the release"
            ) from error

    def sha256(self, member: Member) -> str:
        """SHA-256 of a member, streamed."""
        digest = hashlib.sha256()
        for chunk in self.iter_chunks(member):
            digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> Release:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_release(source: str | Path, *, release_id: str | None = None) -> Release:
    """Open a release zip or folder and index its tables, lookups and Count.txt."""
    path = Path(source)
    if not path.exists():
        raise ReleaseError(f"{path}: no such file or folder; give the path of an EOIR release zip or folder")
    archive: zipfile.ZipFile | None = None
    if path.is_dir():
        members = _folder_members(path)
    else:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise ReleaseError(f"{path}: not a readable zip ({error}); re-download the release") from error
        members = _zip_members(archive)
    release = _index(path, members, archive, release_id)
    if not release.tables:
        release.close()
        raise ReleaseError(
            f"{path}: no EOIR tables found (expected files like A_TblCase.csv); "
            "is this an EOIR Case Data release?"
        )
    return release


def _zip_members(archive: zipfile.ZipFile) -> list[Member]:
    return [
        Member(name=info.filename, size=info.file_size, modified=datetime(*info.date_time, tzinfo=UTC))
        for info in archive.infolist()
        if not info.is_dir()
    ]


def _folder_members(folder: Path) -> list[Member]:
    members = []
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts):
            stat = file.stat()
            members.append(
                Member(
                    name=file.relative_to(folder).as_posix(),
                    size=stat.st_size,
                    modified=datetime.fromtimestamp(stat.st_mtime, tz=UTC),
                )
            )
    return members


def _index(
    path: Path, members: list[Member], archive: zipfile.ZipFile | None, release_id: str | None
) -> Release:
    tables: dict[str, Member] = {}
    lookups: dict[str, Member] = {}
    count_member = None
    is_sample = False
    for member in members:
        base = PurePosixPath(member.name).name
        if base == COUNT_FILE:
            count_member = member
        elif base == SAMPLE_MARKER:
            is_sample = True
        elif base.lower().endswith(_TABLE_SUFFIXES) and not base.startswith("."):
            (lookups if member.is_lookup else tables).setdefault(member.stem, member)
    release = Release(
        source=path,
        members=members,
        tables=tables,
        lookups=lookups,
        count_txt={},
        is_sample=is_sample,
        release_id="",
        _zip=archive,
    )
    if count_member is not None:
        release.count_txt = parse_count_txt(b"".join(release.iter_chunks(count_member)))
    release.release_id = release_id or default_release_id(members, is_sample=is_sample)
    return release


def parse_count_txt(data: bytes) -> dict[str, int]:
    """Count.txt: a `TableName<TAB>Content` header then `<Table><TAB><n> rows copied.` lines."""
    counts: dict[str, int] = {}
    text = data.replace(b"\x00", b"").decode("cp1252", errors="replace")
    for line in text.splitlines():
        match = _COUNT_LINE.match(line)
        if match:
            counts[match["table"]] = int(match["n"])
    return counts


def default_release_id(members: list[Member], *, is_sample: bool) -> str:
    """`YYYY-MM-DD` of the newest member, prefixed `sample-` for sample releases."""
    newest = max((m.modified for m in members), default=datetime.now(UTC))
    return ("sample-" if is_sample else "") + newest.strftime("%Y-%m-%d")
