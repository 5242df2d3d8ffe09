"""A small evaluator for the part of the HCL expression language that sizes infrastructure: literals,
`var.`/`local.`/`each.`/`count.` references, attribute and index access, arithmetic, comparisons, `?:`,
object and tuple constructors, and the common functions (try, coalesce, lookup, can, length, merge...).

Anything it cannot know before `terraform apply` (a resource attribute, a `for` expression, an unknown
function) evaluates to UNKNOWN, which propagates; the importer then leaves that setting at GCP's default
and says so in its report. References to resources are collected either way, for `depends_on` edges.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


class _Failed(_Unknown):
    def __repr__(self) -> str:
        return "FAILED"


UNKNOWN = _Unknown()
FAILED = _Failed()  # an expression that is an error in Terraform (what `can` and `try` catch)


def unknown(value) -> bool:
    return isinstance(value, _Unknown)


class ExpressionError(Exception):
    """The text is not an HCL expression this evaluator can read."""


class EvaluationLimit(Exception):
    """An expression costs more than archplan evaluates: the import stops, naming where (a hostile or runaway
    configuration, such as locals doubling a string forty times, must not take the machine's memory or time)."""


# Bounds on what one import evaluates, across all its modules: steps (expressions read, for-loop bodies
# included), the length of any intermediate string, the size of any list or map, an integer's bits, and
# format()'s width and precision. Real configurations stay orders of magnitude below each.
MAX_STEPS = 2_000_000
MAX_STRING = 1_000_000
MAX_ITEMS = 100_000
MAX_INT_BITS = 1024
MAX_FORMAT_WIDTH = 1_000


class Budget:
    """What one import has spent so far, and the notes the evaluator leaves for its report. Outside an import
    (an expression evaluated on its own) steps are not counted: no budget would know when to start again."""

    def __init__(self, max_steps: int | None = None):
        self.steps, self.max_steps = 0, max_steps
        self.notes: list[str] = []


_budget = Budget()


def new_budget() -> Budget:
    """Start one import's budget (read_folder calls this once, and end_budget when it is done)."""
    global _budget
    _budget = Budget(MAX_STEPS)
    return _budget


def end_budget() -> None:
    global _budget
    _budget = Budget()


def _spend() -> None:
    _budget.steps += 1
    if _budget.max_steps is not None and _budget.steps > _budget.max_steps:
        raise EvaluationLimit(f"the expressions take more than {MAX_STEPS:,} evaluation steps (nested for "
                              "expressions or modules multiplying); archplan stops here")


def _too_long() -> EvaluationLimit:
    return EvaluationLimit(f"an expression builds a string longer than {MAX_STRING:,} characters")


def _bounded(value):
    """The value, unless it is larger than any intermediate value archplan evaluates."""
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise _too_long()
    elif isinstance(value, (list, dict)):
        if len(value) > MAX_ITEMS:
            raise EvaluationLimit(f"an expression builds a collection of more than {MAX_ITEMS:,} elements")
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise EvaluationLimit(f"an expression builds a number larger than 2^{MAX_INT_BITS}")
    return value


@dataclass
class TypeSpec:
    """A variable's type constraint, kept for the defaults of `optional(type, default)` attributes."""

    kind: str  # object, map, list, set, tuple, primitive, any
    attributes: dict = field(default_factory=dict)  # object: name -> (TypeSpec, has_default, default)
    element: "TypeSpec | None" = None


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<heredoc><<-?(?P<tag>[A-Za-z_]+)\n.*?\n\s*(?P=tag))
  | (?P<string>")
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>\.\.\.|=>|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:.,()\[\]{}=])
""", re.VERBOSE | re.DOTALL)


@dataclass
class Tok:
    kind: str
    value: object


def _read_string(text: str, start: int, heredoc: bool = False) -> tuple[list, int]:
    """A quoted template from just after its opening quote: (parts, index after the closing quote); parts
    are str literals and ("expr", source) interpolations. A heredoc body has no closing quote or escapes."""
    parts, buf, i = [], [], start
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not heredoc:
            buf.append({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(text[i + 1], text[i + 1]))
            i += 2
        elif text.startswith(("$${", "%%{"), i):  # escapes: a literal ${ or %{
            buf.append(text[i] + "{")
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            if buf:
                parts.append("".join(buf))
                buf = []
            depth, j = 1, i + 2
            while j < len(text) and depth:
                if text[j] == '"':
                    _, j = _read_string(text, j + 1)
                    continue
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            if depth:
                raise ExpressionError("unterminated ${ in a string")
            directive = text[i] == "%"
            parts.append(("directive" if directive else "expr", text[i + 2:j - 1]))
            i = j
        elif ch == '"' and not heredoc:
            if buf:
                parts.append("".join(buf))
            return parts, i + 1
        else:
            buf.append(ch)
            i += 1
    if heredoc:
        return parts + (["".join(buf)] if buf else []), i
    raise ExpressionError("unterminated string")


def tokenize(text: str) -> list[Tok]:
    tokens, i = [], 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        if not match:
            raise ExpressionError(f"unexpected {text[i]!r}")
        kind = match.lastgroup if match.lastgroup != "tag" else "heredoc"
        if match.group("heredoc"):
            body = match.group("heredoc").split("\n", 1)[1].rsplit("\n", 1)[0]
            tokens.append(Tok("string", [body]))
            i = match.end()
        elif kind == "string":
            parts, i = _read_string(text, match.end())
            tokens.append(Tok("string", parts))
        else:
            i = match.end()
            if kind != "ws":
                tokens.append(Tok(kind, match.group(kind)))
    tokens.append(Tok("end", None))
    return tokens


@dataclass
class Scope:
    variables: dict
    locals: dict
    each: dict | None = None  # {"key": ..., "value": ...}
    count_index: int | None = None
    iterators: dict = field(default_factory=dict)  # dynamic block iterators: name -> {"key", "value"}
    module_outputs: dict = field(default_factory=dict)  # module name -> {output: value}
    references: set = field(default_factory=set)  # resource addresses seen while evaluating
    local_references: dict = field(default_factory=dict)  # local name -> the resource addresses its value reads

    def child(self, **changes) -> "Scope":
        values = dict(self.__dict__)
        values.update(changes)
        return Scope(**values)


def _known(*values) -> bool:
    return not any(unknown(v) for v in values)


def _number(value):
    if isinstance(value, bool) or value is None or unknown(value):
        return value
    if isinstance(value, (int, float)):
        return value
    try:
        return int(value) if re.fullmatch(r"-?\d+", str(value)) else float(value)
    except ValueError:
        raise ExpressionError(f"not a number: {value!r}") from None


def _string(value) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Parser:
    PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
                  "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}

    def __init__(self, tokens: list[Tok], scope: Scope):
        self.tokens, self.pos, self.scope = tokens, 0, scope

    def peek(self, offset: int = 0) -> Tok:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def take(self, value=None) -> Tok:
        tok = self.tokens[self.pos]
        if value is not None and tok.value != value:
            raise ExpressionError(f"expected {value!r}, got {tok.value!r}")
        self.pos += 1
        return tok

    def expression(self):
        _spend()
        condition = self.binary(0)
        if self.peek().value == "?":
            self.take("?")
            yes = self.expression()
            self.take(":")
            no = self.expression()
            if unknown(condition):
                return yes if yes == no else UNKNOWN
            return yes if condition else no
        return condition

    def binary(self, minimum: int):
        left = self.unary()
        while self.peek().kind == "op" and self.PRECEDENCE.get(self.peek().value, 0) > minimum:
            op = self.take().value
            right = self.binary(self.PRECEDENCE[op])
            left = _bounded(self.apply(op, left, right))
        return left

    @staticmethod
    def apply(op, left, right):
        if op == "&&":
            if left is False or right is False:
                return False
            return UNKNOWN if not _known(left, right) else bool(left and right)
        if op == "||":
            if left is True or right is True:
                return True
            return UNKNOWN if not _known(left, right) else bool(left or right)
        if not _known(left, right):
            return UNKNOWN
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        a, b = _number(left), _number(right)
        return {"<": lambda: a < b, ">": lambda: a > b, "<=": lambda: a <= b, ">=": lambda: a >= b,
                "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
                "/": lambda: a / b if b else UNKNOWN, "%": lambda: a % b if b else UNKNOWN}[op]()

    def unary(self):
        if self.peek().value == "!":
            self.take()
            value = self.unary()
            return UNKNOWN if unknown(value) else not value
        if self.peek().value == "-":
            self.take()
            value = self.unary()
            return UNKNOWN if unknown(value) else -_number(value)
        return self.postfix(self.primary())

    def postfix(self, value):
        while True:
            tok = self.peek()
            if tok.value == "." and self.peek(1).kind in ("ident", "number"):
                self.take()
                name = self.take().value
                value = self.attribute(value, name)
            elif tok.value == "." and self.peek(1).value == "*":
                self.take()
                self.take()
                value = UNKNOWN
            elif tok.value == "[":
                self.take()
                if self.peek().value == "*":
                    self.take()
                    self.take("]")
                    value = UNKNOWN
                    continue
                index = self.expression()
                self.take("]")
                value = self.index(value, index)
            else:
                return value

    @staticmethod
    def attribute(value, name):
        if isinstance(value, dict):
            return value.get(name)
        return UNKNOWN if unknown(value) or value is None else UNKNOWN

    @staticmethod
    def index(value, index):
        if unknown(value) or unknown(index):
            return UNKNOWN
        if isinstance(value, dict):
            return value.get(_string(index), UNKNOWN)
        if isinstance(value, list):
            try:
                return value[int(_number(index))]
            except (IndexError, ValueError, TypeError, ArithmeticError):
                return UNKNOWN
        return UNKNOWN

    def primary(self):
        tok = self.take()
        if tok.kind == "number":
            return _number(tok.value)
        if tok.kind == "string":
            return self.template(tok.value)
        if tok.value == "(":
            value = self.expression()
            self.take(")")
            return value
        if tok.value == "[":
            return self.tuple()
        if tok.value == "{":
            return self.object()
        if tok.kind == "ident":
            return self.identifier(tok.value)
        raise ExpressionError(f"unexpected {tok.value!r}")

    def template(self, parts: list):
        if any(isinstance(p, tuple) and p[0] == "directive" for p in parts):
            return UNKNOWN
        if len(parts) == 1 and isinstance(parts[0], tuple):
            return evaluate(parts[0][1], self.scope)  # "${x}" keeps x's type
        values = [part if isinstance(part, str) else evaluate(part[1], self.scope) for part in parts]
        if not _known(*values):  # every part is read first: the references after an unknown one count too
            return UNKNOWN
        texts = ["" if value is None else _string(value) for value in values]
        if sum(map(len, texts)) > MAX_STRING:
            raise _too_long()
        return "".join(texts)

    def for_expression(self, closing: str):
        """[for v in xs : body if cond] or {for k, v in xs : key => value if cond}, the `for` not yet read."""
        self.take()  # for
        names = [self.take().value]
        if self.peek().value == ",":
            self.take()
            names.append(self.take().value)
        if self.peek().value != "in":
            raise ExpressionError("expected 'in' in a for expression")
        self.take()
        collection = self.expression()
        self.take(":")
        start, depth, arrow, condition = self.pos, 0, None, None
        pairs = {"(": ")", "[": "]", "{": "}"}
        while True:
            tok = self.peek()
            if tok.kind == "end":
                raise ExpressionError(f"missing {closing!r}")
            if tok.kind == "op" and depth == 0 and tok.value == closing:
                break
            if tok.kind == "op" and tok.value in pairs:
                depth += 1
            elif tok.kind == "op" and tok.value in pairs.values():
                depth -= 1
            elif depth == 0 and tok.value == "=>" and arrow is None:
                arrow = self.pos
            elif depth == 0 and tok.kind == "ident" and tok.value == "if" and condition is None:
                condition = self.pos
            self.pos += 1
        end = self.pos
        self.take(closing)
        if unknown(collection):
            return UNKNOWN
        if isinstance(collection, dict):
            items = list(collection.items())
        elif isinstance(collection, list):
            items = list(enumerate(collection))
        else:
            return UNKNOWN
        body_end = condition if condition is not None else end
        result_list, result_map = [], {}
        for key, value in items:
            _spend()
            bound = {names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value}
            scope = self.scope.child(iterators={**self.scope.iterators, **bound})
            scope.references = self.scope.references
            if condition is not None:
                keep = self.sub(condition + 1, end, scope)
                if unknown(keep):
                    return UNKNOWN
                if not keep:
                    continue
            if closing == "]":
                result_list.append(self.sub(start, body_end, scope))
            else:
                if arrow is None:
                    raise ExpressionError("an object for expression needs key => value")
                grouped = self.tokens[body_end - 1].value == "..."
                k = self.sub(start, arrow, scope)
                v = self.sub(arrow + 1, body_end - 1 if grouped else body_end, scope)
                if unknown(k):
                    return UNKNOWN
                if grouped:
                    result_map.setdefault(_string(k), []).append(v)
                else:
                    result_map[_string(k)] = v
        return _bounded(result_list if closing == "]" else result_map)

    def sub(self, start: int, end: int, scope: "Scope"):
        parser = _Parser(self.tokens[start:end] + [Tok("end", None)], scope)
        value = parser.expression()
        if parser.peek().kind != "end":
            raise ExpressionError(f"unexpected {parser.peek().value!r}")
        return value

    def tuple(self):
        if self.peek().kind == "ident" and self.peek().value == "for":
            return self.for_expression("]")
        items = []
        while self.peek().value != "]":
            items.append(self.expression())
            if self.peek().value == ",":
                self.take()
        self.take("]")
        return items

    def object(self):
        if self.peek().kind == "ident" and self.peek().value == "for":
            return self.for_expression("}")
        result = {}
        while self.peek().value != "}":
            key_tok = self.peek()
            if key_tok.kind == "ident" and self.peek(1).value in ("=", ":"):
                self.take()
                key = key_tok.value
            else:
                key = self.expression()
            self.take()  # = or :
            value = self.expression()
            if unknown(key):
                result = UNKNOWN  # the rest is still read, to the closing brace
            elif not unknown(result):
                result[_string(key)] = value
            if self.peek().value == ",":
                self.take()
        self.take("}")
        return result

    def identifier(self, name: str):
        if name in ("true", "false"):
            return name == "true"
        if name == "null":
            return None
        if self.peek().value == "(":
            return self.call(name)
        if name in TYPE_NAMES:
            return TypeSpec(TYPE_NAMES[name])
        if name in self.scope.iterators and not (name in ("var", "local", "each", "count", "module", "data")):
            return self.scope.iterators[name]  # attribute access, if any, is the postfix that follows
        if self.peek().value != ".":
            return UNKNOWN
        self.take(".")
        member = self.take().value
        if name == "var":
            return self.scope.variables.get(member, UNKNOWN)
        if name == "local":
            self.scope.references |= self.scope.local_references.get(member, set())
            return self.scope.locals.get(member, UNKNOWN)
        if name == "each":
            return UNKNOWN if self.scope.each is None else self.scope.each.get(member, UNKNOWN)
        if name == "count":
            return UNKNOWN if self.scope.count_index is None or member != "index" else self.scope.count_index
        if name == "module":
            outputs = self.scope.module_outputs.get(member, {})
            if self.peek().value == "." and self.peek(1).kind == "ident":
                self.take()
                output = self.take().value
                value = outputs.get(output, UNKNOWN)
                self.scope.references |= getattr(outputs, "references", {}).get(output, set())
                return value
            return UNKNOWN
        if name in ("path", "terraform", "self"):
            return UNKNOWN  # path.module, terraform.workspace, self.x: no resource to depend on
        if name == "data":
            if self.peek().value == ".":
                self.take()
                self.take()
            return UNKNOWN
        # A resource: TYPE.NAME, its attributes are known only after apply.
        address = f"{name}.{member}"
        self.scope.references.add(address)
        return UNKNOWN

    def arguments(self) -> list:
        self.take("(")
        args = []
        while self.peek().value != ")":
            start = self.pos
            try:
                args.append(self.expression())
            except ExpressionError:
                self.pos = start
                raise
            if self.peek().value == "...":
                self.take()
            if self.peek().value == ",":
                self.take()
        self.take(")")
        return args

    def call(self, name: str):
        if name in ("try", "can"):
            # try(a, b): the first argument that evaluates; an unknown argument is a failed one.
            args = self.arguments()
            if name == "can":
                if any(value is FAILED for value in args):
                    return False
                return UNKNOWN if not _known(*args) else True
            for value in args:
                if not unknown(value):
                    return value
            return UNKNOWN
        args = self.arguments()
        function = FUNCTIONS.get(name)
        if function is None:
            return UNKNOWN
        if name not in _NULL_SAFE and not _known(*args):
            return UNKNOWN
        if name in ("regex", "regexall") and len(args) == 2 and not _safe_regex(*args):
            # A pattern with nested quantifiers ("^(a+)+$") takes exponential time in Python's re, which has
            # no time limit: the result is left unknown, as a value known only at apply is.
            _budget.notes.append(f"{name}() with the pattern {str(args[0])[:60]!r} is not evaluated (a quantifier "
                                 "inside a repeated group can take exponential time): what uses its result is left "
                                 "at GCP's defaults")
            return UNKNOWN
        try:
            return _bounded(function(*args))
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, ArithmeticError, re.error):
            return FAILED


TYPE_NAMES = {"string": "primitive", "number": "primitive", "bool": "primitive", "any": "any"}


def _object_type(attributes):
    spec = TypeSpec("object")
    for name, attribute in (attributes or {}).items():
        if isinstance(attribute, tuple) and attribute[0] == "optional":
            spec.attributes[name] = (attribute[1], True, attribute[2])
        else:
            spec.attributes[name] = (attribute, False, None)
    return spec


def _optional(inner, *default):
    return ("optional", inner if isinstance(inner, TypeSpec) else TypeSpec("any"), default[0] if default else None)


def _coalesce(*values):
    for value in values:
        if unknown(value):
            return UNKNOWN
        if value is not None and value != "":
            return value
    return None


def _merge(*maps):
    result = {}
    for item in maps:
        if unknown(item):
            return UNKNOWN
        result.update(item or {})
    return result


def _lookup(mapping, key, *default):
    if unknown(mapping) or unknown(key):
        return UNKNOWN
    if key in (mapping or {}):
        return mapping[key]
    return default[0] if default else UNKNOWN


# A regex() on text past this is left unknown: even a pattern without nested quantifiers can take polynomial
# time in the text's length (a*a*a*b), and names and versions are short.
MAX_REGEX_TEXT = 10_000


def _safe_regex(pattern, text) -> bool:
    """Whether Python's backtracking re runs `pattern` over `text` in bounded time: no repeated group holds a
    quantifier or an alternation (the shapes that backtrack exponentially), the text is short. A pattern that
    does not parse is "safe": re.error makes it FAILED, as Terraform fails it."""
    if not isinstance(pattern, str) or not isinstance(text, str):
        return True  # regex() then fails on the types, as Terraform's does
    if len(text) > MAX_REGEX_TEXT:
        return False
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return True
    repeats = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)}

    def holds_choice(items, inside_repeat: bool) -> bool:
        for op, argument in items:
            if op in repeats:
                many = argument[1] > 1  # x? repeats at most once: ([-a-z0-9]*[a-z0-9])? is linear
                if inside_repeat and many:
                    return True
                if holds_choice(argument[2], inside_repeat or many):
                    return True
            elif op is sre_parse.BRANCH:
                if inside_repeat:
                    return True
                if any(holds_choice(branch, inside_repeat) for branch in argument[1]):
                    return True
            elif op is sre_parse.SUBPATTERN:
                if holds_choice(argument[-1], inside_repeat):
                    return True
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                if holds_choice(argument[1], inside_repeat):
                    return True
        return False

    try:
        return not holds_choice(tree, False)
    except RecursionError:
        return False


def _regex(pattern: str, text: str):
    match = re.search(pattern, text)
    if match is None:
        raise ValueError("no match")
    return match.group(0)


_VERB = re.compile(r"%(?:(%)|([-+ 0#]*)(\d*)(?:\.(\d+))?([sdvtqf]))")


def _format(spec: str, *args):
    """Terraform's format() for the verbs names are built with (%s %d %v %t %q %f, width and precision);
    another verb leaves the result unknown."""
    values = list(args)

    def verb(match: re.Match) -> str:
        if match.group(1):
            return "%"
        if not values:
            raise ValueError("too few arguments")
        flags, width, precision, letter = match.group(2), match.group(3), match.group(4), match.group(5)
        value = values.pop(0)
        if letter in "df":
            number = _number(value)
            text = f"{int(number):{'+' if '+' in flags else ''}d}" if letter == "d" else \
                f"{float(number):.{int(precision) if precision else 6}f}"
        elif letter == "q":
            text = '"' + _string(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
        else:
            text = _string(value)
        if width and int(width) > MAX_FORMAT_WIDTH or precision and int(precision) > MAX_FORMAT_WIDTH:
            raise EvaluationLimit(f"format() asks for a width or precision past {MAX_FORMAT_WIDTH:,}")
        if width:
            text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width), "0" if "0" in flags else " ")
        return _bounded(text)

    if "%" in _VERB.sub("", spec):
        return UNKNOWN
    return _VERB.sub(verb, spec)


def _substr(text: str, offset, length):
    """substr(string, offset, length): a negative offset counts from the end, length -1 is the rest."""
    offset, length = int(_number(offset)), int(_number(length))
    start = max(len(text) + offset, 0) if offset < 0 else min(offset, len(text))
    return text[start:] if length < 0 else text[start:start + length]


# Terraform's range() stops with an error past 1024 numbers
# (developer.hashicorp.com/terraform/language/functions/range).
MAX_RANGE = 1024


def _range(*bounds):
    """range(limit), range(start, limit), range(start, limit, step): the step defaults to 1, or -1 where the
    limit is below the start."""
    numbers = [_number(b) for b in bounds]
    start, limit = (0, numbers[0]) if len(numbers) == 1 else numbers[:2]
    step = numbers[2] if len(numbers) == 3 else (1 if limit >= start else -1)
    if not step or len(numbers) > 3:
        raise ValueError("range: a step of zero, or more than three arguments")
    count = max(0, -(-(limit - start) // step))
    if count > MAX_RANGE:
        raise ValueError(f"range: more than {MAX_RANGE} elements")
    return [start + i * step for i in range(int(count))]


_NULL_SAFE = {"coalesce", "merge", "lookup", "object", "optional", "map", "list", "set"}
FUNCTIONS = {
    "coalesce": _coalesce, "merge": _merge, "lookup": _lookup,
    "length": lambda x: len(x), "tostring": _string, "tonumber": _number, "tobool": lambda x: _tobool(x),
    "toset": lambda x: sorted(set(x), key=str) if isinstance(x, list) else x, "tolist": list, "tomap": dict,
    "concat": lambda *xs: [i for x in xs for i in x], "contains": lambda x, v: v in x,
    "lower": str.lower, "upper": str.upper, "join": lambda sep, xs: _join(sep, xs),
    "replace": lambda s, a, b: _replace(s, a, b),
    "format": _format, "substr": _substr, "range": _range,
    "slice": lambda xs, start, end: xs[int(_number(start)):int(_number(end))] if isinstance(xs, list) else UNKNOWN,
    "keys": lambda m: sorted(m), "values": lambda m: [m[k] for k in sorted(m)],
    "max": max, "min": min, "abs": abs, "ceil": lambda x: -(-x // 1), "floor": lambda x: x // 1,
    "trimprefix": lambda s, p: s[len(p):] if s.startswith(p) else s,
    "trimsuffix": lambda s, p: s[:-len(p)] if p and s.endswith(p) else s,
    "split": lambda sep, s: s.split(sep), "element": lambda xs, i: xs[int(i) % len(xs)],
    "object": _object_type, "optional": _optional,
    "map": lambda t=None: TypeSpec("map", element=t), "list": lambda t=None: TypeSpec("list", element=t),
    "set": lambda t=None: TypeSpec("set", element=t), "tuple": lambda t=None: TypeSpec("tuple"),
    "flatten": lambda xs: [i for x in xs for i in (x if isinstance(x, list) else [x])],
    "regex": lambda pattern, text: _regex(pattern, text),
    "compact": lambda xs: [x for x in xs if x not in (None, "")],
    "startswith": lambda s, p: s.startswith(p), "endswith": lambda s, p: s.endswith(p),
    "strcontains": lambda s, p: p in s, "trimspace": str.strip,
    "anytrue": lambda xs: any(x is True for x in xs), "alltrue": lambda xs: all(x is True for x in xs),
    "distinct": lambda xs: list(dict.fromkeys(xs)), "reverse": lambda xs: list(reversed(xs)),
    "sort": lambda xs: sorted(xs, key=_string), "sum": lambda xs: sum(_number(x) for x in xs),
    "zipmap": lambda ks, vs: dict(zip((_string(k) for k in ks), vs, strict=True)),
    "one": lambda xs: _one(xs),
    "index": lambda xs, v: xs.index(v),
    "coalescelist": lambda *lists: next((x for x in lists if x), []),
}


def _tobool(value):
    """tobool(): a bool, or the strings "true" and "false"; anything else is an error, as in Terraform."""
    if value is True or value is False or value is None:
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError(f"tobool: {str(value)[:40]!r} is not true or false")


def _join(separator: str, items: list) -> str:
    texts = [_string(x) for x in items]
    if sum(map(len, texts)) + len(separator) * len(texts) > MAX_STRING:
        raise _too_long()
    return separator.join(texts)


def _replace(text: str, old: str, new: str):
    if old.startswith("/") and old.endswith("/"):
        return UNKNOWN
    if len(text) + (text.count(old) if old else len(text) + 1) * len(new) > MAX_STRING:
        raise _too_long()
    return text.replace(old, new)


def _one(items: list):
    """one(): the only element, null for none, an error for more."""
    if len(items) > 1:
        raise ValueError("one: more than one element")
    return items[0] if items else None


def evaluate(text: str, scope: Scope):
    """The value of one expression's source text."""
    parser = _Parser(tokenize(text), scope)
    try:
        value = parser.expression()
    except RecursionError:  # the parser recurses once a level: hundreds of nested parentheses exhaust Python's stack
        raise ExpressionError("nested too deeply") from None
    if parser.peek().kind != "end":
        raise ExpressionError(f"unexpected {parser.peek().value!r}")
    return value


