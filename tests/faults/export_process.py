"""An export in a process of its own, for the fault tests.

    python export_process.py DB OUT PAUSE_AFTER MARKER WAIT_FOR

It records its leads 100 per transaction; after PAUSE_AFTER of those it writes MARKER (the
pending batch's id) and waits until WAIT_FOR exists: the test kills it there, or lets
another process work meanwhile. At the end it prints how many leads it handed off.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(db: str, out: str, pause_after: str, marker: str, wait: str) -> None:
    from tmdesk.services import export_staging
    from tmdesk.services.handoff import export_batch
    from tmdesk.services.workspace import open_workspace

    workspace = open_workspace(db)
    write_rows = export_staging.write_rows
    chunks = 0

    def pausing_write_rows(rows):
        nonlocal chunks
        write_rows(rows)  # committed: the pause holds no lock
        chunks += 1
        if chunks == int(pause_after):
            # whole or not at all: the test polls for the file and reads it at once
            Path(marker + ".part").write_text(str(rows[0][0]))
            Path(marker + ".part").replace(marker)
            while not Path(wait).exists():
                time.sleep(0.05)

    export_staging.WRITE_ROWS = 100
    export_staging.write_rows = pausing_write_rows
    files = export_batch(workspace.settings, "csv", out)
    print(sum(f.lead_count for f in files), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:6])
