"""Imports between apps run one way: down the README's picture of the layers, never up or sideways."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def layers(readme: str) -> list[list[str]]:
    """The README's picture, top layer first: the fenced block after "Imports run one way"."""
    block = re.search(r"Imports run one way.*?```\n(.*?)```", readme, re.S)
    assert block, "README.md has no picture of the layers after 'Imports run one way'"
    return [re.findall(r"(\w+)/", line) for line in block.group(1).splitlines() if line.strip()]


def imports(root: Path, app: str) -> list[tuple[str, int, str]]:
    """Every absolute import in an app's code, anywhere in a module: (file, line, the app it names)."""
    found = []
    for path in sorted((root / app).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found += [(str(path.relative_to(root)), node.lineno, name.split(".")[0]) for name in names]
    return found


def wrong_way(root: Path, picture: list[list[str]]) -> list[str]:
    """Each import of another app that is not in a lower layer, as 'file:line app -> app'."""
    depth = {app: number for number, layer in enumerate(picture) for app in layer}
    return [
        f"{path}:{line} {app} -> {other}"
        for app in depth
        for path, line, other in imports(root, app)
        if other in depth and other != app and depth[other] <= depth[app]
    ]


def test_the_readme_pictures_every_app_once():
    picture = layers((ROOT / "README.md").read_text(encoding="utf-8"))
    pictured = [app for layer in picture for app in layer]
    apps = sorted(path.parent.name for path in ROOT.glob("*/apps.py"))
    assert sorted(pictured) == sorted([*apps, "toesite"])


def test_no_import_runs_up_or_sideways():
    picture = layers((ROOT / "README.md").read_text(encoding="utf-8"))
    assert wrong_way(ROOT, picture) == []


def test_an_import_up_or_sideways_is_found(tmp_path):
    for app, code in {
        "core": "from causes.models import Cause\n",  # up
        "glossary": "def late():\n    import search.engine\n",  # sideways, inside a function
        "causes": "from core.cache import versioned\nfrom . import models\n",  # down, and its own
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "module.py").write_text(code)
    picture = [["glossary", "search"], ["causes"], ["core"]]
    assert wrong_way(tmp_path, picture) == [
        "glossary/module.py:2 glossary -> search",
        "core/module.py:1 core -> causes",
    ]
