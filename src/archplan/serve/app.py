"""The ASGI app of `archplan serve`: a JSON API over one plan file (documented at /openapi.json) and the
vendored page that calls it. The page computes nothing: every figure comes from these endpoints."""
from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Union

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from pydantic import BaseModel, ConfigDict, Field

from archplan.serve import edits
from archplan.serve.evaluate import compare
from archplan.serve.session import PlanSession, PlanUnavailable
from archplan.serve.workers import JobFailed, WorkerUnavailable, Workers

STATIC = Path(__file__).parent / "static"
Scalar = Union[bool, int, float, str, None]


class ChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: list[str] = Field(description='keys from the plan root, e.g. ["components", "api", "max_instances"]')
    value: Scalar = Field(default=None, description="the new value; null removes the key")


class EvaluateBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    environment: str | None = Field(default=None, description="environment to evaluate (default: the served one)",
                                    max_length=100)
    phase: str | None = Field(default=None, description="growth phase (phases:) applied on top", max_length=100)
    changes: list[ChangeBody] = Field(default_factory=list, max_length=edits.MAX_CHANGES)


class SimulateBody(EvaluateBody):
    spike: str | None = Field(default=None, description="an event-day spike as `archplan simulate --spike` takes "
                                                        "it, e.g. 20x@18:00/2h", max_length=60)


class SaveBody(EvaluateBody):
    name: str = Field(description="file name beside the plan, ending .yaml or .yml", max_length=120)
    overwrite: bool = Field(default=False, description="replace an existing file of that name")


