"""Helpers for testing netservice and plugins written against it.

Plugin authors can use them in their own suites: ``make_conf`` builds a
configuration around a service list, ``ApiClient`` drives the WSGI app
in-process in JSON or XML, and ``databases`` finds the database servers a
run can reach.
"""
