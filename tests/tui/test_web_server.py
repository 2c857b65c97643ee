"""`tmdesk web` over plain HTTP (no browser needed): the desk's own page with nothing from
third parties, upload links only for boxes a desk opened, refusals, foreign websockets."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from tui_helpers import make_desk
from web_helpers import start_server

from tmdesk.web import uploads

pytestmark = [pytest.mark.slow]


@pytest.fixture
def server(tmp_path: Path):
    config = tmp_path / "tmdesk.toml"
    config.write_text("", encoding="utf-8")
    desk = make_desk(tmp_path / "t.db", tmp_path, config=config)
    running = start_server(desk.workspace.target, config, tmp_path / "server.log")
    yield running
    running.stop()


def fetch(request: urllib.request.Request | str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def multipart(url: str, file_name: str, content: bytes) -> urllib.request.Request:
    boundary = uuid.uuid4().hex
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )


def test_the_page_is_the_desks_own_and_loads_nothing_from_elsewhere(server):
    status, page = fetch(server.url + "/")
    assert status == 200
    assert "<title>tmdesk</title>" in page and "/favicon.svg" in page
    assert "googleapis" not in page and "https://" not in page
    with urllib.request.urlopen(server.url + "/", timeout=10) as response:
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert fetch(server.url + "/favicon.svg")[0] == 200


def test_uploads_go_only_into_a_box_a_desk_opened_and_only_as_call_lists(server, tmp_path):
    root = tmp_path / "uploads"
    assert fetch(server.url + "/upload/" + "x" * 32)[0] == 404
    token, box = uploads.open_box(root)
    assert fetch(server.url + f"/upload/{token}")[0] == 200
    status, page = fetch(multipart(server.url + f"/upload/{token}", "evil.sh", b"rm -rf /"))
    assert status == 400 and "Only .csv and .xlsx files are imported." in page
    status, page = fetch(
        multipart(server.url + f"/upload/{token}", "../../etc/лист.csv", b"a,b\n1,2\n")
    )
    assert status == 200 and "лист.csv is uploaded" in page
    assert [path.name for path in box.iterdir()] == ["лист.csv"]  # no folders, no escape
    assert uploads.uploaded_file(box) == box / "лист.csv"


def test_a_websocket_from_another_sites_page_is_refused(server):
    request = urllib.request.Request(
        server.url + "/ws",
        headers={
            "Origin": "https://evil.example",
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    assert fetch(request)[0] == 403
