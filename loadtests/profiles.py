"""Load profiles: ramp, steady, spike, or all three in a row (full), as stages of a Locust LoadTestShape.

Kept apart from loadtests/shape.py because importing Locust patches the standard library (gevent): the stages are
plain data that tests check without it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    seconds: float  # how long the stage lasts
    users: int  # the user count it reaches
    spawn_rate: float  # users started (or stopped) per second to get there


def stages(profile: str, users: int, duration: float) -> list[Stage]:
    """The stages of a profile; each one lasts a share of the duration."""
    spike = max(users * 3, users + 1)
    profiles = {
        # from nothing to the steady load at an even pace: where does latency start to climb?
        "ramp": [Stage(duration, users, users / duration)],
        # the steady load, reached within ten seconds and held: the latency a normal day sees
        "steady": [Stage(duration, users, max(users / 10, 1))],
        # a quarter of the load, then three times the load started within two seconds, then back
        "spike": [
            Stage(duration * 0.4, max(users // 4, 1), max(users / 10, 1)),
            Stage(duration * 0.2, spike, spike / 2),
            Stage(duration * 0.4, max(users // 4, 1), spike),
        ],
        "full": [
            Stage(duration * 0.25, users, users / (duration * 0.25)),
            Stage(duration * 0.45, users, users),
            Stage(duration * 0.10, spike, spike / 2),
            Stage(duration * 0.20, users, spike),
        ],
    }
    if profile not in profiles:
        raise ValueError(f"LOAD_PROFILE must be one of {', '.join(profiles)}, not {profile!r}")
    return profiles[profile]


def stage_at(stages: list[Stage], elapsed: float) -> Stage | None:
    """The stage running `elapsed` seconds into the profile; None once the profile is over."""
    for stage in stages:
        if elapsed < stage.seconds:
            return stage
        elapsed -= stage.seconds
    return None
