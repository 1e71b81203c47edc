import pytest

from factbase.indexes import search


@pytest.fixture(params=["index", "like"])
def search_backend(request, monkeypatch):
    """Every full-text behaviour runs on the database's index and on the LIKE fallback, which
    must agree (test_search.py, test_claim_text.py)."""
    if request.param == "like":
        monkeypatch.setattr(search, "backend", lambda using: "like")
    return request.param
