"""``studio devices``: list the cameras, virtual cameras and sound devices the live show can use."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "devices",
        help="list cameras, virtual cameras, audio inputs and outputs",
        description="List the cameras, virtual cameras, audio inputs and outputs Studio can use live.",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.outputs.devices import format_devices, list_devices

    print(format_devices(list_devices()), end="")
    return 0
