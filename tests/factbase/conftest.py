import pytest

from factbase import search


@pytest.fixture(params=["index", "like"])
def search_backend(request, monkeypatch):
    """Every full-text behaviour runs on the database's index and on the LIKE fallback, which
    must agree (tests/factbase/test_search.py, test_claimtext.py)."""
    if request.param == "like":
        monkeypatch.setattr(search, "backend", lambda using: "like")
    return request.param
