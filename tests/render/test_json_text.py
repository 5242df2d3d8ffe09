"""archplan.render.json_text writes exactly what json.dumps(indent=2, ensure_ascii=False) writes, for every
kind of value the reports hold (and leaves anything else, with its error, to json.dumps)."""
from __future__ import annotations

import json
import random

import pytest

from archplan.render.json_text import dumps

LEAVES = [None, True, False, 0, -5, 10**20, 1.5, -0.0, 1e-300, 2.5e300, float("nan"), float("inf"), -float("inf"),
          "", 'a"b\\c\n\t\x00\x1f\x7f\u2028é₹\U0001F600', "plain", 3.141592653589793]
KEYS = ["k", "é", "\n", 'a "b"', "", "₹"]


def _value(rng: random.Random, depth: int):
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(LEAVES)
    if roll < 0.7:
        items = [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
        return tuple(items) if rng.random() < 0.2 else items
    return {rng.choice(KEYS) + str(i): _value(rng, depth + 1) for i in range(rng.randint(0, 4))}


@pytest.mark.parametrize("seed", range(5))
def test_same_text_as_json_dumps(seed):
    rng = random.Random(seed)
    for _ in range(400):
        value = _value(rng, 0)
        assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_it_does_not_write_is_left_to_json_dumps():
    assert dumps({1: 2, None: [3]}) == json.dumps({1: 2, None: [3]}, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": [object()]})
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps(loop)
