"""Dates and times shown to the user (the test session pins TZ to Europe/Paris)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ensap_tui.domain import timefmt

WINTER = datetime(2026, 11, 27, 13, 2, tzinfo=UTC)  # 14:02 in Paris (UTC+1)
SUMMER = datetime(2026, 7, 14, 12, 5, tzinfo=UTC)  # 14:05 in Paris (UTC+2)


def test_local_converts_to_the_local_zone() -> None:
    shown = timefmt.local(WINTER)
    assert (shown.hour, shown.minute) == (14, 2)
    assert shown.utcoffset() == timedelta(hours=1)
    assert shown == WINTER


def test_naive_value_is_read_as_utc() -> None:
    assert timefmt.format_time(datetime(2026, 11, 27, 13, 2)) == "14:02"


@pytest.mark.parametrize(
    ("dt", "full", "time", "short"),
    [
        (WINTER, "27/11/2026 à 14:02", "14:02", "27/11 14:02"),
        (SUMMER, "14/07/2026 à 14:05", "14:05", "14/07 14:05"),
        (
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
            "01/01/2027 à 00:30",
            "00:30",
            "01/01 00:30",
        ),
        (
            datetime(2026, 3, 5, 9, 7, tzinfo=timezone(timedelta(hours=-5))),
            "05/03/2026 à 15:07",
            "15:07",
            "05/03 15:07",
        ),
    ],
)
def test_formats(dt: datetime, full: str, time: str, short: str) -> None:
    assert timefmt.format_datetime(dt) == full
    assert timefmt.format_time(dt) == time
    assert timefmt.format_short(dt) == short


@pytest.mark.parametrize("dt", [datetime.min, datetime.max])
def test_ends_of_the_calendar_do_not_fail(dt: datetime) -> None:
    assert timefmt.format_datetime(dt.replace(tzinfo=UTC)).count("/") == 2
