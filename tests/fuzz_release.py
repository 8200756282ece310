"""Fuzz harness: mutate a tiny, complete EOIR release; the ingest must refuse it in one line or load it whole.

Used by `tests/test_fuzz.py` (a short run in `make test`) and run long by `make fuzz`
(`python -m tests.fuzz_release --releases 10000`, see docs/RELIABILITY.md). Hypothesis draws a release
container (folder or zip) and one to three mutation kinds with a seed that places them; the kinds are the
defects of issue 12 (tables removed, renamed, compressed or moved; keys moved; byte-order marks and UTF-16;
empty lookups; corrupt, encrypted or duplicate members; columns named like the ingest's own) plus random byte
flips, truncation, NUL runs, line-end and tab insertions, header edits, line edits and zip damage.

Every outcome must be one of:
- `refused`: IngestError (or the model's ModelError) with a one-line message, nothing published, no leftovers;
- `loaded`: every table reconciled against an independent count of its physical lines (lines = loaded +
  quarantined + merged + blank), loaded + quarantined = Count.txt, the Parquet row counts equal the report,
  each member's sha256 equals the bytes written (loaded whole), and the case model builds.
Anything else (another exception, a traceback, an unreconciled table) is a failure.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import duckdb

from immcourt.ingest import IngestError, ingest_release
from immcourt.model.build import ModelError, materialize
from immcourt.store import leftovers, list_releases

CORE = "EOIR Case Data"
TABLES: dict[str, list[list[str]]] = {
    "A_TblCase": [
        ["IDNCASE", "NAT", "LANG", "CUSTODY", "CASE_TYPE", "E_28_DATE", "ALIEN_CITY", "C_ASY_TYPE"],
        ["1", "GT", "SP", "D", "RMV", "2019-01-02 00:00:00.000", "HOUSTON", "E"],
        ["2", "HO", "SP", "N", "RMV", "", "DALLAS", ""],
        ["3", "MX", "SP", "R", "RMV", "2020-03-04 00:00:00.000", "", ""],
        ["4", "GT", "ENG", "N", "DEP", "", "NEW YORK", ""],
        ["5", "MX", "SP", "D", "RMV", "", "SAN DIEGO", "I"],
    ],
    "B_TblProceeding": [
        [
            "IDNPROCEEDING",
            "IDNCASE",
            "OSC_DATE",
            "INPUT_DATE",
            "BASE_CITY_CODE",
            "HEARING_LOC_CODE",
            "IJ_CODE",
            "DEC_CODE",
            "OTHER_COMP",
            "COMP_DATE",
            "ABSENTIA",
            "CUSTODY",
            "CASE_TYPE",
            "CRIM_IND",
            "AGGRAVATE_FELON",
        ],
        [
            "11",
            "1",
            "2018-05-01",
            "2018-05-02",
            "HOU",
            "HOU",
            "AAA",
            "X",
            "",
            "2019-06-07",
            "N",
            "D",
            "RMV",
            "N",
            "0",
        ],
        [
            "12",
            "2",
            "2018-07-01",
            "2018-07-02",
            "NYC",
            "NYC",
            "BBB",
            "T",
            "",
            "2020-01-02",
            "N",
            "N",
            "RMV",
            "",
            "",
        ],
        ["13", "3", "2019-01-01", "2019-01-03", "SFR", "SFR", "AAA", "", "", "", "", "R", "RMV", "", ""],
        [
            "14",
            "4",
            "2017-02-01",
            "2017-02-02",
            "NYC",
            "NYC",
            "BBB",
            "D",
            "",
            "2018-03-03",
            "Y",
            "N",
            "DEP",
            "Y",
            "1",
        ],
        [
            "15",
            "5",
            "2021-01-01",
            "2021-01-05",
            "HOU",
            "HOU",
            "AAA",
            "R",
            "",
            "2022-02-02",
            "N",
            "D",
            "RMV",
            "",
            "",
        ],
        [
            "16",
            "2",
            "2020-02-01",
            "2020-02-02",
            "NYC",
            "NYC",
            "BBB",
            "",
            "A",
            "2020-05-05",
            "N",
            "N",
            "RMV",
            "",
            "",
        ],
    ],
    "tbl_Court_Appln": [
        ["IDNPROCEEDINGAPPLN", "IDNPROCEEDING", "IDNCASE", "APPL_CODE", "APPL_RECD_DATE", "APPL_DEC"],
        ["101", "11", "1", "ASYL", "2018-06-01", "D"],
        ["102", "15", "5", "ASYL", "2021-03-01", "G"],
        ["103", "12", "2", "WCAT", "2018-08-01", "W"],
    ],
}
LOOKUPS: dict[str, list[list[str]]] = {
    "tblLookupCourtDecision": [
        ["idnCourtDecision", "strCaseType", "strDecCode", "strDecDescription", "strDecType", "blnActive"],
        ["1", "RMV", "X", "Remove", "C", "1"],
        ["2", "RMV", "T", "Terminate", "C", "1"],
        ["3", "RMV", "R", "Relief Granted", "C", "1"],
        ["4", "RMV", "A", "Administrative Closing - Other", "O", "1"],
        ["5", "DEP", "D", "Deport", "C", "1"],
    ],
    "tblLookupBaseCity": [
        ["BASE_CITY_CODE", "BASE_CITY", "blnActive"],
        ["HOU", "Houston", "1"],
        ["NYC", "New York", "1"],
        ["SFR", "San Francisco", "1"],
    ],
    "tblLookupHloc": [["HEARING_LOC_CODE", "HEARING_LOC_NAME", "blnActive"], ["HOU", "Houston Court", "1"]],
    "tblLookupJudge": [["JUDGE_CODE", "JUDGE_NAME", "blnActive"], ["AAA", "Judge Alpha", "1"]],
    "tblLookupNationality": [["NAT_CODE", "NAT_NAME", "blnActive"], ["GT", "GUATEMALA", "1"]],
    "tblLanguage": [["strCode", "strDescription", "blnActive"], ["SP", "Spanish", "1"]],
    "tblLookupCustodyStatus": [["strCode", "strDescription", "blnActive"], ["D", "Detained", "1"]],
    "tblLookupCaseType": [["strCode", "strDescription", "blnActive"], ["RMV", "Removal", "1"]],
    "tblLookUp_Appln": [
        ["strcode", "strdescription", "blnActive"],
        ["ASYL", "ASYLUM", "1"],
        ["ASYW", "ASYLUM WITHHOLDING", "1"],
        ["WCAT", "WITHHOLDING-CAT", "1"],
    ],
}
COUNT_FILE = "Count.txt"
LINE_END = re.compile(rb"\r\n|\r|\n")


def base_members() -> dict[str, bytes]:
    """The clean release: member path → bytes (cp1252, CRLF tables, LF lookups, Count.txt)."""
    members = {
        f"{CORE}/{name}.csv": ("\r\n".join("\t".join(r) for r in rows) + "\r\n").encode("cp1252")
        for name, rows in TABLES.items()
    }
    members |= {
        f"Lookup/{name}.csv": ("\n".join("\t".join(r) for r in rows) + "\n").encode("cp1252")
        for name, rows in LOOKUPS.items()
    }
    counts = "".join(f"{name}\t{len(rows) - 1} rows copied.\r\n" for name, rows in TABLES.items())
    members[COUNT_FILE] = ("TableName\tContent\r\n" + counts).encode("cp1252")
    return members


# -- mutations: each edits `members` (path → bytes) in place, placed by `rng` ------------------------------


def _pick(rng: random.Random, members: dict[str, bytes], kind: str = "any") -> str | None:
    names = sorted(members)
    if kind == "table":
        names = [n for n in names if PurePosixPath(n).stem in TABLES]
    elif kind == "lookup":
        names = [n for n in names if PurePosixPath(n).stem in LOOKUPS]
    return rng.choice(names) if names else None


def _edit_bytes(rng: random.Random, members: dict[str, bytes], edit) -> None:  # noqa: ANN001
    name = _pick(rng, members, rng.choice(["table", "table", "lookup", "any"]))
    if name is not None:
        members[name] = edit(members[name])


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\r\n") if b"\r\n" in data else data.split(b"\n")


def _join(data: bytes, lines: list[bytes]) -> bytes:
    return (b"\r\n" if b"\r\n" in data else b"\n").join(lines)


def m_flip(rng: random.Random, members: dict[str, bytes]) -> None:
    def edit(data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)

    _edit_bytes(rng, members, edit)


def m_truncate(rng: random.Random, members: dict[str, bytes]) -> None:
    _edit_bytes(rng, members, lambda d: d[: rng.randrange(len(d) + 1)])


def m_nul_run(rng: random.Random, members: dict[str, bytes]) -> None:
    def edit(data: bytes) -> bytes:
        at = rng.randrange(len(data) + 1)
        return data[:at] + b"\x00" * rng.choice([1, 3, 50, 4000]) + data[at:]

    _edit_bytes(rng, members, edit)


def m_insert_separator(rng: random.Random, members: dict[str, bytes]) -> None:
    def edit(data: bytes) -> bytes:
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice([b"\t", b"\r", b"\n", b"\r\n", b"\t\t", b" "]) + data[at:]

    _edit_bytes(rng, members, edit)


def m_high_bytes(rng: random.Random, members: dict[str, bytes]) -> None:
    def edit(data: bytes) -> bytes:
        at = rng.randrange(len(data) + 1)
        return data[:at] + bytes(rng.randrange(128, 256) for _ in range(rng.randint(1, 4))) + data[at:]

    _edit_bytes(rng, members, edit)


def m_encoding(rng: random.Random, members: dict[str, bytes]) -> None:
    encoding = rng.choice(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8"])
    _edit_bytes(rng, members, lambda d: d.decode("cp1252", errors="replace").encode(encoding))


def m_header_rename(rng: random.Random, members: dict[str, bytes]) -> None:
    new = rng.choice(["_line", "_issues", "_repaired", "_ok", "", "IDNCASE", "NAT", "x y", "c0", "t1", "v0"])

    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        cells = lines[0].split(b"\t")
        cells[rng.randrange(len(cells))] = new.encode()
        return _join(data, [b"\t".join(cells), *lines[1:]])

    _edit_bytes(rng, members, edit)


def m_column_move(rng: random.Random, members: dict[str, bytes]) -> None:
    """Move one column (header and every row) to the front: a valid release, keyed by name."""

    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        width = len(lines[0].split(b"\t"))
        column = rng.randrange(width)
        out = []
        for line in lines:
            cells = line.split(b"\t")
            if len(cells) == width:
                cells.insert(0, cells.pop(column))
            out.append(b"\t".join(cells))
        return _join(data, out)

    _edit_bytes(rng, members, edit)


def m_header_drop(rng: random.Random, members: dict[str, bytes]) -> None:
    _edit_bytes(rng, members, lambda d: _join(d, _lines(d)[1:]))


def m_line_edit(rng: random.Random, members: dict[str, bytes]) -> None:
    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        if len(lines) < 3:
            return data
        at = rng.randrange(1, len(lines) - 1)
        action = rng.choice(["dup", "del", "tab", "split", "blank", "short"])
        if action == "dup":
            lines.insert(at, lines[at])
        elif action == "del":
            del lines[at]
        elif action == "tab":
            cut = rng.randrange(len(lines[at]) + 1)
            lines[at] = lines[at][:cut] + b"\t" + lines[at][cut:]
        elif action == "split":
            cut = rng.randrange(len(lines[at]) + 1)
            lines[at : at + 1] = [lines[at][:cut], lines[at][cut:]]
        elif action == "blank":
            lines.insert(at, b"")
        else:
            lines[at] = lines[at].rsplit(b"\t", 1)[0]
        return _join(data, lines)

    _edit_bytes(rng, members, edit)


def m_member_remove(rng: random.Random, members: dict[str, bytes]) -> None:
    name = _pick(rng, members)
    if name is not None:
        del members[name]


def m_member_rename(rng: random.Random, members: dict[str, bytes]) -> None:
    name = _pick(rng, members, rng.choice(["table", "lookup"]))
    if name is None:
        return
    path = PurePosixPath(name)
    how = rng.choice(["gz", "lower", "other", "txt", "no_ext"])
    data = members.pop(name)
    if how == "gz":
        members[f"{name}.gz"] = gzip.compress(data, mtime=0)
    elif how == "lower":
        members[str(path.with_name(path.name.lower()))] = data
    elif how == "other":
        members[str(path.with_name("Renamed_" + path.name))] = data
    elif how == "txt":
        members[str(path.with_suffix(".txt"))] = data
    else:
        members[str(path.with_suffix(""))] = data


def m_member_move(rng: random.Random, members: dict[str, bytes]) -> None:
    """Move one member to another folder, or re-lay all folders (flat, renamed, nested twice)."""
    how = rng.choice(["to_lookup", "to_core", "flat", "trac", "nested"])
    if how in ("to_lookup", "to_core"):
        name = _pick(rng, members, "table" if how == "to_lookup" else "lookup")
        if name is not None:
            folder = "Lookup" if how == "to_lookup" else CORE
            members[f"{folder}/{PurePosixPath(name).name}"] = members.pop(name)
        return
    for name in sorted(members):
        base = PurePosixPath(name).name
        if how == "flat":
            new = base
        elif how == "trac":
            new = name.replace(CORE, "FOIA TRAC Report 2026-01-05")
        else:
            new = f"EOIR Case Data/EOIR Case Data/{name}"
        members[new] = members.pop(name)


def m_member_duplicate(rng: random.Random, members: dict[str, bytes]) -> None:
    name = _pick(rng, members)
    if name is not None:
        members[f"Copy/{PurePosixPath(name).name}"] = members[name]


def m_member_empty(rng: random.Random, members: dict[str, bytes]) -> None:
    name = _pick(rng, members)
    if name is not None:
        members[name] = rng.choice([b"", b"\r\n", members[name].split(b"\n", 1)[0] + b"\n"])


def m_count_edit(rng: random.Random, members: dict[str, bytes]) -> None:
    if COUNT_FILE not in members:
        return
    how = rng.choice(["change", "remove_line", "remove_file", "add_table"])
    text = members[COUNT_FILE].decode("latin-1")
    lines = text.splitlines()
    if not lines:
        return
    if how == "remove_file":
        del members[COUNT_FILE]
        return
    if how == "add_table":
        lines.append("tbl_schedule\t3 rows copied.")
    else:
        at = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
        if how == "remove_line":
            del lines[at]
        else:
            lines[at] = re.sub(
                r"\d+", lambda m: str(max(int(m[0]) + rng.choice([-2, -1, 1, 5]), 0)), lines[at]
            )
    members[COUNT_FILE] = ("\r\n".join(lines) + "\r\n").encode("latin-1")


MUTATIONS = {
    f.__name__.removeprefix("m_"): f
    for f in (
        m_flip,
        m_truncate,
        m_nul_run,
        m_insert_separator,
        m_high_bytes,
        m_encoding,
        m_header_rename,
        m_column_move,
        m_header_drop,
        m_line_edit,
        m_member_remove,
        m_member_rename,
        m_member_move,
        m_member_duplicate,
        m_member_empty,
        m_count_edit,
    )
}
# Damage to the zip itself, applied after writing it.
ZIP_DAMAGE = ("none", "none", "none", "flip", "truncate", "encrypted_flag", "size_lie", "dup_entry")


def write_folder(root: Path, members: dict[str, bytes]) -> Path:
    for name, data in members.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    root.mkdir(parents=True, exist_ok=True)
    return root


def write_zip(path: Path, members: dict[str, bytes], rng: random.Random, damage: str) -> Path:
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 1, 5, 0, 0, 0)), data, compress_type=method
            )
        if damage == "dup_entry" and members:
            name = rng.choice(sorted(members))
            with _quiet_duplicate_warning():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 5, 0, 0, 0)), members[name])
    raw = bytearray(buffer.getvalue())
    if damage == "flip" and raw:
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    elif damage == "truncate":
        raw = raw[: rng.randrange(len(raw) + 1)]
    elif damage in ("encrypted_flag", "size_lie"):
        _patch_headers(raw, rng, damage)
    path.write_bytes(bytes(raw))
    return path


class _quiet_duplicate_warning:
    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


def _patch_headers(raw: bytearray, rng: random.Random, damage: str) -> None:
    """Set the encryption flag, or a huge uncompressed size, in one member's local and central headers."""
    central = [m.start() for m in re.finditer(rb"PK\x01\x02", raw)]
    if not central:
        return
    at = rng.choice(central)
    name_length = int.from_bytes(raw[at + 28 : at + 30], "little")
    name = bytes(raw[at + 46 : at + 46 + name_length])
    local = raw.find(b"PK\x03\x04" + b"", 0)
    while local != -1 and raw[local + 30 : local + 30 + len(name)] != name:
        local = raw.find(b"PK\x03\x04", local + 4)
    if damage == "encrypted_flag":
        raw[at + 8] |= 0x01
        if local != -1:
            raw[local + 6] |= 0x01
    else:
        huge = (3_000_000_000).to_bytes(4, "little")
        raw[at + 24 : at + 28] = huge
        if local != -1:
            raw[local + 22 : local + 26] = huge


