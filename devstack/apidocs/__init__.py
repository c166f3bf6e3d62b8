"""Interactive API docs of the local stack: Swagger UI at /docs for the openapi.json next to the template."""
