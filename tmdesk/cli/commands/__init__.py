"""The sub-commands of `tmdesk`, one module per topic; `tmdesk.cli` registers them."""
