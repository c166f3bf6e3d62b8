"""The local stack's IAM policies come from the SAM translator at the Makefile's pinned version: the pin is found
(a reworded Makefile once stopped every local stack at start, seen only by the e2e tier)."""

import re

from devstack.iam.expansion import translator_requirement
from devstack.template import REPO_ROOT


def test_the_translator_pin_is_read_from_the_makefile() -> None:
    requirement = translator_requirement()

    assert re.fullmatch(r"aws-sam-translator==\d+\.\d+\.\d+", requirement)
    assert requirement in (REPO_ROOT / "Makefile").read_text()
