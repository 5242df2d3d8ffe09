"""The ASGI app of `archplan serve`: a JSON API over one plan file (documented at /openapi.json) and the
vendored page that calls it. The page computes nothing: every figure comes from these endpoints."""
from __future__ import annotations

from pathlib import Path
from typing import Union

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from archplan.serve import edits
from archplan.serve.evaluate import compare
from archplan.serve.session import PlanSession, PlanUnavailable

STATIC = Path(__file__).parent / "static"
Scalar = Union[bool, int, float, str, None]


class ChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: list[str] = Field(description='keys from the plan root, e.g. ["components", "api", "max_instances"]')
    value: Scalar = Field(default=None, description="the new value; null removes the key")


class EvaluateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    environment: str | None = Field(default=None, description="environment to evaluate (default: the served one)")
    changes: list[ChangeBody] = Field(default_factory=list, max_length=edits.MAX_CHANGES)


class SaveBody(EvaluateBody):
    name: str = Field(description="file name beside the plan, ending .yaml or .yml")
    overwrite: bool = Field(default=False, description="replace an existing file of that name")


def _bad(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split())}, status_code=status)


def create_app(plan: str | Path, environment: str | None = None) -> FastAPI:
    session = PlanSession(plan, environment)
    app = FastAPI(title="archplan serve", version="1", docs_url=None, redoc_url=None,
                  description="What-if figures for one plan file, computed by archplan's cost and check.")
    app.state.session = session

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return _bad(f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid request"))

    def environment_of(requested: str | None, snapshot) -> str | None:
        chosen = requested if requested is not None else session.environment
        if chosen is not None and chosen not in session.environments(snapshot):
            known = ", ".join(session.environments(snapshot)) or "(none)"
            raise edits.EditError(f"environment: no environment {chosen!r} in the plan; valid: {known}")
        return chosen

    def info(snapshot) -> dict:
        return {"file": session.display, "version": snapshot.version,
                "environments": session.environments(snapshot), "served_environment": session.environment}

    @app.get("/api/version", summary="the plan file's version (changes on every edit) and its error, if any")
    def version():
        try:
            snapshot = session.snapshot()
            session.baseline(session.environment)
            return {"version": snapshot.version, "error": None}
        except PlanUnavailable as error:
            current = session._snapshot.version if session._snapshot else None
            return {"version": current, "error": str(error)}

    @app.get("/api/plan", summary="the saved plan's figures: cost, check, diagram, charts, calculator inputs")
    def plan(environment: str | None = None):
        try:
            snapshot = session.snapshot()
            chosen = environment_of(environment, snapshot)
            result = session.baseline(chosen).data
        except PlanUnavailable as error:
            return {"file": session.display, "error": str(error), "result": None}
        except edits.EditError as error:
            return _bad(str(error))
        return {**info(snapshot), "environment": chosen, "error": None, "result": result}

    @app.post("/api/evaluate", summary="figures with what-if changes, and their difference from the saved plan")
    def evaluate(body: EvaluateBody):
        try:
            snapshot = session.snapshot()
            chosen = environment_of(body.environment, snapshot)
            changes = edits.parse_changes([c.model_dump() for c in body.changes])
            saved = session.baseline(chosen).data
            changed = session.evaluate(changes, chosen).data
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))
        return {**info(snapshot), "environment": chosen, "result": changed, "diff": compare(saved, changed)}

    @app.get("/api/compare", summary="two environments side by side, with the difference from a to b")
    def compare_environments(a: str, b: str):
        try:
            snapshot = session.snapshot()
            first, second = environment_of(a or None, snapshot), environment_of(b or None, snapshot)
            left, right = session.baseline(first).data, session.baseline(second).data
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))
        return {**info(snapshot), "a": left, "b": right, "diff": compare(left, right)}

    @app.get("/api/curve", summary="monthly cost and cost per user across daily active users")
    def curve(environment: str | None = None, points: str | None = None):
        from archplan.serve.curves import cost_curve

        try:
            snapshot = session.snapshot()
            chosen = environment_of(environment, snapshot)
            return cost_curve(session, chosen, points)
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))

    @app.get("/api/diagram/{identity}", summary="the architecture diagram (SVG) of a result's diagram id")
    def diagram(identity: str):
        from fastapi.responses import Response

        from archplan.serve.evaluate import diagram_svg

        svg = diagram_svg(identity) if identity.isalnum() and len(identity) <= 32 else None
        if svg is None:
            return _bad(f"no diagram {identity[:40]!r}; ask /api/plan or /api/evaluate for a current id", 404)
        return Response(svg, media_type="image/svg+xml")

    @app.post("/api/save", summary="write the changed plan as a new file beside the original")
    def save(body: SaveBody):
        try:
            snapshot = session.snapshot()
            chosen = environment_of(body.environment, snapshot)
            changes = edits.parse_changes([c.model_dump() for c in body.changes])
            target = session.save(changes, chosen, body.name, body.overwrite)
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))
        return {"saved": target.name, "folder": str(target.parent)}

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-store"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
