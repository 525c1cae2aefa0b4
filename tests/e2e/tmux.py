"""A small driver for a real terminal: a detached tmux session we type into and read from."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid
from collections.abc import Mapping


class TmuxSession:
    """Runs ``command`` in a new detached tmux session of ``width`` × ``height`` cells.

    The session has a tmux server of its own (its own socket, no configuration file read).
    Use as a context manager: the server, the session and the program in it are killed on exit.
    """

    def __init__(
        self,
        command: list[str],
        *,
        width: int = 100,
        height: int = 40,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = f"ensap-e2e-{uuid.uuid4().hex[:8]}"
        self.command = command
        self.width = width
        self.height = height
        self.env = dict(env or {})
        self._tmux = ["tmux", "-L", self.name, "-f", os.devnull]

    def __enter__(self) -> TmuxSession:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # `exec env …` so the program is the pane's process and dies with the session.
        shell_command = f"exec env {exports} {shlex.join(self.command)}"
        size = ["-x", str(self.width), "-y", str(self.height)]
        subprocess.run(
            [*self._tmux, "new-session", "-d", "-s", self.name, *size, shell_command], check=True
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        subprocess.run([*self._tmux, "kill-server"], check=False, capture_output=True)

    def send(self, *keys: str) -> None:
        """Sends tmux key names (``"Tab"``, ``"Enter"``, ``"C-q"``) one after another.

        After a focus key (Tab, BTab) it waits until the focus highlight has moved: Textual moves
        the focus only once the key has bubbled up to the app's binding, so characters sent
        before that would still reach the field being left.
        """
        for key in keys:
            before = self._borders() if key in ("Tab", "BTab") else None
            subprocess.run([*self._tmux, "send-keys", "-t", self.name, key], check=True)
            if before is not None:
                self._wait_borders_change(before)
            time.sleep(0.15)  # a human pace between keys

    def _borders(self) -> list[str]:
        # The rows holding the top edges of inputs, lists and buttons, with their colours: the
        # focused widget's edge is drawn in another colour, and no cursor blinks on these rows.
        result = subprocess.run(
            [*self._tmux, "capture-pane", "-e", "-p", "-t", self.name],
            check=True, capture_output=True, text=True,
        )
        return [row for row in result.stdout.splitlines() if "▔" in row]

    def _wait_borders_change(self, before: list[str], timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._borders() == before:
            time.sleep(0.05)

    def type(self, text: str) -> None:
        """Types ``text`` literally (no key-name interpretation)."""
        subprocess.run([*self._tmux, "send-keys", "-t", self.name, "-l", text], check=True)
        time.sleep(0.3)

    def screen(self) -> str:
        """The visible text of the pane."""
        result = subprocess.run(
            [*self._tmux, "capture-pane", "-p", "-t", self.name],
            check=True, capture_output=True, text=True,
        )
        return result.stdout

    def size(self) -> tuple[int, int]:
        """The window's width and height in cells."""
        result = subprocess.run(
            [*self._tmux, "display-message", "-p", "-t", self.name,
             "#{window_width} #{window_height}"],
            check=True, capture_output=True, text=True,
        )
        width, height = result.stdout.split()
        return int(width), int(height)

    def alive(self) -> bool:
        """True while the session (and so the program) is running."""
        result = subprocess.run([*self._tmux, "has-session", "-t", self.name], capture_output=True)
        return result.returncode == 0

    def wait_until_closed(self, timeout: float = 10.0) -> bool:
        """Waits for the program to end; True if it did within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return True
            time.sleep(0.1)
        return False

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Waits until ``text`` is on screen and returns the screen; fails with the last screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError(f"the program ended while waiting for {text!r}:\n{screen}")
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen; last screen:\n{screen}")
