"""Browser, HTML-validity and accessibility tests of the built site (see conftest.py)."""
