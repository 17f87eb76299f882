"""TEMPORARY placeholder (core engineer) until the data-plane helper writes the real module."""


def list_opts():
    return []
