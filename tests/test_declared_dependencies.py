"""Every third-party module Studio imports comes with ``pip install studio``.

The development venv has the test and dev tools too (scikit-image brings scipy, for one), so
an import of a package Studio never declared works here and fails for a user who installed
the wheel. This reads every import in ``studio/`` and checks that its distribution is in the
closure of Studio's own requirements (extras left out).
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

STUDIO = Path(__file__).resolve().parent.parent / "studio"
# Imported only where a feature is missing gracefully, installed by its own set-up step.
OPTIONAL: dict[str, str] = {
    # 'studio batch --ray' only: the cluster extra (pip install 'studio[cluster]'); imported in
    # studio.batch.ray_cluster after a check that says how to install it.
    "ray": "studio batch --ray (the cluster extra)",
    # TikTok LIVE comments only: the tiktok extra (pip install 'studio[tiktok]'); imported in
    # studio.room.tiktok after a check that says how to install it.
    "TikTokLive": "TikTok LIVE comments (the tiktok extra)",
}


def imported_top_levels() -> dict[str, str]:
    """``{top-level module: a file importing it}`` for every absolute import in studio/."""
    found: dict[str, str] = {}
    for path in sorted(STUDIO.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(STUDIO.parent)))
    return found


def requirement_closure(name: str) -> set[str]:
    """Normalised names of ``name`` and everything it requires on this platform, extras left out."""
    environment = {**default_environment(), "extra": ""}
    seen: set[str] = set()
    todo = [name]
    while todo:
        dist = canonical(todo.pop())
        if dist in seen:
            continue
        seen.add(dist)
        try:
            requires = metadata.requires(dist) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(environment):
                todo.append(req.name)
    return seen


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_a_declared_requirement() -> None:
    provides = metadata.packages_distributions()
    closure = requirement_closure("studio")
    missing = []
    for module, where in sorted(imported_top_levels().items()):
        if module == "studio" or module in sys.stdlib_module_names or module in OPTIONAL:
            continue
        dists = {canonical(d) for d in provides.get(module, [])}
        assert dists, f"{module} (imported in {where}) is not installed at all"
        if not dists & closure:
            missing.append(f"{module} ({', '.join(sorted(dists))}, imported in {where})")
    assert not missing, "imported but not required by studio: " + "; ".join(missing)


def test_the_check_sees_an_undeclared_import() -> None:
    # scikit-image is installed here (a test tool) but Studio never requires it.
    assert "scikit-image" not in requirement_closure("studio")
    assert "numpy" in requirement_closure("studio")
