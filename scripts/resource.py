"""`make resource NAME=customers`: scaffolds an owned, versioned resource on the shared machinery (docs/resources.md).

    resource.py add customers       writes the files of scripts/resource_templates/, registers the resource at the
                                    markers of scripts/resource_registrations.py, regenerates openapi.json and adds
                                    the new sample events' reviewed sample token to the secrets baseline
    resource.py remove customers    the reverse: deletes those files and takes out exactly the registered text

NAME may be singular or plural. A name that is no identifier, or whose router, entity name or key prefix is taken,
is refused with one line and exit status 2. Every file written or changed is printed with its line count.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from string import Template

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # app, for the names already taken
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.resource_names import RefusedNameError, ResourceNames, check_untaken
from scripts.resource_registrations import REGISTRATIONS, Registration
from scripts.secrets_baseline import BASELINE, scan

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "scripts" / "resource_templates"
# Template file -> the file it becomes (a string.Template of the names).
GENERATED = {
    "model.py.tmpl": "src/app/models/$plural.py",
    "adapter.py.tmpl": "src/app/adapters/dynamodb_$plural.py",
    "service.py.tmpl": "src/app/services/$plural.py",
    "router.py.tmpl": "src/app/api/$plural.py",
    "event_create.json.tmpl": "events/api/create_$singular.json",
    "event_list.json.tmpl": "events/api/list_$plural.json",
    "event_get.json.tmpl": "events/api/get_$singular.json",
    "event_replace.json.tmpl": "events/api/replace_$singular.json",
    "event_delete.json.tmpl": "events/api/delete_$singular.json",
    "test_service.py.tmpl": "tests/unit/services/test_$plural.py",
    "test_routes.py.tmpl": "tests/unit/api/test_${plural}_routes.py",
    "test_contract.py.tmpl": "tests/integration/adapters/test_${singular}_repository_contract.py",
    "test_e2e.py.tmpl": "tests/e2e/test_${plural}_e2e.py",
    "load.py.tmpl": "loadtests/resources/$plural.py",
    "test_samples.py.tmpl": "tests/support/$plural.py",
}


def generated_files(values: dict[str, str]) -> dict[str, str]:
    return {Template(target).substitute(values): template for template, target in GENERATED.items()}


def _marker_line(text: str, registration: Registration) -> int:
    lines = text.splitlines(keepends=True)
    found = [n for n, line in enumerate(lines) if line.rstrip("\n").endswith(registration.marker)]
    if len(found) != 1:
        raise RefusedNameError(
            f"{registration.path}: marker {registration.marker!r} found {len(found)} times, not once"
        )
    return found[0]


def register(text: str, registration: Registration, values: dict[str, str], *, remove: bool) -> str:
    """The text with the registration's snippet added above its marker (or its router added to the marked line),
    or, with remove, taken out again."""
    lines = text.splitlines(keepends=True)
    at = _marker_line(text, registration)
    if registration.marker.endswith("routers"):
        value, comment = lines[at].split("  #", 1)
        routers = [r for r in value.split(": ", 1)[1].split(",") if r != values["plural"]]
        kept = routers if remove else [*routers, values["plural"]]
        lines[at] = f"{value.split(': ', 1)[0]}: {','.join(kept)}  #{comment}"
        return "".join(lines)
    snippet = Template(registration.snippet).substitute(values)
    if not remove:
        return "".join([*lines[:at], snippet, *lines[at:]])
    if (remaining := unregister(lines, snippet.splitlines(keepends=True))) is None:
        first = snippet.splitlines()[0].strip()
        raise RefusedNameError(f"{registration.path}: the lines from {first!r} changed; remove them by hand")
    return "".join(remaining)


def unregister(lines: list[str], snippet: list[str]) -> list[str] | None:
    """The lines without the snippet, found once as it was written (anywhere: ruff may have sorted an import, a
    later resource may sit between it and its marker), or else once as a block with the snippet's first and last
    lines and length (edited inside by hand, say the kind's client_fields); None if neither is found once."""
    size = len(snippet)
    places = range(len(lines) - size + 1)
    found = [i for i in places if lines[i : i + size] == snippet]
    if len(found) != 1:
        found = [i for i in places if lines[i] == snippet[0] and lines[i + size - 1] == snippet[-1]]
    return lines[: found[0]] + lines[found[0] + size :] if len(found) == 1 else None


def line_count(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def update_baseline(added: list[str], removed: list[str]) -> None:
    """Entries for the new sample events, reviewed: rendered from the reviewed templates, they hold the sample token
    items' events hold and paths made of the resource's name and the sample id (high entropy, no secret). A removed
    file's entries go; every other entry and its review stays as it is (no rescan of the tree)."""
    baseline = json.loads((ROOT / BASELINE).read_text())
    results = {path: entries for path, entries in baseline["results"].items() if path not in removed}
    for path, entries in scan(ROOT, added)["results"].items() if added else ():
        results[path] = [entry | {"is_secret": False} for entry in entries]
    baseline["results"] = dict(sorted(results.items()))
    (ROOT / BASELINE).write_text(json.dumps(baseline, indent=2) + "\n")


def tidy(paths: list[str]) -> None:
    """ruff sorts the imports registered above a marker or rendered, and formats what a long name made longer."""
    ruff = [os.environ.get("UV", "uv"), "run", "--frozen", "ruff"]
    for command in (["check", "--quiet", "--select", "I", "--fix"], ["format", "--quiet"]):
        subprocess.run([*ruff, *command, *paths], cwd=ROOT, check=True)  # noqa: S603


def regenerate() -> None:
    """The files generated from the routes and the template: openapi.json (make openapi) and sam local's env.json."""
    uv = os.environ.get("UV", "uv")
    # The document needs no tracing, but app.observability reads TRACING_MODE on import (off when unset here).
    openapi = ["make", "--no-print-directory", f"UV={uv}", "openapi"]
    for command in (openapi, [uv, "run", "--frozen", "python", "-m", "devstack.envjson"]):
        environment = {"TRACING_MODE": "off"} | dict(os.environ)
        subprocess.run(command, cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def planned_registrations(values: dict[str, str], *, remove: bool) -> dict[str, str]:
    """Each registered file's new text, made in memory: a missing marker or a hand-changed snippet raises before
    anything is written."""
    texts = {registration.path: (ROOT / registration.path).read_text() for registration in REGISTRATIONS}
    for registration in REGISTRATIONS:
        texts[registration.path] = register(texts[registration.path], registration, values, remove=remove)
    return texts


def rendered_files(files: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    if existing := [target for target in files if (ROOT / target).exists()]:
        raise RefusedNameError(f"{existing[0]} exists already")
    return {
        target: Template((TEMPLATES / template).read_text()).substitute(values) for target, template in files.items()
    }


def write(texts: dict[str, str]) -> list[str]:
    """Writes the texts (an empty text deletes the file); returns a report line per file."""
    report = []
    for path, text in texts.items():
        before = line_count(ROOT / path)
        if text:
            (ROOT / path).write_text(text)
        else:
            (ROOT / path).unlink(missing_ok=True)
        report.append(f"{path}: {before} -> {line_count(ROOT / path)} lines")
    return report


def apply(names: ResourceNames, *, remove: bool) -> list[str]:
    """Writes (or removes) the files and registrations; returns the report lines."""
    values = names.values()
    files = generated_files(values)
    registered = planned_registrations(values, remove=remove)
    generated = dict.fromkeys(files, "") if remove else rendered_files(files, values)
    report = write(registered) + write(generated)
    events = [target for target in files if target.startswith("events/")]
    update_baseline([] if remove else events, events if remove else [])
    if not remove:
        tidy([path for path in [*registered, *generated] if path.endswith(".py")])
    regenerate()
    return [*report, f"{BASELINE}: updated", "openapi.json, env.json: regenerated"]


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("add", "remove"):
        print("usage: resource.py add|remove <name>, e.g. resource.py add customers", file=sys.stderr)
        return 2
    try:
        names = ResourceNames.of(argv[1])
        if argv[0] == "add":
            check_untaken(names, ROOT)
        report = apply(names, remove=argv[0] == "remove")
    except RefusedNameError as refused:
        print(f"make resource: {refused}", file=sys.stderr)
        return 2
    print("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
