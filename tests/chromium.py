"""One headless Chromium for many pages, driven over its DevTools pipe.

Chromium takes about a second of CPU to start; a module that opens several pages (the axe
audits of test_html) starts it once with ``--remote-debugging-pipe`` and opens each page in a
tab of its own: the page is a top-level document in a window of the default headless size, as
under ``--dump-dom``. The DevTools protocol's messages are JSON, each ended by a NUL byte, read
by Chromium from file descriptor 3 and written to 4.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import Any


class Chromium:
    def __init__(self, executable: str, profile: Path) -> None:
        theirs_in, ours_to_chromium = _pipe()  # Chromium reads fd 3
        chromium_to_ours, theirs_out = _pipe()  # and writes fd 4

        def descriptors() -> None:
            os.dup2(theirs_in, 3)
            os.dup2(theirs_out, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=descriptors,
        )
        os.close(theirs_in)
        os.close(theirs_out)
        self._write, self._read = ours_to_chromium, chromium_to_ours
        self._ids = itertools.count(1)
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    def evaluate_in_page(self, url: str, expression: str, timeout: float = 120) -> Any:
        """The value of *expression* (awaited if a promise) in *url*, opened in a new tab once
        its load event has fired."""
        deadline = time.monotonic() + timeout
        target = self._call("Target.createTarget", {"url": "about:blank"}, deadline)["targetId"]
        try:
            session = self._call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}, deadline
            )["sessionId"]
            self._call("Page.enable", {}, deadline, session)
            self._call("Page.setLifecycleEventsEnabled", {"enabled": True}, deadline, session)
            loader = self._call("Page.navigate", {"url": url}, deadline, session)["loaderId"]
            self._wait_for_load(loader, session, deadline)
            result = self._call(
                "Runtime.evaluate",
                {"expression": expression, "awaitPromise": True, "returnByValue": True},
                deadline,
                session,
            )
            if "exceptionDetails" in result:
                raise AssertionError(f"the page threw: {result['exceptionDetails']}")
            return result["result"].get("value")
        finally:
            self._call("Target.closeTarget", {"targetId": target}, time.monotonic() + 10)

    def close(self) -> None:
        try:
            self._call("Browser.close", {}, time.monotonic() + 10)
            self.process.wait(timeout=10)
        except (OSError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._write)
            os.close(self._read)

    # --- the protocol ---------------------------------------------------------------------

    def _call(
        self, method: str, params: dict[str, Any], deadline: float, session: str | None = None
    ) -> dict[str, Any]:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._next(deadline)
            if reply.get("id") == number:
                if "error" in reply:
                    raise AssertionError(f"{method} failed: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            if "method" in reply:
                self._events.append(reply)

    def _wait_for_load(self, loader: str, session: str, deadline: float) -> None:
        """Until the load event of the document *loader* loads (not the blank one before)."""
        while True:
            for event in self._events:
                params = event.get("params", {})
                if (
                    event["method"] == "Page.lifecycleEvent"
                    and event.get("sessionId") == session
                    and params.get("name") == "load"
                    and params.get("loaderId") == loader
                ):
                    self._events.clear()
                    return
            self._events.append(self._next(deadline))

    def _next(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise OSError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed


def _pipe() -> tuple[int, int]:
    """A pipe whose ends are above 4, so that moving them onto 3 and 4 overwrites neither."""
    read, write = os.pipe()
    high = [fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 5) for end in (read, write)]
    os.close(read)
    os.close(write)
    return high[0], high[1]
