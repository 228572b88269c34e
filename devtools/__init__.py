"""Development tools, apart from the product: the synthetic corpus, the benchmark, the build comparison."""
