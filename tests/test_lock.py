"""requirements.lock still matches pyproject.toml (regenerate: README "Development").

The lock pins every package CI and the README's install use, direct and transitive; a
dependency added, dropped or re-pinned in pyproject.toml without regenerating it fails here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def _direct() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["dependencies"] + [
        text for extra in project["optional-dependencies"].values() for text in extra
    ]
    return [Requirement(text) for text in texts]


def _locked() -> tuple[dict[str, str], set[str]]:
    """name → version, and the names the lock says come straight from pyproject.toml."""
    pins: dict[str, str] = {}
    from_project: set[str] = set()
    current = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = match[2]
        elif "tmdesk (pyproject.toml)" in line:
            from_project.add(current)
    return pins, from_project


def test_every_dependency_of_pyproject_is_locked_at_a_version_it_allows():
    pins, _ = _locked()
    for requirement in _direct():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: regenerate it"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock has {name}=={pins[name]}, pyproject.toml says {requirement}"
        )


def test_the_lock_has_no_direct_dependency_pyproject_dropped():
    _, from_project = _locked()
    direct = {canonicalize_name(requirement.name) for requirement in _direct()}
    assert from_project and from_project <= direct, sorted(from_project - direct)


def test_the_quick_start_installs_with_the_lock_and_ci_runs_its_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    assert len(commands) == 2 and all("-c requirements.lock" in c for c in commands)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci  # the README's test command, verbatim
