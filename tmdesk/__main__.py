"""`python -m tmdesk` is the `tmdesk` command."""

from tmdesk.cli import main

main()
