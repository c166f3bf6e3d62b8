"""Execution environments: how the local stack runs a function's handler, the way Lambda does.

Each function has its own pool of environments (pool.py), created on demand up to a concurrency limit, reused
while warm. An environment is a subprocess (process.py, child.py) that imports the handler once (its cold start)
and serves invocations over a pipe, with its own module state and os.environ, as a separate Lambda container
has; a run past the function's Timeout kills it without running its `finally` blocks. With a concurrency of 1
the handlers run in this process instead (inprocess.py), one invocation at a time, so that a debugger's
breakpoints are hit.
"""
