"""hcl.quote's fast path (nothing to escape) gives what the full escaper gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archplan.generate import hcl


def _reference(text: str, interpolate: bool) -> str:
    """The escaper without its shortcut: every character looked at."""
    if not interpolate:
        return '"' + hcl._escape(text).replace("${", "$${").replace("%{", "%%{") + '"'
    out, depth, index = [], 0, 0
    while index < len(text):
        if text.startswith("${", index):
            depth, index = depth + 1, index + 2
            out.append("${")
            continue
        char = text[index]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
            out.append(char)
        else:
            out.append(hcl._escape(char))
        index += 1
    return '"' + "".join(out) + '"'


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='ab-_.${}%"\\\n\t\r\x00\x1b\x7f\u2028/é ', max_size=30), st.booleans())
def test_quote_matches_the_full_escaper(text, interpolate):
    assert hcl.quote(text, interpolate) == _reference(text, interpolate)


HEREDOC_TEXTS = [
    "#!/bin/bash\necho hi\n",
    "a ${x} %{y} $${z}\n  b\\n \"q\"\nEOT\n",  # interpolation-like text, a backslash, quotes, the marker itself
    "line\n\n    indented after a blank\n",
    "  all lines\n  indented\n",  # the indented form would strip this: a quoted string
    "ends without a newline",
    "blank with spaces\n   \nafter\n",
    "\ttab first\nsecond\n",
    "cr\r\nlf\n",
    "controls \x00 \x1b \x7f \u2028 in a quoted string\r",
    "unclosed ${x and %{y and $${z and %%{w",  # terraform reads escapes with no closing brace as literals
    "unclosed in a heredoc ${x %{y\n",
]


def test_a_heredoc_text_reaches_terraform_exactly(tmp_path):
    """Each Text, written by hcl.render, is the same string when terraform itself reads it (an apply with
    no provider runs offline). Scripts are written as indented heredocs a reviewer can read."""
    import json
    import shutil
    import subprocess

    import pytest

    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed")
    body = {f"t{i}": hcl.Text(text) for i, text in enumerate(HEREDOC_TEXTS)}
    (tmp_path / "main.tf").write_text(hcl.render([hcl.Block("locals", (), body)]))
    source = (tmp_path / "main.tf").read_text()
    assert source.count("<<-EOT") >= 3 and "<<-EOT1" in source  # the text holding "EOT" gets another marker
    fmt = subprocess.run(["terraform", "fmt", "-check", str(tmp_path)], capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout
    (tmp_path / "outputs.tf").write_text('output "texts" {\n  value = [' +
                                         ", ".join(f"local.t{i}" for i in range(len(HEREDOC_TEXTS))) + "]\n}\n")
    for argv in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):  # no provider: offline
        step = subprocess.run(["terraform", *argv], capture_output=True, text=True, cwd=tmp_path, timeout=120)
        assert step.returncode == 0, step.stdout + step.stderr
    shown = subprocess.run(["terraform", "output", "-json", "texts"], capture_output=True, text=True,
                           cwd=tmp_path, timeout=60)
    assert json.loads(shown.stdout) == HEREDOC_TEXTS
