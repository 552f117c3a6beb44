"""The fields every declarative rule file has, validated. Rule files may come
from the checked repository, so they are bounded: a file expanding to more
than MAX_RULE_VALUES values (YAML alias bombs) is refused, and a `message`
may only quote the fields its kind names."""
from __future__ import annotations

from string import Formatter
from typing import Any

from newslint.rule import RuleDefinitionError, parse_examples

#: values a rule file may hold once its YAML aliases are expanded
MAX_RULE_VALUES = 10_000
#: the fields a phrase rule's message may quote
MESSAGE_FIELDS = ("match", "line", "lines")
COMMON_FIELDS = ("code", "name", "kind", "level", "summary", "message", "docs",
                 "examples", "options", "fix", "default")


def check_size(data: Any, origin: str) -> None:
    """Refuse a rule whose data holds more than MAX_RULE_VALUES values: YAML
    aliases let a few lines stand for billions (the "billion laughs")."""
    budget, stack = MAX_RULE_VALUES, [data]
    while stack:
        item = stack.pop()
        budget -= 1
        if budget < 0:
            raise RuleDefinitionError(f"{origin}: the rule expands to more than {MAX_RULE_VALUES} "
                                      "values (YAML aliases?); refusing to read it")
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)


def common_fields(data: dict[str, Any], origin: str) -> dict[str, Any]:
    """Validate and extract the fields every declarative rule has."""
    check_size(data, origin)
    def need(field: str, kind: type) -> Any:
        value = data.get(field)
        if not isinstance(value, kind) or (isinstance(value, str) and not value.strip()):
            raise RuleDefinitionError(f"{origin}: field '{field}' is required ({kind.__name__})")
        return value

    docs = need("docs", dict)
    for section in ("what", "why"):
        if not isinstance(docs.get(section), str):
            raise RuleDefinitionError(f"{origin}: field 'docs.{section}' is required (str)")
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise RuleDefinitionError(f"{origin}: field 'options' must be a mapping")
    return dict(
        code=need("code", str), name=need("name", str), level=data.get("level", "warning"),
        summary=need("summary", str), docs=docs, options=options, origin=origin,
        examples=parse_examples(data.get("examples"), origin),
        default_enabled=bool(data.get("default", True)),
    )


def check_message(message: Any, origin: str) -> str:
    """The message template: plain `{match}`, `{line}` or `{lines}` fields only,
    so formatting it with article text can neither fail nor blow up."""
    if not isinstance(message, str) or not message:
        raise RuleDefinitionError(f"{origin}: field 'message' is required (str)")
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in Formatter().parse(message)
                  if name is not None]
    except ValueError as exc:
        raise RuleDefinitionError(f"{origin}: field 'message' is not a valid template: {exc} "
                                  "(write {{ and }} for literal braces)") from None
    for name, spec, conv in fields:
        if name not in MESSAGE_FIELDS or spec or conv:
            raise RuleDefinitionError(
                f"{origin}: field 'message' may only use {{match}}, {{line}} or {{lines}} "
                f"(got {{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}})")
    return message
