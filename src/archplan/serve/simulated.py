"""A simulated day for the page: `archplan simulate` over one day (three seeds) of the plan as shown, with the
same table and pictures as the document's "Simulated day" section."""
from __future__ import annotations


from archplan.errors import SpecError
from archplan.serve import edits

DAYS = 1
SEEDS = 3


def simulated_day(plan, display: str, spike: str | None) -> dict:
    from archplan.doc.dot import inline_svg
    from archplan.doc.simulation_section import CAPTIONS, _own_ids
    from archplan.serve.evaluate import json_safe
    from archplan.simulate import build_options, run_simulation
    from archplan.simulate import pictures as drawing
    from archplan.simulate.report import summarise

    try:
        options = build_options(display, days=DAYS, seeds=SEEDS, spikes=(spike,) if spike else ())
    except SpecError as error:
        raise edits.EditError(str(error).replace("--spike", "spike")) from None
    simulation = run_simulation(plan, options)
    summary = summarise(simulation)
    pictures = drawing.render(simulation) if simulation.services else {}
    charts = {what: _own_ids(inline_svg(pictures[f"simulate-{what}.svg"].decode("utf-8")), f"sim-{what}")
              for what in CAPTIONS if f"simulate-{what}.svg" in pictures}
    return json_safe({"days": DAYS, "seeds": SEEDS, "spike": spike, "summary": summary, "captions": CAPTIONS,
                      "pictures": charts})
