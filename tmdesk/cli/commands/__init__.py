"""The sub-commands of `tmdesk`, one module per topic; `tmdesk.cli` registers them.

Their help texts are translated as they are imported: `--lang` is read first."""

from tmdesk.cli import language as _language  # noqa: F401
