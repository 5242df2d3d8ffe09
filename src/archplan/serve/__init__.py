"""`archplan serve`: the plan as an interactive page over a JSON API.

The API (archplan.serve.app) is the only place the page gets a figure from: every number shown is computed
here by the same pipeline as `cost` and `check`. The plan on disk is read through archplan.serve.session,
which applies what-if changes, watches the file and saves changes beside it with a round-trip YAML editor.
"""
