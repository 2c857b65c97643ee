"""The desk's screens: sign-in, the queue, and the dialogs they open."""
