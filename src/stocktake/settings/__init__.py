"""Settings, split by concern and read from the environment.

- ``base``: everything shared, read from environment variables;
- ``development``: safe local defaults (DEBUG, SQLite under ``var/``, console e-mail);
- ``production``: secure defaults, checked at start-up;
- ``test``: used by the test suite.
"""
