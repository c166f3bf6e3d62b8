"""Physical names of provisioned resources, keyed the way intrinsic functions look them up.

A plain ``dict[str, str]`` so that ``Template.resolve`` accepts either a ``Names`` or a hand-written dict in tests:
``"ItemsTable"`` holds what ``!Ref ItemsTable`` returns, ``"ItemsTable.Arn"`` what ``!GetAtt ItemsTable.Arn``
returns, and ``"AWS::Region"``-style keys override pseudo parameters (the region of the session provisioned into).
"""

from __future__ import annotations


class Names(dict[str, str]):
    """logical id -> Ref value, plus ``"LogicalId.Attribute"`` -> GetAtt value."""

    def ref(self, logical_id: str) -> str:
        return self[logical_id]

    def get_att(self, logical_id: str, attribute: str) -> str:
        return self[f"{logical_id}.{attribute}"]

    def set_resource(self, logical_id: str, ref: str, **attributes: str) -> None:
        self[logical_id] = ref
        for attribute, value in attributes.items():
            self[f"{logical_id}.{attribute}"] = value

    def physical_ids(self) -> dict[str, str]:
        """Only the Ref values (no attributes, no pseudo parameters): what a person wants to read."""
        return {key: value for key, value in self.items() if "." not in key and "::" not in key}
