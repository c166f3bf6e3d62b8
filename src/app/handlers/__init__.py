"""The functions' entry points, one module per kind of function (template.yaml names them in Handler).

Importing this package is the first step of every function's init, so it pauses Python's cyclic garbage
collector until the entry point has built everything (`init_complete`). Init creates some 130,000 objects the
collector tracks (modules, classes, botocore's service models, pydantic's schemas), all of which live as long as
the execution environment; with the collector on, init runs about 50 collections that walk them again and again,
about a tenth of its CPU time (README, Performance). Freezing them at the end of init keeps every later
collection, those of the invocations included, from walking them again.
"""

import gc

gc.disable()


def init_complete() -> None:
    """The end of a function's init: what init built leaves the collector's generations, and the collector resumes
    for the garbage of the invocations."""
    gc.freeze()
    gc.enable()
