"""The local stack. The service's code (src/) is importable as `app`: the JWT authorizer uses its verifier."""

import sys
from pathlib import Path

_SOURCE = str(Path(__file__).resolve().parent.parent / "src")
if _SOURCE not in sys.path:
    sys.path.append(_SOURCE)
