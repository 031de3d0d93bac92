"""``studio devices``: list the cameras, virtual cameras and sound devices the live show can use."""

from __future__ import annotations

import argparse
from typing import Any

from studio.translation import tr


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "devices",
        help=tr("list cameras, virtual cameras, audio inputs and outputs"),
        description=tr("List the cameras, virtual cameras, audio inputs and outputs Studio can use live."),
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.outputs.devices import format_devices, list_devices

    print(format_devices(list_devices()), end="")
    print_readiness()
    return 0


def print_readiness() -> None:
    """Each live output's readiness, with its fix in words (the Live page's list)."""
    import platform

    from studio.outputs.readiness import format_readiness, readiness
    from studio.outputs.readiness_probes import real_probes
    from studio.settings.app_settings import default_record_dir

    system = platform.system()
    print()
    print(format_readiness(readiness(system, real_probes(system), default_record_dir())), end="")
