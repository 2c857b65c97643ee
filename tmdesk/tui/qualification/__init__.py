"""The qualification form an agent fills in during a call, and what it shows."""
