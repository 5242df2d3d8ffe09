"""The model compiled into flat per-component option tables, and a candidate evaluated from them, whole or
incrementally when one component changes.

Components are numbered in plan order and a candidate is one option index per component. Per path node
the table holds each option's availability as a factor (percent / 100), grouped by the parts of the
path's shape (one part in series, or regions in parallel: `model.Shape`); per group, each combination's
cost and problems; per database, each client option's connections and each database option's
max_connections; per latency path, each option's timed hops. A whole candidate multiplies and sums these
in the order `check` does (path order, group order), so its figures are those of the reference model.

`Incremental` keeps one candidate's figures and, when one component changes, recomputes only what that
component touches: its group's cost (the total is re-added in group order, so it is the same Decimal),
the entry paths it has a node on (each recomputed in path order, so the same float), the databases it
opens connections to or is, the latency paths it has a hop on, and the worst p95.
"""
from __future__ import annotations

from decimal import Decimal

from archplan.optimize.model import Candidate, Model, over, path_p95


class Tables:
    def __init__(self, model: Model):
        names = model.names
        index = {name: i for i, name in enumerate(names)}
        self.model = model
        self.names = names
        self.index = index
        self.sizes = [len(model.members[name]) for name in names]

        def factors(nodes) -> list[tuple[int, list[float]]]:
            out = []
            for node in nodes:
                owner = model.owner(node)
                out.append((index[owner], [option.percent(node) / 100 for option in model.members[owner]]))
            return out

        # each availability figure: its shape and, per part, the factor tables of its nodes
        self.path = (model.path_shape, [factors(part) for part in model.path_shape.parts])
        self.entry_names = [entry for entry, _nodes in model.entries]
        self.entries = [(shape, [factors(part) for part in shape.parts]) for shape in model.shapes]
        self.groups = [[index[name] for name in group] for group in model.groups]
        # a group of one component: its rows by option index; several: by the tuple of their indices
        self.group_rows = [[row for row in sorted(rows, key=lambda r: r.choice)] if len(group) == 1
                           else {row.choice: row for row in rows}
                           for group, rows in zip(model.groups, model.group_options)]
        self.databases = []  # (name, database index, client indices, connections per client option, max per db option)
        for database, clients in model.databases.items():
            self.databases.append((database, index[database], [index[c] for c in clients],
                                   [[o.connections for o in model.members[c]] for c in clients],
                                   [o.max_connections for o in model.members[database]]))
        self.p95 = [(i, [o.p95_ms for o in model.members[name]])
                    for i, name in enumerate(names)
                    if any(o.p95_ms is not None for o in model.members[name])]
        self.latency = [[(index[owner], [tuple(o.timed.get(node, ())) for o in model.members[owner]])
                         for owner, node in path.nodes] for path in model.latency]
        # what each component touches
        count = len(names)
        self.group_of = [0] * count
        for g, members in enumerate(self.groups):
            for i in members:
                self.group_of[i] = g
        def touches(figure, i: int) -> bool:
            return any(i == j for part in figure[1] for j, _f in part)

        self.on_path = [touches(self.path, i) for i in range(count)]
        self.entries_of = [[e for e, figure in enumerate(self.entries) if touches(figure, i)] for i in range(count)]
        self.databases_of = [[d for d, row in enumerate(self.databases) if i == row[1] or i in row[2]]
                             for i in range(count)]
        self.latency_of = [[p for p, hops in enumerate(self.latency) if any(i == j for j, _h in hops)]
                           for i in range(count)]
        self.times_p95 = [any(i == j for j, _v in self.p95) for i in range(count)]

    # one figure each, from a choice list
    def group_row(self, g: int, c: list[int]):
        members = self.groups[g]
        if len(members) == 1:
            return self.group_rows[g][c[members[0]]]
        return self.group_rows[g][tuple(c[i] for i in members)]

    @staticmethod
    def product(nodes, c: list[int]) -> float:
        value = 100.0
        for i, table in nodes:
            value *= table[c[i]]
        return value

    @classmethod
    def figure(cls, figure, c: list[int]) -> float:
        """A path's availability (percent): its nodes in series, or its shape over its parts."""
        shape, parts = figure
        if len(parts) == 1:
            return cls.product(parts[0], c)
        return shape.value([cls.product(part, c) / 100 for part in parts]) * 100

    def connections(self, d: int, c: list[int]) -> str | None:
        database, at, clients, per_client, maxima = self.databases[d]
        used = 0
        for i, table in zip(clients, per_client):
            used += table[c[i]]
        limit = maxima[c[at]]
        if limit is not None and used > limit:
            return f"{database}: clients open {used} connections at full scale, max_connections {limit}"
        return None

    def worst_p95(self, c: list[int]) -> float:
        worst = None
        for i, table in self.p95:
            value = table[c[i]]
            if value is not None and (worst is None or value > worst):
                worst = value
        return worst if worst is not None else 0.0

    def latency_p95(self, p: int, c: list[int]) -> tuple[float | None, str | None]:
        value = path_p95([hop for i, table in self.latency[p] for hop in table[c[i]]])
        path = self.model.latency[p]
        if over(value, path.target_ms):
            return value, f"{path.name}: p95 {value:.0f} ms at peak above {path.target_ms:g} ms ({path.source})"
        return value, None

    def candidate(self, c: list[int]) -> Candidate:
        subtotal = Decimal(0)
        problems: list[str] = []
        for g in range(len(self.groups)):
            row = self.group_row(g, c)
            subtotal += row.cost_usd
            problems += row.problems
        entries = {name: self.figure(figure, c) for name, figure in zip(self.entry_names, self.entries)}
        for d in range(len(self.databases)):
            problem = self.connections(d, c)
            if problem:
                problems.append(problem)
        paths_p95 = {}
        for p, path in enumerate(self.model.latency):
            paths_p95[path.name], problem = self.latency_p95(p, c)
            if problem:
                problems.append(problem)
        total = subtotal * (1 + self.model.contingency / 100)
        return Candidate(dict(zip(self.names, c)), total, self.figure(self.path, c), entries, self.worst_p95(c),
                         problems, paths_p95)


