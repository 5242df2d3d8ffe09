"""`archplan import terraform DIR` and `archplan import terraform-plan PLAN.json`: read, map, write the plan
atomically after checking that it loads and prices (so a partial or invalid plan is never written), then
print the report."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from archplan.errors import SpecError, UsageError
from archplan.importers.resources import ImportProblem


def add_parser(commands):
    parser = commands.add_parser("import", help="read existing Terraform (HCL or `terraform show -json`) into "
                                                "a plan")
    parser.add_argument("source", choices=("terraform", "terraform-plan"),
                        help="terraform: a folder of .tf files (local modules resolved); terraform-plan: the "
                             "JSON of `terraform show -json tfplan`")
    parser.add_argument("path", help="the folder, or the plan JSON file")
    parser.add_argument("-o", "--output", required=True, help="the plan YAML to write")
    parser.add_argument("--region", help="the project region (default: the one most resources name)")
    parser.add_argument("--name", help="the project name (default: the prefix of the resource names, else "
                                       "the folder or file name)")
    parser.add_argument("--keep-unknown", action="store_true",
                        help="keep resource types archplan has no kind for as external components")
    return parser


def _check(text: str, target: Path, temporary: Path) -> None:
    """The plan loads, resolves and prices; else a SpecError naming the import, never a written file."""
    from archplan import catalog
    from archplan.analysis.cost import cost_report
    from archplan.plan import resolve
    from archplan.spec.load import load_spec

    temporary.write_text(text, encoding="utf-8")
    try:
        cost_report(resolve(load_spec(temporary, None, catalog.supported_regions())))
    except SpecError as error:
        where = f"line {error.line}" if error.line else "the plan"
        raise SpecError(f"the imported plan does not validate ({where}: {error.key + ': ' if error.key else ''}"
                        f"{error.message}); nothing was written", str(target)) from None


def run(args) -> int:
    from archplan.importers.build import build
    from archplan.importers.write import render_plan, render_report

    source = Path(args.path)
    try:
        if args.source == "terraform":
            from archplan.importers.hcl.config import read_folder

            resources, notes = read_folder(source)
        else:
            from archplan.importers.plan_json import read_plan

            if not source.is_file():
                raise ImportProblem("no such file", str(source))
            resources, notes = read_plan(source)
        result = build(resources, notes, str(source), args.region, args.name, args.keep_unknown)
    except ImportProblem as problem:
        raise SpecError(problem.message, problem.file or str(source), problem.line) from None
    text = render_plan(result)
    target = Path(args.output)
    if target.is_dir():
        raise UsageError(f"-o {args.output} is a folder: give the plan file to write")
    if not target.parent.is_dir():
        raise UsageError(f"-o {args.output}: folder {target.parent} does not exist")
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        _check(text, target, temporary)
        os.replace(temporary, target)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)
    sys.stdout.write(render_report(result, args.output))
    return 0
