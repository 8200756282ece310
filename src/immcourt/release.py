"""Open an EOIR release (a zip or a folder) and describe its members.

Every table and lookup is recognised by its file name and, failing that, its header, whatever the folders
(``EOIR Case Data/``, ``Data/``, ``FOIA TRAC Report <date>/``, nested twice, or flat as ``unzip -j`` leaves
it): names like ``A_TblCase``/``tbl_schedule`` are tables, ``tblLookup*``/``tblLanguage`` are lookups, and any
other name is a table when its header has an ``IDNCASE`` or ``IDNPROCEEDING`` column, a lookup otherwise.
``Count.txt`` gives the row count EOIR copied for each table. Deflate64 members (method 9, common in EOIR's
zips) are readable because importing ``zipfile_deflate64`` teaches ``zipfile`` that method.

A release is refused in one line (:class:`ReleaseError`) when a member is encrypted, uses another
compression method, claims a decompression ratio no text reaches (a zip bomb), or when one table or lookup
appears twice; members are only ever streamed, and the few read whole (``Count.txt``, lookups) are bounded.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zipfile
import zlib
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
# Names that say what a member is; other names are decided by their header (see module docstring).
_LOOKUP_NAME = re.compile(r"^tbl_?look_?up|^tbllanguage$", re.IGNORECASE)
_TABLE_NAME = re.compile(r"^[a-z]_tbl|^tbl_", re.IGNORECASE)
_TABLE_HEADER_COLUMNS = {"IDNCASE", "IDNPROCEEDING"}
# Files of the release that are neither tables nor lookups (older releases shipped the schema).
_IGNORED_NAME = re.compile(r"^eoirdb_schema$|readme", re.IGNORECASE)
_HEADER_BYTES = 1 << 16  # enough for any EOIR header line

# Zip methods EOIR uses: stored, Deflate, Deflate64. Others (bzip2, LZMA) can inflate without bound per read.
_ZIP_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate", 9: "Deflate64"}
# Deflate cannot exceed 1032:1; a member claiming more is a zip bomb or a corrupt directory.
MAX_RATIO = 1100
# Deflate64 can reach ~29,000:1 within one read, so its members are read in small compressed steps: one step
# then inflates to at most ~240 MB however hostile the data.
_DEFLATE64_STEP = 1 << 13
# Members read whole into memory. Real lookups are well under 5 MB and Count.txt under 10 KB.
MAX_LOOKUP_BYTES = 32 << 20
MAX_COUNT_BYTES = 1 << 20


def one_line(text: str) -> str:
    """`text` with every control or line-separator character written as an escape (`\\n`, `\\x00`), so a
    message naming a damaged member (whose name may hold a line break) stays on one line."""
    return "".join(
        char.encode("unicode_escape").decode("ascii")
        if unicodedata.category(char) in ("Cc", "Zl", "Zp")
        else char
        for char in text
    )


class ReleaseError(Exception):
    """A release that cannot be opened; the message (one line, see :func:`one_line`) names the file and what
    to do."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


