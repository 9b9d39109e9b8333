"""How Masthead runs: `serve` (web server + worker, as `./run` starts them), the worker with
its periodic jobs, and the first admin account."""
