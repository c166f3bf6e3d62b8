"""What stops a verification before it starts: one line naming what is missing, exit code 2."""


class VerifyError(Exception):
    """The target cannot be verified (no such stack, an output missing, a pool the caller may not administer...)."""
