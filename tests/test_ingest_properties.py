"""Properties of the table loader over random corruptions: no line is ever lost, and every loaded row carries
the physical line it came from."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immcourt.ingest.prepare import prepare
from immcourt.ingest.table import load_table

HEADER = ["IDNCASE", "ALIEN_CITY", "LATEST_HEARING", "LPR"]
CITIES = ["BROOKLYN", "OMAHA", "SAN JOSE", "", "EL PASO"]


def _clean_row(key: int, rng: random.Random) -> list[str]:
    day = date(2000, 1, 1) + timedelta(days=rng.randrange(9000))
    return [str(key), rng.choice(CITIES), rng.choice([f"{day} 00:00:00.000", ""]), rng.choice(["0", "1", ""])]


def _corrupt(fields: list[str], kind: str, rng: random.Random) -> list[bytes]:
    """The physical lines written for one row."""
    text = "\t".join(fields)
    if kind == "short":
        return ["\t".join(fields[: rng.randrange(1, len(fields))]).encode()]
    if kind == "stray_tab":
        position = rng.randrange(1, len(fields) + 1)
        return ["\t".join(fields[:position] + [""] + fields[position:]).encode()]
    if kind == "split":
        cut = rng.randrange(len(str(fields[0])) + 1, len(text) + 1)
        return [text[:cut].encode(), text[cut:].encode()]
    if kind == "nul":
        return [text.encode().replace(b"\t", b"\x00\t", 1)]
    if kind == "blank_before":
        return [b"", text.encode()]
    if kind == "many_fields":
        return ["\t".join(fields + ["x", "y", "z"]).encode()]
    return [text.encode()]


KINDS = ["clean"] * 6 + ["short", "stray_tab", "split", "nul", "blank_before", "many_fields", "duplicate"]


def _write(path: Path, plan: list[str], seed: int, line_end: bytes) -> dict[int, list[str]]:
    rng = random.Random(seed)
    lines = ["\t".join(HEADER).encode()]
    written: dict[int, list[str]] = {}
    for key, kind in enumerate(plan, start=1):
        fields = _clean_row(key, rng)
        if kind == "duplicate" and written:
            fields = list(written[rng.choice(sorted(written))])
        physical = _corrupt(fields, kind, rng)
        if kind == "clean":
            written[key] = fields
        lines += physical
    path.write_bytes(line_end.join(lines) + line_end)
    return written


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    plan=st.lists(st.sampled_from(KINDS), min_size=0, max_size=25),
    seed=st.integers(0, 10**6),
    line_end=st.sampled_from([b"\r\n", b"\n"]),
)
def test_no_line_is_lost_and_lines_are_exact(
    tmp_path: Path, plan: list[str], seed: int, line_end: bytes
) -> None:
    source = tmp_path / "source.csv"
    clean = _write(source, plan, seed, line_end)
    prepared = prepare([source.read_bytes()], tmp_path / "prepared.txt", key="IDNCASE")
    with duckdb.connect() as con:
        result = load_table(con, table="A_TblCase", prepared=prepared, out=tmp_path / "out.parquet")
        rows = con.execute(f"SELECT IDNCASE, ALIEN_CITY, _line FROM '{tmp_path / 'out.parquet'}'").fetchall()
    physical = source.read_bytes().split(line_end)[:-1]
    assert result.data_lines == len(physical) - 1
    assert result.data_lines == result.loaded + len(result.quarantined) + result.merged + result.blank
    for key, _city, line in rows:  # the loaded row's line holds its key as first field
        assert physical[line - 1].replace(b"\x00", b"").split(b"\t")[0].decode() == str(key)
    loaded = {key: city for key, city, _ in rows}
    for key, fields in clean.items():  # rows written intact are loaded intact (duplicates come later)
        assert loaded.get(key, "missing") == (fields[1] or None)


def test_line_numbers_survive_a_large_parallel_read(tmp_path: Path) -> None:
    """200,000 rows with bad lines scattered among them: DuckDB reads in parallel, lines must still match."""
    rng = random.Random(11)
    lines, expected = ["IDNCASE\tALIEN_CITY\tLATEST_HEARING\tLPR"], {}
    bad = 0
    for key in range(1, 200_001):
        if rng.random() < 0.003:
            lines.append(rng.choice(["", f"{key}\tSHORT", f"{key}\ta\tb\tc\td\te"]))
            bad += 1
        lines.append(f"{key}\tCITY{key % 97}\t2020-01-0{1 + key % 9}\t{key % 2}")
        expected[key] = len(lines)
    path = tmp_path / "big.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    prepared = prepare(
        iter([path.read_bytes()[i : i + 65536] for i in range(0, path.stat().st_size, 65536)]),
        tmp_path / "prepared.txt",
        key="IDNCASE",
    )
    with duckdb.connect() as con:
        con.execute("SET threads = 2")
        result = load_table(con, table="A_TblCase", prepared=prepared, out=tmp_path / "out.parquet")
        mismatched = con.execute(
            f"SELECT count(*) FROM '{tmp_path / 'out.parquet'}' o JOIN (SELECT unnest(?::BIGINT[]) AS k, "
            "unnest(?::BIGINT[]) AS l) e ON o.IDNCASE = e.k WHERE o._line <> e.l",
            [list(expected), list(expected.values())],
        ).fetchall()[0][0]
    assert result.loaded == 200_000 and mismatched == 0
    assert result.data_lines == 200_000 + bad == result.loaded + len(result.quarantined) + result.blank


@pytest.mark.parametrize("chunk", [1, 3, 7, 4096])
def test_prepare_is_independent_of_chunking(tmp_path: Path, chunk: int) -> None:
    data = b"ID\tA\r\n1\tx\x00y\r\n\r\n\r\n2\t\xe9\x81\x96\r3\tz\n\n4\tq"
    chunks = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    prepared = prepare(chunks, tmp_path / "p.txt", key="ID")
    # Lines: header, "1 xy", blank, blank, "2 é\x81–" (ended by a lone CR), "3 z", blank, "4 q" (no final end)
    assert (prepared.lines, prepared.blank_lines, prepared.nul_bytes) == (8, 3, 1)
    # Blank lines are set aside: a one-byte marker keeps their place so line numbers do not move.
    assert (tmp_path / "p.txt").read_bytes() == (
        b"ID\tA\n1\txy\n\x03\n\x03\n2\t\xc3\xa9\xc2\x81\xe2\x80\x93\n3\tz\n\x03\n4\tq\n"
    )
    assert prepared.facts.odd == {}
    keys, lines = prepared.facts.keys()
    assert list(zip(keys.tolist(), lines.tolist(), strict=True)) == [(1, 2), (2, 5), (3, 6), (4, 8)]
    assert prepared.facts.slow_keys == []


def test_line_pass_sets_aside_odd_lines_and_parses_keys(tmp_path: Path) -> None:
    data = (
        b"IDN\tA\tB\r\n"
        b"10\tx\ty\r\n"
        b"11\tshort\r\n"
        b"\r\n"
        b"12\ta\tb\tc\r\n"
        b" 13\tp\tq\r\n"
        b"12345678901234567890\tp\tq\r\n"
        b"x9\tp\tq\r\n"
    )
    prepared = prepare([data], tmp_path / "p.txt", key="IDN")
    assert prepared.facts.odd == {3: b"11\tshort", 5: b"12\ta\tb\tc"} and prepared.blank_lines == 1
    keys, lines = prepared.facts.keys()
    assert (keys.tolist(), lines.tolist()) == ([10], [2])
    # Keys with spaces, signs, letters or more than 18 digits go to the careful (Python) parse.
    assert prepared.facts.slow_keys == [(6, b" 13"), (7, b"12345678901234567890"), (8, b"x9")]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (b"A\tIDN\tB", [b"x\t10\ty", b"x\t 11\ty", b"x\t12\ty"]),  # key in the middle
        (b"A\tB\tIDN", [b"x\ty\t10", b"x\ty\t 11", b"x\ty\t12"]),  # key last
    ],
)
def test_keys_are_read_from_the_named_column_wherever_it_stands(
    tmp_path: Path, header: bytes, rows: list[bytes]
) -> None:
    prepared = prepare([b"\r\n".join([header, *rows]) + b"\r\n"], tmp_path / "p.txt", key="idn")
    assert prepared.key_column == header.split(b"\t").index(b"IDN")
    keys, lines = prepared.facts.keys()
    assert (keys.tolist(), lines.tolist()) == ([10, 12], [2, 4])
    assert prepared.facts.slow_keys == [(3, b" 11")]


def test_bom_is_dropped_and_utf16_refused(tmp_path: Path) -> None:
    from immcourt.ingest.prepare import EncodingError

    data = b"\xef\xbb\xbfIDN\tA\r\n1\tx\r\n"
    prepared = prepare([data[:1], data[1:2], data[2:]], tmp_path / "p.txt", key="IDN")
    assert prepared.header == ["IDN", "A"] and prepared.raw_bytes == len(data) and prepared.key_column == 0
    assert prepared.sha256 == hashlib.sha256(data).hexdigest()  # the hash is of the bytes as they are
    with pytest.raises(EncodingError, match="UTF-16"):
        prepare(["IDN\tA\r\n1\tx\r\n".encode("utf-16-le")], tmp_path / "q.txt")
    # NUL runs in a header are not mistaken for UTF-16.
    assert prepare([b"IDN\x00\x00\x00\x00\x00\x00\tA\r\n"], tmp_path / "r.txt").header == ["IDN", "A"]


@pytest.mark.parametrize("memory_rows", [None, 0, 2])
def test_duplicate_keys_are_the_same_when_the_keys_spill_to_buckets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_rows: int | None
) -> None:
    """A table with more keys than fit in memory has its (key, line) pairs hash-partitioned into files; the
    duplicates found bucket by bucket must be those found in memory (worked by hand below), and the files
    must be gone afterwards."""
    from immcourt.ingest import lines as lines_module
    from immcourt.ingest.table import KeyLines

    if memory_rows is not None:
        monkeypatch.setattr(lines_module, "KEY_MEMORY_ROWS", memory_rows)
        monkeypatch.setattr(lines_module, "KEY_FLUSH_ROWS", 2)
    rows = [b"5\ta", b"7\tb", b"5\tc", b"9\td", b"7\te", b"5\tf", b" 9\tg", b"300000001\th"]
    data = b"IDN\tA\r\n" + b"\r\n".join(rows) + b"\r\n"
    chunks = [data[i : i + 9] for i in range(0, len(data), 9)]  # one block a line or so: many flushes
    prepared = prepare(chunks, tmp_path / "p.txt", key="IDN")
    assert prepared.facts.key_pairs.spilled is (memory_rows is not None)
    keys, lines = prepared.facts.keys()
    assert (keys.tolist(), lines.tolist()) == ([5, 7, 5, 9, 7, 5, 300000001], [2, 3, 4, 5, 6, 7, 9])
    excluded = KeyLines.build(prepared, []).excluded
    assert excluded == [
        (4, "duplicate_key", "key 5 kept from line 2"),
        (6, "duplicate_key", "key 7 kept from line 3"),
        (7, "duplicate_key", "key 5 kept from line 2"),
        (8, "duplicate_key", "key 9 kept from line 5"),
    ]
    assert not (tmp_path / "p.txt.keys").exists()
