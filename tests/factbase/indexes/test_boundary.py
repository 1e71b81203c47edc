"""The index boundary (factbase/indexes/): raw SQL lives there and nowhere else in the
application, migrations carry their own frozen SQL, and the indexes never import the models
(the models import them). These tests read the source files; each checks its scanner on a
sample first, so that a scanner that finds nothing cannot pass for a clean tree."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Where `.extra()`, `.raw()`, `RawSQL` and cursor SQL may be written.
RAW_SQL_ALLOWED = (
    "factbase/indexes/",  # the boundary itself
    "api/projections/",  # the read projections' compiled statements
    "factbase/migrations/",  # frozen SQL
    "bench/",  # the benchmark runs SQL against the databases it measures
    "tools/pg_replica.py",  # the replica harness runs SQL on the throwaway servers it builds
)
# Not application code: the tests open cursors to look at what the application did.
NOT_SCANNED = ("tests/", ".venv/", "seeds/", "fixtures/", "node_modules/")

RAW_METHODS = {"extra", "raw", "cursor", "execute", "executemany", "executescript"}
RAW_NAMES = {"RawSQL"}


def raw_sql_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every raw SQL call or `RawSQL` reference in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RAW_METHODS:
            found.append((node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, ast.Name) and node.id in RAW_NAMES:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute) and node.attr in RAW_NAMES:
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom):
            found.extend((node.lineno, f"import {a.name}") for a in node.names if a.name in RAW_NAMES)
    return found


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) for every import in `source`, at any depth (functions included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def python_files(*, under: str = "") -> list[tuple[str, str]]:
    files = []
    for path in sorted((ROOT / under).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith(NOT_SCANNED):
            files.append((relative, path.read_text(encoding="utf-8")))
    return files


def test_raw_sql_scanner_finds_every_form():
    sample = (
        "from django.db.models.expressions import RawSQL\n"
        "from django.db.models import expressions\n"
        "qs.extra(where=['1'])\n"
        "Claim.objects.raw('SELECT 1')\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT 1')\n"
        "    c.executemany('INSERT', [])\n"
        "qs.filter(pk__in=expressions.RawSQL('SELECT 1', []))\n"
    )
    assert sorted({what for _, what in raw_sql_uses(sample)}) == [
        ".cursor()",
        ".execute()",
        ".executemany()",
        ".extra()",
        ".raw()",
        "RawSQL",
        "import RawSQL",
    ]
    assert raw_sql_uses("qs.filter(name='extra').order_by('raw')\n") == []


def test_no_raw_sql_outside_the_index_boundary():
    offenders = [
        f"{path}:{line}: {what}"
        for path, source in python_files()
        if not path.startswith(RAW_SQL_ALLOWED)
        for line, what in raw_sql_uses(source)
    ]
    assert offenders == []


def test_import_scanner_finds_nested_and_dynamic_imports():
    sample = (
        "import factbase.search\n"
        "def f():\n"
        "    from factbase import indexes\n"
        "    importlib.import_module('factbase.claimtext')\n"
    )
    assert [module for _, module in imported_modules(sample)] == [
        "factbase.search",
        "factbase",
        "factbase.indexes",
        "factbase.claimtext",
    ]


def test_migrations_import_no_live_module():
    """A migration runs as it ran the first time: its SQL is written in it, never taken from
    the project's current code (which moves on)."""
    offenders = [
        f"{path}:{line}: {module}"
        for path, source in python_files(under="factbase/migrations")
        for line, module in imported_modules(source)
        if module.split(".")[0] in {"factbase", "api", "tools", "bench"}
    ]
    assert offenders == []


def test_indexes_never_import_the_project_above_them():
    """The models import factbase/indexes/ for their expressions; the indexes name the models
    through the app registry and import nothing from the layers above, so no import circle."""
    above = ("factbase.models", "factbase.services", "factbase.synth", "factbase.admin", "api")
    offenders = [
        f"{path}:{line}: {module}"
        for path, source in python_files(under="factbase/indexes")
        for line, module in imported_modules(source)
        if module.startswith(above)
    ]
    assert offenders == []


def test_importing_the_indexes_loads_no_model():
    code = (
        "import sys\n"
        "from django.conf import settings\n"
        "settings.configure()\n"
        "import factbase.indexes, factbase.indexes.bulk, factbase.indexes.search\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('factbase.models', 'factbase.services', 'api')))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module", ["factbase.search", "factbase.claimtext", "factbase.intervals", "factbase.sqlite_schema"]
)
def test_the_old_index_modules_are_gone(module):
    with pytest.raises(ModuleNotFoundError):
        __import__(module)
