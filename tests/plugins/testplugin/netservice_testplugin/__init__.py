"""A minimal plugin for the core's tests: VNICs in one table, no data plane."""