def _bad(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": " ".join(str(message).split())}, status_code=status)


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def allowed_hosts(host: str, port: int) -> tuple[frozenset[str], bool]:
    """The Host headers a request may carry when served on host:port: the loopback names and the address
    served on, each with its port (a DNS-rebinding page arrives under its own name). The flag says any IP
    literal is allowed too: bound to every address (0.0.0.0, ::), the address a client used is not known,
    and a rebinding page can only arrive under a name."""
    shown = f"[{host}]" if ":" in host else host
    names = {*LOOPBACK_HOSTS, shown.lower()}
    hosts = {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())
    return frozenset(hosts), host in ("0.0.0.0", "::")


def _ip_literal_with_port(value: str, port: int) -> bool:
    import ipaddress

    name, _, given = value.rpartition(":")
    if given != str(port) or not name:
        return False
    try:
        ipaddress.ip_address(name[1:-1] if name.startswith("[") and name.endswith("]") else name)
    except ValueError:
        return False
    return True


def create_app(plan: str | Path, environment: str | None = None, phase: str | None = None,
               host: str = "127.0.0.1", port: int = 8787) -> FastAPI:
    session = PlanSession(plan, environment, phase)
    hosts, any_ip = allowed_hosts(host, port)
    simulations = Workers("simulation", advice="for a day this heavy, run `archplan simulate` (it takes "
                                               "--seeds 1) or ask for a smaller spike")
    drawings = Workers("diagram", time_limit_s=120, queue=True)  # Graphviz stops itself at 60 s

    @asynccontextmanager
    async def lifespan(_app):
        await drawings.warm()  # the page asks for a diagram first thing
        yield
        for workers in (simulations, drawings):  # no job outlives the server
            await workers.close()

    app = FastAPI(title="archplan serve", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="What-if figures for one plan file, computed by archplan's cost and check.")
    app.state.session = session

    @app.middleware("http")
    async def _same_origin(request: Request, call_next):
        # DNS rebinding: a page at http://evil.example:8787/ whose name now resolves to 127.0.0.1 reaches
        # this server under its own Host; and any page may POST here from its own Origin.
        given = request.headers.get("host", "").strip().lower()
        if not (given in hosts or (any_ip and _ip_literal_with_port(given, port))):
            return _bad(f"{request.method} {request.url.path[:80]}: Host {given[:80]!r} is not the address "
                        f"archplan serve listens on (http://localhost:{port}/); refused", 403)
        origin = request.headers.get("origin")
        if request.method in STATE_CHANGING and origin is not None and origin.lower() != f"http://{given}":
            return _bad(f"{request.method} {request.url.path[:80]}: Origin {origin[:80]!r} is not this page's "
                        f"own (http://{given}); refused", 403)
        return await call_next(request)
    app.state.workers = (simulations, drawings)  # `serve` stops them from its signal handler

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError):
        first = error.errors()[0]
        if first.get("type") == "json_invalid":  # not "1: JSON decode error" (the position, as a key)
            reason = (first.get("ctx") or {}).get("error")
            return _bad("the request body is not valid JSON" + (f" ({reason})" if reason else ""))
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        return _bad(f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        # {"error": ...} like every other answer, not {"detail": ...}
        what = f"{request.method} {request.url.path[:80]}"
        return _bad(f"{what}: {error.detail}" if isinstance(error.detail, str) else what, error.status_code)

    @app.exception_handler(Exception)
    async def _internal(_request: Request, error: Exception):
        # A bug: one JSON line for the page (not a text/plain 500 it cannot read); the log has the traceback.
        detail = " ".join(str(error).split())[:200]
        return _bad(f"archplan serve: internal error ({type(error).__name__}: {detail}); please report it "
                    "with the plan", 500)

    def view_of(environment: str | None, phase: str | None, defaults: bool = True) -> edits.View:
        """The view asked for; an omitted environment or phase is the one `serve` was started with."""
        if defaults:
            environment = environment if environment is not None else session.environment
            phase = phase if phase is not None else session.phase
        return session.view(environment or None, phase or None)

    def info(snapshot, view: edits.View) -> dict:
        return {"file": session.display, "version": snapshot.version,
                "environments": session.environments(snapshot), "phases": session.phases(snapshot),
                "environment": view.environment, "phase": view.phase}

    @app.get("/api/version", summary="the plan file's version (changes on every edit) and its error, if any")
    def version():
        try:
            snapshot = session.snapshot()
            session.baseline(view_of(None, None))
            return {"version": snapshot.version, "error": None}
        except PlanUnavailable as error:
            current = session._snapshot.version if session._snapshot else None
            return {"version": current, "error": str(error)}

    @app.get("/api/plan", summary="the saved plan's figures: cost, check, diagram, charts, calculator inputs")
    def plan(environment: str | None = None, phase: str | None = None):
        try:
            snapshot = session.snapshot()
            chosen = view_of(environment, phase)
            result = session.baseline(chosen).data
        except PlanUnavailable as error:
            return {"file": session.display, "error": str(error), "result": None}
        except edits.EditError as error:
            return _bad(str(error))
        return {**info(snapshot, chosen), "error": None, "result": result}

    @app.post("/api/evaluate", summary="figures with what-if changes, and their difference from the saved plan")
    def evaluate(body: EvaluateBody):
        try:
            snapshot = session.snapshot()
            chosen = view_of(body.environment, body.phase)
            changes = edits.parse_changes([c.model_dump() for c in body.changes])
            saved = session.baseline(chosen)
            changed = session.evaluate(changes, chosen)
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))
        return {**info(snapshot, chosen), "result": changed.data,
                "diff": compare(saved, changed, "saved plan", "what-if")}

    @app.get("/api/compare", summary="two environments or phases side by side, with the difference from a to b "
                                      "(each `env:NAME`, `phase:NAME`, or empty for the base plan)")
    def compare_views(a: str = "", b: str = ""):
        def parse(text: str) -> edits.View:
            kind, _, name = text.partition(":")
            if not text:
                return view_of(None, None, defaults=False)
            if kind == "env" and name:
                return view_of(name, None, defaults=False)
            if kind == "phase" and name:
                return view_of(None, name, defaults=False)
            raise edits.EditError(f"compare: {text[:60]!r} is not env:NAME, phase:NAME or empty (the base plan)")

        try:
            snapshot = session.snapshot()
            first, second = parse(a), parse(b)
            left, right = session.baseline(first), session.baseline(second)
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))
        return {**info(snapshot, first), "a": left.data, "b": right.data,
                "diff": compare(left, right, first.label, second.label)}

    @app.get("/api/curve", summary="monthly cost and cost per user across daily active users")
    def curve(environment: str | None = None, points: str | None = None):
        from archplan.serve.curves import cost_curve

        try:
            chosen = view_of(environment, "", defaults=False)  # scale prices every phase itself
            return cost_curve(session, chosen, points)
        except (edits.EditError, PlanUnavailable) as error:
            return _bad(str(error))

    @app.post("/api/simulate", summary="one simulated day (archplan simulate --days 1 --seeds 3) of the view "
                                       "with its changes: the table and the pictures")
    async def simulate(body: SimulateBody, request: Request):
        from archplan.serve.simulated import simulated_day

        def plan_shown():
            chosen = view_of(body.environment, body.phase)
            changes = edits.parse_changes([c.model_dump() for c in body.changes])
            return session.evaluate(changes, chosen).assessment.plan

        try:
            shown = await anyio.to_thread.run_sync(plan_shown)
            # In a worker process, which shutdown (or the page going away) kills at once.
            return await simulations.run(simulated_day, shown, session.display, body.spike,
                                         gone=request.is_disconnected)
        except (edits.EditError, PlanUnavailable, JobFailed) as error:
            return _bad(str(error))
        except WorkerUnavailable as error:
            return _bad(str(error), error.status)

    @app.get("/api/diagram/{identity}", summary="the architecture diagram (SVG) of a result's diagram id")
    async def diagram(identity: str, request: Request):
        from fastapi.responses import Response

        from archplan.serve.evaluate import DiagramError, diagram_svg, draw

        async def drawing(source: str) -> str:
            # Graphviz in a worker process, which shutdown kills at once (dot may take its full minute)
            try:
                return await drawings.run(draw, source, gone=request.is_disconnected)
            except JobFailed as error:  # dot missing, failed or out of time: its own one-line reason
                raise DiagramError(str(error).split(";")[0]) from None  # without the CLI's advice

        try:
            svg = await diagram_svg(identity, drawing) if identity.isalnum() and len(identity) <= 32 else None
        except DiagramError as error:
            return _bad(f"the diagram could not be drawn ({error}); the list shows every component", 503)
        except WorkerUnavailable as error:
            return _bad(str(error), error.status)
        if svg is None:
            return _bad(f"no diagram {identity[:40]!r}; ask /api/plan or /api/evaluate for a current id", 404)
        return Response(svg, media_type="image/svg+xml")

    @app.post("/api/save", summary="write the changed plan as a new file beside the original")
    def save(body: SaveBody):
        try:
            chosen = view_of(body.environment, body.phase)
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
