"""archplan's command line: parse arguments, run the pipeline, pick a renderer, set the exit code.

Exit codes: 0 ok, 1 the plan is wrong (one line naming file, line and key), 2 usage.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from archplan.errors import MAX_REPORTED_ERRORS, CatalogError, SpecError, UsageError, shortened

COST_FORMATS = ("table", "json", "md", "csv", "focus")


@contextmanager
def _start_up():
    """Loading the first plan imports pydantic and builds a model per kind: some 50,000 objects the cyclic
    garbage collector tracks, nearly all kept to the end of the run. The collector would scan them again and
    again while they are made, and once more at exit, finding nothing (a twentieth of `archplan cost`). It is
    paused while they are made, and what was made is then left out of its scans (gc.freeze); everything made
    afterwards is collected as usual, so a long command (simulate, optimize, serve) runs with it on."""
    if not gc.isenabled():  # already inside a start-up
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _load(path: str, environment: str | None, region: str | None = None):
    with _start_up():
        from archplan import catalog
        from archplan.spec.load import load_spec

        if region is not None:
            catalog.check_region(region)
        return load_spec(path, environment, catalog.supported_regions(), region=region)


class OutputError(Exception):
    """Standard output cannot be written (a full disk, a closed file): exit code 1, one line."""


def _write(text: str, output: str | None) -> None:
    """Print, or write the file atomically: a failure never leaves a partial file."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(f"cannot write to standard output: {exc.strerror}") from None
        return
    from archplan.output import write_file

    write_file(output, text.encode("utf-8"))


def cmd_validate(args) -> int:
    """Validate each file given (pre-commit passes several); one line per file, exit 1 if any is wrong.
    A valid plan is one every command works on (cost, check, generate, doc in memory), in every environment."""
    failed = 0
    for path in args.plan:
        try:
            _validate_one(path, args)
        except (SpecError, CatalogError) as error:
            _print_error(error, args.all_errors)
            failed += 1
    return 1 if failed else 0


def _print_error(error: SpecError | CatalogError, every: bool = False) -> None:
    """One line naming file, line and key (a plan with several errors: the first, and how many more); with
    `every` (validate --all-errors), one line per error."""
    for line in error.lines(every) if isinstance(error, SpecError) else [str(error)]:
        print(f"error: {line}", file=sys.stderr)


def _validate_one(path: str, args) -> None:
    with _start_up():
        from archplan import catalog
        from archplan.spec.load import load_every_environment
        from archplan.validate import exercise_every_environment

        from archplan.cycles import no_cycle_collection

        with no_cycle_collection():  # loading every environment: see archplan.cycles
            specs = load_every_environment(path, catalog.supported_regions())
    if args.env is not None:
        spec = _load(path, args.env)  # the named environment must exist
        specs = [s for s in specs if s.environment == args.env]
    else:
        default = specs[0].project.default_environment
        spec = next((s for s in specs if s.environment == default), specs[0])
    exercise_every_environment(specs)  # a valid plan is one every command works on, in every environment
    warnings = list(dict.fromkeys(w for each in specs for w in each.warnings))
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    environments = [s.environment for s in specs if s.environment]
    if args.format == "json":
        _write(json.dumps({"file": path, "valid": True, "components": len(spec.components),
                           "environment": spec.environment, "environments_checked": environments,
                           "warnings": warnings}) + "\n", None)
    else:
        env = f", environment {spec.environment}" if spec.environment else ""
        checked = f"; checked in every environment: {', '.join(environments)}" if environments else ""
        count = len(spec.components)
        _write(f"{path}: valid ({count} component{'' if count == 1 else 's'}{env}){checked}\n", None)


def cmd_cost(args) -> int:
    spec = _load(args.plan, args.env, args.region)
    from archplan import catalog
    from archplan.analysis.cost import cost_report
    from archplan.plan import resolve

    if args.currency is not None and args.currency != "INR":
        catalog.exchange_rate(args.currency)  # one line naming the currencies there are
    report = cost_report(resolve(spec), args.currency)
    currency = report.currency
    if args.format == "json":
        from archplan.render import cost_json

        text = cost_json.render(report)
    elif args.format == "csv":
        from archplan.render import cost_csv

        text = cost_csv.render(report)
    elif args.format == "focus":
        from archplan.render import cost_focus

        text = cost_focus.render(report, args.period)
    elif args.format == "md":
        from archplan.render import cost_markdown

        text = cost_markdown.render(report, currency)
    else:
        from archplan.render import cost_table

        text = cost_table.render(report, currency)
    _write(text, args.output)
    if args.fail_if_over_budget:
        return _budget_gate(spec, report)
    return 0


