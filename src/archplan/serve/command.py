"""`archplan serve PLAN`: validate the plan, then serve the page and its API until interrupted."""
from __future__ import annotations

import ipaddress
import socket
import sys

from archplan.errors import UsageError

LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise UsageError(f"cannot listen on {host}:{port}: {error.strerror}") from None


def run(args, spec) -> int:
    if args.phase is not None and args.phase not in [phase.name for phase in spec.phases]:
        names = ", ".join(phase.name for phase in spec.phases) or "(none)"
        raise UsageError(f"--phase: no phase {args.phase!r} in the plan; valid: {names}")
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port: {args.port} is not a TCP port (1 to 65535)")
    try:
        import uvicorn

        from archplan.serve.app import create_app
    except ImportError as error:
        raise UsageError(f"serve needs its dependencies ({error.name}); run `make install`") from None
    if not _is_loopback(args.host):
        print(f"warning: serving on {args.host}: anyone who can reach this address can read the plan and "
              "write files beside it", file=sys.stderr)
    _check_port(args.host, args.port)
    app = create_app(args.plan, args.env, args.phase, host=args.host, port=args.port)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"archplan serve: {spec.project.name} at http://{shown}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr)
    _serve(uvicorn, app, args.host, args.port)
    return 0


def _serve(uvicorn, app, host: str, port: int) -> None:
    """uvicorn's server, which also kills the running jobs (simulations, Graphviz) as soon as it is told to stop:
    its graceful shutdown waits for every request to be answered, and a simulation can run for minutes. On
    SIGTERM or SIGINT it stops, then dies of that signal, as a server should (exit status 143 or 130)."""

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame) -> None:
            for workers in app.state.workers:
                workers.stop()
            super().handle_exit(sig, frame)

    Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).run()
