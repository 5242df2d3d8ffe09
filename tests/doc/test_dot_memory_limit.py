"""`doc` under a memory limit lower than the one archplan gives Graphviz (found by the fuzzer's fork server,
which runs every command under RLIMIT_AS): the dot child's limit is capped at the one it inherits, instead
of failing to raise it ("Exception occurred in preexec_fn", a traceback)."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from archplan.doc import dot

ROOT = Path(__file__).resolve().parents[2]


def _address_space_limit() -> int:
    # Python with numpy and numba maps a few hundred MB; 1.5 GiB is below dot's 2 GiB and above that.
    return min(dot.DOT_MEMORY_BYTES - 512 * 1024**2, 1536 * 1024**2)


def test_doc_runs_under_a_lower_address_space_limit(tmp_path):
    limit = _address_space_limit()
    assert limit < dot.DOT_MEMORY_BYTES

    def lower():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "archplan", "doc", str(ROOT / "examples" / "starter.yaml"),
                             "-o", str(tmp_path / "doc")], capture_output=True, text=True, preexec_fn=lower,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "doc" / "architecture.svg").read_text().lstrip().startswith("<?xml")


def test_the_dot_child_limit_is_capped_at_the_inherited_one():
    """In a child: with a hard limit below DOT_MEMORY_BYTES, _limit_memory sets that limit, not more."""
    limit = _address_space_limit()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            dot._limit_memory()
            os.write(write, str(resource.getrlimit(resource.RLIMIT_AS)).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100).decode() == str((limit, limit))
    os.close(read)
