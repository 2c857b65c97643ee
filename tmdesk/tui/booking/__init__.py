"""Booking a meeting: the slots offered, the week grid and the meeting form."""
