"""punchclock's benchmarks: `python -m bench` (or `make bench ARGS=…`) load-tests real servers with wrk.

See bench/cli.py for the command, bench/scenarios.py for what is measured (add scenarios there).
"""
