"""The layout's rules, checked on the source: the domain talks to no channel's library, and
storage knows nothing of the domain or the edges. (A rule only a reviewer checks is soon broken.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported(folder: str) -> dict[str, set[str]]:
    """Each module of ``folder`` and the top-level packages it imports, anywhere in its body."""
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("folder, forbidden", [
    ("escalation", {"telegram", "twilio", "aiohttp", "handlers", "bot"}),
    ("storage", {"escalation", "handlers", "telegram", "twilio", "aiohttp"}),
])
def test_a_layer_imports_nothing_it_must_not(folder, forbidden):
    breaking = {module: sorted(names & forbidden) for module, names in imported(folder).items() if names & forbidden}
    assert breaking == {}
    assert len(imported(folder)) > 10, "the check read the folder"
