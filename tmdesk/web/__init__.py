"""The desk in a browser: `tmdesk web` serves it with textual-serve, one desk process per tab,
everything on the office's own server (no relay, no fonts or scripts from elsewhere)."""

ADDRESS_VARIABLE = "TMDESK_WEB_ADDRESS"  # how a tab's desk process learns its browser's address
