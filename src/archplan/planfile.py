"""Writing a plan file that archplan made (by `import` or `init`): it must load, resolve and price before it
is renamed into place, so a partial or invalid plan is never written and an existing file is left as it was."""
from __future__ import annotations

import os
from pathlib import Path

from archplan.errors import SpecError, UsageError
from archplan.output import absolute, parent_folder, refuse_unsafe_file


def write_checked(text: str, output: str, what: str, origin=None):
    """Write the plan only if it loads and prices, and return its cost report. `origin(error)` may name where the faulty part came from
    (an imported component's Terraform file and line), which the error then points at instead of a line of
    the file that was not written. A missing folder is created (and removed again if nothing is written)."""
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"-o {output} is a folder: give the plan file to write")
    refuse_unsafe_file(target)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with parent_folder(absolute(target)):
        return _write_if_valid(text, target, temporary, what, origin)


def _write_if_valid(text: str, target: Path, temporary: Path, what: str, origin):
    from archplan import catalog
    from archplan.analysis.cost import cost_report
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    try:
        temporary.write_text(text, encoding="utf-8")
        try:
            report = cost_report(resolve(load_spec(temporary, None, catalog.supported_regions())))
        except SpecError as error:
            source = origin(error) if origin else None
            if source:
                raise SpecError(f"nothing was written: the {what} plan does not validate: {error.message}",
                                source[0], source[1], error.key) from None
            where = f"line {error.line}" if error.line else "the plan"
            raise SpecError(f"nothing was written: the {what} plan does not validate at {where}: "
                            f"{error.key + ': ' if error.key else ''}{error.message}", str(target)) from None
        os.replace(temporary, target)
        return report
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
