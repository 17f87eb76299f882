"""WSGI entry points for the WSGI server an operator chooses."""
