"""Verifies scenarios headless: each on a new throw-away demo database, in the real app built
by :func:`ensap_tui.ui.app.create_app`, driven by Textual's Pilot, as fast as the app goes.

The first failure stops the run with the step, what was expected, what the screen showed, and
an SVG capture of that moment.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

from ensap_tui.scenarios.format import Scenario
from ensap_tui.scenarios.runner import Runner, StepFailed, describe_screen

#: The demo clock's starting point in a verification (the tests' instant): the same screens,
#: dates and captures at every run.
VERIFY_AT = datetime(2026, 11, 26, 13, 2, tzinfo=UTC)
#: The terminal size of a verification (the snapshots' size).
VERIFY_SIZE = (100, 40)


@dataclass(frozen=True)
class Outcome:
    """How one scenario's verification went: ``failure`` (None when every step passed),
    the ``capture`` written at the failure, the steps done, the time taken."""

    scenario: Scenario
    failure: StepFailed | None
    capture: Path | None
    steps_done: int
    seconds: float

    @property
    def passed(self) -> bool:
        return self.failure is None


async def verify(
    scenario: Scenario,
    captures: Path,
    *,
    log: Callable[[str], None] | None = None,
    size: tuple[int, int] = VERIFY_SIZE,
    budget: float = 15.0,
) -> Outcome:
    """Runs ``scenario`` headless on a new demo database (cheap argon2, fixed clock, seeded
    NIR draws), each step waiting at most ``budget`` seconds; on a failure writes
    ``<file>-etape-<n>.svg`` in ``captures``."""
    from ensap_tui.adapters.clocks import FixedClock
    from ensap_tui.bootstrap import Settings
    from ensap_tui.ui.app import create_app

    started = time.monotonic()
    done = 0
    with tempfile.TemporaryDirectory(prefix="ensap-scenario-") as folder:
        app = create_app(
            Path(folder) / "verification.sqlite3",
            clock=FixedClock(VERIFY_AT),
            settings=Settings.for_tests().demo_mode(),
        )
        failure: StepFailed | None = None
        capture: Path | None = None
        async with app.run_test(size=size) as pilot:

            def count(line: str) -> None:
                nonlocal done
                done += 1
                if log is not None:
                    log(line)

            runner = Runner(scenario, pilot, log=count,
                            rng=random.Random(scenario.path.name + scenario.title),
                            budget=budget)
            try:
                await runner.run()
            except StepFailed as error:
                failure = error
                done -= 1
            except Exception as error:  # the app itself failed: report it as the step's failure
                step = scenario.steps[max(done - 1, 0)]
                failure = StepFailed(step, "l'étape se déroule sans erreur de l'application",
                                     f"erreur {type(error).__name__} : {error} "
                                     f"({describe_screen(app)})")
                done -= 1
            if failure is not None:
                captures.mkdir(parents=True, exist_ok=True)
                capture = captures / f"{scenario.path.stem}-etape-{failure.step.number}.svg"
                capture.write_text(app.export_screenshot(
                    title=f"{scenario.title} — étape {failure.step.number}"
                ), encoding="utf-8")
    return Outcome(scenario, failure, capture, max(done, 0), time.monotonic() - started)


def failure_report(outcome: Outcome) -> str:
    """The failure in French, several lines: scenario, step, expected, shown, capture."""
    failure = outcome.failure
    assert failure is not None
    step = failure.step
    lines = [
        f"échec du scénario « {outcome.scenario.title} » ({outcome.scenario.path}),",
        f"  étape {step.number} (ligne {step.line}) : {step.describe()}",
        f"  attendu : {failure.expected}",
        f"  à l'écran : {failure.shown}",
    ]
    if outcome.capture is not None:
        lines.append(f"  capture : {outcome.capture}")
    return "\n".join(lines)


def write_junit(path: Path, outcomes: Sequence[Outcome], not_run: Sequence[Scenario]) -> None:
    """A JUnit XML report: one test case per scenario, a failure with its report, the
    scenarios not run after the first failure marked skipped."""
    suite = ElementTree.Element(
        "testsuite",
        name="scenarios ensap-tui",
        tests=str(len(outcomes) + len(not_run)),
        failures=str(sum(not o.passed for o in outcomes)),
        skipped=str(len(not_run)),
        time=f"{sum(o.seconds for o in outcomes):.3f}",
    )
    for outcome in outcomes:
        case = ElementTree.SubElement(
            suite, "testcase", classname="scenarios", name=outcome.scenario.title,
            file=str(outcome.scenario.path), time=f"{outcome.seconds:.3f}",
        )
        if outcome.failure is not None:
            failed = ElementTree.SubElement(case, "failure", message=str(outcome.failure))
            failed.text = failure_report(outcome)
    for scenario in not_run:
        case = ElementTree.SubElement(suite, "testcase", classname="scenarios",
                                      name=scenario.title, file=str(scenario.path))
        ElementTree.SubElement(case, "skipped", message="non exécuté : un scénario précédent a "
                                                       "échoué")
    tree = ElementTree.ElementTree(suite)
    ElementTree.indent(tree)
    path.parent.mkdir(parents=True, exist_ok=True)
    tree.write(path, encoding="utf-8", xml_declaration=True)
