"""The core's own REST resources."""