def _budget_gate(spec, report) -> int:
    """Exit 1, with one line, when the priced total is above project.monthly_budget."""
    if report.budget_usd is None:
        raise SpecError("--fail-if-over-budget needs project.monthly_budget", spec.file,
                        spec.line_of(("project",)), "project.monthly_budget")
    if report.total_usd > report.budget_usd:
        print(f"archplan: {spec.file}: over budget: total {report.total_usd:.2f} USD > budget "
              f"{report.budget_usd:.2f} USD ({report.budget_amount} {report.budget_currency})", file=sys.stderr)
        return 1
    return 0


def cmd_schema(args) -> int:
    from archplan.spec.schema import plan_schema

    _write(json.dumps(plan_schema(), indent=2) + "\n", args.output)
    return 0


def cmd_check(args) -> int:
    from archplan.check.command import run

    return run(args, _load(args.plan, args.env))


def cmd_generate(args) -> int:
    from archplan.generate.command import run

    return run(args, _load(args.plan, args.env))


def cmd_doc(args) -> int:
    from archplan.doc.command import run_doc

    return run_doc(args, _load(args.plan, args.env))


def cmd_diagram(args) -> int:
    from archplan.doc.command import run_diagram

    return run_diagram(args, _load(args.plan, args.env))


def cmd_import(args) -> int:
    from archplan.importers.command import run

    return run(args)


def cmd_init(args) -> int:
    from archplan.init.command import run

    return run(args)


def cmd_simulate(args) -> int:
    from archplan.simulate.command import run_command

    return run_command(args, _load(args.plan, args.env))


def cmd_diff(args) -> int:
    from archplan.diff.command import run

    return run(args)


def cmd_scale(args) -> int:
    from archplan.scale.command import run

    return run(args)


def cmd_explain(args) -> int:
    from archplan.explain import explain
    from archplan.render import explain_text

    _write(explain_text.render(explain(_load(args.plan, args.env), args.target)), None)
    return 0


def cmd_completion(args) -> int:
    import archplan.completion as completion

    _write(getattr(completion, args.shell)(completion.describe(build_parser())), None)
    return 0


def cmd_complete_words(args) -> int:
    from archplan.completion import words

    _write("".join(f"{word}\n" for word in words(args.what, args.plan)), None)
    return 0


def cmd_optimize(args) -> int:
    from archplan.optimize.command import run

    return run(args)


def cmd_catalog(args) -> int:
    from archplan.render import catalog_listing

    _write(catalog_listing.render(args.service, args.format, args.region), None)
    return 0


def _month(text: str) -> str:
    import re

    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}")
    return text


def cmd_regions(args) -> int:
    from archplan.render import region_listing

    _write(region_listing.render(args.format), None)
    return 0


def cmd_serve(args) -> int:
    from archplan.serve.command import run

    return run(args, _load(args.plan, args.env))


# Commands whose arguments are declared by their own package (`add_parser`). Importing those packages
# costs start-up time, so a run of another command builds its parser without them (see `_chosen`).
PACKAGE_COMMANDS = ("diff", "scale", "optimize", "import", "init")


