"""The names of a resource `make resource` scaffolds, from the one the user gives (singular or plural), and the
check that none of them is taken: a router, an entity name or a key prefix of the table (app.domain.resources)."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")  # a Python module name in snake case: customers, order_lines
# Words whose plural is not theirs + "s": the rest follow the rules in `plural_of` and `singular_of`.
_ENDINGS = (("ies", "y"), ("uses", "us"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"), ("s", ""))


class RefusedNameError(ValueError):
    """A name that cannot be scaffolded: the message is the one line the user reads."""


def singular_of(word: str) -> str:
    for plural, singular in _ENDINGS:
        if word.endswith(plural) and len(word) > len(plural) and not word.endswith(("ss", "us", "is")):
            return word.removesuffix(plural) + singular
    return word


def plural_of(word: str) -> str:
    for plural, singular in _ENDINGS:
        if singular and word.endswith(singular) and (singular != "y" or word[-2] not in "aeiou"):
            return word.removesuffix(singular) + plural
    return word + "s"


@dataclass(frozen=True)
class ResourceNames:
    plural: str  # customers, order_lines: module names, the router, the ApiServices attribute
    singular: str  # customer, order_line

    @classmethod
    def of(cls, given: str) -> "ResourceNames":
        if not NAME.fullmatch(given):
            raise RefusedNameError(
                f"NAME must be a lowercase identifier in snake case (customers, order_lines): {given!r}"
            )
        singular = singular_of(given)
        return cls(plural=plural_of(singular), singular=singular)

    def values(self) -> dict[str, str]:
        """What the templates in scripts/resource_templates/ and resource_registrations.py substitute."""
        singular_pascal = "".join(part.capitalize() for part in self.singular.split("_"))
        noun = self.singular.replace("_", " ")
        return {
            "plural": self.plural,
            "singular": self.singular,
            "Plural": "".join(part.capitalize() for part in self.plural.split("_")),
            "Singular": singular_pascal,
            "PLURAL": self.plural.upper(),
            "SINGULAR": self.singular.upper(),
            "path": self.plural.replace("_", "-"),
            "singular_dash": self.singular.replace("_", "-"),
            "noun": noun,
            "Noun": noun.capitalize(),
            "plural_words": self.plural.replace("_", " "),
            "a_noun": ("an " if noun[0] in "aeiou" else "a ") + noun,
        }


def check_untaken(names: ResourceNames, root: Path) -> None:
    """Raises RefusedNameError if a router, entity name or key prefix is taken (the registry's own rule), or a file
    the scaffold writes already exists."""
    from app.domain.errors import DomainError
    from app.domain.resource_kinds import JOBS, RESOURCES
    from app.domain.resources import DuplicateResourceError, ResourceKind, ResourceRegistry
    from app.settings import ApiRouter
    from tests.support.kinds import PATRONS

    if names.plural in get_args(ApiRouter) or (root / "src/app/api" / f"{names.plural}.py").exists():
        raise RefusedNameError(f"router {names.plural!r} exists already (app.settings.ApiRouter, src/app/api/)")
    upper = names.singular.upper()
    candidate = ResourceKind(
        entity=names.values()["Singular"],
        noun=names.singular,
        collection=names.plural,
        key_prefix=f"{upper}#",
        tombstone_prefix=f"{upper}_DELETED#",
        creation_prefix=f"{upper}_CREATE#",
        client_fields=(),
        not_found=DomainError,
    )
    try:
        ResourceRegistry((*RESOURCES.kinds(), PATRONS, candidate), others=(JOBS,))
    except DuplicateResourceError as taken:
        raise RefusedNameError(f"{names.plural}: {taken}") from None
