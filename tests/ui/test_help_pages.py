"""The F1 help pages are Markdown files of the package, read when first opened, shipped in the
wheel (issue 9, point 6)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

from ensap_tui.ui.help import HELP_TOPICS, help_text

ROOT = Path(__file__).resolve().parents[2]
PAGES = resources.files("ensap_tui.ui.help").joinpath("pages")


def page_files() -> list[str]:
    return sorted(entry.name for entry in PAGES.iterdir() if entry.name.endswith(".md"))


def test_every_topic_is_a_markdown_file_with_its_title_on_the_first_line() -> None:
    names = page_files()
    assert {"_touches.md", "_rappel.md"} <= set(names)
    assert {name.removesuffix(".md") for name in names if not name.startswith("_")} == HELP_TOPICS
    for topic in HELP_TOPICS:
        source = PAGES.joinpath(f"{topic}.md").read_text(encoding="utf-8")
        first_line, _, body = source.partition("\n")
        assert first_line.startswith("# ")
        title, shown = help_text(topic)
        assert title == first_line.removeprefix("# ")
        assert shown.startswith(body.strip())


def test_an_unknown_topic_reads_no_file() -> None:
    assert help_text("../../domain/data/common-passwords")[0] == "Aide"


def test_start_up_reads_no_help_page() -> None:
    """The app module does not import the help: its pages cost nothing until F1."""
    code = (
        "import sys, ensap_tui.ui.app, ensap_tui.ui.screens.home;"
        "sys.exit('ensap_tui.ui.help' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("wheel")
    (built,) = WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])
    with zipfile.ZipFile(built) as wheel:
        return set(wheel.namelist())


def test_the_wheel_ships_every_help_page(wheel_names: set[str]) -> None:
    for name in page_files():
        assert f"ensap_tui/ui/help/pages/{name}" in wheel_names


def test_the_wheel_ships_the_package_data(wheel_names: set[str]) -> None:
    assert "ensap_tui/domain/data/common-passwords.txt" in wheel_names
    assert "ensap_tui/ui/ensap.tcss" in wheel_names
    assert "ensap_tui/commands/serve_page/app_index.html" in wheel_names
