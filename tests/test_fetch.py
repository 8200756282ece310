"""`immcourt fetch` against a local HTTP server that speaks Range, ETag and Last-Modified."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from immcourt.cli import app
from immcourt.fetch import FetchError, encode_url, fetch_release, normalise_etag

NAME = "EOIR Case Data.zip"


class _Server:
    """Serves one file at /EOIR%20Case%20Data.zip and logs the requests it gets."""

    def __init__(self, body: bytes, etag: str = 'W/"v1"') -> None:
        self.body, self.etag, self.last_modified = body, etag, "Sat, 01 Nov 2025 00:00:00 GMT"
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _headers(self, status: int, length: int, extra: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", server.last_modified)
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(length))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()

            def do_HEAD(self) -> None:  # noqa: N802 - http.server naming
                server.requests.append(("HEAD", None))
                if self.path != "/EOIR%20Case%20Data.zip":
                    self._headers(404, 0, {})
                    return
                self._headers(200, len(server.body), {})

            def do_GET(self) -> None:  # noqa: N802
                wanted = self.headers.get("Range")
                server.requests.append(("GET", wanted))
                if_range = self.headers.get("If-Range")
                if wanted and (if_range is None or normalise_etag(if_range) == normalise_etag(server.etag)):
                    start = int(wanted.removeprefix("bytes=").rstrip("-"))
                    size = len(server.body)
                    self._headers(206, size - start, {"Content-Range": f"bytes {start}-{size - 1}/{size}"})
                    self.wfile.write(server.body[start:])
                    return
                self._headers(200, len(server.body), {})
                self.wfile.write(server.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/{NAME}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server(small_sample: Path) -> Iterator[_Server]:
    srv = _Server((small_sample / NAME).read_bytes())  # a generated sample release, more than one chunk
    yield srv
    srv.httpd.shutdown()


def test_url_encoding_and_etag_normalising() -> None:
    assert encode_url("https://fileshare.eoir.justice.gov/EOIR Case Data.zip") == (
        "https://fileshare.eoir.justice.gov/EOIR%20Case%20Data.zip"
    )
    assert encode_url("https://x/EOIR%20Case%20Data.zip") == "https://x/EOIR%20Case%20Data.zip"
    assert normalise_etag('W/"abc"') == normalise_etag('"abc"') == normalise_etag("abc") == "abc"


def test_full_download_then_skip_when_unchanged(server: _Server, tmp_path: Path) -> None:
    first = fetch_release(url=server.url, out=tmp_path, progress=False)
    assert (tmp_path / NAME).read_bytes() == server.body and not first.skipped
    assert json.loads((tmp_path / f"{NAME}.meta.json").read_text())["etag"] == "v1"
    assert not (tmp_path / f"{NAME}.part").exists()
    second = fetch_release(url=server.url, out=tmp_path, progress=False)
    assert second.skipped and [r for r in server.requests if r[0] == "GET"] == [("GET", None)]


def test_resume_after_partial_file(server: _Server, tmp_path: Path) -> None:
    fetch_release(url=server.url, out=tmp_path, progress=False)
    (tmp_path / NAME).unlink()
    (tmp_path / f"{NAME}.meta.json").rename(tmp_path / f"{NAME}.part.meta.json")
    (tmp_path / f"{NAME}.part").write_bytes(server.body[:300_000])
    server.requests.clear()
    result = fetch_release(url=server.url, out=tmp_path, progress=False)
    assert ("GET", "bytes=300000-") in server.requests
    assert result.resumed_from == 300_000 and result.bytes_downloaded == len(server.body) - 300_000
    assert (tmp_path / NAME).read_bytes() == server.body


def test_changed_release_is_downloaded_again(server: _Server, tmp_path: Path) -> None:
    fetch_release(url=server.url, out=tmp_path, progress=False)
    server.body, server.etag = b"new release" * 1000, '"v2"'
    result = fetch_release(url=server.url, out=tmp_path, progress=False)
    assert not result.skipped and (tmp_path / NAME).read_bytes() == server.body


def test_stale_partial_file_is_not_resumed(server: _Server, tmp_path: Path) -> None:
    (tmp_path / f"{NAME}.part").write_bytes(b"x" * 5000)
    (tmp_path / f"{NAME}.part.meta.json").write_text(json.dumps({"etag": "old"}))
    result = fetch_release(url=server.url, out=tmp_path, progress=False)
    assert result.resumed_from == 0 and (tmp_path / NAME).read_bytes() == server.body


def test_errors_are_one_line(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="server answered 404"):
        fetch_release(url=server.url.replace(NAME, "missing.zip"), out=tmp_path, progress=False)
    result = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path), "--url", "http://127.0.0.1:9/x.zip"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "127.0.0.1:9" in result.output


def test_cli_download(server: _Server, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["fetch", "--out", str(tmp_path), "--url", server.url, "--no-progress"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / NAME).read_bytes() == server.body
