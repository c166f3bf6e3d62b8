"""The LoadTestShape of a deployed run (see loadtests/profiles.py for the profiles).

Passed to Locust next to the locustfile (`-f locustfile.py,shape.py`) by `python -m loadtests --profile ...`; a
shape replaces --users and --run-time. LOAD_PROFILE, LOAD_USERS (the steady user count) and LOAD_DURATION
(seconds of the whole profile) size it.
"""

import os

from locust import LoadTestShape

from loadtests.profiles import stage_at, stages


class ProfileShape(LoadTestShape):
    """Runs the stages of the profile in order, then stops the test."""

    def __init__(self) -> None:
        super().__init__()
        self.stages = stages(
            os.environ.get("LOAD_PROFILE", "full"),
            int(os.environ.get("LOAD_USERS", "20")),
            float(os.environ.get("LOAD_DURATION", "300")),
        )

    def tick(self) -> tuple[int, float] | None:
        stage = stage_at(self.stages, self.get_run_time())
        return None if stage is None else (stage.users, stage.spawn_rate)
