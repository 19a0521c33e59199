"""The moment a compiled document is dated with: never the clock, so that builds reproduce."""

from __future__ import annotations

import datetime as dt


def moment(iso_date: str, epoch: int | None) -> dt.datetime:
    """*epoch* (seconds, UTC) when given, else midnight UTC at the start of *iso_date*."""
    if epoch is not None:
        return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)
    day = dt.date.fromisoformat(iso_date)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
