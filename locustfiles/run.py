"""A bounded Locust run: starts the local stack on free ports, issues tokens, runs Locust headless for a fixed
time and user count, and fails when any request failed. Only loopback addresses are ever targeted."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from devstack.token import token_for
from tests.e2e.localstack import start_stack, stop_stack

LOCUSTFILE = Path(__file__).with_name("items.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--spawn-rate", type=int, default=5)
    parser.add_argument("--run-time", default="20s")
    parser.add_argument("--owners", type=int, default=3, help="distinct token subjects")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        stack = start_stack(Path(directory))
        try:
            tokens = [token_for(f"load{n}", stack.outputs) for n in range(options.owners)]
            environment = os.environ | {"ITEMS_LOAD_TOKENS": json.dumps(tokens)}
            command = [
                sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary",
                "--host", stack.base_url, "--users", str(options.users), "--spawn-rate", str(options.spawn_rate),
                "--run-time", options.run_time, "--stop-timeout", "5", "--exit-code-on-error", "1",
            ]  # fmt: skip
            return subprocess.run(command, env=environment, check=False).returncode
        finally:
            stop_stack(stack.process)


if __name__ == "__main__":
    sys.exit(main())
