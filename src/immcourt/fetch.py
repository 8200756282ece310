"""Download the current EOIR release, resuming partial downloads and skipping an unchanged release.

The server's validators (ETag, Last-Modified) are stored beside the file in `<file>.meta.json`; a download in
progress lives in `<file>.part` with its own validators, so it is resumed (HTTP Range + If-Range) only while
the server still has the same file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import httpx

DEFAULT_URL = "https://fileshare.eoir.justice.gov/EOIR Case Data.zip"
_CHUNK = 1 << 20


class FetchError(Exception):
    """A download that failed; the message is one line naming the URL or file and what to do."""


@dataclass
class FetchResult:
    path: Path
    skipped: bool
    resumed_from: int
    bytes_downloaded: int
    etag: str | None
    last_modified: str | None


def encode_url(url: str) -> str:
    """The URL with its path percent-encoded (spaces in `EOIR Case Data.zip`), leaving existing escapes."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=quote(parts.path, safe="/%"), query=quote(parts.query, safe="=&%")))


def normalise_etag(etag: str | None) -> str | None:
    """`W/"abc"` and `"abc"` and `abc` are the same validator for deciding whether a file changed."""
    if not etag:
        return None
    etag = etag.strip()
    if etag[:2].upper() == "W/":
        etag = etag[2:]
    return etag.strip('"') or None


def _validators(headers: httpx.Headers) -> dict[str, str | int | None]:
    length = headers.get("content-length")
    return {
        "etag": normalise_etag(headers.get("etag")),
        "last_modified": headers.get("last-modified"),
        "size": int(length) if length and length.isascii() and length.isdigit() else None,
    }


def _same_file(saved: dict, current: dict) -> bool:
    if current.get("etag") and saved.get("etag"):
        return saved["etag"] == current["etag"]
    if current.get("last_modified") and saved.get("last_modified"):
        return saved["last_modified"] == current["last_modified"] and saved.get("size") == current.get("size")
    return False


def _read_meta(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_meta(path: Path, data: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def fetch_release(
    *, url: str = DEFAULT_URL, out: str | Path = ".", progress: bool = True, timeout: float = 60.0
) -> FetchResult:
    """Download `url` into `out` (named after the URL's file name) unless the copy there is current."""
    address = encode_url(url)
    out = Path(out)
    name = unquote(urlsplit(address).path.rsplit("/", 1)[-1]) or "release.zip"
    target, part = out / name, out / (name + ".part")
    meta_path, part_meta_path = out / (name + ".meta.json"), out / (name + ".part.meta.json")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with httpx.Client(follow_redirects=True, timeout=timeout) as client:
            head = client.head(address)
            head.raise_for_status()
            current = {"url": address, **_validators(head.headers)}
            if target.exists() and _same_file(_read_meta(meta_path), current):
                return FetchResult(target, True, 0, 0, current["etag"], current["last_modified"])
            start = (
                part.stat().st_size
                if part.exists() and _same_file(_read_meta(part_meta_path), current)
                else 0
            )
            _write_meta(part_meta_path, current)
            downloaded, resumed = _download(client, address, part, start, current, progress=progress)
    except httpx.HTTPStatusError as error:
        raise FetchError(
            f"{address}: server answered {error.response.status_code}; check the URL (--url) or try later"
        ) from error
    except (httpx.ConnectError, httpx.ConnectTimeout) as error:
        raise FetchError(
            f"{address}: cannot connect ({error or error.__class__.__name__}): no network, a proxy or "
            "firewall in the way, or the server is down; check the connection and re-run (or download the "
            "zip another way and run `immcourt ingest FILE`)"
        ) from error
    except httpx.TimeoutException as error:
        raise FetchError(
            f"{address}: the server stopped answering ({error.__class__.__name__}); re-run later: "
            "a partial download resumes"
        ) from error
    except httpx.HTTPError as error:
        raise FetchError(
            f"{address}: {error.__class__.__name__} ({error}); check the connection and re-run: "
            "a partial download resumes"
        ) from error
    except OSError as error:
        raise FetchError(
            f"{error.filename or out}: {error.strerror or error}; check that --out is a "
            "writable folder with free space"
        ) from error
    if current["size"] is not None and part.stat().st_size != current["size"]:
        raise FetchError(f"{part}: got {part.stat().st_size} of {current['size']} bytes; re-run to resume")
    os.replace(part, target)
    part_meta_path.unlink(missing_ok=True)
    _write_meta(meta_path, current)
    return FetchResult(target, False, resumed, downloaded, current["etag"], current["last_modified"])


def _download(
    client: httpx.Client, address: str, part: Path, start: int, current: dict, *, progress: bool
) -> tuple[int, int]:
    """Stream the body into `part`, from `start` when the server honours the range; returns (bytes, start)."""
    headers = {}
    if start:
        headers["Range"] = f"bytes={start}-"
        validator = current.get("etag") and f'"{current["etag"]}"' or current.get("last_modified")
        if validator:
            headers["If-Range"] = validator
    with client.stream("GET", address, headers=headers) as response:
        response.raise_for_status()
        if response.status_code != 206:
            start = 0  # the server sent the whole file (it changed, or ignores ranges): start over
        total = current.get("size")
        downloaded = 0
        with open(part, "ab" if start else "wb") as sink, _bar(progress, part.name, total, start) as advance:
            for chunk in response.iter_bytes(_CHUNK):
                sink.write(chunk)
                downloaded += len(chunk)
                advance(len(chunk))
    return downloaded, start


class _bar:
    """A Rich download bar on stderr, or a no-op."""

    def __init__(self, enabled: bool, name: str, total: int | None, done: int) -> None:
        self.enabled, self.name, self.total, self.done = enabled, name, total, done
        self.progress = None

    def __enter__(self):
        if not self.enabled:
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=Console(stderr=True),
        )
        self.progress.__enter__()
        task = self.progress.add_task(self.name, total=self.total, completed=self.done)
        return lambda n: self.progress.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)
