"""`archplan import terraform DIR` and `archplan import terraform-plan PLAN.json`: read, map, write the plan
atomically after checking that it loads and prices (so a partial or invalid plan is never written), then
print the report."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from archplan.errors import SpecError
from archplan.importers.resources import ImportProblem


def add_parser(commands):
    parser = commands.add_parser("import", help="read existing Terraform (HCL or `terraform show -json`) into "
                                                "a plan")
    parser.add_argument("source", choices=("terraform", "terraform-plan"),
                        help="terraform: a folder of .tf files (its terraform.tfvars and *.auto.tfvars read, local "
                             "modules resolved); terraform-plan: the "
                             "JSON of `terraform show -json tfplan`")
    parser.add_argument("path", help="the folder, or the plan JSON file")
    parser.add_argument("-o", "--output", required=True, help="the plan YAML to write")
    parser.add_argument("--region", help="the project region (default: the one most resources name)")
    parser.add_argument("--name", help="the project name (default: the prefix of the resource names, else "
                                       "the folder or file name)")
    parser.add_argument("--keep-unknown", action="store_true",
                        help="keep resource types archplan has no kind for as external components")
    return parser


def run(args) -> int:
    from archplan.importers.build import build
    from archplan.importers.write import render_plan, render_report

    source = Path(args.path)
    try:
        if args.source == "terraform":
            from archplan.importers.hcl.config import read_folder

            provider: dict = {}
            resources, notes = read_folder(source, provider)
        else:
            provider = {}
            from archplan.importers.plan_json import read_plan

            if not source.is_file():
                raise ImportProblem("no such file", str(source))
            resources, notes = read_plan(source)
        result = build(resources, notes, str(source), args.region, args.name, args.keep_unknown,
                       default_region=provider.get("region"))
    except ImportProblem as problem:
        raise SpecError(problem.message, problem.file or str(source), problem.line, problem.key) from None
    from archplan.planfile import write_checked

    write_checked(render_plan(result), args.output, "imported", lambda error: _origin(result, error.key))
    sys.stdout.write(render_report(result, args.output))
    return 0


def _origin(result, key: str) -> tuple[str, int | None] | None:
    """The Terraform file and line of the component a plan key (components.NAME...) is in; in plan JSON, which
    has no lines, the file and the resource's address."""
    match = re.match(r"^components\.([^.\[]+)", key or "")
    mapped = next((m for m in result.components if match and m.name == match.group(1)), None)
    if not mapped or not mapped.source.file:
        return None
    if mapped.source.line is None:
        return f"{mapped.source.file}: {mapped.source.address}", None
    return mapped.source.file, mapped.source.line
