"""Consumers: headquarters (hq), the demo seed (demo) and the benchmarks (bench). They only
call capabilities' public functions and are imported by no capability."""
