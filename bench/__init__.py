"""On-demand benchmarks (`make bench`): each prints a ratio against a baseline measured in the
same run. See bench/README.md."""
