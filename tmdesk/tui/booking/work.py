"""The booking panel's door to the services: the slots, the specialists and the meeting
booked, moved or cancelled (see tmdesk.tui.work)."""

from tmdesk.services.booking import (
    Attendee,
    BookingError,
    Candidate,
    MeetingInfo,
    Slot,
    SlotTaken,
    meeting_for_lead,
)
from tmdesk.services.booking_desk import (
    Availability,
    BookingView,
    MeetingRequest,
    attendees_of,
    availability,
    cancel,
    confirm,
    open_booking,
)

__all__ = [
    "Attendee",
    "Availability",
    "BookingError",
    "BookingView",
    "Candidate",
    "MeetingInfo",
    "MeetingRequest",
    "Slot",
    "SlotTaken",
    "attendees_of",
    "availability",
    "cancel",
    "confirm",
    "meeting_for_lead",
    "open_booking",
]
