"""Validation rule expressions: arithmetic comparisons over indicator codes, parsed safely.

    visits >= registered_users
    event_attendance <= visits * 2
    loans.kk + loans.ru == loans          # `code.part` names one part of a split indicator

Only numbers, names, + - * /, parentheses, unary minus and one comparison are allowed (parsed with
`ast`, never `eval`). A rule whose names lack a value is skipped, as in DHIS2.
"""

import ast
import operator
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_ARITHMETIC = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class RuleError(ValueError):
    pass


class Missing(Exception):
    """A name of the rule has no value in the report."""


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _check(node: ast.AST) -> None:
    if _name(node) is not None:
        return
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
    ):
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        _check(node.left)
        _check(node.right)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        _check(node.operand)
        return
    raise RuleError(_("Only numbers, indicator codes, + − × ÷ and brackets may be used."))


def parse_rule(expression: str) -> ast.Compare:
    try:
        tree = ast.parse((expression or "").strip(), mode="eval")
    except SyntaxError as exc:
        raise RuleError(_("The expression cannot be read: %(error)s") % {"error": exc.msg}) from exc
    body = tree.body
    if not isinstance(body, ast.Compare) or len(body.ops) != 1 or type(body.ops[0]) not in _COMPARE:
        raise RuleError(_("The expression must compare two sides with one of < <= > >= == !=."))
    _check(body.left)
    _check(body.comparators[0])
    return body


def names(expression: str) -> set[str]:
    """The indicator codes (and `code.part`s) a rule uses."""
    tree = parse_rule(expression)
    found: set[str] = set()
    inside_part: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            found.add(f"{node.value.id}.{node.attr}")
            inside_part.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in inside_part:
            found.add(node.id)
    return found


def _value(node: ast.AST, values: dict) -> Decimal:
    name = _name(node)
    if name is not None:
        value = values.get(name)
        if value is None:
            raise Missing(name)
        return Decimal(value)
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.UnaryOp):
        return -_value(node.operand, values)
    return _ARITHMETIC[type(node.op)](_value(node.left, values), _value(node.right, values))


def evaluate(expression: str, values: dict) -> bool | None:
    """True when the rule holds, False when broken, None when skipped (a value missing, or ÷ 0).

    `values` maps codes (totals of split indicators too) and `code.part` names to numbers.
    """
    rule = parse_rule(expression)
    try:
        left = _value(rule.left, values)
        right = _value(rule.comparators[0], values)
    except (Missing, DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None
    return _COMPARE[type(rule.ops[0])](left, right)


def sides(expression: str, values: dict) -> tuple[Decimal | None, Decimal | None]:
    """Both sides' values, to show the person what was compared."""
    rule = parse_rule(expression)
    result = []
    for node in (rule.left, rule.comparators[0]):
        try:
            result.append(_value(node, values))
        except (Missing, DivisionByZero, InvalidOperation, ZeroDivisionError):
            result.append(None)
    return result[0], result[1]
