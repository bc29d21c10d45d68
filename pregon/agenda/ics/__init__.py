"""iCalendar (RFC 5545) import and export. Parsing and recurrence expansion are done
by `icalendar` and `recurring-ical-events`; this package only maps events to activities
and turns parser complaints into Spanish messages that name the line.

- `reading`: decoding, parsing and the bounds on recurrence (errors name the line);
- `occurrences`: events to `Occurrence`s in local time, series expanded;
- `importing`: planning and applying an import (all or nothing);
- `exporting`: activities back to a calendar, imported series as their master event.
"""

from pregon.agenda.ics.exporting import export_ics, export_uid
from pregon.agenda.ics.importing import (
    CANCELLED_REASON,
    GONE_REASON,
    RESTORED_REASON,
    import_ics,
)
from pregon.agenda.ics.occurrences import (
    MAX_OCCURRENCES,
    IcsError,
    ImportResult,
    Occurrence,
    expand,
)
from pregon.agenda.ics.reading import check_series, parse_calendar

__all__ = [
    "CANCELLED_REASON",
    "GONE_REASON",
    "MAX_OCCURRENCES",
    "RESTORED_REASON",
    "IcsError",
    "ImportResult",
    "Occurrence",
    "check_series",
    "expand",
    "export_ics",
    "export_uid",
    "import_ics",
    "parse_calendar",
]
