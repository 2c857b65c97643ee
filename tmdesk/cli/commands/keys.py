"""`tmdesk keys`: the effective key map."""

from __future__ import annotations

import click

from tmdesk.cli.context import (
    Context,
    echo_json,
    pass_context,
)
from tmdesk.i18n import _


@click.command("keys", help=_("The effective key map: binding id → key."))
@click.option("--json", "as_json", is_flag=True)
@pass_context
def keys_command(context: Context, as_json: bool) -> None:
    from tmdesk.config import load_settings
    from tmdesk.services.keymap import ACTIONS_BY_ID, effective_keymap

    keymap = effective_keymap(load_settings(context.config).keys)
    if as_json:
        echo_json(keymap)
        return
    for binding, key in keymap.items():
        click.echo(f"{binding:<22} {key:<12} {_(ACTIONS_BY_ID[binding].description)}")
