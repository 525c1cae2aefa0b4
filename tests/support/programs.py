"""Programs started by the tests: their environment, the command line run as a real program,
and stopping a program by its process id (never by name)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The project root: what a started program needs on its path to import ``ensap_tui``.
ROOT = Path(__file__).resolve().parents[2]

#: keyring's own "no keyring" backend: a developer's real keyring is never written to by a test.
NO_KEYRING = "keyring.backends.fail.Keyring"
#: ``PYTHON_KEYRING_BACKEND`` prefix of the backends of ``tests/support/keyrings_by_name.py``.
KEYRINGS_BY_NAME = "tests.support.keyrings_by_name."


def program_env(tmp_path: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a started program: ours, with the project importable, no system
    keyring, the zone pinned and, given ``tmp_path``, the XDG folders inside it (no user data
    or configuration leaks in); ``extra`` last."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    )
    env["PYTHON_KEYRING_BACKEND"] = NO_KEYRING
    env["TZ"] = "Europe/Paris"
    if tmp_path is not None:
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env[name] = str(tmp_path / name.lower())
    env.update(extra)
    return env


def stop(process: subprocess.Popen[Any], timeout: float = 20) -> None:
    """Ends a started program by its process id: terminate, wait, kill if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


@dataclass(frozen=True)
class CliResult:
    """What a run of the real command line gave."""

    code: int
    stdout: str
    stderr: str


#: Linux capabilities that let root ignore file permissions (capability.h).
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
_PR_CAPBSET_DROP = 24


def _drop_permission_override() -> None:
    """In the child, before exec: removes from the bounding set the capabilities that let root
    ignore file modes, so that the program, though root, is bound by them like anyone."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def permissions_can_bind() -> str | None:
    """None when a child program can be made to obey file modes (we are not root, or root
    may drop its override capabilities); otherwise why it cannot."""
    if not sys.platform.startswith("linux"):
        return "dropping capabilities needs Linux"
    if os.geteuid() != 0:
        return None
    try:
        subprocess.run(
            [sys.executable, "-c", "pass"], preexec_fn=_drop_permission_override, check=True
        )
    except (subprocess.SubprocessError, OSError):
        return "root here may not drop CAP_DAC_OVERRIDE, so file modes do not bind it"
    return None


def start_cli(
    *args: str, env: dict[str, str] | None = None, obey_modes: bool = False,
    stdin: int | None = subprocess.DEVNULL,
) -> subprocess.Popen[str]:
    """Starts ``python -m ensap_tui *args`` as a separate program. ``obey_modes``: when we are
    root, the program runs without the capabilities that ignore file modes (see
    :func:`permissions_can_bind`); ``stdin=subprocess.PIPE`` to write to it."""
    preexec = _drop_permission_override if obey_modes and os.geteuid() == 0 else None
    return subprocess.Popen(
        [sys.executable, "-m", "ensap_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=stdin,
        text=True,
        env=env or program_env(),
        cwd=ROOT,
        preexec_fn=preexec,
    )


def finish_cli(
    process: subprocess.Popen[str], timeout: float = 120, input: str | None = None
) -> CliResult:
    """Waits for a program started by :func:`start_cli` (killed after ``timeout`` seconds)."""
    try:
        out, err = process.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"still running after {timeout} s:\n{err}") from None
    return CliResult(process.returncode, out, err)


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, obey_modes: bool = False,
    input: str | None = None,
) -> CliResult:
    """Runs ``python -m ensap_tui *args`` to its end (see :func:`start_cli`); ``input`` is
    written to its standard input."""
    stdin = subprocess.PIPE if input is not None else subprocess.DEVNULL
    process = start_cli(*args, env=env, obey_modes=obey_modes, stdin=stdin)
    return finish_cli(process, timeout, input)


def assert_french_failure(result: CliResult, *fragments: str) -> None:
    """The command failed (non-zero) with a French message on stderr naming ``fragments``,
    and without a traceback."""
    assert result.code != 0, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr
    assert result.stderr.startswith("ensap-tui : "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def run_main(capsys: Any, db: Path, *argv: str) -> tuple[int, str, str]:
    """``ensap-tui --db db ARGV`` in this process (pytest's ``capsys`` captures its output):
    (exit code, stdout, stderr). Checks that no traceback was printed."""
    from ensap_tui.cli import main

    try:
        code = main(["--db", str(db), *argv])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def child_processes(pid: int | str) -> list[str]:
    """The process ids of ``pid``'s children, from /proc (Linux)."""
    found: list[str] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:  # it has ended
        return found
    for task in tasks:
        try:
            found += (task / "children").read_text().split()
        except OSError:  # that thread has ended
            continue
    return found


def is_launcher(pid: int | str) -> bool:
    """Whether ``pid`` is a browser server's app launcher (ensap_tui.commands.app_launcher)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"ensap_tui.commands.app_launcher" in argv


def tab_apps(server: int | str) -> list[str]:
    """The process ids of the apps a browser server (``serve``, ``salle``) runs for its tabs:
    those its launcher forked, and those it started itself where it could not fork (its
    launcher is not one)."""
    found: list[str] = []
    for child in child_processes(server):
        found += child_processes(child) if is_launcher(child) else [child]
    return found
