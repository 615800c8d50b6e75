"""The entry point module: its hook is misspelled, so it must be reported, not ignored."""

import doqu


@doqu.hookimpl
def doqu_backend() -> list[doqu.BackendSpec]:  # the hook is doqu_backends
    return [doqu.BackendSpec("misspelled", schemes=("misspelled",), adapter="doqu.memory:Nope")]
