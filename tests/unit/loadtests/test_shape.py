"""The load profiles of a deployed run: ramp, steady, spike and all three."""

import pytest

from loadtests.profiles import stage_at, stages


@pytest.mark.parametrize("profile", ["ramp", "steady", "spike", "full"])
def test_a_profile_lasts_its_duration(profile: str) -> None:
    assert sum(stage.seconds for stage in stages(profile, 20, 300)) == pytest.approx(300)


def test_the_spike_triples_the_load_then_comes_back() -> None:
    users = [stage.users for stage in stages("full", 20, 300)]

    assert users == [20, 20, 60, 20]


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="LOAD_PROFILE must be one of"):
        stages("soak", 20, 300)


def test_the_stages_follow_each_other_then_the_run_stops() -> None:
    # Given a spike profile of 100 s for 8 users
    spike = stages("spike", 8, 100)

    # When Locust asks at 10, 50, 70 and 100.5 s
    running = [stage_at(spike, elapsed) for elapsed in (10.0, 50.0, 70.0, 100.5)]

    # Then the load is low, spiking, low again, then the run stops
    assert [stage.users if stage else None for stage in running] == [2, 24, 2, None]
