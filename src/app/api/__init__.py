"""The HTTP API: resolver, routers, parameters and the mapping of domain errors to responses.

Importing this package installs Powertools' event_handler package as one that imports a resolver when it is first
named, not every resolver at once (app.api.lazy_packages). Every module here imports through this package first,
so the API functions' cold start never pays for the resolvers they do not use.
"""

from app.api.lazy_packages import install_all

install_all()
