"""The telephony tests reuse the desk helpers of the TUI tests (a desk, leads, a day of
calls): their folder goes on the import path, as pytest puts each test's own folder."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))
