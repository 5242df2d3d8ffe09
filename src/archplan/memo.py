"""A memo that lives only while a command asks for it (`validate`, across its environments)."""
from __future__ import annotations

import sys
from contextlib import contextmanager

# Entries a memo keeps at most: a 1,000-component plan's every environment and load point fit; a far larger
# plan stops adding (what it keeps still counts) rather than holding every load point's copy in memory.
LIMIT = 20_000


@contextmanager
def scoped(module_name: str, attribute: str, on_exit=None):
    """Within it, the module's `attribute` is a dict (the enclosing one, when nested), else None; leaving the
    outermost drops it (and calls `on_exit`)."""
    module = sys.modules[module_name]
    outer = getattr(module, attribute)
    setattr(module, attribute, {} if outer is None else outer)
    try:
        yield
    finally:
        setattr(module, attribute, outer)
        if outer is None and on_exit is not None:
            on_exit()
