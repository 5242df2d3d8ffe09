"""Building a large plan's outputs allocates hundreds of thousands of short-lived lists and dicts, freed by
reference counting; the cycle collector's passes over the loaded plan's objects find nothing and cost a
tenth to a fifth of `generate`, `doc` and `validate`. Those commands run without it."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_cycle_collection():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
