"""`tmdesk telephony serve`: the PBX side for the whole office."""

from __future__ import annotations

import asyncio
import logging

import click

from tmdesk.cli.context import (
    Context,
    pass_context,
)
from tmdesk.i18n import _


@click.group(help=_("Click-to-call through the office PBX."))
def telephony() -> None:
    pass


@telephony.command("serve", help=_("Hold the PBX side for every desk until stopped (Ctrl+C)."))
@click.option(
    "--listen",
    metavar="HOST:PORT",
    help=_("Where the webhook receiver listens (zadarma; default: [telephony] listen)."),
)
@pass_context
def telephony_serve(context: Context, listen: str | None) -> None:
    workspace = context.workspace()
    from tmdesk.services.telephony.serve import make_backend, serve

    backend = make_backend(workspace.settings, listen)  # a wrong backend: one line, exit 1
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    click.echo(
        _("telephony: {backend} service started; Ctrl+C stops it").format(backend=backend.provider),
        err=True,
    )
    try:
        asyncio.run(serve(workspace.settings, backend=backend))
    except KeyboardInterrupt:
        pass
