"""The core database: engine handling, the core's two tables, and migrations."""
