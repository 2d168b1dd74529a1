"""Demo data: the 11 Shanxi cities and 省直 with nominations in many states, one login per role."""
