"""`make bench`: the site's throughput and latency with wrk (bench/run.py)."""