# -- one run and its checks ----------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "loaded", "refused" or "failure"
    detail: str = ""
    lines: int = 0  # data lines checked (loaded runs)
    tables: int = 0


def physical_data_lines(data: bytes) -> int:
    """Data lines of a table member, counted independently of the ingest: NUL removed, a UTF-8 byte-order
    mark dropped, every CRLF, CR or LF ends a line, a last line without an end counts, minus the header."""
    data = data.replace(b"\x00", b"")
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data:
        return 0
    lines = len(LINE_END.findall(data)) + (0 if data.endswith((b"\n", b"\r")) else 1)
    return max(lines - 1, 0)


def run_one(work: Path, operations: list[str], seed: int, container: str) -> Outcome:
    """Build one mutated release under `work`, ingest it into a fresh store, and check the outcome."""
    rng = random.Random(seed)
    members = base_members()
    for name in operations:
        MUTATIONS[name](rng, members)
    damage = rng.choice(ZIP_DAMAGE) if container == "zip" else "none"
    if container == "zip":
        source = write_zip(work / "EOIR Case Data.zip", members, rng, damage)
    else:
        source = write_folder(work / "release", members)
    store = work / "store"
    try:
        report = ingest_release(source, store=store, progress=False, release_id="2026-01-05")
    except IngestError as error:
        return _refused(store, str(error))
    except Exception:  # noqa: BLE001 - the harness counts every other exception as a failure
        return Outcome("failure", traceback.format_exc())
    try:
        checked = _check_loaded(store, report, members, damage)
    except AssertionError as error:
        return Outcome("failure", f"not reconciled: {error}")
    try:
        materialize(store)
    except ModelError as error:  # the model refuses in one line (e.g. an unknown decision description)
        message = str(error)
        if "\n" in message.strip():
            return Outcome("failure", f"model error on several lines: {message}")
        return Outcome("refused", "model: " + message.splitlines()[0][:120])
    except Exception:  # noqa: BLE001
        return Outcome("failure", "model: " + traceback.format_exc())
    return Outcome("loaded", "", lines=checked, tables=len(report.tables))


