# Benchmarks: igny8-go's keyword list against the bare ceiling and the
# original's DRF stack on one seeded PostgreSQL database (bench/README.md).
# Extra flags, e.g.: make bench BENCH_FLAGS='-rounds 5 -d 20s'
BENCH_FLAGS ?=

.PHONY: bench
bench:
	@go run ./bench/cmd/igny8-bench run -out bench/.data/report.md $(BENCH_FLAGS)
