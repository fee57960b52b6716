"""statprune benchmarks: ``python -m benchmarks.run_all [--quick]`` regenerates ``benchmarks/results.md``.

Every ``benchmarks/bench_*.py`` module defines ``run(quick: bool) -> list[dict]``;
each dict is one measurement row (``bench``, ``case``, ``n``, ``p``, ``engine``,
``seconds`` and whatever parity numbers apply).  Benchmarks never run as tests.
"""
