"""`archplan completion bash|zsh|fish`: shell completion scripts built from the command line parser itself
(commands, flags, flag choices), with plan-aware words (component names, finding ids, SKUs), regions and
templates from the hidden `archplan __complete WHAT [PLAN]` helper, so they follow the plan and catalog."""
from __future__ import annotations

import argparse
import shlex


def describe(parser: argparse.ArgumentParser) -> dict[str, dict]:
    """Command -> {"flags": [...], "choices": {flag: [...]}, "help": str}."""
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in subparsers._choices_actions}
    found = {}
    for name, sub in subparsers.choices.items():
        if name.startswith("__"):
            continue
        flags, choices, valued = [], {}, set()
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") or option in ("-o",):
                    flags.append(option)
                    if action.nargs != 0:
                        valued.add(option)
                if action.choices and option.startswith("--"):
                    choices[option] = [str(c) for c in action.choices]
        positional = [a for a in sub._actions if not a.option_strings and a.dest != "help"]
        if positional and positional[0].choices:
            choices["__first__"] = [str(c) for c in positional[0].choices]
        found[name] = {"flags": sorted(set(flags)), "choices": choices, "valued": valued,
                       "help": helps.get(name) or ""}
    return found


DYNAMIC = {"--region": "regions", "--template": "templates", "--service": "services"}


def bash(commands: dict[str, dict]) -> str:
    cases = []
    for name, info in commands.items():
        choice_cases = "".join(f"      {flag}) COMPREPLY=($(compgen -W {shlex.quote(' '.join(words))} -- "
                               f'"$cur")); return;;\n' for flag, words in info["choices"].items() if flag != "__first__")
        first = info["choices"].get("__first__")
        first_case = (f"    if [[ $COMP_CWORD -eq 2 ]]; then COMPREPLY=($(compgen -W {shlex.quote(' '.join(first))}"
                      f' -- "$cur")); return; fi\n') if first else ""
        cases.append(f"    {name})\n"
                     + (f"      case \"$prev\" in\n{choice_cases}      esac\n" if choice_cases else "")
                     + first_case.replace("    if", "      if", 1)
                     + f"      flags={shlex.quote(' '.join(info['flags']))};;\n")
    dynamic = "".join(f'    {flag}) COMPREPLY=($(compgen -W "$(archplan __complete {what} 2>/dev/null)" -- "$cur")); return;;\n'
                      for flag, what in DYNAMIC.items())
    return f'''# bash completion for archplan. Load it with: source <(archplan completion bash)
_archplan() {{
  local cur prev cmd flags
  cur="${{COMP_WORDS[COMP_CWORD]}}"
  prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  cmd="${{COMP_WORDS[1]}}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W {shlex.quote(' '.join(commands))} -- "$cur"))
    return
  fi
  case "$prev" in
{dynamic}    -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return;;
  esac
  case "$cmd" in
{"".join(cases)}  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi
  if [[ "$cmd" == explain && $COMP_CWORD -eq 3 ]]; then
    COMPREPLY=($(compgen -W "$(archplan __complete targets "${{COMP_WORDS[2]}}" 2>/dev/null)" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}}
complete -o filenames -F _archplan archplan
'''


def zsh(commands: dict[str, dict]) -> str:
    described = " ".join(shlex.quote(f"{name}:{info['help'].replace(':', ' -')}") for name, info in commands.items())
    cases = []
    for name, info in commands.items():
        specs = []
        for flag in info["flags"]:
            if flag in info["choices"]:
                specs.append(shlex.quote(f"{flag}[]:value:({' '.join(info['choices'][flag])})"))
            elif flag in DYNAMIC:
                specs.append(shlex.quote(f"{flag}[]:value:{{_archplan_words {DYNAMIC[flag]}}}"))
            elif flag in ("-o", "--output"):
                specs.append(shlex.quote(f"{flag}[]:file:_files"))
            elif flag in info["valued"]:
                specs.append(shlex.quote(f"{flag}[]:value:"))
            else:
                specs.append(shlex.quote(f"{flag}[]"))
        first = info["choices"].get("__first__")
        if first:
            specs.append(shlex.quote(f"1:what:({' '.join(first)})"))
        elif name == "explain":
            specs += [shlex.quote("1:plan:_files -g '*.y(a|)ml'"), shlex.quote("2:target:{_archplan_targets}")]
        else:
            specs.append(shlex.quote("*:file:_files"))
        cases.append(f"    {name}) _arguments {' '.join(specs)} ;;")
    nl = "\n"
    return f'''#compdef archplan
# zsh completion for archplan. Load it with: source <(archplan completion zsh)
# (or save it as _archplan in a folder of $fpath).
_archplan_words() {{ compadd -- ${{(f)"$(archplan __complete $1 2>/dev/null)"}} }}
_archplan_targets() {{ compadd -- ${{(f)"$(archplan __complete targets ${{words[2]}} 2>/dev/null)"}} }}
_archplan() {{
  local -a commands
  commands=({described})
  if (( CURRENT == 2 )); then
    _describe command commands
    return
  fi
  local cmd=${{words[2]}}
  shift words
  (( CURRENT-- ))
  case $cmd in
{nl.join(cases)}
  esac
}}
compdef _archplan archplan 2>/dev/null || true
'''


def fish(commands: dict[str, dict]) -> str:
    lines = ["# fish completion for archplan. Load it with: archplan completion fish | source",
             "complete -c archplan -f"]
    for name, info in commands.items():
        lines.append(f"complete -c archplan -n __fish_use_subcommand -a {shlex.quote(name)} "
                     f"-d {shlex.quote(info['help'])}")
        condition = shlex.quote(f"__fish_seen_subcommand_from {name}")
        for flag in info["flags"]:
            option = f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}"
            if flag in info["choices"]:
                lines.append(f"complete -c archplan -n {condition} {option} -x -a "
                             f"{shlex.quote(' '.join(info['choices'][flag]))}")
            elif flag in DYNAMIC:
                lines.append(f"complete -c archplan -n {condition} {option} -x -a "
                             f"{shlex.quote(f'(archplan __complete {DYNAMIC[flag]} 2>/dev/null)')}")
            elif flag in ("-o", "--output"):
                lines.append(f"complete -c archplan -n {condition} {option} -r -F")
            elif flag in info["valued"]:
                lines.append(f"complete -c archplan -n {condition} {option} -x")
            else:
                lines.append(f"complete -c archplan -n {condition} {option}")
        first = info["choices"].get("__first__")
        if first:
            lines.append(f"complete -c archplan -n {condition} -a {shlex.quote(' '.join(first))}")
        else:
            lines.append(f"complete -c archplan -n {condition} -F")
    lines.append("complete -c archplan -n " + shlex.quote("__fish_seen_subcommand_from explain") + " -a "
                 + shlex.quote("(archplan __complete targets (commandline -opc)[3] 2>/dev/null)"))
    return "\n".join(lines) + "\n"


def words(what: str, plan: str | None) -> list[str]:
    """What `archplan __complete` prints, one a line; nothing (not an error) when it cannot tell."""
    from archplan import catalog

    if what == "regions":
        return list(catalog.supported_regions())
    if what == "templates":
        from archplan.init import templates

        return list(templates())
    if what == "services":
        return list(catalog.services())
    if what in ("components", "targets") and plan:
        import yaml

        try:
            with open(plan, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return []
        components = document.get("components") if isinstance(document, dict) else None
        names = [str(n) for n in components] if isinstance(components, dict) else []
        if what == "components":
            return names
        from archplan.check.rules import modules

        return names + [m.RULE.id for m in modules()]
    return []
