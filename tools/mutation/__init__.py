"""Mutation testing of doqu's reference path against the contract suite (``./dev mutate``).

Each mutant is one small change to one module (a comparison swapped, a boolean flipped, a
constant changed, a return value dropped, a statement deleted). The contract suite runs on the
memory backend (and on the shelve example for the storage base class's defaults) with the
mutant loaded in place of the module; a mutant the suite does not fail, and under which it
skips the same tests as without it, survives (so declaring a capability less is caught). The
kill rate is how much of the reference semantics the contract pins down.

The suite is measured once, unmutated, with a coverage context per test
(:mod:`tools.mutation._coverage`): a mutant meets first only the tests that run its lines,
fastest first, and the whole suite only if they all pass; a mutant no test reaches survives
without a run.

Mutants are never written into the tree: a pytest plugin (:mod:`tools.mutation._loader`)
compiles the mutated syntax tree when the module is imported in the test process.
"""
