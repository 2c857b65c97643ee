"""Helpers of the browser tests: `tmdesk web` in a process of its own on 127.0.0.1, and the
system Chromium driven by Playwright (never Playwright's own browser download).

The page draws the desk with xterm.js on a canvas, so its text is read from xterm's buffer:
an init script catches the terminal object as textual-serve's page creates it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TMDESK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("TMDESK_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts")
)

# Catch the xterm Terminal as the page's code assigns `this.terminal = new Terminal(...)`.
CATCH_TERMINAL = """
window.__terminals = [];
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer) window.__terminals.push(value);
  },
});
"""
SCREEN_TEXT = """() => {
  const terminal = window.__terminals[0];
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < terminal.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""
SCREEN_SIZE = "() => { const t = window.__terminals[0]; return [t.cols, t.rows]; }"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "no Playwright for Python (pip install playwright)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/browser-deps)"
    return None


needs_browser = pytest.mark.skipif(browser_missing() is not None, reason=str(browser_missing()))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class WebServer:
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> None:
        # the server and the desk processes of its tabs share the group we started
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_server(db: str, config: Path, log: Path) -> WebServer:
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tmdesk", "--db", db, "--config", str(config), "web"]
            + ["--listen", f"127.0.0.1:{port}"],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = WebServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"tmdesk web stopped: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise AssertionError(f"tmdesk web did not answer: {log.read_text()[-2000:]}")


class BrowserTab:
    """One Chromium tab on the desk: type into it, read its screen."""

    def __init__(self, context, url: str) -> None:
        self.page = context.new_page()
        self.page.add_init_script(CATCH_TERMINAL)
        self.page.goto(url + "/")
        self.wait_for("Who is at the desk?")
        self.page.locator(".xterm-helper-textarea").focus()

    def text(self) -> str:
        return self.page.evaluate(SCREEN_TEXT)

    def size(self) -> tuple[int, int]:
        cols, rows = self.page.evaluate(SCREEN_SIZE)
        return cols, rows

    def wait_for(self, *needles: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if all(needle in text for needle in needles):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{needles} not on the page:\n{text}")
            time.sleep(0.1)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def sign_in(self, login: str, password: str) -> None:
        self.type(login)
        self.press("Enter")
        self.wait_for("Password:")
        self.type(password)
        self.press("Enter")


def wait_until(condition, timeout: float = 30.0, what: str = "condition", page=None):
    """Poll `condition`; with a `page`, wait through Playwright, which delivers its events
    (downloads, new pages) only while it is called."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        if page is not None:
            page.wait_for_timeout(100)
        else:
            time.sleep(0.1)


def descendants(pid: int) -> list[int]:
    """The processes started under `pid` (its tabs' desks), from /proc."""
    found, pending = [], [pid]
    while pending:
        parent = pending.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(child) for child in children]
        pending += [int(child) for child in children]
    return found


@dataclass
class Delivered:
    """A file the browser fetched from the desk (textual-serve's /download/<key>)."""

    file_name: str  # from Content-Disposition, as the browser names the saved file
    disposition: str
    body: bytes


def catch_downloads(context) -> list[Delivered]:
    """Every download the pages of `context` fetch, caught on the wire: textual-serve opens
    each in a new tab that Chromium closes at once, too soon to wait on its events."""
    caught: list[Delivered] = []

    def route(route) -> None:
        response = route.fetch()
        disposition = response.headers.get("content-disposition", "")
        encoded = disposition.partition("filename*=UTF-8''")[2]
        caught.append(Delivered(urllib.parse.unquote(encoded), disposition, response.body()))
        route.fulfill(response=response)

    context.route("**/download/**", route)
    return caught
