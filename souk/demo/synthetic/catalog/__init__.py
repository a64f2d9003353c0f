"""A synthetic catalog for benchmarks and demos at scale (`manage.py generate_catalog`)."""
