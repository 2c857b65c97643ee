"""The agent's desk: the queue, the call screen, the lead card, notes, outcomes, search,
callbacks and dialling (with the telephony call state)."""
