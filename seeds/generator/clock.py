"""Time handling: the extract window, Europe/Rome local time and formatting.

All internal times are integer seconds since the Unix epoch (UTC). Conversions
to Europe/Rome use the zone's DST transitions looked up once with zoneinfo.
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from seeds.generator.config import TIMEZONE

ROME = ZoneInfo(TIMEZONE)
PACIFIC = ZoneInfo("America/Los_Angeles")
DAY = 86_400
HOUR = 3_600
MINUTE = 60
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _transitions(tz: ZoneInfo, first: date, last: date) -> tuple[list[int], list[int]]:
    """Times (UTC epoch) where the zone's UTC offset changes, with the offset after each."""
    t = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()) - 2 * DAY
    stop = int(datetime(last.year, last.month, last.day, tzinfo=UTC).timestamp()) + 3 * DAY
    off = int(datetime.fromtimestamp(t, tz).utcoffset().total_seconds())
    starts, offsets = [t], [off]
    while t < stop:
        t += HOUR
        o = int(datetime.fromtimestamp(t, tz).utcoffset().total_seconds())
        if o != off:
            starts.append(t)
            offsets.append(o)
            off = o
    return starts, offsets


class Clock:
    """The extract window and fast local-time helpers.

    ``t0`` is the first allowed instant (start date 00:00 UTC) and ``t1`` the
    first excluded one (end + 1 day at 00:00 Europe/Rome), so every timestamp
    is within the window whether read as UTC or as local time. Day indexes are
    Europe/Rome calendar days counted from the start date.
    """

    def __init__(self, start: date, end: date) -> None:
        self.start = start
        self.end = end
        self.n_days = (end - start).days + 1
        self._starts, self._offsets = _transitions(ROME, start, end)
        self._pst_starts, self._pst_offsets = _transitions(PACIFIC, start, end)
        self.t0 = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp())
        self.t1 = self.local_midnight(self.n_days)
        self.dates = [start + timedelta(days=i) for i in range(self.n_days)]
        self.months = self._months()
        self._date_cache: dict[int, str] = {}

    # ----- offsets -------------------------------------------------------------------------
    def offset(self, ts: int) -> int:
        return self._offsets[bisect.bisect_right(self._starts, ts) - 1]

    def pacific_offset(self, ts: int) -> int:
        return self._pst_offsets[bisect.bisect_right(self._pst_starts, ts) - 1]

    # ----- days ----------------------------------------------------------------------------
    def local_midnight(self, day_index: int) -> int:
        """UTC epoch of 00:00 Europe/Rome on window day ``day_index`` (may be outside)."""
        d = self.start + timedelta(days=day_index)
        return int(datetime(d.year, d.month, d.day, tzinfo=ROME).timestamp())

    def at_local(self, day_index: int, seconds: float) -> int:
        """UTC epoch for a local wall-clock offset (seconds after local midnight)."""
        base = self.local_midnight(day_index)
        return base + int(seconds)

    def day_index(self, ts: int) -> int:
        """Window day index of ``ts`` in Europe/Rome (may be <0 or >= n_days)."""
        local = ts + self.offset(ts)
        return local // DAY - (self.start.toordinal() - _EPOCH_ORDINAL)

    def pacific_day_index(self, ts: int) -> int:
        local = ts + self.pacific_offset(ts)
        return local // DAY - (self.start.toordinal() - _EPOCH_ORDINAL)

    def local_date(self, ts: int) -> date:
        return date.fromordinal((ts + self.offset(ts)) // DAY + _EPOCH_ORDINAL)

    def month_key(self, ts: int) -> str:
        """YYYYMM of the local (Europe/Rome) month of ``ts``."""
        d = self.local_date(ts)
        return f"{d.year:04d}{d.month:02d}"

    def day_month_key(self, day_index: int) -> str:
        d = self.start + timedelta(days=day_index)
        return f"{d.year:04d}{d.month:02d}"

    def in_window(self, ts: int) -> bool:
        return self.t0 <= ts < self.t1

    def clamp(self, ts: int) -> int:
        return min(max(ts, self.t0), self.t1 - 1)

    def _months(self) -> list[str]:
        out: list[str] = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}{m:02d}")
            m += 1
            if m == 13:
                y, m = y + 1, 1
        return out

    def month_bounds(self, month: str) -> tuple[int, int]:
        """First and last window day index of a YYYYMM month (clipped to the window)."""
        y, m = int(month[:4]), int(month[4:])
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        lo = max(0, (first - self.start).days)
        hi = min(self.n_days - 1, (nxt - self.start).days - 1)
        return lo, hi

    def last_two_days_of_month(self, ts: int) -> bool:
        d = self.local_date(ts)
        nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        return (nxt - d).days <= 2

    def next_month(self, month: str) -> str | None:
        i = self.months.index(month)
        return self.months[i + 1] if i + 1 < len(self.months) else None

    # ----- formatting ----------------------------------------------------------------------
    def _ymd(self, day_number: int) -> str:
        s = self._date_cache.get(day_number)
        if s is None:
            s = date.fromordinal(day_number + _EPOCH_ORDINAL).isoformat()
            self._date_cache[day_number] = s
        return s

    def utc(self, ts: int) -> str:
        """``YYYY-MM-DDTHH:MM:SSZ``."""
        dn, rem = divmod(int(ts), DAY)
        h, rem = divmod(rem, HOUR)
        m, s = divmod(rem, MINUTE)
        return f"{self._ymd(dn)}T{h:02d}:{m:02d}:{s:02d}Z"

    def local(self, ts: int) -> str:
        """``YYYY-MM-DDTHH:MM:SS+01:00`` in Europe/Rome."""
        off = self.offset(ts)
        dn, rem = divmod(int(ts) + off, DAY)
        h, rem = divmod(rem, HOUR)
        m, s = divmod(rem, MINUTE)
        oh, om = divmod(abs(off) // 60, 60)
        sign = "+" if off >= 0 else "-"
        return f"{self._ymd(dn)}T{h:02d}:{m:02d}:{s:02d}{sign}{oh:02d}:{om:02d}"

    def local_ymd(self, ts: int) -> str:
        return self._ymd((int(ts) + self.offset(ts)) // DAY)

    def ga4_date(self, ts: int) -> str:
        return self.local_ymd(ts).replace("-", "")

    def day_iso(self, day_index: int) -> str:
        return self._ymd(self.start.toordinal() - _EPOCH_ORDINAL + day_index)

    def local_hour(self, ts: int) -> int:
        return ((int(ts) + self.offset(ts)) % DAY) // HOUR

    def weekday(self, day_index: int) -> int:
        return (
            self.dates[day_index].weekday()
            if 0 <= day_index < self.n_days
            else ((self.start + timedelta(days=day_index)).weekday())
        )