def _refused(store: Path, message: str) -> Outcome:
    if not message.strip() or len(message.strip().splitlines()) != 1:
        return Outcome("failure", f"error not on one line: {message!r}")
    if list_releases(store):
        return Outcome("failure", f"refused but published: {message}")
    if leftovers(store):
        return Outcome("failure", f"refused but left {leftovers(store)}: {message}")
    return Outcome("refused", message)


def _check_loaded(store: Path, report, members: dict[str, bytes], damage: str) -> int:  # noqa: ANN001
    (info,) = list_releases(store)
    manifest = info.manifest
    by_stem = {PurePosixPath(name).stem.lower(): name for name in members}
    quarantine = Counter(
        table
        for (table,) in duckdb.sql(
            f"SELECT \"table\" FROM read_parquet('{info.path / '_quarantine.parquet'}')"
        ).fetchall()
    )
    lines = 0
    for table, rec in report.tables.items():
        accounted = rec.loaded + rec.quarantined + rec.merged + rec.blank
        assert rec.data_lines == accounted, f"{table}: {rec}"
        assert rec.count_txt is None or rec.loaded + rec.quarantined == rec.count_txt, f"{table}: {rec}"
        data = members[by_stem[table.lower()]]
        assert rec.data_lines == physical_data_lines(data), f"{table}: {rec.data_lines} vs the bytes"
        rows = duckdb.sql(
            f"SELECT count(*) FROM read_parquet('{info.path / f'{table}.parquet'}')"
        ).fetchall()[0]
        assert rows[0] == rec.loaded, f"{table}: parquet has {rows[0]} rows, report {rec.loaded}"
        assert quarantine[table] == rec.quarantined, f"{table}: quarantine file vs report"
        lines += rec.data_lines
    if damage == "none":
        for file in manifest["files"]:
            data = members.get(file["name"])
            if data is not None:
                assert file["sha256"] == hashlib.sha256(data).hexdigest(), f"{file['name']} not loaded whole"
    assert not leftovers(store), f"leftovers {leftovers(store)}"
    return lines


