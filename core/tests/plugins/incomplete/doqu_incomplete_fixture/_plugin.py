"""The entry point module: a valid hook offering an adapter that is missing two primitives."""

import doqu


@doqu.hookimpl
def doqu_backends() -> list[doqu.BackendSpec]:
    return [
        doqu.BackendSpec(
            "incomplete",
            schemes=("incomplete",),
            adapter="doqu_incomplete_fixture._storage:IncompleteStorage",
        )
    ]