def tables(model: Model) -> Tables:
    if model.compiled is None:
        model.compiled = Tables(model)
    return model.compiled


class Incremental:
    """One candidate's figures, kept up to date as components change one at a time."""

    def __init__(self, model: Model, choice: dict[str, int] | None = None):
        self.t = t = tables(model)
        self.c = [0] * len(t.names) if choice is None else [choice[name] for name in t.names]
        self.rows = [t.group_row(g, self.c) for g in range(len(t.groups))]
        self.composite = t.figure(t.path, self.c)
        self.entries = [t.figure(figure, self.c) for figure in t.entries]
        self.connections = [t.connections(d, self.c) for d in range(len(t.databases))]
        self.latency = [t.latency_p95(p, self.c) for p in range(len(t.latency))]
        self.p95 = t.worst_p95(self.c)
        self.contingency = 1 + model.contingency / 100

    def move(self, component: int, option: int) -> None:
        """Set one component's option and recompute only what it touches."""
        t, c = self.t, self.c
        if c[component] == option:
            return
        c[component] = option
        g = t.group_of[component]
        self.rows[g] = t.group_row(g, c)
        if t.on_path[component]:
            self.composite = t.figure(t.path, c)
        for e in t.entries_of[component]:
            self.entries[e] = t.figure(t.entries[e], c)
        for d in t.databases_of[component]:
            self.connections[d] = t.connections(d, c)
        for p in t.latency_of[component]:
            self.latency[p] = t.latency_p95(p, c)
        if t.times_p95[component]:
            self.p95 = t.worst_p95(c)

    @property
    def cost_usd(self) -> Decimal:
        subtotal = Decimal(0)
        for row in self.rows:  # group order, as a whole evaluation adds them
            subtotal += row.cost_usd
        return subtotal * self.contingency

    @property
    def feasible(self) -> bool:
        return not any(row.problems for row in self.rows) and not any(self.connections) and \
            not any(problem for _value, problem in self.latency)

    def candidate(self) -> Candidate:
        t = self.t
        problems = [p for row in self.rows for p in row.problems] + [p for p in self.connections if p]
        problems += [problem for _value, problem in self.latency if problem]
        return Candidate(dict(zip(t.names, self.c)), self.cost_usd, self.composite,
                         dict(zip(t.entry_names, self.entries)), self.p95, problems,
                         {path.name: value for path, (value, _p) in zip(t.model.latency, self.latency)})