# -- the long run --------------------------------------------------------------------------------------


@dataclass
class Tally:
    runs: int = 0
    loaded: int = 0
    refused: int = 0
    lines: int = 0
    tables: int = 0
    failures: list[dict] = field(default_factory=list)
    refusals: Counter = field(default_factory=Counter)
    by_mutation: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome, operations: list[str], seed: int, container: str) -> None:
        self.runs += 1
        self.by_mutation.update(operations)
        if outcome.kind == "loaded":
            self.loaded += 1
            self.lines += outcome.lines
            self.tables += outcome.tables
        elif outcome.kind == "refused":
            self.refused += 1
            self.refusals[_shape(outcome.detail)] += 1
        else:
            self.failures.append(
                {"operations": operations, "seed": seed, "container": container, "detail": outcome.detail}
            )


def _shape(message: str) -> str:
    """A refusal message without paths and numbers, to count refusals by kind."""
    message = re.sub(r"/\S+", "<path>", message)
    return re.sub(r"\d+", "<n>", message)[:110]


def long_run(releases: int, out: Path | None, seed: int | None = None) -> Tally:
    """Ingest `releases` mutated releases drawn by hypothesis (no shrinking: every failure is recorded);
    `seed` fixes hypothesis's draws (so two processes with different seeds fuzz different releases)."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fix_seed
    from hypothesis import strategies as st

    tally = Tally()
    started = time.perf_counter()
    base = Path(tempfile.mkdtemp(prefix="immcourt-fuzz-"))

    @settings(
        max_examples=releases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        operations=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3),
        seed=st.integers(0, 2**32 - 1),
        container=st.sampled_from(["folder", "zip"]),
    )
    def one(operations: list[str], seed: int, container: str) -> None:
        work = base / f"run{tally.runs}"
        work.mkdir()
        try:
            try:
                outcome = run_one(work, operations, seed, container)
            except Exception:  # noqa: BLE001 - a harness error is recorded, not fatal to the long run
                outcome = Outcome("failure", "harness: " + traceback.format_exc())
            tally.add(outcome, operations, seed, container)
            if outcome.kind == "failure":  # shown at once, so a long run need not end to be debugged
                print(f"FAILURE {operations} seed={seed} {container}: {outcome.detail}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if tally.runs % 500 == 0:
            seconds = time.perf_counter() - started
            print(f"{tally.runs} releases, {len(tally.failures)} failures, {seconds:.0f} s", flush=True)

    if seed is not None:
        one = fix_seed(seed)(one)
    try:
        one()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    seconds = time.perf_counter() - started
    summary = {
        "releases": tally.runs,
        "loaded": tally.loaded,
        "refused": tally.refused,
        "failures": len(tally.failures),
        "data_lines_reconciled": tally.lines,
        "tables_reconciled": tally.tables,
        "seed": seed,
        "seconds": round(seconds, 1),
        "per_release_s": round(seconds / max(tally.runs, 1), 4),
        "by_mutation": dict(sorted(tally.by_mutation.items())),
        "refusals": dict(tally.refusals.most_common()),
        "failure_examples": tally.failures[:20],
    }
    text = json.dumps(summary, indent=2)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
    print(text)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000, help="how many mutated releases to ingest")
    parser.add_argument("--out", type=Path, default=Path("bench/out/fuzz.json"), help="the JSON summary")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    args = parser.parse_args()
    tally = long_run(args.releases, args.out, args.seed)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
