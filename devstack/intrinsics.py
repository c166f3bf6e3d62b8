"""CloudFormation intrinsic functions and conditions, evaluated locally.

Only what a template can express about names and settings is evaluated; anything that needs a deployed stack
(``Fn::ImportValue``, custom resources) raises, so a template the devstack cannot honour fails loudly at start.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final


class _NoValue:
    """``AWS::NoValue``: the key or list element holding it disappears, as in CloudFormation."""

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Final = _NoValue()
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def as_text(value: Any) -> str:
    # CloudFormation compares and substitutes strings: YAML's true/-1 must equal the parameter text "true"/"-1".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Intrinsics:
    """Evaluates intrinsics of one template for given parameter values and pseudo parameters."""

    def __init__(
        self,
        *,
        parameters: Mapping[str, Any],
        conditions: Mapping[str, Any],
        mappings: Mapping[str, Any],
        pseudo: Mapping[str, Any],
    ) -> None:
        self.parameters = dict(parameters)
        self.pseudo = dict(pseudo)
        self._conditions = conditions
        self._mappings = mappings
        self._evaluated: dict[str, bool] = {}
        self._functions: dict[str, Callable[[Any, Mapping[str, str]], Any]] = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Sub": self._sub,
            "Fn::If": self._if,
            "Fn::Join": lambda arg, names: as_text(arg[0]).join(as_text(v) for v in self.resolve(arg[1], names)),
            "Fn::Select": lambda arg, names: self.resolve(arg[1], names)[int(self.resolve(arg[0], names))],
            "Fn::Split": lambda arg, names: self.resolve(arg[1], names).split(arg[0]),
            "Fn::Equals": lambda arg, names: (
                as_text(self.resolve(arg[0], names)) == as_text(self.resolve(arg[1], names))
            ),
            "Fn::Not": lambda arg, names: not self.resolve(arg[0], names),
            "Fn::And": lambda arg, names: all(self.resolve(a, names) for a in arg),
            "Fn::Or": lambda arg, names: any(self.resolve(a, names) for a in arg),
            "Condition": lambda arg, _names: self.condition(arg),
            "Fn::FindInMap": self._find_in_map,
            "Fn::Base64": lambda arg, names: base64.b64encode(self.resolve(arg, names).encode()).decode(),
            "Fn::GetAZs": lambda _arg, names: [f"{self._region(names)}{zone}" for zone in "abc"],
            "Fn::ToJsonString": lambda arg, names: json.dumps(self.resolve(arg, names), separators=(",", ":")),
            "Fn::Length": lambda arg, names: len(self.resolve(arg, names)),
        }

    def condition(self, name: str) -> bool:
        if name not in self._evaluated:
            self._evaluated[name] = bool(self.resolve(self._conditions[name], {}))
        return self._evaluated[name]

    def _resolve_map(self, value: dict[str, Any], names: Mapping[str, str]) -> Any:
        if len(value) == 1:
            ((key, argument),) = value.items()
            function = self._functions.get(key)
            if function is not None:
                return function(argument, names)
        resolved = {key: self.resolve(item, names) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not NO_VALUE}

    def resolve(self, value: Any, names: Mapping[str, str]) -> Any:
        if isinstance(value, dict):
            return self._resolve_map(value, names)
        if isinstance(value, list):
            items = [self.resolve(item, names) for item in value]
            return [item for item in items if item is not NO_VALUE]
        return value

    def _region(self, names: Mapping[str, str]) -> str:
        return str(names.get("AWS::Region", self.pseudo["AWS::Region"]))

    def _ref(self, name: str, names: Mapping[str, str]) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        for source in (names, self.parameters, self.pseudo):
            if name in source:
                return source[name]
        raise KeyError(f"Ref {name}: no such parameter or provisioned resource")

    def _get_att(self, argument: str | list[Any], names: Mapping[str, str]) -> str:
        logical_id, attribute = argument.split(".", 1) if isinstance(argument, str) else argument
        key = f"{logical_id}.{self.resolve(attribute, names)}"
        if key not in names:
            raise KeyError(f"GetAtt {key}: attribute not known locally")
        return names[key]

    def _sub(self, argument: str | list[Any], names: Mapping[str, str]) -> str:
        text, variables = (argument, {}) if isinstance(argument, str) else argument

        def substitute(match: re.Match[str]) -> str:
            variable = match.group(1)
            if variable.startswith("!"):  # ${!Literal} is the escape for a literal ${Literal}
                return "${" + variable[1:] + "}"
            if variable in variables:
                return as_text(self.resolve(variables[variable], names))
            if "." in variable and not variable.startswith("AWS::"):
                return self._get_att(variable, names)
            return as_text(self._ref(variable, names))

        return _SUB_VARIABLE.sub(substitute, text)

    def _if(self, argument: list[Any], names: Mapping[str, str]) -> Any:
        condition, when_true, when_false = argument
        return self.resolve(when_true if self.condition(condition) else when_false, names)

    def _find_in_map(self, argument: list[Any], names: Mapping[str, str]) -> Any:
        mapping, top, second = (self.resolve(part, names) for part in argument[:3])
        return self._mappings[mapping][top][second]