def conditional(value, scope: Scope):
    """(condition, then, else) of an argument that is one conditional expression (`var.on ? 1 : 0`), each
    evaluated; None for any other expression. The scope's references are left as they were."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.startswith("${") and text.endswith("}")):
        return None
    try:
        parser = _Parser(tokenize(text[2:-1]), scope.child(references=set()))
        condition = parser.binary(0)
        if parser.peek().value != "?":
            return None
        parser.take("?")
        yes = parser.expression()
        parser.take(":")
        no = parser.expression()
    except (ExpressionError, RecursionError, EvaluationLimit):
        return None
    return (condition, yes, no) if parser.peek().kind == "end" else None


def evaluate_value(value, scope: Scope):
    """A value as python-hcl2 gives it (quoted strings, "${expr}", numbers, lists, dicts) evaluated."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("${") and text.endswith("}"):
            return evaluate(text[2:-1], scope)
        heredoc = re.match(r'^"?<<-?([A-Za-z_]+)\n(.*)\n\s*\1"?$', text, re.DOTALL)
        if heredoc:
            parts, _ = _read_string(heredoc.group(2), 0, heredoc=True)
            return _Parser([Tok("end", None)], scope).template(parts)
        if text.startswith('"'):
            return evaluate(text, scope)
        return text
    if isinstance(value, list):
        return [evaluate_value(item, scope) for item in value]
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key.startswith("__"):
                continue
            # A key may be an expression ("${var.name}-java", (var.key)): a map with a key not known yet is
            # not known, as in Terraform.
            name = _unquote(key) if "${" not in key else evaluate_value(key, scope)
            if unknown(name):
                evaluate_value(item, scope)  # for the references it holds
                return UNKNOWN
            result[_string(name)] = evaluate_value(item, scope)
        return result
    return value


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key.startswith('"') and key.endswith('"') else key


def apply_type_defaults(value, spec):
    """A module input completed by its variable's type: missing optional attributes take their default."""
    if not isinstance(spec, TypeSpec) or unknown(value) or value is None:
        return value
    if spec.kind == "object" and isinstance(value, dict):
        result = dict(value)
        for name, (attribute_type, optional, default) in spec.attributes.items():
            if result.get(name) is None and optional:
                result[name] = default
            result[name] = apply_type_defaults(result.get(name), attribute_type)
        return result
    if spec.kind == "map" and isinstance(value, dict):
        return {k: apply_type_defaults(v, spec.element) for k, v in value.items()}
    if spec.kind in ("list", "set") and isinstance(value, list):
        return [apply_type_defaults(v, spec.element) for v in value]
    return value