@dataclass(frozen=True)
class Member:
    """One file of the release: its path inside the release, size and modification date."""

    name: str  # path inside the zip or relative to the folder, with forward slashes
    size: int
    modified: datetime
    method: int = zipfile.ZIP_STORED  # zip compression method (folder members: stored)

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem


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
    unread: list[Member] = field(default_factory=list)  # members that are neither tables nor lookups
    # Where the release date in the id came from (see default_release_id): DATE_SOURCES' values.
    date_source: str = ""
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)

    def hint_for(self, name: str) -> str:
        """Where a missing table or lookup may have gone: members with a similar name (`.csv.gz`, renamed)."""
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        near = [
            m.name
            for m in self.members
            if key and key in re.sub(r"[^a-z0-9]", "", PurePosixPath(m.name).name.lower())
        ]
        if not near:
            return ""
        return (
            f" (found {', '.join(near[:3])}: EOIR's files are plain tab-delimited .csv; extract or rename it)"
        )

    def open_member(self, member: Member) -> BinaryIO:
        """A binary stream of one member's bytes (decompressed for a zip)."""
        if self._zip is not None:
            return self._zip.open(member.name)  # type: ignore[return-value]
        return open(self.source / member.name, "rb")

    def iter_chunks(self, member: Member, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """The member's bytes in chunks, streamed; a member that cannot be read raises ReleaseError."""
        step = _DEFLATE64_STEP if member.method == 9 else chunk_size
        try:
            with self.open_member(member) as stream:
                while True:
                    pieces, size = [], 0
                    while size < chunk_size and (piece := stream.read(step)):
                        pieces.append(piece)
                        size += len(piece)
                    if not pieces:
                        break
                    yield pieces[0] if len(pieces) == 1 else b"".join(pieces)
        except _READ_ERRORS as error:
            raise _unreadable(self.source, member, error) from error

    def read_small(self, member: Member, limit: int, what: str) -> bytes:
        """The whole member, refused with ReleaseError when it holds more than `limit` bytes."""
        if member.size > limit:
            raise ReleaseError(_too_big(self.source, member, member.size, limit, what))
        pieces, size = [], 0
        for chunk in self.iter_chunks(member, chunk_size=1 << 20):
            size += len(chunk)
            if size > limit:
                raise ReleaseError(_too_big(self.source, member, size, limit, what))
            pieces.append(chunk)
        return b"".join(pieces)

    def head(self, member: Member) -> bytes:
        """The first bytes of a member (up to 64 KB), enough to read its header line."""
        try:
            with self.open_member(member) as stream:
                return stream.read(_HEADER_BYTES)
        except _READ_ERRORS as error:
            raise _unreadable(self.source, member, error) from error

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
        except Exception as error:  # zipfile's parser raises many kinds on a damaged zip; none is ours
            raise ReleaseError(
                f"{path}: not a readable zip ({_first_line(error)}); re-download the release"
            ) from error
        members = _zip_members(path, archive)
    try:
        release = _index(path, members, archive, release_id)
    except BaseException:
        if archive is not None:
            archive.close()
        raise
    if not release.tables:
        release.close()
        raise ReleaseError(
            f"{path}: no EOIR tables found (expected files like A_TblCase.csv); "
            "is this an EOIR Case Data release?"
        )
    return release


def _zip_members(path: Path, archive: zipfile.ZipFile) -> list[Member]:
    members = []
    try:
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except Exception as error:  # as in open_release: any failure to parse the zip directory
        raise ReleaseError(
            f"{path}: not a readable zip ({_first_line(error)}); re-download the release"
        ) from error
    for info in infos:
        if _skipped(info.filename):
            continue
        if info.flag_bits & 0x1:
            raise ReleaseError(
                f"{path}: member {info.filename} is encrypted; EOIR releases are not: re-download the release"
            )
        if info.compress_type not in _ZIP_METHODS:
            raise ReleaseError(
                f"{path}: member {info.filename} uses zip compression method {info.compress_type}, "
                "not one EOIR uses (stored, Deflate, Deflate64); re-download the release"
            )
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > MAX_COUNT_BYTES:
            raise ReleaseError(
                f"{path}: member {info.filename} claims to inflate {info.compress_size:,} bytes to "
                f"{info.file_size:,} (over {MAX_RATIO}:1, more than any text compresses); refused as a "
                "zip bomb or a corrupt zip: re-download the release"
            )
        try:
            modified = datetime(*info.date_time, tzinfo=UTC)
        except ValueError:  # a corrupt date in the zip directory
            modified = datetime(1980, 1, 1, tzinfo=UTC)
        members.append(
            Member(name=info.filename, size=info.file_size, modified=modified, method=info.compress_type)
        )
    return members


def _skipped(name: str) -> bool:
    """Hidden files and folders (``.DS_Store``, ``__MACOSX/`` resource forks) are not part of the release."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _folder_members(folder: Path) -> list[Member]:
    members = []
    for file in sorted(folder.rglob("*")):
        if file.is_file() and not _skipped(file.relative_to(folder).as_posix()):
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
    release = Release(
        source=path,
        members=members,
        tables={},
        lookups={},
        count_txt={},
        is_sample=False,
        release_id="",
        _zip=archive,
    )
    count_members: list[Member] = []
    seen: dict[str, Member] = {}
    stated: str | None = None
    for member in members:
        base = PurePosixPath(member.name).name
        if base.lower() == COUNT_FILE.lower():
            count_members.append(member)
        elif base == SAMPLE_MARKER:
            release.is_sample = True
            stated = stated_release_date(release.read_small(member, MAX_COUNT_BYTES, SAMPLE_MARKER))
        elif base.lower().endswith(_TABLE_SUFFIXES) and not _IGNORED_NAME.search(member.stem):
            previous = seen.get(member.stem.lower())
            if previous is not None:
                raise ReleaseError(
                    f"{path}: {member.stem} appears twice ({previous.name} and {member.name}); "
                    "keep the one you mean and re-run"
                )
            seen[member.stem.lower()] = member
            kind = release.lookups if _is_lookup(release, member) else release.tables
            kind[member.stem] = member
        else:
            release.unread.append(member)
    if len(count_members) > 1:
        raise ReleaseError(
            f"{path}: {COUNT_FILE} appears twice ({count_members[0].name} and {count_members[1].name}); "
            "keep the one you mean and re-run"
        )
    if count_members:
        data = release.read_small(count_members[0], MAX_COUNT_BYTES, "Count.txt")
        release.count_txt = parse_count_txt(data)
    if release_id:
        release.release_id, release.date_source = release_id, DATE_SOURCES["given"]
    elif stated is not None:
        release.release_id, release.date_source = "sample-" + stated, DATE_SOURCES["stated"]
    else:
        release.release_id = default_release_id(members, is_sample=release.is_sample)
        release.date_source = DATE_SOURCES["zip" if archive is not None else "folder"]
    return release


def _is_lookup(release: Release, member: Member) -> bool:
    """A lookup by its name (tblLookup*, tblLanguage), a table by its name (A_TblCase, tbl_*); otherwise a
    table when its header has IDNCASE or IDNPROCEEDING, a lookup when it has neither."""
    if _LOOKUP_NAME.search(member.stem):
        return True
    if _TABLE_NAME.search(member.stem):
        return False
    head = release.head(member).lstrip(b"\xef\xbb\xbf").replace(b"\x00", b"")
    first_line = re.split(rb"[\r\n]", head, maxsplit=1)[0]
    columns = {name.strip().upper() for name in first_line.decode("latin-1").split("\t")}
    return not (columns & _TABLE_HEADER_COLUMNS)


# What reading a corrupt member raises: zipfile (bad CRC, truncated), zlib (bad Deflate data), RuntimeError
# (an encrypted member), Deflate64's ValueError, struct errors on damaged headers, and I/O errors.
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
    struct.error,
    OverflowError,
)


def _unreadable(source: Path, member: Member, error: BaseException) -> ReleaseError:
    return ReleaseError(
        f"{source}: cannot read member {member.name} ({_first_line(error)}); "
        "the file is corrupt: re-download the release"
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _too_big(source: Path, member: Member, size: int, limit: int, what: str) -> str:
    return (
        f"{source}: {member.name} holds over {size:,} bytes, more than any {what} (limit {limit:,}); "
        "refused: re-download the release"
    )


def parse_count_txt(data: bytes) -> dict[str, int]:
    """Count.txt: a `TableName<TAB>Content` header then `<Table><TAB><n> rows copied.` lines."""
    counts: dict[str, int] = {}
    text = data.replace(b"\x00", b"").decode("cp1252", errors="replace")
    for line in text.splitlines():
        match = _COUNT_LINE.match(line)
        if match:
            counts[match["table"]] = int(match["n"])
    return counts


# Where a release id's date comes from, most trusted first (docs/METHODOLOGY.md, "Release id"):
# - given: `--release-id` (the date EOIR published the release);
# - stated: a sample release's SAMPLE-README.txt says it (`Release date: YYYY-MM-DD`), whatever the copy;
# - zip: the newest member date in the zip's own directory, which travels with the file (EOIR's zip);
# - folder: the newest file modification time of a folder, which a copy, a sync or an unzip tool that does
#   not keep dates changes: the ingest then warns and asks for --release-id.
# The newest date *in* the data is not used: scheduled hearings and keying errors put dates in the future.
DATE_SOURCES = {
    "given": "--release-id",
    "stated": "SAMPLE-README.txt",
    "zip": "zip member dates",
    "folder": "file modification times",
}
_STATED_DATE = re.compile(rb"^Release date: (\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def stated_release_date(readme: bytes) -> str | None:
    """The `Release date: YYYY-MM-DD` line a sample's SAMPLE-README.txt carries (ISO text), or None."""
    match = _STATED_DATE.search(readme)
    if match is None:
        return None
    text = match[1].decode("ascii")
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        return None
    return text


def default_release_id(members: list[Member], *, is_sample: bool) -> str:
    """`YYYY-MM-DD` of the newest member, prefixed `sample-` for sample releases."""
    newest = max((m.modified for m in members), default=datetime.now(UTC))
    return ("sample-" if is_sample else "") + newest.strftime("%Y-%m-%d")
