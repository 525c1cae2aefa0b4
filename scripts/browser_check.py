"""``make browser-check``: a picture of the browser view, for a person to look at.

Starts ``ensap-tui serve`` on a free loopback port with a fresh database in a temporary folder,
installs Debian's ``chromium`` when it is missing, takes a headless screenshot of the page once
the app inside it has connected and drawn (chromium driven over its DevTools protocol), stops
chromium and the server by their process ids, and writes ``screenshots/navigateur.png``.

Usage: ``python scripts/browser_check.py [--demo] [--output CHEMIN] [--wait SECONDES]``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "screenshots" / "navigateur.png"
HOST = "127.0.0.1"
#: Browser window, in pixels: the terminal in the page fills it.
WINDOW = (1280, 900)


def say(message: str) -> None:
    print(f"browser-check : {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def install_chromium() -> str:
    """Debian's chromium, installed with apt-get when absent (the package lists are refreshed
    first when the package is not known yet)."""
    found = find_chromium()
    if found:
        return found
    if shutil.which("apt-get") is None:
        raise SystemExit("browser-check : chromium est absent et apt-get n'existe pas ici.")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    say("chromium est absent : installation avec apt-get…")
    install = [*prefix, "apt-get", "install", "-y", "chromium"]
    if subprocess.run(install, check=False).returncode != 0:
        subprocess.run([*prefix, "apt-get", "update"], check=True)
        subprocess.run(install, check=True)
    found = find_chromium()
    if not found:
        raise SystemExit("browser-check : chromium reste introuvable après l'installation.")
    return found


def wait_for_server(process: subprocess.Popen[bytes], url: str, attempts: int = 300) -> None:
    for _ in range(attempts):
        if process.poll() is not None:
            code = process.returncode
            raise SystemExit(f"browser-check : le serveur s'est arrêté (code {code}).")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
    raise SystemExit("browser-check : le serveur ne répond pas.")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _chromium_command(chromium: str, profile: Path) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        # Driven over the DevTools protocol, on a port of its choosing (written to the profile).
        "--remote-debugging-port=0",
        "about:blank",
    ]


async def _capture(profile: Path, url: str, wait_seconds: float) -> bytes:
    """Loads ``url`` in the running headless chromium and returns a PNG of the page once the
    app has drawn: its first bytes arrived, ``wait_seconds`` passed (the start notices fade),
    and two captures a second apart are the same.

    Why not ``--screenshot --virtual-time-budget``: virtual time does not wait for the
    websocket, so that capture only ever shows textual-serve's loading dialog.
    """
    import aiohttp  # installed with textual-serve

    port_file = profile / "DevToolsActivePort"
    for _ in range(300):
        if port_file.exists() and port_file.read_text().strip():
            break
        await asyncio.sleep(0.1)
    else:
        raise SystemExit("browser-check : chromium n'a pas ouvert son port de pilotage.")
    port = port_file.read_text().split()[0]
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://{HOST}:{port}/json/list") as response:
            targets = await response.json()
        page = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            counter = 0

            async def call(method: str, **params: object) -> dict[str, Any]:
                nonlocal counter
                counter += 1
                await ws.send_json({"id": counter, "method": method, "params": params})
                while True:
                    message = await asyncio.wait_for(ws.receive_json(), 60)
                    if message.get("id") == counter:
                        return dict(message.get("result") or {})

            await call(
                "Emulation.setDeviceMetricsOverride",
                width=WINDOW[0], height=WINDOW[1], deviceScaleFactor=1, mobile=False,
            )
            # textual.js tells the app it has the focus when its terminal gets it; without
            # that the app stays "blurred" and its footer is not drawn.
            await call("Emulation.setFocusEmulationEnabled", enabled=True)
            started = time.monotonic()
            await call("Page.navigate", url=url)
            for _ in range(600):
                found = await call(
                    "Runtime.evaluate",
                    expression="document.body.classList.contains('-first-byte')",
                    returnByValue=True,
                )
                if (found.get("result") or {}).get("value") is True:
                    break
                await asyncio.sleep(0.1)
            else:
                raise SystemExit("browser-check : l'application ne s'est jamais affichée.")
            await call(
                "Runtime.evaluate",
                expression=(
                    "document.querySelector('.xterm-screen')"
                    ".dispatchEvent(new FocusEvent('focus'))"
                ),
            )
            await asyncio.sleep(max(0.0, wait_seconds - (time.monotonic() - started)))
            previous = b""
            for _ in range(30):
                shot = await call("Page.captureScreenshot", format="png")
                data = base64.b64decode(str(shot.get("data", "")))
                if data and data == previous:
                    return data
                previous = data
                await asyncio.sleep(1)
            return previous


def screenshot(chromium: str, url: str, output: Path, wait_seconds: float, profile: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    browser = subprocess.Popen(
        _chromium_command(chromium, profile),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        data = asyncio.run(asyncio.wait_for(_capture(profile, url, wait_seconds), 180))
    finally:
        stop(browser)
    if not data.startswith(b"\x89PNG"):
        raise SystemExit("browser-check : chromium n'a pas produit de capture.")
    output.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Capture de la vue navigateur (textual-serve).")
    parser.add_argument("--demo", action="store_true", help="servir le mode démonstration")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="fichier PNG")
    parser.add_argument(
        "--wait", type=float, default=20.0, help="secondes laissées à la page pour se dessiner"
    )
    args = parser.parse_args(argv)
    chromium = install_chromium()
    with tempfile.TemporaryDirectory(prefix="ensap-browser-check-") as folder:
        tmp = Path(folder)
        env = dict(os.environ)
        # A throw-away database and data folders, and no system keyring: nothing of the user's.
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[name] = str(tmp / name.lower())
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        port = free_port()
        command = [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port),
                   "--db", str(tmp / "ensap.sqlite3")]
        if args.demo:
            command.append("--demo")
        log = (tmp / "serve.log").open("wb")
        server = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            cwd=ROOT,
        )
        try:
            url = f"http://{HOST}:{port}/"
            wait_for_server(server, url)
            say(f"serveur prêt sur {url} ; capture avec {chromium}…")
            started = time.monotonic()
            screenshot(chromium, url, args.output, args.wait, tmp / "profil-chromium")
            say(f"capture faite en {time.monotonic() - started:.0f} s.")
        finally:
            stop(server)
            log.close()
    say(f"image écrite : {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
