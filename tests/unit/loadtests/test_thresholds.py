"""The load run's verdict: failures, limits per route, routes without limits."""

from pathlib import Path

from loadtests.thresholds import Limit, RouteStats, breaches, failure_lines, load_limits, read_stats

HEADER = "Type,Name,Request Count,Failure Count,Median Response Time,50%,95%,99%\n"


def stats_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "run_stats.csv"
    path.write_text(HEADER + "".join(row + "\n" for row in rows))
    return path


def test_a_run_within_its_limits_passes(tmp_path: Path) -> None:
    # Given a run whose one route stays under its limits
    stats = read_stats(stats_file(tmp_path, "GET,/items,100,0,40,40,90,150", ",Aggregated,100,0,40,40,90,150"))

    # When it is checked
    found = breaches(stats, {"GET /items": Limit(p95=100, p99=200)})

    # Then nothing is reported
    assert found == []
    assert stats[0] == RouteStats("GET /items", 100, 0, 40.0, 90.0, 150.0)


def test_every_kind_of_breach_is_reported(tmp_path: Path) -> None:
    rows = (
        "GET,/items,100,0,40,40,120,150",  # p95 over
        "PUT,/items/{id},10,0,40,40,90,900",  # p99 over
        "POST,/items,10,2,40,40,50,60",  # failures
        "GET,/new,5,0,1,1,1,1",  # no limits
        ",Aggregated,125,2,40,40,120,900",
    )
    limits = {route: Limit(p95=100, p99=200) for route in ("GET /items", "PUT /items/{id}", "POST /items")}

    found = breaches(read_stats(stats_file(tmp_path, *rows)), limits)

    assert found == [
        "GET /items: p95 120 ms over its limit of 100 ms",
        "PUT /items/{id}: p99 900 ms over its limit of 200 ms",
        "POST /items: 2 failed of 10",
        "GET /new: no limits in thresholds.toml; measure it and add them",
        "Aggregated: 2 failed of 125",
    ]


def test_a_run_that_made_no_request_fails(tmp_path: Path) -> None:
    stats = read_stats(stats_file(tmp_path, ",Aggregated,0,0,0,N/A,N/A,N/A"))

    assert breaches(stats, {}) == ["no request was made"]


def test_both_targets_limit_exactly_the_requests_the_locustfile_names() -> None:
    loadtests = Path(__file__).parents[3] / "loadtests"
    # The locustfile and the users of scaffolded resources (make resource), which loadtests/__main__.py loads too.
    source = "".join(path.read_text() for path in [loadtests / "locustfile.py", *loadtests.glob("resources/*.py")])
    local, deployed = set(load_limits("local")), set(load_limits("deployed"))

    assert local == deployed
    assert [route for route in local if f'name="{route.split(" ", 1)[1]}"' not in source] == []


def test_failure_lines_tell_what_failed(tmp_path: Path) -> None:
    path = tmp_path / "run_failures.csv"
    path.write_text("Method,Name,Error,Occurrences\nGET,/items,HTTPError('500'),3\n")

    assert failure_lines(path) == ["GET /items: 3 x HTTPError('500')"]
    assert failure_lines(tmp_path / "absent.csv") == []
