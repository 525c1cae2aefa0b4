"""``ensap-tui serve`` on a PostgreSQL database (issue 13): each browser tab opens the server's
database (its URL passed in the environment, never on a command line), and the password of the
URL is printed nowhere."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from ensap_tui.adapters.database_url import parse_postgres_url
from tests.support.programs import program_env, stop
from tests.test_serve import HOST, free_port, read_home_page, wait_until_it_answers


def test_each_tab_opens_the_server_database_and_the_password_is_never_printed(
        postgres_url: str, tmp_path: Path) -> None:
    password = parse_postgres_url(postgres_url).password
    assert password
    secret = tmp_path / "ensap.secret"
    port = free_port()
    out_path, err_path = tmp_path / "serve.out", tmp_path / "serve.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "ensap_tui", "serve", "--port", str(port),
             "--db", postgres_url, "--secret-file", str(secret)],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=program_env(tmp_path),
        )
        try:
            wait_until_it_answers(process, f"http://{HOST}:{port}/")
            text = asyncio.run(read_home_page(
                f"ws://{HOST}:{port}/ws?width=100&height=40", "Créer mon espace"
            ))
        finally:
            stop(process)
    assert "Créer mon espace" in text and "Accéder à mon espace" in text
    # The tab opened the server's database: no file database was made in the data folder.
    assert not (tmp_path / "xdg_data_home" / "ensap-tui").exists()
    assert secret.exists()
    said = out_path.read_text(encoding="utf-8") + err_path.read_text(encoding="utf-8")
    assert "Simulateur ENSAP servi sur" in said
    assert parse_postgres_url(postgres_url).masked in said
    assert password not in said
