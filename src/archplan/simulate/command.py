"""`archplan simulate`: parse the options, run, render; pictures written atomically into a folder."""
from __future__ import annotations

from pathlib import Path

from archplan.errors import UsageError


def run_command(args, spec) -> int:
    from archplan.plan import resolve
    from archplan.simulate import build_options, run_simulation
    from archplan.simulate.render import render_json, render_table
    from archplan.simulate.report import summarise
    from archplan.simulate.run import Progress

    options = build_options(spec.file, days=args.days, spikes=args.spike or (), seeds=args.seeds, seed=args.seed,
                            resolution=args.resolution, services=tuple(args.service or ()))
    plan = resolve(spec)
    folder = None
    if args.pictures:
        folder = Path(args.pictures)
        from archplan.output import path_exists, refuse_unsafe_folder

        if path_exists(folder) and not folder.is_dir():
            raise UsageError(f"{args.pictures} is a file; --pictures takes a folder")
        refuse_unsafe_folder(folder)  # before the simulation runs: a link is refused at once
    simulation = run_simulation(plan, options, Progress(0))
    summary = summarise(simulation)
    text = render_json(summary) if args.format == "json" else render_table(summary)
    if folder is not None:
        from archplan.doc.command import write_atomically
        from archplan.simulate import pictures

        files = pictures.render(simulation)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create {args.pictures}: {error.strerror}") from None
        write_atomically({folder / name: data for name, data in files.items()})
    from archplan.cli import _write

    _write(text, args.output)
    return 0
