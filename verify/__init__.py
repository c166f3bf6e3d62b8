"""`make verify`: the contract tests, a short fuzz and a smoke load against a deployed (or the local) stack."""
