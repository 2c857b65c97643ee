"""The supervisor's workspace: review, figures, call lists and the do-not-call list."""
