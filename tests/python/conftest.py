"""Fixtures shared by the tests of the Python module."""
import pytest


@pytest.fixture(autouse=True)
def japanese():
    """Every test starts with Japanese messages (the default) and leaves them so."""
    risksheet = pytest.importorskip("risksheet")
    risksheet.set_lang("ja")
    yield
    risksheet.set_lang("ja")
