"""The shape of the house, checked: what a new engineer can rely on stays true.

- no product module over 450 lines, and no app over 35% of the product lines (tests,
  migrations and the benchmarks are not product code);
- no ``apps.get_model`` naming another app in product code (a dependency the layers contract
  cannot see);
- nothing tracked refers to files outside the repository or to the tracker's issue numbers,
  and the README stays a front door (its links into docs/ resolve).
"""

import configparser
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {"bench"}  # the benchmarks: run by `make bench`, not shipped behaviour
MODULE_LINES_MAX = 450
APP_SHARE_MAX = 0.35
README_LINES_MAX = 250


def _apps() -> list[str]:
    """The project's packages, as the layers contract (``.importlinter``) lists them."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    packages = config["importlinter"]["root_packages"].split()
    return [package for package in packages if package not in NOT_PRODUCT]


def _product_modules() -> list[Path]:
    return [
        path
        for app in _apps()
        for path in sorted((ROOT / app).rglob("*.py"))
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_product_module_is_over_the_limit():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in _product_modules()
        if (n := _lines(path)) > MODULE_LINES_MAX
    }
    assert too_long == {}


def test_no_app_holds_more_than_its_share_of_the_product_lines():
    per_app = Counter()
    for path in _product_modules():
        per_app[path.relative_to(ROOT).parts[0]] += _lines(path)
    total = sum(per_app.values())
    shares = {app: round(lines / total, 3) for app, lines in per_app.items()}
    assert max(shares.values()) <= APP_SHARE_MAX, shares


def test_no_app_looks_up_another_apps_models_at_run_time():
    lookup = re.compile(r"get_model\(\s*[\"'](\w+)[\"']")
    apps = set(_apps())
    across = []
    for path in _product_modules():
        app = path.relative_to(ROOT).parts[0]
        for match in lookup.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) in apps - {app}:
                across.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert across == []


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.splitlines()


def test_nothing_tracked_refers_to_what_is_outside_the_repository():
    outside = re.compile(
        r"\.\./shared|(?<![\w/])shared/|seeds/[\w-]+\.md|storefront-co\w+\.md"
        r"|\b[Ii]ssue #?\d+"  # the tracker's numbers mean nothing to a reader of the code
    )
    this = Path(__file__).relative_to(ROOT).as_posix()
    found = []
    for name in _tracked_files():
        path = ROOT / name
        if name == this or not path.is_file() or path.suffix in {".png", ".jpg", ".sqlite3"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{name}: {m.group(0)}" for m in outside.finditer(text)]
    assert found == []


def test_the_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= README_LINES_MAX
    assert "make run" in readme and "make test" in readme
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).is_file(), link
