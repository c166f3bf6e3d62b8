"""Items service: Lambda handlers, domain services and AWS adapters."""
