"""`archplan import terraform DIR` and `archplan import terraform-plan PLAN.json`: read, map, write the plan
atomically after checking that it loads and prices (so a partial or invalid plan is never written), then
print the report."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from archplan.errors import SpecError, UsageError
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
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.add_argument("--region", help="the project region (default: the one most resources name)")
    parser.add_argument("--name", help="the project name (default: the prefix of the resource names, else "
                                       "the folder or file name)")
    parser.add_argument("--keep-unknown", action="store_true",
                        help="keep resource types archplan has no kind for as external components")
    return parser


def run(args) -> int:
    from archplan.importers.build import build
    from archplan.importers.write import render_plan, render_report

    from archplan.output import path_exists, refuse_unsafe_file

    source = Path(args.path)
    refuse_unsafe_file(args.output)
    if path_exists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists: pass --force to replace it, or -o another file")
    read_files: set[Path] = {source}
    try:
        if args.source == "terraform":
            from archplan.importers.hcl.config import read_folder

            provider: dict = {}
            resources, notes = read_folder(source, provider, read_files)
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
    _refuse_an_input(args.output, read_files)
    from archplan.planfile import write_checked

    write_checked(render_plan(result), args.output, "imported", lambda error: _origin(result, error.key))
    sys.stdout.write(render_report(result, args.output))
    return 0


def _refuse_an_input(output: str, read_files: set[Path]) -> None:
    """-o naming a file the import reads (a .tf file, a variable file, the plan JSON), by any path or link."""
    try:
        written = os.stat(output)
    except OSError:
        return  # not there yet: it cannot be one read
    for path in read_files:
        try:
            read = os.stat(path)
        except OSError:
            continue
        if (read.st_dev, read.st_ino) == (written.st_dev, written.st_ino):
            raise UsageError(f"-o {output} is {path}, which this import reads: give another file")


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
