"""The base of every error a user can cause and act on (bad file, bad value, refused action).

The CLI prints such errors as one line and exits non-zero; the TUI shows them. Anything
else is a bug and keeps its traceback.
"""


class TmdeskError(Exception):
    """An error whose message is meant for the user."""
