"""``studio ask``, ``studio show from-catalog`` and ``studio catalog`` stay offline without ``--llm``:
traced as the other commands are (tests/test_offline_network.py), no connection and no DNS query."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.test_offline_network import needs_strace, traced

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"


def _studio(*args: str) -> list[str]:
    return [sys.executable, "-m", "studio", *args]


@needs_strace
def test_answers_shows_and_imports_stay_offline(tmp_path: Path) -> None:
    catalog = str(DEMO / "catalog.toml")
    asked = traced(_studio("ask", "--catalog", catalog, "--product", "mug", "保温多久"), tmp_path / "home")
    assert asked.stdout.splitlines()[-1] == "陶瓷随行杯：热饮保温6小时。"
    show = tmp_path / "show.toml"
    traced(_studio("show", "from-catalog", catalog, "--lang", "zh", "--out", str(show)), tmp_path / "home")
    assert show.stat().st_size > 0
    out = tmp_path / "catalog.toml"
    for image in DEMO.glob("*.png"):
        (tmp_path / image.name).write_bytes(image.read_bytes())
    traced(_studio("catalog", "import", str(DEMO / "products.csv"), "--out", str(out)), tmp_path / "home")
    assert out.stat().st_size > 0
