"""Load tests with Locust (`make load` runs a bounded one against a local stack)."""
