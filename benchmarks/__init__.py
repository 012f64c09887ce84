"""Speed and load benchmarks for Psoas Explorer: `python -m benchmarks.run` (see benchmarks/README.md)."""
