"""Where `make resource` registers a resource in files it does not own: (file, marker, snippet) at a commented marker
line placed once in each file (`# make resource: ... above`). The snippet goes right above its marker, and
`make resource-remove` takes exactly that text out again. A marker ending in "routers" instead marks a line whose
comma-separated value gains `,<plural>` (template.yaml's API_ROUTERS)."""

from typing import NamedTuple


class Registration(NamedTuple):
    path: str
    marker: str
    snippet: str  # string.Template text, rendered with the names of scripts/resource.py


KINDS = "src/app/domain/resource_kinds.py"
WIRING = "src/app/wiring.py"
FAKES = "tests/fakes/services.py"
TEMPLATE = "template.yaml"
THRESHOLDS = "loadtests/thresholds.toml"


def _limits(*, p95: int, p99: int) -> str:
    """Load-test limits of the resource's requests (loadtests/resources/<plural>.py names them so)."""
    routes = ("POST /$path", "GET /$path", "GET /$path/{id}", "PUT /$path/{id}", "DELETE /$path/{id}")
    return "".join(f'"{route}" = {{ p95 = {p95}, p99 = {p99} }}\n' for route in routes)


REGISTRATIONS = (
    Registration(
        KINDS,
        "# make resource: kinds above",
        """$PLURAL = ResourceKind(
    entity="$Singular",
    noun="$noun",
    collection="$path",
    key_prefix="$SINGULAR#",
    tombstone_prefix="${SINGULAR}_DELETED#",
    creation_prefix="${SINGULAR}_CREATE#",
    # The stored names of the model's client fields (app/models/$plural.py).
    client_fields=("name",),
    not_found=errors.${Singular}NotFoundError,
)

""",
    ),
    Registration(KINDS, "        # make resource: registered kinds above", "        $PLURAL,\n"),
    Registration(
        "src/app/domain/errors.py",
        "# make resource: not-found errors above",
        """class ${Singular}NotFoundError(DomainError):
    # Also raised for another owner's $noun, exactly like a missing one.
    message = "$Noun not found."


""",
    ),
    Registration(
        "src/app/api/errors.py",
        "    # make resource: not-found statuses above",
        '    errors.${Singular}NotFoundError: (HTTPStatus.NOT_FOUND, "NOT_FOUND"),\n',
    ),
    Registration("src/app/settings.py", "    # make resource: routers above", '    "$plural",\n'),
    Registration(
        WIRING,
        "    # make resource: service imports above",
        "    from app.services.$plural import ${Singular}Service\n",
    ),
    Registration(
        WIRING,
        "        # make resource: service parameters above",
        '        $plural: Callable[[], "${Singular}Service"],\n',
    ),
    Registration(WIRING, "        # make resource: service builders above", "        self._$plural = $plural\n"),
    Registration(
        WIRING,
        "    # make resource: service properties above",
        """    @cached_property
    def $plural(self) -> "${Singular}Service":
        return self._$plural()

""",
    ),
    Registration(WIRING, "    # make resource: router services above", '    "$plural": ("$plural",),\n'),
    Registration(
        WIRING,
        "    # make resource: service factories above",
        """    def $plural() -> "${Singular}Service":
        from app.adapters.dynamodb_$plural import dynamodb_$plural
        from app.services.$plural import ${Singular}Service

        records = dynamodb_$plural(client=dynamodb, table_name=settings.items_table_name)
        return ${Singular}Service(records=records, cursors=cursors())

""",
    ),
    Registration(WIRING, "        # make resource: services above", "        $plural=$plural,\n"),
    Registration(
        FAKES,
        "    # make resource: fake services above",
        """    from app.domain.resource_kinds import $PLURAL
    from app.models.$plural import ${Singular}Public
    from app.services.$plural import ${Singular}Service
    from tests.fakes.owned_records import InMemoryOwnedRecords

    $plural = ${Singular}Service(records=InMemoryOwnedRecords[${Singular}Public]($PLURAL), cursors=cursors)
""",
    ),
    Registration(FAKES, "        # make resource: fakes above", "        $plural=lambda: $plural,\n"),
    Registration(TEMPLATE, "# make resource: read routers", ""),
    Registration(TEMPLATE, "# make resource: write routers", ""),
    Registration(
        TEMPLATE,
        "        # make resource: read routes above",
        """        List$Plural:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: GET
            Path: /$path
        Get$Singular:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: GET
            Path: /$path/{id}
""",
    ),
    Registration(
        TEMPLATE,
        "        # make resource: write routes above",
        """        Create$Singular:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: POST
            Path: /$path
        Replace$Singular:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: PUT
            Path: /$path/{id}
        Delete$Singular:
          Type: HttpApi
          Properties:
            ApiId: !Ref HttpApi
            Method: DELETE
            Path: /$path/{id}
""",
    ),
    Registration(THRESHOLDS, "# make resource: local limits above", _limits(p95=5000, p99=8000)),
    Registration(THRESHOLDS, "# make resource: deployed limits above", _limits(p95=800, p99=2500)),
)
