"""The project's own documentation stays true of the code: the generated parts of docs/architecture.md (the event
catalogue, the data per service) are what the code says now, and every test and file the docs name exists."""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").rglob("*.md"))
# `path/to/test_file.py::test_name`, as the docs name the tests that prove a guarantee.
TEST_REFERENCE = re.compile(r"`([\w/.-]+\.py)::(\w+)`")
# A file or folder of the repository named in backquotes, without placeholders.
PATH_REFERENCE = re.compile(r"`((?:services|libs|tests|deploy|docs|bench|web)/[\w/.-]*)(?:::\w+)?`")


def load_generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_event_catalogue_and_data_in_the_architecture_are_what_the_code_says():
    generate = load_generator()
    text = generate.DOC.read_text()
    assert generate.rendered(text) == text, (
        f"docs/architecture.md is out of date with the code (the event catalogue or the collections and indexes): "
        f"run `{generate.COMMAND}` and commit the result")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_the_docs_name_exists(doc):
    missing = [f"{path}::{name}" for path, name in TEST_REFERENCE.findall(doc.read_text())
               if not (ROOT / path).is_file() or not re.search(rf"^\s*def {name}\(", (ROOT / path).read_text(), re.M)]
    assert not missing, f"{doc.relative_to(ROOT)} names tests that do not exist (renamed? moved?): {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_the_docs_name_exists(doc):
    missing = sorted({path for path in PATH_REFERENCE.findall(doc.read_text()) if not (ROOT / path).exists()})
    assert not missing, f"{doc.relative_to(ROOT)} names files that do not exist (renamed? moved?): {missing}"


def test_the_readme_links_the_architecture_and_the_decision_records():
    readme = (ROOT / "README.md").read_text()
    assert "docs/architecture.md" in readme and "docs/decisions/" in readme
