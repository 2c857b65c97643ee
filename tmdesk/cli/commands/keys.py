"""`tmdesk keys`: the effective key map."""

from __future__ import annotations

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
)
from tmdesk.i18n import _


@click.command("keys")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--web",
    is_flag=True,
    help=_("The keys in a browser (`tmdesk web`): browser-safe ones where a browser keeps ours."),
)
@pass_context
def keys_command(context: Context, as_json: bool, web: bool) -> None:
    """The effective key map: binding id → key, and the Russian-layout letter of each letter key."""
    from tmdesk.config import load_settings
    from tmdesk.services.keymap import ACTIONS_BY_ID, effective_keymap, layout_twins

    keymap = effective_keymap(load_settings(context.config).keys, browser=web)
    if as_json:
        echo_json(keymap)
        return
    twins = layout_twins(keymap)
    for binding, key in keymap.items():
        keys = ",".join(filter(None, (key, twins.get(binding))))
        click.echo(f"{binding:<22} {keys:<12} {ACTIONS_BY_ID[binding].description}")
