"""Write tests/fixtures/focus/focus-1.0-columns.json from a checkout of the FOCUS specification.

Usage: python tools/extract_focus_columns.py GIT_DIR [TAG]
GIT_DIR is a clone of github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec; TAG defaults to v1.0.
For each column file under specification/columns/ it records the column id, data type, whether nulls are
allowed, and the allowed values where the column lists them.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path


def git(git_dir: str, *args: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True).stdout


def constraint(text: str, name: str) -> str:
    match = re.search(rf"^\|\s*{name}\s*\|\s*(.*?)\s*\|\s*$", text, re.MULTILINE | re.IGNORECASE)
    return match.group(1) if match else ""


def allowed_values(text: str) -> list[str]:
    match = re.search(r"Allowed values:\s*\n\s*\n\|[^\n]*\n\|[^\n]*\n((?:\|[^\n]*\n)+)", text, re.IGNORECASE)
    if not match:
        return []
    return [row.split("|")[1].strip() for row in match.group(1).strip().splitlines()]


def main() -> None:
    git_dir, tag = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "v1.0"
    commit = git(git_dir, "rev-parse", f"{tag}^{{commit}}").strip()
    names = [n for n in git(git_dir, "ls-tree", "--name-only", tag, "specification/columns/").split()
             if n.endswith(".md")]
    columns = []
    for name in names:
        text = git(git_dir, "show", f"{tag}:{name}")
        column_id = re.search(r"## Column ID\s*\n\s*\n(\S+)", text).group(1)
        columns.append({"id": column_id, "data_type": constraint(text, "Data type"),
                        "allows_nulls": constraint(text, "Allows nulls").lower() == "true",
                        "allowed_values": allowed_values(text), "spec_file": name})
    out = {"source": {"repo": "github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec", "tag": tag,
                      "commit": commit, "path": "specification/columns/*.md",
                      "licence": "see LICENSE.txt and license.md in that repo (Community Specification License 1.0)"},
           "columns": columns}
    target = Path(__file__).resolve().parent.parent / "tests/fixtures/focus/focus-1.0-columns.json"
    target.write_text(json.dumps(out, indent=2) + "\n")
    print(f"{len(columns)} columns from {tag} ({commit}) -> {target}")


if __name__ == "__main__":
    main()
