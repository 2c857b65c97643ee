"""Widgets the desk's screens are built from."""
