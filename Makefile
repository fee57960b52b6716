# The two commands of the README. Each sets up what it needs (Debian packages, .venv) idempotently.
.PHONY: demo test setup bench datasets

demo:
	@bash scripts/setup.sh demo
	@.venv/bin/statprune demo

test:
	@bash scripts/setup.sh test
	@bash scripts/run_tests.sh

bench:
	@bash scripts/setup.sh test
	@.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[bench]"
	@.venv/bin/python -m benchmarks.run_all

datasets:
	@Rscript r_scripts/export_datasets.R statprune/data