def _chosen(argv: list[str]) -> str | None:
    """The command a run names, when it is certainly not one of PACKAGE_COMMANDS (None: build all)."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return None if first in PACKAGE_COMMANDS else first


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """archplan's argument parser; with `command` (one not in PACKAGE_COMMANDS), the package commands'
    parsers are left out, which only matters to a run of that command."""
    parser = argparse.ArgumentParser(
        prog="archplan", description="Price, check, generate and document a Google Cloud architecture "
                                     "written as one YAML plan.")
    from archplan import __version__

    parser.add_argument("--version", action="version", version=f"archplan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    validate = commands.add_parser("validate", help="check a plan file and report the first error")
    validate.add_argument("plan", nargs="+", help="the plan YAML file(s)")
    validate.add_argument("--env", help="environment to apply (project.environments)")
    validate.add_argument("--all-errors", action="store_true",
                          help=f"list every error, one line each (at most {MAX_REPORTED_ERRORS} and a count of the "
                               "rest), not only the first")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(run=cmd_validate)

    cost = commands.add_parser("cost", help="monthly cost as line items, by component and category")
    cost.add_argument("plan", help="the plan YAML file")
    cost.add_argument("--format", choices=COST_FORMATS, default="table")
    cost.add_argument("--currency", type=str.upper, metavar="CODE",
                      help="currency to lead with, any with a dated rate (default: the plan's)")
    cost.add_argument("--region", help="price the plan in this region instead of its own")
    cost.add_argument("--env", help="environment to price (project.environments)")
    cost.add_argument("-o", "--output", help="write to this file instead of standard output")
    cost.add_argument("--fail-if-over-budget", action="store_true",
                      help="exit 1 when the total is above project.monthly_budget")
    cost.add_argument("--period", type=_month, help="focus: the billing month, YYYY-MM (default: the month of "
                                                   "the newest price date used)")
    cost.set_defaults(run=cmd_cost)

    check = commands.add_parser("check", help="availability, capacity, security rules and the plan's own "
                                               "claims; exit 1 on any error-level finding")
    check.add_argument("plan", help="the plan YAML file")
    check.add_argument("--format", choices=("text", "table", "json", "sarif", "github"), default="text",
                       help="text (also: table, as cost and diff call it); sarif: SARIF 2.1.0 for code scanning; "
                            "github: workflow annotations")
    check.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                       help="exit 1 when a finding of this severity or worse is found (default error)")
    check.add_argument("--only", help="comma-separated sections: availability, capacity, security, reliability, claims")
    check.add_argument("--env", help="environment to check (project.environments)")
    check.add_argument("-o", "--output", help="write to this file instead of standard output")
    check.set_defaults(run=cmd_check)

    generate = commands.add_parser("generate", help="Terraform, Kubernetes, Cloud Run, Cloud Build and "
                                                     "docker-compose files for the plan")
    generate.add_argument("plan", help="the plan YAML file")
    generate.add_argument("-o", "--output", required=True, help="folder to write into")
    generate.add_argument("--target", help="comma-separated: terraform,k8s,cloudrun,cloudbuild,compose "
                                           "(default: all the plan needs)")
    generate.add_argument("--env", help="environment to generate (project.environments)")
    generate.add_argument("--prefix", help="prefix of every resource name in every file (default: the plan's "
                                           "name and environment); lowercase letters, digits, hyphens")
    generate.add_argument("--project-id", help="GCP project the files deploy into (default: the plan's "
                                               "gcp_project_id, else its name)")
    generate.set_defaults(run=cmd_generate)

    doc = commands.add_parser("doc", help="the architecture document (Markdown and HTML) with diagrams")
    doc.add_argument("plan", help="the plan YAML file")
    doc.add_argument("-o", "--output", required=True, help="folder to write index.html, architecture.md, ...")
    doc.add_argument("--env", help="environment to document (project.environments)")
    doc.add_argument("--png", action="store_true",
                     help="also write PNG copies: architecture.png (needs Graphviz), the growth picture and the simulated day's pictures")
    doc.set_defaults(run=cmd_doc)

    diagram = commands.add_parser("diagram", help="the architecture diagram as .svg, .png, .mmd or .dot")
    diagram.add_argument("plan", help="the plan YAML file")
    diagram.add_argument("-o", "--output", required=True, help="file to write; its extension picks the format")
    diagram.add_argument("--env", help="environment to draw (project.environments)")
    diagram.set_defaults(run=cmd_diagram)

    simulate = commands.add_parser("simulate", help="traffic through the plan over time: latency, cold starts, "
                                                     "rejections, instances, and the month's cost as a range")
    simulate.add_argument("plan", help="the plan YAML file")
    simulate.add_argument("--days", type=float, default=30.0, help="days to simulate (default 30)")
    simulate.add_argument("--spike", action="append",
                          help="e.g. 20x@18:00/2h (every day) or 50x@d3-09:30/90m; repeatable. It multiplies the "
                               "rate the daily profile gives at that time (20x at a 3x evening peak is 60x the "
                               "average), where scale's --spike is a multiple of the average load")
    simulate.add_argument("--seeds", type=int, default=20, help="independent runs, for ranges (default 20)")
    simulate.add_argument("--seed", type=int, default=0, help="first seed (default 0): same seed, same output")
    simulate.add_argument("--service", action="append", help="only this service (repeatable)")
    simulate.add_argument("--resolution", default="1s", help="time step, at least 1ms (default 1s)")
    simulate.add_argument("--format", choices=("table", "json"), default="table")
    simulate.add_argument("--pictures", help="folder to write load, instances, latency, rejections (SVG, PNG)")
    simulate.add_argument("--env", help="environment to simulate (project.environments)")
    simulate.add_argument("-o", "--output", help="write to this file instead of standard output")
    simulate.set_defaults(run=cmd_simulate)

    if command is None:
        from archplan.diff.command import add_parser as add_diff
        from archplan.optimize.command import add_parser as add_optimize
        from archplan.scale.command import add_parser as add_scale

        for add, run in ((add_diff, cmd_diff), (add_scale, cmd_scale), (add_optimize, cmd_optimize)):
            add(commands).set_defaults(run=run)

    schema = commands.add_parser("schema", help="print the JSON Schema of plan files")
    schema.add_argument("-o", "--output", help="write to this file instead of standard output")
    schema.set_defaults(run=cmd_schema)

    if command is None:
        from archplan.importers.command import add_parser as add_import
        from archplan.init.command import add_parser as add_init

        add_import(commands).set_defaults(run=cmd_import)
        add_init(commands).set_defaults(run=cmd_init)

    explain = commands.add_parser("explain", help="where a figure comes from: a component, a finding id or a "
                                                  "SKU, with its arithmetic and sources")
    explain.add_argument("plan", help="the plan YAML file")
    explain.add_argument("target", help="a component name, a finding id (e.g. SEC-001) or a SKU")
    explain.add_argument("--env", help="environment (project.environments)")
    explain.set_defaults(run=cmd_explain)

    completion = commands.add_parser("completion", help="shell completion script: bash, zsh or fish")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))
    completion.set_defaults(run=cmd_completion)
    words = commands.add_parser("__complete")  # used by the completion scripts; not listed
    words.add_argument("what", choices=("regions", "templates", "services", "components", "targets"))
    words.add_argument("plan", nargs="?")
    words.set_defaults(run=cmd_complete_words)

    catalog = commands.add_parser("catalog", help="list the prices archplan knows, with sources and dates")
    catalog.add_argument("--service", help="only this service (e.g. cloud_run)")
    catalog.add_argument("--region", help="only the figures that apply in this region, with their values")
    catalog.add_argument("--format", choices=("table", "json"), default="table")
    catalog.set_defaults(run=cmd_catalog)

    regions = commands.add_parser("regions", help="every region archplan prices: location and services")
    regions.add_argument("--format", choices=("table", "json"), default="table")
    regions.set_defaults(run=cmd_regions)
    serve = commands.add_parser("serve", help="the plan as an interactive page with live what-if "
                                              "(http://127.0.0.1:8787)")
    serve.add_argument("plan", help="the plan YAML file")
    serve.add_argument("--port", type=int, default=8787, help="TCP port (default 8787)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; others warn)")
    serve.add_argument("--env", help="environment to show first (project.environments)")
    serve.add_argument("--phase", help="growth phase to show first (phases:)")
    serve.set_defaults(run=cmd_serve)
    if command is not None and command not in commands.choices:
        return build_parser(None)  # not a command: the error lists every one
    return parser


_PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def _without_pydantic_plugins() -> None:
    """No pydantic plugins: looking for them scans every installed package's metadata. The setting below
    turns them off, but pydantic's plugin loader imports importlib.metadata (with email, zipfile, csv,
    socket...: about 25 ms, a tenth of `archplan cost`) before it reads the setting. While the setting turns
    every plugin off, a stand-in loader answers that there are none; any other name asked of it loads the
    real loader, so a pydantic that uses its loader differently still gets it."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in ("__all__", "1", "true") or _PYDANTIC_PLUGIN_LOADER in sys.modules:
        return
    import types

    stand_in = types.ModuleType(_PYDANTIC_PLUGIN_LOADER, "pydantic's plugin loader while every plugin is off")

    def get_plugins() -> tuple:
        return ()

    def real_loader(name: str):
        if name.startswith("__"):  # the import system asking whether this is a package, and the like
            raise AttributeError(name)
        if sys.modules.get(_PYDANTIC_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PYDANTIC_PLUGIN_LOADER]
        import importlib

        return getattr(importlib.import_module(_PYDANTIC_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins
    stand_in.__getattr__ = real_loader
    sys.modules[_PYDANTIC_PLUGIN_LOADER] = stand_in


def main(argv: list[str] | None = None) -> int:
    _without_pydantic_plugins()
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(_chosen(words))
    args = parser.parse_args(words)
    try:
        code = args.run(args)
        sys.stdout.flush()
        return code
    except OutputError as error:
        _silence_stdout()
        print(f"error: {shortened(error)}", file=sys.stderr)
        return 1
    except SpecError as error:
        _print_error(error)
        return 1
    except CatalogError as error:
        print(f"error: {shortened(error)}", file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"archplan: {shortened(error)}", file=sys.stderr)
        return 2
    except (ArithmeticError, OverflowError) as error:
        plan = getattr(args, "plan", "")
        plan = ", ".join(plan) if isinstance(plan, list) else plan
        print(f"error: {plan}: a figure in the plan is too large to compute ({type(error).__name__})",
              file=sys.stderr)
        return 1
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as error:
        if error.errno is not None and error.filename is None and sys.stdout is not None:
            _silence_stdout()  # a print to standard output failed (e.g. > /dev/full)
            print(f"error: cannot write to standard output: {error.strerror}", file=sys.stderr)
            return 1
        print(f"archplan: internal error ({type(error).__name__}: {' '.join(str(error).split())[:200]}); "
              "please report it with the plan", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (RecursionError, MemoryError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        # A bug, not the user's mistake: still one line, never a traceback.
        print(f"archplan: internal error ({type(error).__name__}: {' '.join(str(error).split())[:200]}); "
              "please report it with the plan", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Standard output failed: point it at /dev/null so Python's own flush at exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
