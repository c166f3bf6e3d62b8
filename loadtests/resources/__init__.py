"""Locust users of the resources `make resource` scaffolded (loadtests/__main__.py loads each module here)."""
