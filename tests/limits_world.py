"""What the limit tests share: a text of four facts, and every data-model limit set to 2
(import `small_limits` into a test module: it applies to each of its tests)."""

import pytest

from factbase.limits import LIMITS

TEXT = "Lavrov met Wang Yi. Lavrov met Retno Marsudi. Lavrov met Saleumxay. Lavrov flew home."
FACTS = ["Lavrov met Wang Yi.", "Lavrov met Retno Marsudi.", "Lavrov met Saleumxay.", "Lavrov flew home."]


@pytest.fixture(autouse=True)
def small_limits(settings):
    for limit in LIMITS:
        setattr(settings, limit.setting, 2)
