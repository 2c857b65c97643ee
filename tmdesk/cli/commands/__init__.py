"""The sub-commands of `tmdesk`, one module per topic; `tmdesk.cli` registers them.

Their help texts are translated as they are imported: `--lang` is read first, and click's own
words (the --help option's, the version's) are routed to our catalogue first."""

from tmdesk.cli import language as _language  # noqa: F401
from tmdesk.cli.click_words import route_click_words

route_click_words()
