"""Every tier: Powertools settings that must exist before app.observability is first imported.

Logger and Metrics read their service name and namespace once, when app.observability is imported, which can
happen while test modules are collected (a module importing a service that logs), before any fixture has set a
function's environment. Without a namespace every later metrics flush fails, whichever tier runs first.
"""

import os

os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "items")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "ItemsService")
# Read once too (app.observability.tracing); template.yaml's default.
os.environ.setdefault("TRACING_MODE", "xray")
